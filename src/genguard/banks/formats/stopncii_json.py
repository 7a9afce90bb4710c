"""StopNCII-style JSON: cases with a hash, a case id and a status that may be Withdrawn."""

from __future__ import annotations

import json
from typing import Any

from genguard.banks.errors import ImportFormatError
from genguard.banks.formats.records import (
    EntryStatus,
    HashRecord,
    check_size,
    check_value,
    parse_signal_type,
    parse_status,
)


def read_json(text: str) -> list[HashRecord]:
    check_size(text)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    cases = doc.get("hashes") if isinstance(doc, dict) else None
    if not isinstance(cases, list):
        raise ImportFormatError('JSON must be an object with a "hashes" list')
    records = []
    for i, case in enumerate(cases):
        where = f"hashes[{i}]"
        if not isinstance(case, dict) or not all(isinstance(case.get(k), str) for k in ("hashType", "hashValue")):
            raise ImportFormatError(f"{where}: needs string fields hashType and hashValue")
        signal_type = parse_signal_type(case["hashType"], where)
        extra = {k: str(v) for k, v in case.items() if k not in {"caseId", "hashType", "hashValue", "status"}}
        records.append(
            HashRecord(
                signal_type=signal_type,
                value=check_value(signal_type, case["hashValue"], where),
                external_id=str(case.get("caseId", "")),
                status=parse_status(str(case.get("status", "")), where),
                metadata=extra,
            )
        )
    return records


def write_json(records: list[HashRecord]) -> str:
    cases: list[dict[str, Any]] = [
        {
            "caseId": r.external_id,
            "hashType": r.signal_type.value.upper(),
            "hashValue": r.value,
            "status": "Withdrawn" if r.status is EntryStatus.WITHDRAWN else "Active",
            **r.metadata,
        }
        for r in records
    ]
    return json.dumps({"hashes": cases}, indent=1)
