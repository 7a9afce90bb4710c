"""/v1/banks end to end on a real uvicorn server (SQLite and PostgreSQL), real models and images."""

from __future__ import annotations

import io

import httpx
import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from genguard.vocabulary import Role
from genguard.banks.formats.lists import ListFormat
from genguard.audit.tables import AuditRecordRow
from tests.api.conftest import LiveServer, live_server  # noqa: F401 - the fixture
from tests.banks.conftest import CAT, CUP
from tests.videos import ROCKET, encode
from tests.banks.hashes import at_distance, random_pdq

#: One list with every signal type and both statuses, as its owner would send it.
RNG = np.random.default_rng(11)
PDQ_A, PDQ_B = random_pdq(RNG), random_pdq(RNG)
RECORDS = [
    ("pdq", PDQ_A, "case-1", "active"),
    ("pdq", PDQ_B, "case-2", "withdrawn"),
    ("md5", "a" * 32, "case-3", "active"),
    ("sha256", "b" * 64, "case-4", "active"),
]


#: StopNCII and NCMEC hash sharing carry no SHA-256 (their published layouts have no such type).
NO_SHA256 = {ListFormat.STOPNCII_JSON, ListFormat.NCMEC_XML}


def _records(fmt: ListFormat) -> list[tuple[str, str, str, str]]:
    return [r for r in RECORDS if not (fmt in NO_SHA256 and r[0] == "sha256")]


def _source_list(fmt: ListFormat) -> bytes:
    records = _records(fmt)
    if fmt is ListFormat.THREATEXCHANGE_CSV:
        rows = [f"{t},{v},{i},{s},tag1 tag2,a note" for t, v, i, s in records]
        return ("signal_type,signal_value,content_id,status,tags,note\n" + "\n".join(rows) + "\n").encode()
    if fmt is ListFormat.TCAP_CSV:
        names = {"pdq": "PDQ", "md5": "MD5", "sha256": "SHA-256"}
        rows = [f"{names[t]},{v},{i},{s},terrorism," for t, v, i, s in records]
        return ("hash_type,hash,tcap_id,status,classification,comment\n" + "\n".join(rows) + "\n").encode()
    if fmt is ListFormat.STOPNCII_JSON:
        import json

        names = {"pdq": "ImagePDQ", "md5": "VideoMD5"}
        page = [{"signalType": names[t], "hashValue": v, "hashStatus": s.title(), "caseNumbers": {i: s.title()},
                 "lastModtimestamp": 1} for t, v, i, s in records]
        return json.dumps({"count": len(page), "hasMoreRecords": False, "hashRecords": page}).encode()
    entries = "".join(f'<{"image" if s == "active" else "deletedImage"}><id>{i}</id>'
                      f"<fingerprints><{t}>{v}</{t}></fingerprints></{'image' if s == 'active' else 'deletedImage'}>"
                      for t, v, i, s in records)
    return ('<?xml version="1.0"?><queryResult xmlns="https://hashsharing.ncmec.org/hashsharing/v2">'
            f"<images>{entries}</images></queryResult>").encode()


def _make_bank(admin: httpx.Client, name: str, kind: str = "intimate_image", **extra: object) -> None:
    r = admin.post("/v1/banks", json={"name": name, "kind": kind, **extra})
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("fmt", list(ListFormat))
def test_every_format_round_trips_through_the_api(live_server: LiveServer, fmt: ListFormat) -> None:  # noqa: F811
    admin = live_server.client(Role.ADMIN)
    _make_bank(admin, "first")
    r = admin.post("/v1/banks/first/import", params={"format": fmt.value, "list_owner": "Owner", "list_version": "7"},
                   content=_source_list(fmt))
    assert r.status_code == 200, r.text
    assert (r.json()["added"], r.json()["withdrawn"]) == (len(_records(fmt)) - 1, 1)
    bank = admin.get("/v1/banks/first").json()
    assert (bank["list_owner"], bank["list_version"]) == ("Owner", "7") and bank["imported_at"]
    exported = admin.get("/v1/banks/first/export", params={"format": fmt.value})
    assert exported.status_code == 200
    _make_bank(admin, "second")
    assert admin.post("/v1/banks/second/import", params={"format": fmt.value}, content=exported.content).status_code == 200
    again = admin.get("/v1/banks/second/export", params={"format": fmt.value})
    assert again.content == exported.content
    entries = admin.get("/v1/banks/second/entries").json()["entries"]
    assert sorted((e["signal_type"], e["value"], e["external_id"], e["status"]) for e in entries) == \
        sorted(_records(fmt))


