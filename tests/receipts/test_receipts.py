"""Verdict receipts: sign -> verify, and every way a receipt can be wrong gets its own error."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import CliRunner

from genguard.cli.main import app
from genguard.config import Settings
from genguard.receipts import (
    ReceiptInvalid,
    ReceiptKeyError,
    ReceiptSigner,
    input_hashes,
    load_public_key,
    verify,
)
from genguard.request import ImageInput, Request, RequestKind
from genguard.verdict import Decision, Verdict

REQUEST = Request(id="r-1", kind=RequestKind.EDIT, prompt="put a hat on her",
                  sources=[ImageInput(data=b"source-bytes")])
VERDICT = Verdict(id="r-1", kind="edit", decision=Decision.ALLOW, reasons=[], rule=None,
                  policy="uk-osa@3", audit_seq=42)


@pytest.fixture
def signer() -> ReceiptSigner:
    return ReceiptSigner(Ed25519PrivateKey.generate())


def _part(token: str, i: int) -> dict:
    raw = token.split(".")[i]
    return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def test_sign_then_verify_names_the_verdict_and_its_inputs(signer: ReceiptSigner) -> None:
    token = signer.sign(REQUEST, VERDICT, now=1_800_000_000)
    payload = verify(token, signer.public_key, now=1_800_000_100)
    assert payload["vid"] == "r-1" and payload["seq"] == 42 and payload["decision"] == "allow"
    assert payload["policy"] == "uk-osa@3" and payload["iat"] == 1_800_000_000
    assert payload["inputs"] == input_hashes(REQUEST)
    assert payload["inputs"]["sources"] == [hashlib.sha256(b"source-bytes").hexdigest()]
    assert "dev" not in payload and _part(token, 0)["kid"] == signer.jwks()["keys"][0]["kid"]


def test_a_tampered_payload_is_invalid(signer: ReceiptSigner) -> None:
    header, payload, signature = signer.sign(REQUEST, VERDICT).split(".")
    claims = _part(f"{header}.{payload}.{signature}", 1)
    claims["decision"] = "allow" if VERDICT.decision != Decision.ALLOW else "block"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(ReceiptInvalid) as caught:
        verify(f"{header}.{forged}.{signature}", signer.public_key)
    assert caught.value.code == "receipt_signature_invalid"


def test_another_key_is_invalid(signer: ReceiptSigner) -> None:
    token = signer.sign(REQUEST, VERDICT)
    with pytest.raises(ReceiptInvalid) as caught:
        verify(token, Ed25519PrivateKey.generate().public_key())
    assert caught.value.code == "receipt_signature_invalid"


def test_an_expired_receipt_is_invalid(signer: ReceiptSigner) -> None:
    token = signer.sign(REQUEST, VERDICT, now=1_000_000)
    with pytest.raises(ReceiptInvalid) as caught:
        verify(token, signer.public_key, now=1_000_000 + signer.ttl_s + 3600)
    assert caught.value.code == "receipt_expired"


@pytest.mark.parametrize("garbage", ["", "not-a-receipt", "a.b", "a.b.c.d", "!!!.###.$$$", "x" * 20000,
                                     "eyJhbGciOiJub25lIn0.e30.", ])
def test_garbage_is_a_clear_malformed_error(signer: ReceiptSigner, garbage: str) -> None:
    with pytest.raises(ReceiptInvalid) as caught:
        verify(garbage, signer.public_key)
    assert caught.value.code == "receipt_malformed" and caught.value.message


def test_alg_none_or_another_typ_is_refused_before_any_signature_check(signer: ReceiptSigner) -> None:
    token = signer.sign(REQUEST, VERDICT)
    _, payload, signature = token.split(".")
    for header in ({"alg": "none", "typ": "genguard-receipt+jws"}, {"alg": "EdDSA", "typ": "JWT"}):
        raw = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
        with pytest.raises(ReceiptInvalid, match="not a genguard receipt"):
            verify(f"{raw}.{payload}.{signature}", signer.public_key)


def test_development_key_is_generated_private_and_marked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENGUARD_RECEIPT_KEY", raising=False)
    first = ReceiptSigner.from_settings(Settings(home=tmp_path))
    again = ReceiptSigner.from_settings(Settings(home=tmp_path))
    key_file = tmp_path / "receipts" / "dev-ed25519.pem"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert first.jwks() == again.jwks() and first.jwks()["keys"][0]["dev"] is True
    token = first.sign(REQUEST, VERDICT)
    assert _part(token, 0)["dev"] is True and verify(token, again.public_key)["dev"] is True


def test_operator_key_from_settings_and_a_bad_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "receipts.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    monkeypatch.setenv("GENGUARD_RECEIPT_KEY", str(pem))
    signer = ReceiptSigner.from_settings(Settings(home=tmp_path))
    assert not signer.development and "dev" not in signer.jwks()["keys"][0]
    pem.write_text("not a key")
    with pytest.raises(ReceiptKeyError):
        ReceiptSigner.from_settings(Settings(home=tmp_path))


def test_public_key_loads_from_pem_jwk_and_jwks(signer: ReceiptSigner) -> None:
    token = signer.sign(REQUEST, VERDICT)
    for form in (signer.public_pem(), json.dumps(signer.jwks()).encode(),
                 json.dumps(signer.jwks()["keys"][0]).encode()):
        assert verify(token, load_public_key(form))["vid"] == "r-1"
    for bad in (b"{}", b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", b"garbage"):
        with pytest.raises(ReceiptKeyError):
            load_public_key(bad)


def test_cli_verify_receipt(signer: ReceiptSigner, tmp_path: Path) -> None:
    token = signer.sign(REQUEST, VERDICT)
    key = tmp_path / "pub.pem"
    key.write_bytes(signer.public_pem())
    runner = CliRunner()
    ok = runner.invoke(app, ["verify-receipt", token, "--key", str(key)])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["decision"] == "allow"
    saved = tmp_path / "receipt.txt"
    saved.write_text(token + "\n")
    assert runner.invoke(app, ["verify-receipt", str(saved), "--key", str(key)]).exit_code == 0
    assert runner.invoke(app, ["verify-receipt", "-", "--key", str(key)], input=token).exit_code == 0
    other = tmp_path / "other.pem"
    other.write_bytes(ReceiptSigner(Ed25519PrivateKey.generate()).public_pem())
    bad = runner.invoke(app, ["verify-receipt", token, "--key", str(other)])
    assert bad.exit_code == 1 and "receipt_signature_invalid" in bad.stderr
    assert runner.invoke(app, ["verify-receipt", "garbage", "--key", str(key)]).exit_code == 1
    assert runner.invoke(app, ["verify-receipt", token, "--key", str(tmp_path / "missing.pem")]).exit_code == 2


def test_the_python_guard_signs_every_verdict_it_returns(signer: ReceiptSigner, tmp_path: Path) -> None:
    from genguard.guard import Guard

    # No detectors: the verdict fails closed, and is still signed for what it says.
    with Guard(Settings(home=tmp_path), detectors={}, audit=False, signer=signer) as guard:
        one = guard.screen(kind="generate", prompt="a lighthouse at dusk", id="g-1")
        many = guard.screen_many([Request(kind=RequestKind.GENERATE, prompt="a cat", id="g-2")])
    for verdict in (one, *many):
        payload = verify(verdict.receipt, signer.public_key)
        assert payload["vid"] == verdict.id and payload["decision"] == verdict.decision.value
        assert payload["reasons"] == verdict.reasons and payload["policy"] == verdict.policy
