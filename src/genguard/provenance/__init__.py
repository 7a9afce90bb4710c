"""Signed provenance (C2PA) on what genguard allows, and provenance read on what it screens.

``sign_output`` embeds a manifest in an allowed output; ``read_provenance`` reads and validates
one. See docs/provenance.md.
"""

from genguard.provenance.model import (
    OutputClaim,
    ParentImage,
    ParentRecord,
    ProvenanceError,
    ProvenanceReport,
    ProvenanceState,
)
from genguard.provenance.read import read_provenance
from genguard.provenance.sign import sign_output
from genguard.provenance.signer import ManifestSigner

__all__ = [
    "ManifestSigner", "OutputClaim", "ParentImage", "ParentRecord", "ProvenanceError", "ProvenanceReport",
    "ProvenanceState", "read_provenance", "sign_output",
]
