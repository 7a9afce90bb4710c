"""The one record every list format reads into and writes from.

Formats differ in layout, not in meaning: a hash of some type, the list owner's id for it, its
status (a withdrawn entry must stay withdrawn through re-imports) and free metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from genguard.banks.errors import ImportFormatError
from genguard.banks.signal_types import HashKind, SignalType, by_label, kind_of, kinds


class EntryStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


#: Hard cap on one import, so a hostile list cannot exhaust memory through the parser.
MAX_IMPORT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class HashRecord:
    signal_type: SignalType
    value: str
    external_id: str = ""
    status: EntryStatus = EntryStatus.ACTIVE
    tags: tuple[str, ...] = ()
    note: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


def parse_signal_type(raw: str, where: str, fmt: str = "") -> SignalType:
    """The registered type ``raw`` names in list format ``fmt`` (see :func:`by_label`)."""
    kind = by_label(fmt, raw)
    if kind is None:
        raise ImportFormatError(f"{where}: unknown hash type {raw!r}")
    return kind.signal_type


def labelled(fmt: str) -> dict[str, HashKind]:
    """The registered kinds that list format ``fmt`` has its own spelling for, by that spelling."""
    return {label: k for k in kinds() if (label := k.label(fmt)) is not None}


def parse_status(raw: str, where: str) -> EntryStatus:
    try:
        return EntryStatus(raw.strip().lower() or "active")
    except ValueError:
        raise ImportFormatError(f"{where}: unknown status {raw!r}") from None


def check_value(signal_type: SignalType, raw: str, where: str) -> str:
    """Lowercase hex of the right length for ``signal_type``, or a clear error."""
    return kind_of(signal_type).normalise(raw, where)


def check_size(data: bytes | str) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(f"import is larger than {MAX_IMPORT_BYTES} bytes")
