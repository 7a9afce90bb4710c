"""Import and export of hash lists in the formats real lists use; every one round-trips."""

from genguard.banks.formats.csv_lists import TCAP, THREATEXCHANGE, read_csv, write_csv
from genguard.banks.formats.ncmec_xml import read_xml, write_xml
from genguard.banks.formats.records import EntryStatus, HashRecord, SignalType
from genguard.banks.formats.stopncii_json import read_json, write_json

__all__ = [
    "TCAP",
    "THREATEXCHANGE",
    "EntryStatus",
    "HashRecord",
    "SignalType",
    "read_csv",
    "read_json",
    "read_xml",
    "write_csv",
    "write_json",
    "write_xml",
]