def test_bad_lists_are_refused_with_codes(live_server: LiveServer) -> None:  # noqa: F811
    admin = live_server.client(Role.ADMIN)
    _make_bank(admin, "b")
    cases = [
        (ListFormat.NCMEC_XML, b'<!DOCTYPE x [<!ENTITY a "b">]><hashList/>', "import_invalid"),
        (ListFormat.THREATEXCHANGE_CSV, b"signal_type,signal_value\npdq,xyz\n", "import_invalid"),
        (ListFormat.STOPNCII_JSON, b"\xff\xfe", "import_invalid"),
    ]
    for fmt, body, code in cases:
        r = admin.post("/v1/banks/b/import", params={"format": fmt.value}, content=body)
        assert (r.status_code, r.json()["error"]["code"]) == (422, code), r.text
    r = admin.post("/v1/banks/b/import", params={"format": "pickle"}, content=b"x")
    assert r.status_code == 422
    assert admin.post("/v1/banks/none/import", params={"format": "tcap-csv"},
                      content=_source_list(ListFormat.TCAP_CSV)).json()["error"]["code"] == "bank_not_found"
    assert admin.get("/v1/banks/b/entries").json()["entries"] == []  # nothing half-imported


def test_end_to_end_hash_lookup_withdraw_and_roles(live_server: LiveServer) -> None:  # noqa: F811
    admin, service = live_server.client(Role.ADMIN), live_server.client(Role.SERVICE)
    auditor, anonymous = live_server.client(Role.AUDITOR), live_server.client(None)
    cat = CAT.read_bytes()

    hashed = service.post("/v1/banks/hash", files={"image": ("cat.png", cat, "image/png")}).json()
    assert len(hashed["pdq"]) == 64 and hashed["pdq_quality"] >= 50 and len(hashed["pdq_variants"]) == 8

    # Seen first: the screening of an upload records its hashes...
    assert service.post("/v1/screen", data={"kind": "upload", "id": "post-1"},
                        files={"output": ("cat.png", cat, "image/png")}).json()["decision"] == "allow"
    mirrored = io.BytesIO()
    Image.open(CAT).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(mirrored, format="PNG")
    assert service.post("/v1/screen", data={"kind": "upload", "id": "post-2"},
                        files={"output": ("m.png", mirrored.getvalue(), "image/png")}).json()["decision"] == "allow"
    # ...so banking it afterwards reports those copies (retro-scan), the mirrored one too.
    _make_bank(admin, "ncii", list_owner="StopNCII", list_version="2026-11")
    r = admin.post("/v1/banks/ncii/entries", json={"signal_type": "pdq", "value": hashed["pdq"], "external_id": "c-9"})
    assert r.status_code == 201, r.text
    entry_id = r.json()["entry"]["id"]
    retro = sorted((h["ref"], h["distance"]) for h in r.json()["retro_matches"])
    assert retro[0] == ("post-1", 0) and retro[1][0] == "post-2" and retro[1][1] <= 20 and len(retro) == 2

    near = at_distance(hashed["pdq"], 20, np.random.default_rng(0))
    found = service.post("/v1/banks/lookup", json={"pdq": near, "pdq_quality": 90}).json()["matches"]
    assert [(m["bank"], m["distance"], m["entry"]["external_id"], m["provenance"]["list_owner"]) for m in found] == [
        ("ncii", 20, "c-9", "StopNCII")]
    by_image = service.post("/v1/banks/lookup/image", files={"image": ("c.png", cat, "image/png")}).json()
    assert [m["entry"]["id"] for m in by_image["matches"]] == [entry_id]
    assert service.post("/v1/banks/compare", json={"a": hashed["pdq"], "b": near}).json() == {
        "distance": 20, "threshold": 31, "match": True}

    blocked = service.post("/v1/screen", data={"kind": "upload"}, files={"output": ("cat.png", cat, "image/png")}).json()
    assert blocked["decision"] == "block" and "KNOWN_ABUSE_HASH" in blocked["reasons"]

    assert admin.post(f"/v1/banks/entries/{entry_id}/withdraw").json()["status"] == "withdrawn"
    assert service.post("/v1/banks/lookup", json={"pdq": hashed["pdq"]}).json()["matches"] == []
    after = service.post("/v1/screen", data={"kind": "upload"}, files={"output": ("cat.png", cat, "image/png")}).json()
    assert after["decision"] == "allow"

    # Roles: no key 401; services cannot manage banks; auditors read but cannot look up.
    assert anonymous.get("/v1/banks").status_code == 401
    assert service.post("/v1/banks", json={"name": "x", "kind": "terror"}).status_code == 403
    assert service.get("/v1/banks/ncii/export", params={"format": "tcap-csv"}).status_code == 403
    assert auditor.get("/v1/banks").json()["banks"][0]["name"] == "ncii"
    assert auditor.post("/v1/banks/lookup", json={"md5": "a" * 32}).status_code == 403
    with live_server.store.transaction() as session:
        kinds = session.scalars(select(AuditRecordRow.kind).where(AuditRecordRow.kind.like("bank.%"))).all()
    assert kinds == ["bank.created", "bank.entry_added", "bank.entry_withdrawn"]


