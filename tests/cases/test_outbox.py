"""Webhooks the platform does not acknowledge stay in the outbox and are retried by the tick;
the removal (and the clock) completes only when the platform acknowledges it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from genguard.cases.service import CaseService
from genguard.cases.webhooks import WebhookSender
from genguard.store.db import Store
from genguard.audit.tables import AuditRecordRow
from tests.cases.conftest import SECRET, Receiver
from tests.cases.helpers import FakeClock, take_it_down, uk


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(store: Store, receiver: Receiver, clock: FakeClock) -> CaseService:
    sender = WebhookSender(url=receiver.url, secret=SECRET, attempts=5, backoff_s=0, clock=clock)
    return CaseService(store, sender=sender, clock=clock)


def _removed(service: CaseService) -> dict:
    case_id = service.submit_notice(take_it_down(), actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "remove", explanation="valid request")
    service.work()  # the case worker's round
    return service.get(case_id)


def test_pending_removal_is_retried_until_acknowledged(service: CaseService, clock: FakeClock,
                                                       receiver: Receiver) -> None:
    receiver.fail_first = 7
    case = _removed(service)
    assert case["removed_at"] is None and case["clock_state"] == "running"
    [hook] = [w for w in case["webhooks"] if w["event"] == "content.remove"]
    assert hook["status"] == "pending" and hook["attempts"] == 5
    clock.advance(seconds=30)
    assert service.tick()["redelivered"] == 0  # not due yet (60 s after the first round)
    clock.advance(seconds=31)
    assert service.tick()["redelivered"] >= 1
    after = service.get(case["id"])
    assert after["removed_at"] == clock.now.isoformat() and after["clock_state"] == "stopped"
    [hook] = [w for w in after["webhooks"] if w["event"] == "content.remove"]
    assert hook["status"] == "delivered" and hook["attempts"] == 8
    assert receiver.attempts()[f"case-{case['id']}-remove"] == 8  # one key across all attempts
    assert service.tick()["redelivered"] == 0  # nothing left


def test_a_refusal_is_final(service: CaseService, clock: FakeClock, receiver: Receiver) -> None:
    receiver.fail_first, receiver.refuse = 99, True
    case = _removed(service)
    [hook] = [w for w in case["webhooks"] if w["event"] == "content.remove"]
    assert hook["status"] == "failed" and hook["attempts"] == 1 and hook["last_error"] == "rejected"
    clock.advance(hours=2)
    service.tick()
    assert receiver.attempts()[f"case-{case['id']}-remove"] == 1 and service.get(case["id"])["removed_at"] is None


def test_child_abuse_removal_preserves_evidence_and_withholds_the_uploader_notice(
        service: CaseService, store: Store, receiver: Receiver, tmp_path: Path) -> None:
    service.settings = replace(service.settings, reports_dir=tmp_path)
    notice = uk("child_sexual_abuse", reporter_type="hotline", hotline="IWF")
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "mandatory_report", explanation="known CSAM, hotline referral")
    service.work()
    [removal] = receiver.delivered("content.remove")
    assert removal.body["data"]["preserve_evidence"] is True
    assert receiver.delivered("notify.uploader") == []  # no tip-off
    with store.transaction() as session:
        withheld = session.scalars(select(AuditRecordRow).where(AuditRecordRow.kind == "notification.withheld")).all()
    assert [r.payload["case_id"] for r in withheld] == [case_id]
    other = service.submit_notice(take_it_down("p2", account="acct-2"), actor="t")["cases"][0]["case_id"]
    service.claim("alice", other)
    service.decide(other, "alice", "remove", explanation="valid request")
    service.work()
    assert [h.body["data"]["preserve_evidence"] for h in receiver.delivered("content.remove")] == [True, False]
    assert [h.body["data"]["case_id"] for h in receiver.delivered("notify.uploader")] == [other]
