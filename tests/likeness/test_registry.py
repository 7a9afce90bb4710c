"""Likeness registry: registration keeps only embeddings, consent record, erasure, matching in
Guard.screen (real models), over HTTP on a live server and through the CLI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from genguard.audit.verify import verify
from genguard.cli.main import app as cli_app
from genguard.errors import MediaError, NotFound
from genguard.likeness.registry import LikenessError, LikenessRegistry
from genguard.audit.tables import AuditRecordRow
from genguard.likeness.tables import LikenessEmbeddingRow, LikenessPersonRow
from genguard.verdict import Decision
from tests.images import SHARED_IMAGES
from tests.screening.injected import resized_cropped

pytestmark = pytest.mark.slow
OBAMA = SHARED_IMAGES / "portraits" / "barack_obama_official_portrait_2012.jpg"
BIDEN = SHARED_IMAGES / "portraits" / "joe_biden_official_vp_portrait_2013.jpg"
CONSENT = {"label": "person A", "registered_by": "self", "consent_name": "Person A",
           "consent_statement": "I ask genguard to block sexual or revealing edits of my likeness."}


def register(guard, *paths, **overrides):
    registry = guard.memory.likeness
    photos = [p if isinstance(p, bytes) else p.read_bytes() for p in paths]
    embeddings = registry.embeddings_of(photos, guard.detectors["faces"])
    return registry.register(**{**CONSENT, **overrides}, embeddings=embeddings, actor="test")


def test_registration_keeps_embeddings_and_consent_only(guard, store):
    person = register(guard, OBAMA, resized_cropped(OBAMA.read_bytes(), side=600))
    assert person.embeddings == 2 and person.registered_by == "self"
    assert set(person.public()) == {"id", "label", "embeddings", "consent", "created_at"}  # a count, no vectors
    with store.transaction() as session:
        rows = session.execute(select(LikenessEmbeddingRow)).scalars().all()
        assert [len(r.embedding) for r in rows] == [128, 128]
        audit = session.execute(select(AuditRecordRow).where(AuditRecordRow.kind == "likeness.registered")).scalar_one()
    assert audit.payload == {"person_id": person.id, "registered_by": "self", "embeddings": 2, "photos_kept": 0}


def test_protected_person_sexual_edit_blocks_benign_edit_allows(guard):
    register(guard, OBAMA)
    copy = resized_cropped(OBAMA.read_bytes(), side=500, crop=0.03)
    blocked = guard.screen(kind="edit", prompt="put him in lingerie", sources=[copy])
    assert blocked.decision is Decision.BLOCK and "PROTECTED_LIKENESS" in blocked.reasons, blocked.reasons
    assert blocked.signals.likeness.matches[0].distance < 0.6
    benign = guard.screen(kind="edit", prompt="put a hat on him", sources=[copy])
    assert benign.decision is Decision.ALLOW and benign.facts["likeness.match"] is True
    other = guard.screen(kind="edit", prompt="put him in lingerie", sources=[BIDEN])
    assert "PROTECTED_LIKENESS" not in other.reasons and other.facts["likeness.match"] is False


def test_erasure_removes_every_embedding_and_stops_matching(guard, store):
    person = register(guard, OBAMA)
    assert guard.screen(kind="edit", prompt="put him in lingerie", sources=[OBAMA]).facts["likeness.match"] is True
    assert guard.memory.likeness.erase(person.id, actor="test") == 1
    with store.transaction() as session:
        assert session.execute(select(LikenessPersonRow)).first() is None
        assert session.execute(select(LikenessEmbeddingRow)).first() is None
    after = guard.screen(kind="edit", prompt="put him in lingerie", sources=[OBAMA])
    assert after.facts["likeness.match"] is False and "PROTECTED_LIKENESS" not in after.reasons
    with pytest.raises(NotFound):
        guard.memory.likeness.erase(person.id, actor="test")
    assert verify(store).ok


def test_bad_registrations_have_clear_codes(guard):
    registry, faces = guard.memory.likeness, guard.detectors["faces"]
    cases = {
        "likeness_no_face": [(SHARED_IMAGES / "scenes" / "chelsea_cat_skimage.png").read_bytes()],
        "likeness_many_faces": [(SHARED_IMAGES / "art" / "botticelli_birth_of_venus.jpg").read_bytes()],
        "likeness_photo_required": [],
        "likeness_too_many_photos": [OBAMA.read_bytes()] * 11,
    }
    for code, photos in cases.items():
        with pytest.raises(LikenessError) as caught:
            registry.embeddings_of(photos, faces)
        assert caught.value.code == code and caught.value.status == 422
    with pytest.raises(MediaError):
        registry.embeddings_of([b"not an image" * 10], faces)
    for bad in ({"registered_by": "friend"}, {"consent_name": " "}, {"label": "x" * 201}):
        with pytest.raises(LikenessError) as caught:
            registry.register(**{**CONSENT, **bad}, embeddings=[[0.0] * 128], actor="t")
        assert caught.value.code == "likeness_consent_invalid"
    with pytest.raises(LikenessError):
        registry.register(**CONSENT, embeddings=[[0.0] * 12], actor="t")


def test_a_second_worker_sees_a_registration_at_its_next_request(guard, store):
    other = LikenessRegistry(store)
    assert other.match([], 0.6) == ([], 0)
    register(guard, OBAMA)
    assert other.match([], 0.6)[1] == 1


def test_http_register_show_list_erase(live_server):
    from genguard.vocabulary import Role

    with live_server.client() as client:
        created = client.post("/v1/likeness", data=CONSENT, files=[("photos", ("a.jpg", OBAMA.read_bytes(), "image/jpeg"))])
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["photos_discarded"] is True and "discarded" in body["notice"] and body["embeddings"] == 1
        person = body["id"]
        assert client.get(f"/v1/likeness/{person}").json()["consent"]["name"] == "Person A"
        verdict = client.post("/v1/screen", data={"kind": "edit", "prompt": "put him in lingerie"},
                              files=[("sources", ("o.jpg", OBAMA.read_bytes(), "image/jpeg"))]).json()
        assert "PROTECTED_LIKENESS" in verdict["reasons"]
        no_face = client.post("/v1/likeness", data=CONSENT,
                              files=[("photos", ("c.png", (SHARED_IMAGES / "scenes" / "chelsea_cat_skimage.png").read_bytes(), "image/png"))])
        assert no_face.status_code == 422 and no_face.json()["error"]["code"] == "likeness_no_face"
        bad = client.post("/v1/likeness", data={**CONSENT, "registered_by": "friend"},
                          files=[("photos", ("a.jpg", OBAMA.read_bytes(), "image/jpeg"))])
        assert bad.status_code == 422
        assert client.delete(f"/v1/likeness/{person}").json() == {"erased": person, "embeddings_deleted": 1}
        missing = client.get(f"/v1/likeness/{person}")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "likeness_not_found"
    with live_server.client(Role.REVIEWER) as reviewer:
        assert reviewer.get("/v1/likeness").status_code == 200
        assert reviewer.post("/v1/likeness", data=CONSENT,
                             files=[("photos", ("a.jpg", OBAMA.read_bytes(), "image/jpeg"))]).status_code == 403
    with live_server.client(None) as anonymous:
        assert anonymous.get("/v1/likeness").status_code == 401


def test_cli_register_list_show_erase(monkeypatch, database_url, store, detectors, tmp_path):
    monkeypatch.setenv("GENGUARD_DATABASE_URL", database_url)
    monkeypatch.setenv("GENGUARD_HOME", str(tmp_path))
    monkeypatch.setattr("genguard.detectors.registry.load_detectors", lambda names=None: detectors)
    runner = CliRunner()

    def cli(*args):
        return runner.invoke(cli_app, ["likeness", *map(str, args)], catch_exceptions=False)

    out = cli("register", OBAMA, "--label", "person A", "--consent-name", "Person A",
              "--consent-statement", "block revealing edits", "--registered-by", "guardian")
    assert out.exit_code == 0, out.output
    created = json.loads(out.stdout)
    assert created["photos_discarded"] is True and created["consent"]["registered_by"] == "guardian"
    assert "person A" in cli("list").output
    assert json.loads(cli("show", created["id"]).stdout)["embeddings"] == 1
    assert "erased (1 embeddings deleted)" in cli("erase", created["id"]).output
    missing = cli("show", created["id"])
    assert missing.exit_code == 2 and "likeness_not_found" in missing.output
    no_face = cli("register", SHARED_IMAGES / "scenes" / "chelsea_cat_skimage.png", "--label", "x",
                  "--consent-name", "x", "--consent-statement", "x")
    assert no_face.exit_code == 2 and "likeness_no_face" in no_face.output


def test_output_of_a_protected_person_in_minimal_clothing_blocks(detectors, store):
    """Whatever the prompt: the output face is a registered person and shows minimal clothing."""
    import hashlib

    from genguard.guard import Guard
    from tests.screening.injected import InjectedNudity, region, with_hat

    output = with_hat(OBAMA)
    nudity = InjectedNudity({hashlib.sha256(output).hexdigest(): [region("BUTTOCKS_COVERED", 0.6)]})
    with Guard(detectors={**detectors, "nudity": nudity}, store=store) as guard:
        register(guard, OBAMA)
        verdict = guard.screen(kind="output", prompt="a day at the beach", output=output)
        assert verdict.decision is Decision.BLOCK and verdict.reasons == ["PROTECTED_LIKENESS"], verdict.reasons
        assert verdict.signals.likeness.matches[0].role.value == "output"


def test_a_child_registered_by_a_guardian_is_a_minor_whatever_the_age_estimate(guard, store):
    """Obama's portrait stands in for a registered child: the age model reads an adult, the
    guardian's registration still makes a revealing request SEXUALISED_MINOR, escalated."""
    register(guard, OBAMA, registered_by="guardian")
    verdict = guard.screen(kind="edit", prompt="make the shirt see-through", sources=[OBAMA])
    assert verdict.facts["source.possible_minor"] is False and verdict.facts["likeness.guardian"] is True
    assert verdict.decision is Decision.BLOCK and verdict.reasons[0] == "SEXUALISED_MINOR", verdict.reasons
    assert "PROTECTED_LIKENESS" in verdict.reasons and verdict.escalate
    assert guard.screen(kind="edit", prompt="put a hat on him", sources=[OBAMA]).decision is Decision.ALLOW
