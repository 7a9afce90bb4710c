"""The four list formats by name, for the API and CLI: bytes in, records out, and back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from genguard.banks.errors import ImportFormatError
from genguard.banks.formats.csv_lists import TCAP, THREATEXCHANGE, read_csv, write_csv
from genguard.banks.formats.ncmec_xml import read_xml, write_xml
from genguard.banks.formats.records import HashRecord, check_size
from genguard.banks.formats.stopncii_json import read_json, write_json


class ListFormat(StrEnum):
    THREATEXCHANGE_CSV = "threatexchange-csv"
    TCAP_CSV = "tcap-csv"
    STOPNCII_JSON = "stopncii-json"
    NCMEC_XML = "ncmec-xml"


@dataclass(frozen=True)
class _Codec:
    read: Callable[[bytes], list[HashRecord]]
    write: Callable[[list[HashRecord]], bytes]
    media_type: str


def _text(data: bytes) -> str:
    check_size(data)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"list is not UTF-8 (byte {exc.start})") from None


_CODECS = {
    ListFormat.THREATEXCHANGE_CSV: _Codec(
        lambda d: read_csv(_text(d), THREATEXCHANGE), lambda r: write_csv(r, THREATEXCHANGE).encode(), "text/csv"
    ),
    ListFormat.TCAP_CSV: _Codec(lambda d: read_csv(_text(d), TCAP), lambda r: write_csv(r, TCAP).encode(), "text/csv"),
    ListFormat.STOPNCII_JSON: _Codec(lambda d: read_json(_text(d)), lambda r: write_json(r).encode(), "application/json"),
    ListFormat.NCMEC_XML: _Codec(read_xml, write_xml, "application/xml"),
}


def read_list(fmt: ListFormat, data: bytes) -> list[HashRecord]:
    return _CODECS[fmt].read(data)


def write_list(fmt: ListFormat, records: list[HashRecord]) -> tuple[bytes, str]:
    """The list's bytes and their media type."""
    codec = _CODECS[fmt]
    return codec.write(records), codec.media_type
