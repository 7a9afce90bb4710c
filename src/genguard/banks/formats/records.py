"""The one record every list format reads into and writes from.

Formats differ in layout, not in meaning: a hash of some type, the list owner's id for it, its
status (a withdrawn entry must stay withdrawn through re-imports) and free metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from genguard.banks.errors import ImportFormatError
from genguard.banks.signal_types import SignalType, kind_of


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


def parse_signal_type(raw: str, where: str) -> SignalType:
    try:
        return SignalType(raw.strip().lower().replace("-", ""))
    except ValueError:
        raise ImportFormatError(f"{where}: unknown hash type {raw!r}") from None


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
