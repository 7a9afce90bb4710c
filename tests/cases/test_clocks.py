"""Statutory clocks under a controllable clock: escalation, breach, pauses, alerts sent once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from genguard.cases.clocks import ClockPolicy, ClockState, ClockView, PauseReason
from genguard.cases.notices import Category, Regime
from genguard.cases.service import CaseService
from genguard.cases.settings import CaseSettings
from genguard.cases.webhooks import WebhookSender
from genguard.errors import Conflict
from genguard.store.db import Store
from tests.cases.conftest import SECRET, Receiver
from tests.cases.helpers import T0, FakeClock, take_it_down, uk


def test_budgets_per_regime_and_category() -> None:
    policy = ClockPolicy(csam_target_h=2)
    assert policy.budget(Regime.TAKE_IT_DOWN, Category.INTIMATE_IMAGE_ABUSE) == ("take_it_down_48h", timedelta(hours=48))
    assert policy.budget(Regime.UK_OSA, Category.AI_GENERATED_INTIMATE_IMAGE)[0] == "uk_intimate_image_48h"
    assert policy.budget(Regime.DSA, Category.CHILD_SEXUAL_ABUSE) == ("csam_without_delay", timedelta(hours=2))
    assert policy.budget(Regime.UK_OSA, Category.OTHER) == ("operator_target", timedelta(hours=72))
    assert not policy.pausable(Regime.TAKE_IT_DOWN) and policy.pausable(Regime.UK_OSA)


def test_clock_view_arithmetic() -> None:
    view = ClockView(T0, timedelta(hours=48), timedelta(hours=5), T0 + timedelta(hours=30))
    now = T0 + timedelta(hours=40)
    assert view.elapsed(now) == timedelta(hours=25)  # 40 h wall, 5 h earlier pause, 10 h paused now
    assert view.due_at(now) == T0 + timedelta(hours=48 + 5 + 10)
    assert view.state(now, 0.75) is ClockState.PAUSED
    stopped = ClockView(T0, timedelta(hours=1), timedelta(0), None, T0 + timedelta(minutes=30))
    assert stopped.elapsed(T0 + timedelta(days=9)) == timedelta(minutes=30)
    assert stopped.state(T0 + timedelta(days=9), 0.75) is ClockState.STOPPED


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(store: Store, receiver: Receiver, clock: FakeClock) -> CaseService:
    sender = WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0.0, clock=clock)
    return CaseService(store, settings=CaseSettings(clocks=ClockPolicy(csam_target_h=1)), sender=sender, clock=clock)


def test_escalation_then_breach_each_alerted_once(service: CaseService, clock: FakeClock, receiver: Receiver) -> None:
    case_id = service.submit_notice(take_it_down(), actor="t")["cases"][0]["case_id"]
    clock.advance(hours=35)
    assert service.check_clocks() == []
    clock.advance(hours=2)  # 37 h: past 75 % of 48 h
    assert [a["alert"] for a in service.check_clocks()] == ["escalated"]
    assert service.check_clocks() == []  # not twice
    assert service.get(case_id)["clock_state"] == "escalated"
    clock.advance(hours=12)  # 49 h
    assert [a["alert"] for a in service.check_clocks()] == ["breached"]
    assert service.check_clocks() == []
    assert [h.event for h in receiver.delivered()] == ["case.escalated", "case.breached"]
    assert all(h.signed for h in receiver.hits)
    assert "genguard_clock_breaches_total 1" in service.metrics()
    assert "genguard_cases_overdue 1" in service.metrics()
    assert service.get(case_id)["clock_state"] == "breached"


def test_pause_moves_the_due_time_and_is_recorded(service: CaseService, clock: FakeClock) -> None:
    case_id = service.submit_notice(uk("intimate_image_abuse"), actor="t")["cases"][0]["case_id"]
    clock.advance(hours=10)
    paused = service.pause(case_id, PauseReason.LAW_ENFORCEMENT_HOLD, actor="rev")
    assert paused["paused"] and paused["pause_reason"] == "law_enforcement_hold"
    clock.advance(hours=20)
    assert service.check_clocks() == []  # paused: no escalation although 30 h of wall time passed
    view = service.get(case_id)
    assert view["clock_state"] == "paused" and view["clock_elapsed_s"] == 10 * 3600
    resumed = service.resume(case_id, actor="rev")
    assert resumed["due_at"] == (T0 + timedelta(hours=68)).isoformat()
    clock.advance(hours=27)  # 37 h of clock time
    assert [a["alert"] for a in service.check_clocks()] == ["escalated"]
    clock.advance(hours=11)  # 48 h of clock time
    assert [a["alert"] for a in service.check_clocks()] == ["breached"]
    with pytest.raises(Conflict):
        service.resume(case_id, actor="rev")


def test_take_it_down_clock_cannot_pause(service: CaseService) -> None:
    case_id = service.submit_notice(take_it_down(), actor="t")["cases"][0]["case_id"]
    with pytest.raises(Conflict) as info:
        service.pause(case_id, PauseReason.AWAITING_REPORTER, actor="rev")
    assert info.value.code == "clock_not_pausable"


def test_child_abuse_without_delay_target(service: CaseService, clock: FakeClock) -> None:
    notice = uk("child_sexual_abuse", reporter_type="hotline", hotline="IWF")
    case = service.submit_notice(notice, actor="t")["cases"][0]
    assert case["clock"] == "csam_without_delay" and case["due_at"] == (T0 + timedelta(hours=1)).isoformat()
    clock.advance(minutes=46)
    assert [a["alert"] for a in service.check_clocks()] == ["escalated"]
    clock.advance(minutes=15)
    assert [a["alert"] for a in service.check_clocks()] == ["breached"]


def test_an_unacknowledged_removal_keeps_the_clock_running(store: Store, clock: FakeClock) -> None:
    service = CaseService(store, clock=clock)  # no webhook target: nothing can confirm a removal
    case_id = service.submit_notice(take_it_down(), actor="t")["cases"][0]["case_id"]
    service.claim("rev", case_id)
    decided = service.decide(case_id, "rev", "remove", explanation="valid request")
    assert decided["removed_at"] is None and decided["clock_state"] == "running"
    clock.advance(hours=49)
    assert [a["alert"] for a in service.check_clocks()] == ["breached"]
    assert service.get(case_id)["clock_state"] == "breached"


def test_listing_by_due_time(service: CaseService) -> None:
    slow = service.submit_notice(uk("other"), actor="t")["cases"][0]["case_id"]
    fast = service.submit_notice(uk("child_sexual_abuse", platform_id="p2"), actor="t")["cases"][0]["case_id"]
    mid = service.submit_notice(take_it_down("p3"), actor="t")["cases"][0]["case_id"]
    assert [c["id"] for c in service.list_cases(order="due")] == [fast, mid, slow]
