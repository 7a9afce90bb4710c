"""TAKE IT DOWN request → case → claim → removal within the clock → signed, retried webhook →
copies swept → statement of reasons → appeal → reversal by a second reviewer → reinstated,
all through the HTTP API on a real server, on SQLite and PostgreSQL; every step audited and
counted in that period's transparency report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from genguard.audit.verify import verify
from genguard.cases.settings import REUPLOAD_BANK
from tests.cases.conftest import CaseServer, Receiver
from tests.images import SHARED_IMAGES

IMAGE = SHARED_IMAGES / "scenes" / "coffee_cup_skimage.png"


def _upload(server: CaseServer, post_id: str) -> dict:
    with open(IMAGE, "rb") as fh, server.client("service") as client:
        response = client.post("/v1/screen", data={"kind": "upload", "id": post_id, "account": "uploader-1"},
                               files=[("output", ("cup.png", fh.read(), "image/png"))])
    assert response.status_code == 200, response.text
    return response.json()


def _notice(hashes: dict, **changes: object) -> dict:
    notice = {
        "regime": "take_it_down", "reporter_type": "victim", "category": "intimate_image_abuse",
        "items": [{"platform_id": "post-1", "sha256": hashes["sha256"], "account": "uploader-1"}],
        "reporter": {"name": "A. Person", "email": "person@example.org"},
        "signature": "/s/ A. Person", "good_faith_statement": True,
    }
    notice.update(changes)
    return notice


def test_take_it_down_to_reinstatement(case_server: CaseServer, receiver: Receiver) -> None:
    start = datetime.now(UTC) - timedelta(seconds=1)
    receiver.fail_first = 2  # the platform fails the first two attempts of every webhook
    first = _upload(case_server, "post-1")
    _upload(case_server, "post-2")
    _upload(case_server, "post-3")
    hashes = first["signals"]["images"][0]["hashes"]

    with case_server.client("service") as service:
        bad = service.post("/v1/notices", json=_notice(hashes, signature=None, good_faith_statement=None))
        assert bad.status_code == 422
        assert set(bad.json()["error"]["missing"]) == {"signature", "good_faith_statement (must be true)"}
        receipt = service.post("/v1/notices", json=_notice(hashes))
    assert receipt.status_code == 201, receipt.text
    [opened] = receipt.json()["cases"]
    case_id = opened["case_id"]
    assert opened["clock"] == "take_it_down_48h"
    received = datetime.fromisoformat(receipt.json()["received_at"])
    assert datetime.fromisoformat(opened["due_at"]) == received + timedelta(hours=48)

    with case_server.client("reviewer-a") as a, case_server.client("reviewer-b") as b:
        claimed = a.post("/v1/cases/claim")
        assert claimed.status_code == 200 and claimed.json()["id"] == case_id
        assert b.post(f"/v1/cases/{case_id}/claim").json()["error"]["code"] == "case_not_claimable"
        assert b.post(f"/v1/cases/{case_id}/decision", json={"decision": "remove", "explanation": "x"}
                      ).json()["error"]["code"] == "case_not_claimed"
        decided = a.post(f"/v1/cases/{case_id}/decision", json={
            "decision": "remove", "explanation": "Intimate image shared without consent; valid TAKE IT DOWN request."})
    assert decided.status_code == 200, decided.text
    # The request only records the decision and enqueues its steps; the worker acts on them.
    assert decided.json()["removed_at"] is None and decided.json()["takedown"]["done"] is False
    with case_server.client("admin") as admin:
        assert admin.post("/v1/cases/tick").json()["jobs"] >= 4  # remove, bank, sweep, notify
    with case_server.client("reviewer-a") as a:
        case = a.get(f"/v1/cases/{case_id}").json()
    assert case["takedown"]["done"] and case["takedown"]["copies_removed"] == case["takedown"]["copies_found"] == 2
    assert case["status"] == "decided" and case["clock_state"] == "stopped"
    removed_at = datetime.fromisoformat(case["removed_at"])
    assert removed_at - received < timedelta(hours=48)
    assert case["clock_elapsed_s"] < 48 * 3600

    # The takedown webhook: signed, failed twice, delivered on the third attempt with one key.
    removal = [h for h in receiver.hits if h.key == f"case-{case_id}-remove"]
    assert [h.status for h in removal] == [503, 503, 200]
    assert all(h.signed for h in receiver.hits)
    assert removal[-1].body["data"]["content"]["platform_id"] == "post-1"

    # Copies swept from seen content: post-2 and post-3, each removed and linked to the case.
    assert sorted(c["ref"] for c in case["copies"]) == ["post-2", "post-3"]
    assert all(c["removed_at"] and c["bank"] == REUPLOAD_BANK for c in case["copies"])
    assert len([h for h in receiver.delivered("content.remove") if h.body["data"].get("copy_of") == case_id]) == 2

    # Statement of reasons to the uploader and the decision to the reporter.
    [uploader] = receiver.delivered("notify.uploader")
    sor = uploader.body["data"]["statement"]
    assert sor["automated_decision"] is False and sor["ground"] == "illegal"
    assert "TAKE IT DOWN" in sor["legal_ground"] and sor["redress"]["internal_complaint"]
    [reporter] = receiver.delivered("notify.reporter")
    assert reporter.body["data"]["reporter"]["email"] == "person@example.org"

    # The same image uploaded again is now blocked by the re-upload bank.
    again = _upload(case_server, "post-4")
    assert again["decision"] == "block" and "KNOWN_ABUSE_HASH" in again["reasons"]

    # Appeal by the uploader, refused to the original reviewer, reversed by a second one.
    with case_server.client("service") as service:
        appeal = service.post(f"/v1/cases/{case_id}/appeals",
                              json={"appellant": "uploader-1", "grounds": "This is my own photo of a cup."})
    assert appeal.status_code == 201, appeal.text
    appeal_id = appeal.json()["id"]
    body = {"outcome": "reversed", "explanation": "The image is a coffee cup; the notice named the wrong post."}
    with case_server.client("reviewer-a") as a, case_server.client("reviewer-b") as b:
        assert a.post(f"/v1/appeals/{appeal_id}/decision", json=body).json()["error"]["code"] == "appeal_same_reviewer"
        reversed_ = b.post(f"/v1/appeals/{appeal_id}/decision", json=body)
        assert reversed_.status_code == 200 and reversed_.json()["status"] == "reversed"
        assert a.get(f"/v1/cases/{case_id}").json()["status"] == "reinstated"
    with case_server.client("admin") as admin:
        assert admin.post("/v1/cases/tick").json()["jobs"] == 1  # the reinstatement step
    [reinstate] = receiver.delivered("content.reinstate")
    assert reinstate.body["data"]["content"]["platform_id"] == "post-1"
    assert sorted(reinstate.body["data"]["copies"]) == ["post-2", "post-3"]
    assert _upload(case_server, "post-5")["decision"] == "allow"  # unbanked

    # Every step is in the audit trail, and the chain verifies.
    with case_server.client("auditor") as auditor:
        records = auditor.get("/v1/audit/records", params={"limit": 1000}).json()["records"]
    kinds = [r["kind"] for r in records if r["subject"] == f"case:{case_id}"]
    for kind in ("case.opened", "case.claimed", "case.decided", "case.removed", "case.actioned", "takedown.banked",
                 "takedown.copy_found", "takedown.copy_removed", "webhook.delivery", "appeal.filed",
                 "appeal.decided", "case.reinstated"):
        assert kind in kinds, kind
    assert verify(case_server.store).ok

    # ... and in that period's transparency report, the same every time it is asked for.
    end = datetime.now(UTC) + timedelta(seconds=1)
    period = {"start": start.isoformat(), "end": end.isoformat()}
    with case_server.client("auditor") as auditor:
        report = auditor.get("/v1/reports/transparency", params=period).json()
        again_report = auditor.get("/v1/reports/transparency", params=period).json()
        html = auditor.get("/v1/reports/transparency", params={**period, "format": "html"}).text
        csv = auditor.get("/v1/reports/transparency", params={**period, "format": "csv"}).text
        statements = auditor.get("/v1/reports/dsa-statements", params=period).json()["statements"]
    assert report == again_report
    assert report["notices"]["by_regime"] == {"take_it_down": 1}
    assert report["cases"]["by_category"] == {"intimate_image_abuse": 1}
    assert report["actions"]["by_action"] == {"remove": 1, "remove_copy": 2}
    assert report["actions"]["share_automated"] == round(2 / 3, 6)
    tta = report["time_to_action"]["take_it_down_48h"]
    assert tta["actions"] == 1 and tta["within_clock"] == 1 and tta["p90_s"] < 48 * 3600
    assert report["appeals"] == {"filed": 1, "decided": 1, "upheld": 0, "reversed": 1, "reinstated": 1,
                                 "appeal_rate": 1.0, "reversal_rate": 1.0}
    assert report["bank_matches"][REUPLOAD_BANK] >= 3  # two swept copies + the blocked re-upload
    assert "<svg" in html and "take_it_down_48h" in html and "<script" not in html and "<link" not in html
    assert "actions.by_action.remove_copy,2" in csv
    assert len(statements) == 3
    assert [s["automated_decision"] for s in statements].count("AUTOMATED_DECISION_FULLY") == 2
