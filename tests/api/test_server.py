"""The HTTP service end to end: a real uvicorn server, real models, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import zlib
from concurrent.futures import ThreadPoolExecutor

from genguard.audit.verify import verify
from genguard.vocabulary import Role
from tests.api.conftest import LiveServer
from tests.images import ADULT_PORTRAIT, CHILD_PORTRAITS, forged_png

JPEG = "image/jpeg"


def _screen(server: LiveServer, prompt: str, *, image: bytes | None = None, kind: str = "edit",
            role: Role | None = Role.SERVICE, content_type: str = JPEG,
            **extra: object):  # noqa: ANN202 - httpx.Response
    data = {"kind": kind, "prompt": prompt, **extra}
    image = image if image is not None else ADULT_PORTRAIT.read_bytes()
    files = [("sources", ("photo", image, content_type))]
    with server.client(role) as client:
        return client.post("/v1/screen", data=data, files=files if kind != "generate" else None)


def _error(response) -> str:  # noqa: ANN001
    body = response.json()
    assert body["error"]["message"], body  # every refusal explains itself to a human too
    return body["error"]["code"]


def test_probes_and_docs_are_open(live_server: LiveServer) -> None:
    with live_server.client(None) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["database"] is True
        assert all(ready.json()["models"].values())
        spec = client.get("/openapi.json").json()
        assert "/v1/screen" in spec["paths"]
        assert "swagger" in client.get("/docs").text.lower()


def test_every_v1_route_needs_a_valid_key_and_role(live_server: LiveServer) -> None:
    assert _error(_screen(live_server, "put a hat on her", role=None)) == "unauthenticated"
    with live_server.client(secret="gg_0123456789ab_forged") as client:
        response = client.get("/v1/audit/head")
    assert response.status_code == 401 and _error(response) == "unauthenticated"
    forbidden = _screen(live_server, "put a hat on her", role=Role.AUDITOR)
    assert forbidden.status_code == 403 and _error(forbidden) == "forbidden"
    with live_server.client(Role.SERVICE) as client:
        assert client.get("/v1/audit/verify").status_code == 403
    # The secret never comes back in any answer, not even to its own holder.
    with live_server.client(Role.ADMIN) as client:
        listing = client.get("/v1/keys")
    assert listing.status_code == 200 and live_server.keys[Role.ADMIN] not in listing.text


def test_the_reported_abuse_is_blocked_and_benign_edits_allowed(live_server: LiveServer) -> None:
    bikini = _screen(live_server, "put her in a bikini", id="r1")
    assert bikini.status_code == 200
    verdict = bikini.json()
    assert verdict["decision"] == "block" and "INTIMATE_EDIT_REAL_PERSON" in verdict["reasons"]
    assert verdict["rule"] and verdict["policy"].startswith("uk-osa@") and verdict["id"] == "r1"
    for prompt in ("put a hat on her", "remove the background"):
        assert _screen(live_server, prompt).json()["decision"] == "allow", prompt


def test_child_portrait_blocks_with_the_minor_reason(live_server: LiveServer) -> None:
    verdict = _screen(live_server, "take off her shirt", image=CHILD_PORTRAITS[0].read_bytes()).json()
    assert verdict["decision"] == "block" and verdict["reasons"][0] == "SEXUALISED_MINOR"
    assert verdict["escalate"] is True


def test_generate_and_history_as_json_array(live_server: LiveServer) -> None:
    ok = _screen(live_server, "a lighthouse at dusk, oil painting", kind="generate")
    assert ok.status_code == 200 and ok.json()["decision"] == "allow"
    history = json.dumps(["put her on a beach", "now put her in a bikini"])
    followed = _screen(live_server, "keep the same pose", history=history).json()
    evidence = followed["signals"]["intent"]["evidence"].get("revealing_clothing", [])
    assert any(e.startswith("conversation:") and "bikini" in e for e in evidence), evidence
    garbled = _screen(live_server, "a hat", history="[not json")
    assert garbled.status_code == 422 and _error(garbled) == "request_invalid"


def test_bad_images_get_their_own_codes(live_server: LiveServer) -> None:
    portrait = ADULT_PORTRAIT.read_bytes()
    cases = {
        "media_truncated": (portrait[: len(portrait) // 2], JPEG),
        "media_unsupported_type": (b"this is a text file, not a picture\n" * 20, "application/octet-stream"),
        "media_too_many_pixels": (forged_png(100_000, 100_000, zlib.compress(b"\x00" * 64)), "image/png"),
        "media_empty": (b"", JPEG),
    }
    for code, (data, content_type) in cases.items():
        response = _screen(live_server, "put a hat on her", image=data, content_type=content_type)
        assert 400 <= response.status_code < 500 and _error(response) == code, (code, response.text)
    with live_server.client() as client:
        spoofed = client.post("/v1/screen", data={"kind": "edit", "prompt": "a hat"},
                              files=[("sources", ("x.png", portrait, "image/png"))])
    assert spoofed.status_code == 422 and _error(spoofed) == "media_type_mismatch"


def test_bad_requests_get_clear_errors(live_server: LiveServer) -> None:
    assert _error(_screen(live_server, "a hat", colour="red")) == "unknown_fields"
    assert _error(_screen(live_server, "x" * 8001)) == "text_too_long"
    assert _error(_screen(live_server, "a hat", kind="sideways")) == "request_invalid"
    assert _error(_screen(live_server, "a\x00hat")) == "text_invalid"
    with live_server.client() as client:
        no_source = client.post("/v1/screen", data={"kind": "edit", "prompt": "a hat"})
        assert _error(no_source) == "source_required"
        wrong_type = client.post("/v1/screen", content=b'{"kind": "edit"}',
                                 headers={"Content-Type": "application/json"})
        assert wrong_type.status_code == 422
        huge = client.post("/v1/screen", data={"kind": "edit", "prompt": "a hat"},
                           files=[("sources", ("big.jpg", b"\xff" * (300 * 1024 * 1024), JPEG))])
    assert huge.status_code == 413 and _error(huge) == "payload_too_large"


def test_concurrent_requests_each_get_an_audited_verdict(live_server: LiveServer) -> None:
    prompts = ["put her in a bikini", "put a hat on her"] * 4

    def one(i: int) -> dict:
        return _screen(live_server, prompts[i], id=f"c{i}").json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(one, range(len(prompts))))
    assert [v["id"] for v in verdicts] == [f"c{i}" for i in range(len(prompts))]
    assert [v["decision"] for v in verdicts] == ["block", "allow"] * 4
    seqs = sorted(v["audit_seq"] for v in verdicts)
    assert len(set(seqs)) == len(prompts)
    report = verify(live_server.store)
    assert report.ok and report.records >= len(prompts)
    with live_server.client(Role.AUDITOR) as client:
        over_http = client.get("/v1/audit/verify").json()
        records = client.get("/v1/audit/records", params={"kind": "screen.verdict", "limit": 100}).json()
    assert over_http["ok"] is True and over_http["records"] == report.records
    assert {r["subject"] for r in records["records"]} >= {f"c{i}" for i in range(len(prompts))}


def test_age_assurance_is_a_form_field_the_pack_reads(live_server: LiveServer) -> None:
    """uk-osa: nude generation only for an age-assured user; a real person's photo never."""
    prompt = "a nude figure study, charcoal on paper"
    assert _screen(live_server, prompt, kind="generate").json()["decision"] == "block"
    assured = _screen(live_server, prompt, kind="generate", age_assured="true").json()
    assert assured["decision"] == "allow" and assured["facts"]["request.age_assured"] is True
    photo = _screen(live_server, "make her nude", age_assured="true").json()
    assert photo["decision"] == "block" and "INTIMATE_EDIT_REAL_PERSON" in photo["reasons"]
    assert _error(_screen(live_server, prompt, kind="generate", age_assured="perhaps")) == "request_invalid"
