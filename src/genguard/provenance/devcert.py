"""A self-signed development chain (root CA + signing certificate) for tests and local trials.

C2PA validators refuse a self-signed end-entity certificate and a signing certificate without
the right extensions, so a usable chain needs two certificates: a root CA (``cA=true``,
``keyCertSign``) and a signing certificate issued by it (not a CA, ``digitalSignature``, the
``emailProtection`` extended key usage that the C2PA trust model lists). Both carry
:data:`DEV_MARKER` in their common name, so a manifest signed with them is recognised as
development-only wherever it is read (``ProvenanceReport.development``). Operators sign with
their own certificate from a real CA; this chain must never leave a test or a laptop.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: In the CN of both certificates; the reader flags any manifest whose signer carries it.
DEV_MARKER: Final = "genguard DEVELOPMENT"
#: File names written by :func:`write_dev_chain`.
CHAIN_FILE: Final = "dev-chain.pem"
KEY_FILE: Final = "dev-signing-key.pem"
ROOT_FILE: Final = "dev-root.pem"


@dataclass(frozen=True)
class DevChain:
    """PEM texts: the signing certificate followed by the root (what a signer sends), the signing
    key (PKCS#8) and the root alone (what a reader adds to its trust anchors)."""

    chain_pem: bytes
    key_pem: bytes
    root_pem: bytes


def make_dev_chain(*, days: int = 365, organisation: str = "genguard development",
                   algorithm: Literal["es256", "ed25519"] = "es256") -> DevChain:
    """A fresh root CA and signing certificate (P-256 for ES256, or Ed25519), both marked as
    development."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    digest = hashes.SHA256() if algorithm == "es256" else None  # Ed25519 signs without a digest

    def new_key() -> ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey:
        return ec.generate_private_key(ec.SECP256R1()) if algorithm == "es256" else ed25519.Ed25519PrivateKey.generate()

    root_key = new_key()
    root_name = _name(f"{DEV_MARKER} root CA", organisation)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name).issuer_name(root_name)
        .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, digest)
    )
    key = new_key()
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{DEV_MARKER} signer", organisation)).issuer_name(root_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, digest)
    )
    pem = serialization.Encoding.PEM
    return DevChain(
        chain_pem=leaf.public_bytes(pem) + root.public_bytes(pem),
        key_pem=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        root_pem=root.public_bytes(pem),
    )


def write_dev_chain(directory: Path, *, days: int = 365,
                    algorithm: Literal["es256", "ed25519"] = "es256") -> tuple[Path, Path, Path]:
    """Write a new chain to ``directory`` (chain, key, root); the key file is owner-only (0600)."""
    directory.mkdir(parents=True, exist_ok=True)
    chain = make_dev_chain(days=days, algorithm=algorithm)
    paths = (directory / CHAIN_FILE, directory / KEY_FILE, directory / ROOT_FILE)
    paths[0].write_bytes(chain.chain_pem)
    fd = os.open(paths[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(chain.key_pem)
    paths[2].write_bytes(chain.root_pem)
    return paths


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
    ])


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
        encipher_only=False, decipher_only=False,
    )
