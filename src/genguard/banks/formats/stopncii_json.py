"""StopNCII hash records, in the StopNCII API's ``FetchHashes`` response layout.

Field names and values are StopNCII's, as used by python-threatexchange's StopNCII client
(``threatexchange/exchanges/clients/stopncii/api.py``: ``FetchHashesResponse`` and
``StopNCIIHashRecord``): a page ``{"count", "nextPageToken", "nextSetTimestamp",
"hasMoreRecords", "hashRecords": [...]}`` whose records carry ``signalType`` (``ImagePDQ``,
``VideoMD5``, ...), ``hashValue``, ``hashStatus`` (``Received``, ``Active``, ``Withdrawn``,
``Deleted``), ``caseNumbers`` (case -> status), ``lastModtimestamp`` and ``CSPFeedbacks``.

genguard matches the types a registered kind has a ``stopncii-json`` label for (``ImagePDQ``,
``VideoMD5`` built in); records of StopNCII's other types (``VideoTMK``, ``Text``, ``URL``) are
skipped on import, and an entry of a type StopNCII has no label for (SHA-256) cannot be exported
and is refused rather than dropped. ``Withdrawn`` and ``Deleted`` both withdraw the entry.
"""

from __future__ import annotations

import json
from typing import Any

from genguard.banks.errors import ImportFormatError
from genguard.banks.formats.records import EntryStatus, HashRecord, check_size, check_value, labelled

#: The key of this format in ``HashKind.labels``: a kind's label is its ``signalType``.
FORMAT = "stopncii-json"
#: StopNCII types skipped on import unless a registered kind claims one.
UNSUPPORTED = {"Unknown", "VideoTMK", "Text", "URL"}
STATUSES = {"Received": EntryStatus.ACTIVE, "Active": EntryStatus.ACTIVE, "Unknown": EntryStatus.ACTIVE,
            "Withdrawn": EntryStatus.WITHDRAWN, "Deleted": EntryStatus.WITHDRAWN}


def read_json(text: str) -> list[HashRecord]:
    check_size(text)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    records_in = doc.get("hashRecords") if isinstance(doc, dict) else None
    if not isinstance(records_in, list):
        raise ImportFormatError('JSON must be a StopNCII FetchHashes page: an object with a "hashRecords" list')
    signal_types = {label: kind.signal_type for label, kind in labelled(FORMAT).items()}
    records = []
    for i, rec in enumerate(records_in):
        where = f"hashRecords[{i}]"
        if not isinstance(rec, dict) or not all(isinstance(rec.get(k), str) for k in ("signalType", "hashValue")):
            raise ImportFormatError(f"{where}: needs string fields signalType and hashValue")
        if rec["signalType"] in UNSUPPORTED and rec["signalType"] not in signal_types:
            continue
        if rec["signalType"] not in signal_types:
            raise ImportFormatError(f"{where}: unknown signalType {rec['signalType']!r}")
        status = rec.get("hashStatus", "Active")
        if status not in STATUSES:
            raise ImportFormatError(f"{where}: unknown hashStatus {status!r}")
        cases = rec.get("caseNumbers") or {}
        if not isinstance(cases, dict):
            raise ImportFormatError(f"{where}: caseNumbers must be an object of case number -> status")
        signal_type = signal_types[rec["signalType"]]
        metadata = {"case_numbers": ",".join(sorted(cases))} if len(cases) > 1 else {}
        if "lastModtimestamp" in rec:
            metadata["last_modified"] = str(rec["lastModtimestamp"])
        records.append(HashRecord(signal_type=signal_type, value=check_value(signal_type, rec["hashValue"], where),
                                  external_id=min(cases, default=""), status=STATUSES[status], metadata=metadata))
    return records


def write_json(records: list[HashRecord]) -> str:
    """One FetchHashes page holding every record (``hasMoreRecords`` false)."""
    names = {kind.signal_type: label for label, kind in labelled(FORMAT).items()}
    out: list[dict[str, Any]] = []
    for i, r in enumerate(records):
        if r.signal_type not in names:
            carried = " and ".join(names.values())
            raise ImportFormatError(f"record {i}: StopNCII has no {r.signal_type.value} signal type "
                                    f"(only {carried}); export this bank in another format")
        status = "Withdrawn" if r.status is EntryStatus.WITHDRAWN else "Active"
        cases = r.metadata.get("case_numbers", "").split(",") if r.metadata.get("case_numbers") else \
            [r.external_id] if r.external_id else []
        modified = r.metadata.get("last_modified", "")
        out.append({"lastModtimestamp": int(modified) if modified.isdigit() else 0,
                    "signalType": names[r.signal_type], "hashValue": r.value, "hashStatus": status,
                    "caseNumbers": {case: status for case in cases}, "CSPFeedbacks": []})
    return json.dumps({"count": len(out), "nextPageToken": None,
                       "nextSetTimestamp": max((o["lastModtimestamp"] for o in out), default=0),
                       "hasMoreRecords": False, "hashRecords": out}, indent=1)