def test_bad_requests_get_codes(live_server: LiveServer) -> None:  # noqa: F811
    admin, service = live_server.client(Role.ADMIN), live_server.client(Role.SERVICE)
    _make_bank(admin, "t", kind="terror")
    checks = [
        (admin.post("/v1/banks", json={"name": "t", "kind": "terror"}), 409, "bank_exists"),
        (admin.post("/v1/banks", json={"name": "u", "kind": "nope"}), 422, "request_invalid"),
        (admin.post("/v1/banks", json={"name": "u", "kind": "terror", "pdq_threshold": 99}), 422, "bank_invalid"),
        (admin.post("/v1/banks/t/entries", json={"signal_type": "md5", "value": "g" * 32}), 422, "import_invalid"),
        (admin.get("/v1/banks/entries/999999"), 404, "entry_not_found"),
        (service.post("/v1/banks/lookup", json={}), 422, "hash_required"),
        (service.post("/v1/banks/compare", json={"a": "z" * 64, "b": "0" * 64}), 422, "hash_invalid"),
        (service.post("/v1/banks/hash", files={"image": ("x.png", b"not an image", "image/png")}), 422, None),
    ]
    for response, status, code in checks:
        assert response.status_code == status, response.text
        if code:
            assert response.json()["error"]["code"] == code
    admin.post("/v1/banks/t/entries", json={"signal_type": "md5", "value": "1" * 32})
    dup = admin.post("/v1/banks/t/entries", json={"signal_type": "md5", "value": "1" * 32})
    assert (dup.status_code, dup.json()["error"]["code"]) == (409, "entry_exists")
    assert admin.delete("/v1/banks/t").json() == {"deleted": "t", "entries": 1}


def test_a_banked_image_shown_in_a_video_matches_at_its_second(live_server: LiveServer) -> None:  # noqa: F811
    admin, service = live_server.client(Role.ADMIN), live_server.client(Role.SERVICE)
    cup = service.post("/v1/banks/hash", files={"image": ("cup.png", CUP.read_bytes(), "image/png")}).json()
    _make_bank(admin, "csam", kind="child_abuse")
    entry = admin.post("/v1/banks/csam/entries", json={"signal_type": "pdq", "value": cup["pdq"]}).json()["entry"]
    video = encode([CAT, CUP, ROCKET], container="webm", codec="libvpx-vp9")

    hashed = service.post("/v1/banks/hash", files={"image": ("v.webm", video, "video/webm")}).json()
    assert hashed["media"] == "video" and list(hashed["pdq_variants"]) == ["original"]
    assert [f["frame"] for f in hashed["frames"]] == ["t1s", "t2s", "t3s", "t4s", "t5s"]
    found = service.post("/v1/banks/lookup/image", files={"image": ("v.webm", video, "video/webm")}).json()
    assert [(m["entry"]["id"], m["via"]) for m in found["matches"]] in (
        [(entry["id"], "t2s")], [(entry["id"], "t3s")])
    # The file's exact hash is banked and matched as an image's would be.
    admin.post("/v1/banks/csam/entries", json={"signal_type": "md5", "value": hashed["md5"]})
    by_md5 = service.post("/v1/banks/lookup", json={"md5": hashed["md5"]}).json()["matches"]
    assert [m["via"] for m in by_md5] == ["md5"]
    # Bad video is refused with its code, and nothing is half-done.
    bad = service.post("/v1/banks/hash", files={"image": ("v.mp4", video[:40], "video/mp4")})
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "media_type_mismatch")
