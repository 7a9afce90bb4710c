"""NCMEC hash-sharing entries, in the layout of NCMEC's Hash Sharing API v2, read safely.

Element names follow NCMEC's ``queryResult`` (namespace ``https://hashsharing.ncmec.org/hashsharing/v2``,
documented at https://report.cybertip.org/hashsharing/v2/documentation.pdf; the example answers
in python-threatexchange's ``exchanges/clients/ncmec/tests/data.py`` are the public copy this
was checked against): ``<images>``/``<videos>`` holding ``<image>``/``<video>`` entries (and
``<deletedImage>``/``<deletedVideo>``) with ``<member id>``, ``<timestamp>``, ``<id>``,
``<classification>`` and ``<fingerprints>`` (``<md5>``, ``<sha1>``, ``<pdna>``, ``<pdq>``, ...).

genguard matches the fingerprints a registered kind has an ``ncmec-xml`` label for (MD5 and PDQ
built in): other fingerprints (PhotoDNA, SHA-1, ...) are kept in the entry's metadata but not
matched, and an entry with none genguard can match is skipped. A deleted entry
withdraws what it lists; NCMEC's own deletions list no fingerprints, so genguard writes them in
its deletions (and reads them back) to keep withdrawal through a round trip. A type without such a label
(SHA-256) is not an NCMEC fingerprint and cannot be exported in this format.

The stdlib parser expands internal entities, which is how a "billion laughs" bomb works; a
real list never needs a DTD, so any DOCTYPE or ENTITY declaration is refused inside the parser
(defusedxml), after decoding: a byte-level check missed the same declarations in UTF-16.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from genguard.banks.errors import ImportFormatError
from genguard.banks.formats.records import EntryStatus, HashRecord, check_size, check_value, labelled

NAMESPACE = "https://hashsharing.ncmec.org/hashsharing/v2"
#: The key of this format in ``HashKind.labels``: a kind's label is its fingerprint element.
FORMAT = "ncmec-xml"
_ENTRY = {"image": ("images", False), "video": ("videos", False),
          "deletedImage": ("images", True), "deletedVideo": ("videos", True)}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


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
    if _local(root.tag) != "queryResult":
        raise ImportFormatError("XML root must be NCMEC's <queryResult>")
    records = []
    for group in root:
        if _local(group.tag) not in ("images", "videos"):
            continue  # <paging> and anything NCMEC adds later
        for i, entry in enumerate(group):
            kind = _local(entry.tag)
            if kind not in _ENTRY:
                raise ImportFormatError(f"<{_local(group.tag)}> entry #{i}: unknown element <{kind}>")
            records += _entry_records(entry, kind, f"<{kind}> #{i}")
    return records


def _child(entry: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in entry if _local(c.tag) == name), None)


def _entry_records(entry: ET.Element, kind: str, where: str) -> list[HashRecord]:
    id_element = _child(entry, "id")
    entry_id = (id_element.text or "").strip() if id_element is not None else ""
    if not entry_id:
        raise ImportFormatError(f"{where}: needs an <id>")
    metadata = {"entry_type": "video" if _ENTRY[kind][0] == "videos" else "image"}
    member = _child(entry, "member")
    if member is not None:
        metadata.update(member_id=member.get("id", ""), member=(member.text or "").strip())
    stamp = _child(entry, "timestamp")
    if stamp is not None and stamp.text:
        metadata["timestamp"] = stamp.text.strip()
    classification = _child(entry, "classification")
    tags = (classification.text.strip(),) if classification is not None and classification.text else ()
    prints = _child(entry, "fingerprints")
    found = {_local(f.tag): (f.text or "").strip() for f in (prints if prints is not None else ()) if f.text}
    fingerprints = {name: kind.signal_type for name, kind in labelled(FORMAT).items()}
    other = sorted(set(found) - set(fingerprints))
    if other:
        metadata["unmatched_fingerprints"] = ",".join(other)
    status = EntryStatus.WITHDRAWN if _ENTRY[kind][1] else EntryStatus.ACTIVE
    return [HashRecord(signal_type=st, value=check_value(st, found[name], f"{where} <{name}>"), external_id=entry_id,
                       status=status, tags=tags, metadata=dict(metadata))
            for name, st in sorted(fingerprints.items()) if name in found]


def write_xml(records: list[HashRecord]) -> bytes:
    """One ``queryResult`` with an entry per external id (its MD5 and PDQ together)."""
    entries: dict[tuple[str, str, bool], list[HashRecord]] = {}
    names = {kind.signal_type: name for name, kind in labelled(FORMAT).items()}
    for i, r in enumerate(records):
        if r.signal_type not in names:
            carried = " and ".join(sorted(n.upper() for n in names.values()))
            raise ImportFormatError(f"record {i}: NCMEC hash sharing has no {r.signal_type.value} fingerprint "
                                    f"({carried} only); export this bank in another format")
        entry_id = r.external_id or f"{r.signal_type.value}-{r.value}"
        group = "videos" if r.metadata.get("entry_type") == "video" else "images"
        entries.setdefault((group, entry_id, r.status is EntryStatus.WITHDRAWN), []).append(r)
    root = ET.Element("queryResult", xmlns=NAMESPACE)
    for group in ("images", "videos"):
        mine = [(entry_id, deleted, rs) for (g, entry_id, deleted), rs in entries.items() if g == group]
        if not mine:
            continue
        holder = ET.SubElement(root, group, count=str(len(mine)))
        for entry_id, deleted, rs in mine:
            first = rs[0]
            tag = {"images": "image", "videos": "video"}[group]
            entry = ET.SubElement(holder, f"deleted{tag.title()}" if deleted else tag)
            if first.metadata.get("member_id"):
                ET.SubElement(entry, "member", id=first.metadata["member_id"]).text = first.metadata.get("member", "")
            if first.metadata.get("timestamp"):
                ET.SubElement(entry, "timestamp").text = first.metadata["timestamp"]
            ET.SubElement(entry, "id").text = entry_id
            if first.tags:
                ET.SubElement(entry, "classification").text = first.tags[0]
            prints = ET.SubElement(entry, "fingerprints")
            for r in sorted(rs, key=lambda r: names[r.signal_type]):
                ET.SubElement(prints, names[r.signal_type]).text = r.value
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
