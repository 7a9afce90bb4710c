"""CSV hash lists: ThreatExchange/HMA-style and TCAP-style.

Both are one hash per row with a header; they differ in column names and in how the type is
spelt, so one reader and writer serve both, configured by a :class:`CsvLayout`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from genguard.banks.signal_types import kind_of

from genguard.banks.errors import ImportFormatError
from genguard.banks.formats.records import (
    HashRecord,
    SignalType,
    check_size,
    check_value,
    parse_signal_type,
    parse_status,
)


@dataclass(frozen=True)
class CsvLayout:
    #: The format's key in :attr:`HashKind.labels`.
    name: str
    type_col: str
    value_col: str
    id_col: str
    status_col: str
    tags_col: str
    note_col: str
    #: How a type without its own label in this format is spelt: its stored name, in capitals?
    upper: bool = False

    @property
    def columns(self) -> list[str]:
        return [self.type_col, self.value_col, self.id_col, self.status_col, self.tags_col, self.note_col]

    def type_name(self, signal_type: SignalType) -> str:
        """How this layout writes ``signal_type``: the kind's label for it, else its name."""
        label = kind_of(signal_type).label(self.name)
        if label is not None:
            return label
        return signal_type.value.upper() if self.upper else signal_type.value


#: HMA bank exports: ``signal_type,signal_value,...`` with lowercase type names.
THREATEXCHANGE = CsvLayout("threatexchange-csv", "signal_type", "signal_value", "content_id", "status", "tags", "note")
#: Tech Against Terrorism's TCAP: ``hash_type,hash,tcap_id,...`` with upper-case type names
#: (``SHA-256`` as the kind's ``tcap-csv`` label spells it).
TCAP = CsvLayout("tcap-csv", "hash_type", "hash", "tcap_id", "status", "classification", "comment", upper=True)


def read_csv(text: str, layout: CsvLayout) -> list[HashRecord]:
    check_size(text)
    reader = csv.DictReader(io.StringIO(text))
    missing = {layout.type_col, layout.value_col} - set(reader.fieldnames or [])
    if missing:
        raise ImportFormatError(f"CSV header lacks column(s) {sorted(missing)}")
    records = []
    for row in reader:
        where = f"line {reader.line_num}"
        if None in row:
            raise ImportFormatError(f"{where}: more fields than the header")
        signal_type = parse_signal_type(row[layout.type_col] or "", where, layout.name)
        records.append(
            HashRecord(
                signal_type=signal_type,
                value=check_value(signal_type, row[layout.value_col] or "", where),
                external_id=(row.get(layout.id_col) or "").strip(),
                status=parse_status(row.get(layout.status_col) or "", where),
                tags=tuple(t for t in (row.get(layout.tags_col) or "").split() if t),
                note=row.get(layout.note_col) or "",
            )
        )
    return records


def write_csv(records: list[HashRecord], layout: CsvLayout) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(layout.columns)
    for r in records:
        writer.writerow(
            [layout.type_name(r.signal_type), r.value, r.external_id, r.status.value, " ".join(r.tags), r.note]
        )
    return out.getvalue()
