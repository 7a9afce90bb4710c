"""TAKE IT DOWN details: intake without an account (validated, rate-limited, 48-hour clock), a
request id and requester token, the outcome notice with reasons and copies (removed / refused,
within 48 hours or not), and its delivery once, as a webhook carrying a ready e-mail."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from genguard.banks.service import BankService
from genguard.cases import take_it_down
from genguard.cases.notices import Notice, NoticeInvalid
from genguard.cases.service import CaseService
from genguard.cases.take_it_down import PublicIntakePolicy, TooManyRequests
from genguard.cases.webhooks import WebhookSender
from genguard.errors import GenguardError, NotFound, RequestError
from genguard.store.db import Store
from genguard.audit.tables import AuditRecordRow
from tests.cases.conftest import SECRET, CaseServer, Receiver
from tests.cases.helpers import FakeClock, take_it_down as tid_notice

SHA = "7c" * 32
OPEN = PublicIntakePolicy(enabled=True)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def banks(store: Store, tmp_path: Path) -> BankService:
    return BankService(store, snapshot_path=tmp_path / "pdq.idx")


@pytest.fixture
def service(store: Store, banks: BankService, receiver: Receiver, clock: FakeClock) -> CaseService:
    return CaseService(store, banks=banks, sender=WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0, clock=clock),
                       clock=clock)


def _body(platform_id: str = "post-1", **item: str) -> dict:
    return tid_notice(platform_id, **item).model_dump(mode="json", exclude_none=True)


def _decide(service: CaseService, case_id: int, decision: str, explanation: str) -> None:
    service.claim("alice", case_id)
    service.decide(case_id, "alice", decision, explanation=explanation)
    service.work()  # removal and copy sweep are the worker's jobs


# -- the service ------------------------------------------------------------------------------------

def test_a_removed_request_reports_its_copies_within_48_hours_and_is_notified_once(
        service: CaseService, banks: BankService, receiver: Receiver) -> None:
    for ref in ("copy-a", "copy-b"):  # identical copies the platform had seen before the request
        banks.record_seen(source="upload", ref=ref, sha256=SHA, md5="0" * 32, pdq=None, pdq_quality=None)
    receipt = take_it_down.submit_public(service, tid_notice("post-1", sha256=SHA), client="c1", policy=OPEN)
    request_id, token = receipt["request_id"], receipt["requester_token"]
    assert request_id == receipt["notice_id"] and len(token) >= 40
    assert take_it_down.outcome_for_requester(service, request_id, token)["items"][0]["outcome"] == "pending"
    assert service.tick()["outcomes"] == 0  # nothing decided: no notice yet

    _decide(service, receipt["cases"][0]["case_id"], "remove", "Intimate image shared without consent.")
    result = take_it_down.outcome_for_requester(service, request_id, token)
    [item] = result["items"]
    assert result["complete"] and item["outcome"] == "removed" and item["within_48h"] is True
    assert item["copies"] == {"found": 2, "removed": 2, "removed_within_48h": 2, "cannot_notify": 0}
    assert {h.body["data"]["content"]["platform_id"] for h in receiver.delivered("content.remove")} == \
        {"post-1", "copy-a", "copy-b"}

    assert service.tick()["outcomes"] == 1
    [sent] = receiver.delivered("notify.requester")
    assert sent.signed and sent.body["data"]["request_id"] == request_id
    email = sent.body["data"]["email"]
    assert email["to"] == "v@example.org" and request_id in email["subject"]
    assert "post-1: removed within 48 hours" in email["text"] and "2 of 2" in email["text"]
    assert service.tick()["outcomes"] == 0 and len(receiver.delivered("notify.requester")) == 1


def test_a_refused_request_says_why(service: CaseService, receiver: Receiver) -> None:
    receipt = take_it_down.submit_public(service, tid_notice("post-2"), client="c1", policy=OPEN)
    _decide(service, receipt["cases"][0]["case_id"], "no_action", "The image does not show the requester.")
    [item] = take_it_down.outcome(service, receipt["request_id"])["items"]
    assert item["outcome"] == "refused" and item["reasons"] == "The image does not show the requester."
    assert item["within_48h"] is None
    service.tick()
    text = receiver.delivered("notify.requester")[0].body["data"]["email"]["text"]
    assert "post-2: not removed" in text and "Reasons: The image does not show the requester." in text


def test_a_removal_after_the_deadline_is_reported_as_late(service: CaseService, clock: FakeClock,
                                                          receiver: Receiver) -> None:
    receipt = take_it_down.submit_public(service, tid_notice("post-3"), client="c1", policy=OPEN)
    clock.advance(hours=49)
    _decide(service, receipt["cases"][0]["case_id"], "remove", "Not consensual.")
    [item] = take_it_down.outcome(service, receipt["request_id"])["items"]
    assert item["outcome"] == "removed" and item["within_48h"] is False
    service.tick()
    assert "after the 48-hour deadline" in receiver.delivered("notify.requester")[0].body["data"]["email"]["text"]


def test_an_unacknowledged_removal_keeps_the_request_open(store: Store, banks: BankService, clock: FakeClock,
                                                          receiver: Receiver) -> None:
    receiver.fail_first = 100  # the platform does not acknowledge
    svc = CaseService(store, banks=banks, sender=WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0,
                                                               attempts=1), clock=clock)
    receipt = take_it_down.submit_public(svc, tid_notice("post-4"), client="c1", policy=OPEN)
    _decide(svc, receipt["cases"][0]["case_id"], "remove", "Not consensual.")
    result = take_it_down.outcome(svc, receipt["request_id"])
    assert not result["complete"] and result["items"][0]["outcome"] == "removal_pending"
    assert take_it_down.deliver_outcomes(svc) == 0


def test_a_relayed_request_gets_its_outcome_notice_too(service: CaseService, receiver: Receiver) -> None:
    receipt = service.submit_notice(tid_notice("post-5"), actor="key:1")
    _decide(service, receipt["cases"][0]["case_id"], "remove", "Not consensual.")
    assert service.tick()["outcomes"] == 1
    assert receiver.delivered("notify.requester")[0].body["data"]["request_id"] == receipt["notice_id"]
    with pytest.raises(NotFound):  # relayed: no token exists, the platform reads it with its key
        take_it_down.outcome_for_requester(service, receipt["notice_id"], "anything")
    with service.store.transaction() as session:
        assert session.scalars(select(AuditRecordRow.kind).where(
            AuditRecordRow.subject == f"notice:{receipt['notice_id']}")).all() == ["notice.received",
                                                                                  "request.outcome_sent"]


def test_wrong_tokens_and_unknown_ids_look_the_same(service: CaseService) -> None:
    receipt = take_it_down.submit_public(service, tid_notice(), client="c1", policy=OPEN)
    for request_id, token in ((receipt["request_id"], "wrong"), ("no-such-request", receipt["requester_token"])):
        with pytest.raises(NotFound) as missing:
            take_it_down.outcome_for_requester(service, request_id, token)
        assert missing.value.code == "request_not_found"


def test_public_intake_limits(service: CaseService) -> None:
    with pytest.raises(GenguardError) as closed:
        take_it_down.submit_public(service, tid_notice(), client="c1", policy=PublicIntakePolicy())
    assert closed.value.code == "public_intake_closed"
    policy = PublicIntakePolicy(enabled=True, per_client_per_hour=2, total_per_hour=3, max_items=2)
    for _ in range(2):
        take_it_down.submit_public(service, tid_notice(), client="same", policy=policy)
    with pytest.raises(TooManyRequests, match="from one sender"):
        take_it_down.submit_public(service, tid_notice(), client="same", policy=policy)
    take_it_down.submit_public(service, tid_notice(), client="other", policy=policy)
    with pytest.raises(TooManyRequests, match="too many requests without an account"):
        take_it_down.submit_public(service, tid_notice(), client="third", policy=policy)
    service.clock.advance(hours=1, seconds=1)  # type: ignore[attr-defined]
    take_it_down.submit_public(service, tid_notice(), client="same", policy=policy)  # the window moved on

    many = Notice.model_validate({**_body(), "items": [{"platform_id": f"p{i}"} for i in range(3)]})
    with pytest.raises(RequestError) as too_many:
        take_it_down.submit_public(service, many, client="new", policy=policy)
    assert too_many.value.code == "too_many_items"
    dsa = Notice.model_validate({**_body(), "regime": "dsa"})
    with pytest.raises(RequestError) as wrong_regime:
        take_it_down.submit_public(service, dsa, client="new", policy=policy)
    assert wrong_regime.value.code == "regime_not_accepted"
    unsigned = Notice.model_validate({**_body(), "signature": None})
    with pytest.raises(NoticeInvalid) as invalid:
        take_it_down.submit_public(service, unsigned, client="new", policy=policy)
    assert "signature" in invalid.value.missing


# -- over HTTP, without an API key ----------------------------------------------------------------

@pytest.fixture
def public_intake(monkeypatch: pytest.MonkeyPatch) -> None:
    """Open the account-less intake (requested before ``case_server``, which reads it at start)."""
    monkeypatch.setenv("GENGUARD_PUBLIC_INTAKE", "1")
    monkeypatch.setenv("GENGUARD_PUBLIC_INTAKE_PER_CLIENT_HOUR", "3")


def test_the_public_endpoint_needs_no_account_and_returns_a_request_id(public_intake: None,
                                                                       case_server: CaseServer) -> None:
    public_server = case_server
    with httpx.Client(base_url=public_server.url) as anonymous:
        filed = anonymous.post("/public/take-it-down", json=_body("post-http"))
        assert filed.status_code == 201, filed.text
        receipt = filed.json()
        assert filed.headers["cache-control"] == "no-store"
        assert set(receipt) == {"request_id", "requester_token", "received_at", "digest", "regime", "items"}
        [item] = receipt["items"]
        assert item["clock"] == "take_it_down_48h" and "case_id" not in item
        request_id, token = receipt["request_id"], receipt["requester_token"]

        status = anonymous.get(f"/public/take-it-down/{request_id}", headers={"Requester-Token": token})
        assert status.status_code == 200 and status.json()["items"][0]["outcome"] == "pending"
        assert "case_id" not in status.json()["items"][0]
        wrong = anonymous.get(f"/public/take-it-down/{request_id}", headers={"Requester-Token": "x" * 43})
        unknown = anonymous.get("/public/take-it-down/nope", headers={"Requester-Token": token})
        assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
        assert anonymous.get(f"/public/take-it-down/{request_id}").status_code == 422  # no token

        invalid = anonymous.post("/public/take-it-down", json={**_body(), "good_faith_statement": False})
        assert invalid.status_code == 422 and "good_faith_statement (must be true)" in invalid.json()["error"]["missing"]
        assert anonymous.post("/public/take-it-down", json={**_body(), "regime": "uk_osa"}).status_code == 422
        for _ in range(2):
            assert anonymous.post("/public/take-it-down", json=_body()).status_code == 201
        limited = anonymous.post("/public/take-it-down", json=_body())
        assert limited.status_code == 429 and limited.headers["retry-after"] == "3600"
        assert limited.json()["error"]["code"] == "rate_limited"
        assert anonymous.post("/public/take-it-down", content=b"x" * 70_000,
                              headers={"Content-Type": "application/json"}).status_code == 413
        assert anonymous.get(f"/v1/notices/{request_id}/outcome").status_code == 401  # the v1 view needs a key

    with public_server.client("service") as platform:
        relayed_view = platform.get(f"/v1/notices/{request_id}/outcome").json()
        assert relayed_view["request_id"] == request_id and relayed_view["items"][0]["case_id"] >= 1
    with public_server.store.transaction() as session:
        actors = set(session.scalars(select(AuditRecordRow.actor).where(AuditRecordRow.kind == "notice.received")))
    assert len(actors) == 1 and next(iter(actors)).startswith("public:") and "127.0.0.1" not in next(iter(actors))


def test_open_requests_do_not_starve_complete_ones(service: CaseService, receiver: Receiver,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(take_it_down, "_BATCH", 1)  # one request per page: paging must go on
    for i in range(3):
        take_it_down.submit_public(service, tid_notice(f"open-{i}"), client="c1", policy=OPEN)
    done = [take_it_down.submit_public(service, tid_notice(f"done-{i}"), client="c2", policy=OPEN) for i in range(2)]
    for receipt in done:
        _decide(service, receipt["cases"][0]["case_id"], "no_action", "Not an intimate image.")
    assert take_it_down.deliver_outcomes(service) == 2
    assert sorted(h.body["data"]["request_id"] for h in receiver.delivered("notify.requester")) == \
        sorted(r["request_id"] for r in done)
