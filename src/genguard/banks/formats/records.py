"""The one record every list format reads into and writes from.

Formats differ in layout, not in meaning: a hash of some type, the list owner's id for it, its
status (a withdrawn entry must stay withdrawn through re-imports) and free metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from genguard.banks.errors import ImportFormatError


class SignalType(StrEnum):
    PDQ = "pdq"
    MD5 = "md5"
    SHA256 = "sha256"


class EntryStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


_HEX_LENGTH = {SignalType.PDQ: 64, SignalType.MD5: 32, SignalType.SHA256: 64}
_HEX = re.compile(r"[0-9a-f]*")
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
    value = raw.strip().lower()
    if len(value) != _HEX_LENGTH[signal_type] or not _HEX.fullmatch(value):
        raise ImportFormatError(
            f"{where}: {signal_type.value} value must be {_HEX_LENGTH[signal_type]} hex characters"
        )
    return value


def check_size(data: bytes | str) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFormatError(f"import is larger than {MAX_IMPORT_BYTES} bytes")
