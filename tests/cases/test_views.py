"""The case service's views: typed, frozen, the API's JSON exactly, and the read models the
console pages use instead of the tables (history, appeals, queue sizes, metrics)."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from genguard.cases.service import CaseService
from genguard.cases import views
from genguard.cases.views import (Appeal, AppealItem, Case, CaseMetrics, CaseSummary, Content, HistoryRecord,
                                  QueueSize, TakedownProgress, TickDone, WorkDone)
from genguard.errors import NotFound
from genguard.store.db import Store
from genguard.escalations.tables import EscalationRow
from tests.cases.helpers import FakeClock, uk
from tests.cases.helpers import take_it_down as tid


@pytest.fixture
def service(store: Store) -> CaseService:
    return CaseService(store, clock=FakeClock())


def _open(service: CaseService, notice) -> int:  # noqa: ANN001
    return int(service.submit_notice(notice, actor="t")["cases"][0]["case_id"])


VIEWS = [v for v in vars(views).values()
         if isinstance(v, type) and dataclasses.is_dataclass(v) and issubclass(v, views.View)]


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.__name__)
def test_every_view_is_frozen_slotted_and_fully_typed(view: type) -> None:
    assert view.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert "__slots__" in view.__dict__
    hints = typing.get_type_hints(view, vars(views))
    assert all(f.name in hints and hints[f.name] is not typing.Any for f in dataclasses.fields(view))


def test_a_case_is_a_frozen_typed_view_with_the_api_json(service: CaseService) -> None:
    case_id = _open(service, tid())
    case = service.get(case_id)
    assert isinstance(case, Case) and isinstance(case.content, Content)
    assert isinstance(case.takedown, TakedownProgress) and case.copies == [] and case.appeals == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.status = "decided"  # type: ignore[misc]
    with pytest.raises(TypeError):  # the mapping form reads, never writes
        case["status"] = "decided"  # type: ignore[index]
    body = case.to_json()
    assert body["content"] == {"platform_id": "post-1", "url": None, "sha256": None, "md5": None, "pdq": None}
    assert body["notice"]["id"] == case.notice_id and body["takedown"]["steps"] == []
    assert body["status"] == case["status"] == case.status == "open"
    summary = service.list_cases()[0]
    assert isinstance(summary, CaseSummary) and not isinstance(summary, Case)
    assert set(summary.to_json()) == set(summary) and "takedown" not in summary


def test_a_case_without_a_notice_sends_no_notice_key(store: Store, service: CaseService) -> None:
    """Screening cases have no notice: the API never sent ``"notice": null`` for them."""
    with store.transaction() as session:
        session.add(EscalationRow(reason="SEXUALISED_MINOR", payload={
            "request_id": "req-1", "kind": "edit", "account": "acct-1", "reasons": ["SEXUALISED_MINOR"]}))
    [case_id] = service.ingest_escalations()
    case = service.get(case_id)
    assert case.notice is None and "notice" not in case.to_json() and case.to_json()["source"] == "screening"


def test_history_is_the_case_audit_trail_oldest_first(service: CaseService) -> None:
    case_id = _open(service, uk("intimate_image_abuse"))
    service.claim("alice", case_id)
    service.release(case_id, "alice")
    history = service.history(case_id)
    assert all(isinstance(r, HistoryRecord) for r in history)
    assert [r.kind for r in history] == ["case.opened", "case.claimed", "case.released"]
    assert [r.seq for r in history] == sorted(r.seq for r in history)
    assert history[1].actor == "alice" and history[1].payload["case_id"] == case_id
    with pytest.raises(NotFound):
        service.history(case_id + 100)


def test_appeals_list_puts_open_ones_first(service: CaseService) -> None:
    first, second = _open(service, uk("intimate_image_abuse")), _open(service, uk("other", platform_id="p2"))
    for case_id in (first, second):
        service.claim("alice", case_id)
        service.decide(case_id, "alice", "no_action", explanation="not intimate")
    filed = [service.file_appeal(c, "reporter", "it is me", actor="svc") for c in (first, second)]
    assert all(isinstance(a, Appeal) for a in filed)
    service.decide_appeal(filed[0].id, "bob", "upheld", explanation="checked")
    listed = service.appeals()
    assert all(isinstance(a, AppealItem) for a in listed)
    assert [(a.id, a.status) for a in listed] == [(filed[1].id, "open"), (filed[0].id, "upheld")]
    assert listed[0].grounds == "it is me" and listed[1].decided_by == "bob"


def test_queue_sizes_metrics_and_work_results(service: CaseService) -> None:
    _open(service, uk("other"))
    _open(service, uk("child_sexual_abuse", platform_id="p2"))
    _open(service, uk("other", platform_id="p3"))
    assert service.queue_sizes() == [QueueSize("child_sexual_abuse", 1), QueueSize("other", 2)]
    metrics = service.case_metrics()
    assert isinstance(metrics, CaseMetrics) and sum(metrics.open_by_clock.values()) == 3
    assert metrics.prometheus() == service.metrics() and "genguard_cases_overdue 0" in service.metrics()
    assert service.work() == WorkDone(0, 0)
    tick = service.tick()
    assert isinstance(tick, TickDone)
    assert tick.to_json() == {"opened": [], "alerts": [], "jobs": 0, "redelivered": 0, "outcomes": 0}


def test_receipts_status_and_outcomes_are_views(service: CaseService) -> None:
    from genguard.cases import intake, take_it_down
    from genguard.cases.views import CaseDue, CopyCounts, NoticeReceipt, NoticeStatus, Outcome, OutcomeItem

    first = intake.submit_notice(service, tid("post-9"), actor="t", idempotency_key="k-1")
    again = intake.submit_notice(service, tid("post-9"), actor="t", idempotency_key="k-1")
    assert isinstance(first.body, NoticeReceipt) and isinstance(first.body.cases[0], CaseDue)
    assert again.replayed and again.body == first.body  # read back from the stored JSON, field for field
    status = intake.notice_status(service, first.body.notice_id)
    assert isinstance(status, NoticeStatus) and status.cases[0].status == "open" and status.cases[0].decision is None
    outcome = take_it_down.outcome(service, first.body.notice_id)
    assert isinstance(outcome, Outcome) and not outcome.complete
    [item] = outcome.items
    assert isinstance(item, OutcomeItem) and item.outcome == "pending" and item.copies == CopyCounts(0, 0, 0, 0)
    assert outcome.to_json()["items"][0]["copies"] == {"found": 0, "removed": 0, "cannot_notify": 0,
                                                       "removed_within_48h": 0}


def test_the_public_receipt_and_a_takedown_retry_are_views(service: CaseService) -> None:
    from genguard.cases import take_it_down, takedown
    from genguard.cases.take_it_down import PublicIntakePolicy
    from genguard.cases.views import CaseDue, DeliveryReport, PublicReceipt

    receipt = take_it_down.submit_public(service, tid("post-7"), client="c1", policy=PublicIntakePolicy(enabled=True))
    assert isinstance(receipt, PublicReceipt) and isinstance(receipt.cases[0], CaseDue)
    assert receipt.request_id == receipt.notice_id and len(receipt.requester_token) >= 40
    assert receipt.requester_token not in repr(receipt)  # shown once, in the answer, never in a log line
    with pytest.raises(dataclasses.FrozenInstanceError):
        receipt.requester_token = "x"  # type: ignore[misc]
    body = receipt.to_json()  # the JSON the receipt always was: the notice's receipt, then id and token
    assert list(body) == ["notice_id", "received_at", "digest", "regime", "cases", "request_id", "requester_token"]
    assert body["cases"] == [{"case_id": receipt.cases[0].case_id, "clock": receipt.cases[0].clock,
                              "due_at": receipt.cases[0].due_at}]
    public = take_it_down.for_requester(body)  # what the anonymous requester gets: no case ids
    assert list(public) == ["received_at", "digest", "regime", "request_id", "requester_token", "items"]
    assert public["items"] == [{"clock": receipt.cases[0].clock, "due_at": receipt.cases[0].due_at}]

    case_id = receipt.cases[0].case_id
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "remove", explanation="Intimate image shared without consent.")
    service.work()  # the removal webhook goes nowhere: no platform endpoint is configured
    report = takedown.retry(service, case_id)
    assert isinstance(report, DeliveryReport)
    assert report.to_json() == {"event": "content.remove", "idempotency_key": f"case-{case_id}-remove",
                                "delivered": False, "attempts": report.attempts, "status": None,
                                "error": report.error, "delivered_at": None}
    assert report.error and report["delivered"] is False
