"""The operator's signing identity: a certificate chain and its private key, as PEM files.

genguard never makes an operator's certificate: a manifest is only worth what its signer's
certificate is worth, so production signing uses a certificate issued to the operator (C2PA's
trust list, or the operator's own CA that its downstream platforms trust). ``provenance
dev-cert`` makes a development chain for tests (``devcert``), which every reader flags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from genguard.config import Settings
from genguard.provenance.devcert import DEV_MARKER
from genguard.provenance.model import ProvenanceError

Algorithm = Literal["es256", "es384", "ed25519"]
#: Bytes read from a PEM file at most: a chain of a few certificates is a few kilobytes.
_MAX_PEM_BYTES = 256 * 1024


@dataclass(frozen=True)
class ManifestSigner:
    """A certificate chain (signing certificate first) and its key, checked on construction.

    ``alg`` follows from the key (P-256 -> ES256, P-384 -> ES384, Ed25519). ``tsa_url`` is an
    RFC 3161 time-stamp authority, so a manifest stays valid after the certificate expires.
    """

    chain_pem: bytes = field(repr=False)
    key_pem: bytes = field(repr=False)
    tsa_url: str | None = None
    alg: Algorithm = field(init=False)
    subject: str = field(init=False)

    def __post_init__(self) -> None:
        try:
            certs = x509.load_pem_x509_certificates(self.chain_pem)
            key = load_pem_private_key(self.key_pem, password=None)
        except (ValueError, TypeError) as exc:
            raise ProvenanceError(f"signing certificate or key unreadable: {exc}", code="provenance_signer_invalid") from None
        if len(certs) < 2:
            raise ProvenanceError("the certificate chain must hold the signing certificate and its issuer "
                                  "(C2PA refuses a self-signed signing certificate)", code="provenance_signer_invalid")
        if not _same_key(certs[0], key):
            raise ProvenanceError("the private key does not belong to the first certificate of the chain",
                                  code="provenance_signer_invalid")
        if isinstance(key, ed25519.Ed25519PrivateKey):
            alg: Algorithm = "ed25519"
        elif isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in ("secp256r1", "secp384r1"):
            alg = "es256" if key.curve.name == "secp256r1" else "es384"
        else:
            raise ProvenanceError("the key must be EC P-256, P-384 or Ed25519", code="provenance_signer_invalid")
        object.__setattr__(self, "alg", alg)
        object.__setattr__(self, "subject", certs[0].subject.rfc4514_string())

    @property
    def development(self) -> bool:
        """Whether this is genguard's development chain (never for production)."""
        return DEV_MARKER in self.subject

    @classmethod
    def from_files(cls, chain: str | os.PathLike[str], key: str | os.PathLike[str], *,
                   tsa_url: str | None = None) -> ManifestSigner:
        """Load the chain and key PEM files (the operator's; see ``docs/provenance.md``)."""
        return cls(_read_pem(Path(chain)), _read_pem(Path(key)), tsa_url=tsa_url)

    @classmethod
    def from_settings(cls, settings: Settings) -> ManifestSigner | None:
        """The signer the settings name (``GENGUARD_C2PA_CERT``, ``GENGUARD_C2PA_KEY``,
        ``GENGUARD_C2PA_TSA_URL``), or None when neither path is set; one without the other is
        an error, not a silent "no signing"."""
        if settings.c2pa_cert is None and settings.c2pa_key is None:
            return None
        if settings.c2pa_cert is None or settings.c2pa_key is None:
            raise ProvenanceError("set both GENGUARD_C2PA_CERT and GENGUARD_C2PA_KEY", code="provenance_signer_invalid")
        return cls.from_files(settings.c2pa_cert, settings.c2pa_key, tsa_url=settings.c2pa_tsa_url)

    @classmethod
    def from_env(cls) -> ManifestSigner | None:
        """:meth:`from_settings` of the environment's settings."""
        return cls.from_settings(Settings())


def _same_key(cert: x509.Certificate, key: object) -> bool:
    from cryptography.hazmat.primitives import serialization

    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return cert.public_key().public_bytes(*spki) == key.public_key().public_bytes(*spki)  # type: ignore[attr-defined]


def _read_pem(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_PEM_BYTES + 1)
    except OSError as exc:
        raise ProvenanceError(f"cannot read {str(path)!r}: {exc.strerror or exc}", code="provenance_signer_invalid") from None
    if len(data) > _MAX_PEM_BYTES:
        raise ProvenanceError(f"{str(path)!r} is too large for a PEM file", code="provenance_signer_invalid")
    return data
