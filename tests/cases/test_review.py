"""Triage order, screening escalations becoming cases, claims and leases, decisions, appeals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from genguard.cases.service import CaseService
from genguard.cases.settings import REUPLOAD_BANK, CaseSettings, CaseSettingsError
from genguard.errors import Conflict, RequestError
from genguard.store.db import Store
from genguard.escalations.tables import EscalationRow
from tests.cases.helpers import FakeClock, take_it_down, uk


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(store: Store, clock: FakeClock) -> CaseService:
    return CaseService(store, clock=clock)


def _open(service: CaseService, notice) -> int:  # noqa: ANN001
    return service.submit_notice(notice, actor="t")["cases"][0]["case_id"]


def test_queue_puts_child_safety_first_then_bank_signal_then_trust(service: CaseService) -> None:
    other = _open(service, uk("other", reporter_type="trusted_flagger"))
    intimate_user = _open(service, uk("intimate_image_abuse", platform_id="p2"))
    intimate_flagger = _open(service, uk("intimate_image_abuse", reporter_type="trusted_flagger", platform_id="p3"))
    child = _open(service, uk("child_sexual_abuse", platform_id="p4"))
    assert [c["id"] for c in service.list_cases(order="queue")] == [child, intimate_flagger, intimate_user, other]
    assert service.claim("rev")["id"] == child


def test_screening_escalations_open_cases_once(store: Store, service: CaseService) -> None:
    with store.transaction() as session:
        session.add(EscalationRow(reason="SEXUALISED_MINOR", payload={
            "request_id": "req-9", "kind": "edit", "account": "acct-9", "reasons": ["SEXUALISED_MINOR"],
            "rule": "minor.edit_source"}))
        session.add(EscalationRow(reason="BANK_RETRO_MATCH", payload={"bank": REUPLOAD_BANK, "ref": "x"}))
    opened = service.ingest_escalations()
    assert len(opened) == 1 and service.ingest_escalations() == []
    case = service.get(opened[0])
    assert case["category"] == "child_sexual_abuse" and case["source"] == "screening"
    assert case["clock"] == "csam_without_delay" and case["account"] == "acct-9"
    assert case["signals"]["rule"] == "minor.edit_source"
    with store.transaction() as session:
        assert sorted(e.status for e in session.query(EscalationRow)) == ["cased", "linked"]


def test_claims_are_exclusive_until_the_lease_ends(service: CaseService, clock: FakeClock) -> None:
    case_id = _open(service, take_it_down())
    assert service.claim("alice")["id"] == case_id
    assert service.claim("bob") is None
    with pytest.raises(Conflict):
        service.claim("bob", case_id)
    with pytest.raises(Conflict):
        service.decide(case_id, "bob", "remove", explanation="x")
    clock.advance(minutes=31)  # alice's lease ran out
    assert service.claim("bob")["id"] == case_id
    with pytest.raises(Conflict):
        service.decide(case_id, "alice", "remove", explanation="x")


def test_escalate_returns_the_case_to_the_queue_higher(service: CaseService) -> None:
    case_id = _open(service, uk("other"))
    before = service.claim("alice")["priority"]
    after = service.decide(case_id, "alice", "escalate", explanation="needs a specialist")
    assert after["status"] == "open" and after["priority"] == before + 500 and after["claimed_by"] is None


def test_decision_input_is_checked(service: CaseService) -> None:
    case_id = _open(service, uk("intimate_image_abuse"))
    service.claim("alice")
    for kwargs in ({"decision": "delete"}, {"decision": "mandatory_report"}, {"decision": "remove", "ground": "vibes"}):
        with pytest.raises(RequestError):
            service.decide(case_id, "alice", kwargs.pop("decision"), explanation="x", **kwargs)
    with pytest.raises(RequestError):
        service.decide(case_id, "alice", "remove", explanation="  ")


def test_removal_records_a_strike_and_reversal_lifts_it(service: CaseService) -> None:
    case_id = _open(service, uk("intimate_image_abuse"))
    service.claim("alice")
    service.decide(case_id, "alice", "remove", explanation="shared without consent")
    service.work()
    assert service.strikes("acct-1") == 1
    appeal = service.file_appeal(case_id, "acct-1", "consented", actor="svc")
    with pytest.raises(Conflict):
        service.file_appeal(case_id, "acct-1", "again", actor="svc")
    service.decide_appeal(appeal["id"], "bob", "reversed", explanation="consent shown")
    assert service.strikes("acct-1") == 0 and service.get(case_id)["status"] == "reinstated"


def test_upheld_appeal_keeps_the_decision(service: CaseService) -> None:
    case_id = _open(service, uk("intimate_image_abuse"))
    service.claim("alice")
    service.decide(case_id, "alice", "remove", explanation="x")
    service.work()
    appeal = service.file_appeal(case_id, "acct-1", "mine", actor="svc")
    assert service.decide_appeal(appeal["id"], "bob", "upheld", explanation="no consent")["status"] == "upheld"
    assert service.get(case_id)["status"] == "decided" and service.strikes("acct-1") == 1


def test_reversed_no_action_goes_back_to_the_queue(service: CaseService) -> None:
    case_id = _open(service, uk("intimate_image_abuse"))
    service.claim("alice")
    service.decide(case_id, "alice", "no_action", explanation="not intimate")
    with pytest.raises(RequestError):
        service.file_appeal(case_id, "someone-else", "x", actor="svc")
    appeal = service.file_appeal(case_id, "reporter", "it is me", actor="svc")
    service.decide_appeal(appeal["id"], "bob", "reversed", explanation="it is intimate")
    assert service.get(case_id)["status"] == "open" and service.claim("carol")["id"] == case_id


def test_appeal_window(store: Store, clock: FakeClock) -> None:
    with pytest.raises(CaseSettingsError):
        CaseSettings(appeal_window=timedelta(days=90))
    service = CaseService(store, settings=CaseSettings(appeal_window=timedelta(days=200)), clock=clock)
    case_id = _open(service, uk("intimate_image_abuse"))
    service.claim("alice")
    service.decide(case_id, "alice", "remove", explanation="x")
    clock.advance(days=201)
    with pytest.raises(Conflict) as info:
        service.file_appeal(case_id, "acct-1", "late", actor="svc")
    assert info.value.code == "appeal_window_closed"
