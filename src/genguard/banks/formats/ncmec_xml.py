"""NCMEC-style XML hash list, read safely.

The stdlib parser expands internal entities, which is how a "billion laughs" bomb works; a
real hash list never needs a DTD, so any DOCTYPE or ENTITY declaration is refused. defusedxml
refuses them inside the parser, after decoding: a byte-level check (the first version) missed
the same declarations written in UTF-16.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from genguard.banks.errors import ImportFormatError
from genguard.banks.formats.records import (
    HashRecord,
    check_size,
    check_value,
    parse_signal_type,
    parse_status,
)

def read_xml(data: bytes) -> list[HashRecord]:
    check_size(data)
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImportFormatError("XML with a DOCTYPE or ENTITY declaration is refused") from None
    except ET.ParseError as exc:
        raise ImportFormatError(f"not well-formed XML: {exc}") from None
    except ValueError as exc:  # expat cannot read the declared encoding (UTF-32, for one)
        raise ImportFormatError(f"unreadable XML encoding: {exc}") from None
    if root.tag != "hashList":
        raise ImportFormatError("XML root must be <hashList>")
    records = []
    for i, node in enumerate(root.iter("hash")):
        where = f"<hash> #{i}"
        signal_type = parse_signal_type(node.get("type", ""), where)
        records.append(
            HashRecord(
                signal_type=signal_type,
                value=check_value(signal_type, node.text or "", where),
                external_id=node.get("id", ""),
                status=parse_status(node.get("status", ""), where),
                note=node.get("note", ""),
            )
        )
    return records


def write_xml(records: list[HashRecord]) -> bytes:
    root = ET.Element("hashList", version="1")
    for r in records:
        attrs = {"type": r.signal_type.value.upper(), "id": r.external_id, "status": r.status.value}
        if r.note:
            attrs["note"] = r.note
        ET.SubElement(root, "hash", attrs).text = r.value
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
