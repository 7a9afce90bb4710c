"""The soft binding: genguard's PDQ of an image, written into its manifest and found again
through lineage when the manifest is gone.

A C2PA hard binding (the byte hash) dies with the first re-encode, and a platform that strips
metadata removes the whole manifest. The soft binding is a perceptual hash of the pixels: the
same PDQ (``detectors.hashes.pdq`` of the image as decoded at working size) that the hash
detector computes on every screened image and that lineage indexes for every allowed output,
so a stripped, re-encoded or lightly cropped copy leads back to the lineage record, and from it
to the audit record of the verdict that allowed it.

Wire format in ``c2pa.soft-binding``: ``alg`` = :data:`~genguard.provenance.model.SOFT_BINDING_ALG`,
one block whose ``value`` is the 32 PDQ bytes in base64 (the C2PA field is base64 text).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from genguard.provenance.model import SOFT_BINDING_ALG
from genguard.screening.lineage import Lineage


def assertion(pdq_hex: str) -> dict[str, object]:
    """The ``c2pa.soft-binding`` assertion for an image whose PDQ is ``pdq_hex``."""
    value = base64.b64encode(bytes.fromhex(pdq_hex)).decode("ascii")
    return {"label": "c2pa.soft-binding",
            "data": {"alg": SOFT_BINDING_ALG, "blocks": [{"scope": {}, "value": value}]}}


def pdq_of(assertion_data: dict[str, object]) -> str | None:
    """The PDQ hex of a soft-binding assertion written by genguard (None for other algorithms)."""
    if assertion_data.get("alg") != SOFT_BINDING_ALG:
        return None
    blocks = assertion_data.get("blocks")
    if not isinstance(blocks, list) or not blocks or not isinstance(blocks[0], dict):
        return None
    try:
        raw = base64.b64decode(str(blocks[0].get("value", "")), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


@dataclass(frozen=True)
class LineageRecord:
    """The remembered image a PDQ leads to, and the audit record of the verdict that kept it."""

    node_id: int
    root_id: int
    depth: int
    distance: int
    audit_seq: int | None
    sha256: str


def find_record(lineage: Lineage, pdq_hex: str) -> LineageRecord | None:
    """The lineage record nearest ``pdq_hex`` within PDQ's match radius, if any."""
    found = lineage.find(pdq_hex)
    if found is None:
        return None
    node_id, distance = found
    node = lineage.node(node_id)
    return LineageRecord(node_id=node.id, root_id=node.root_id, depth=node.depth, distance=distance,
                         audit_seq=node.audit_seq, sha256=node.sha256)
