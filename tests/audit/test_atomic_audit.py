"""A state change and its audit record commit together: a failure while writing the record
(a crash, a lost connection) leaves neither, so the trail never undercounts (issue 15, #2)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import genguard.audit.chain as chain
from genguard.auth.keys import create_key, list_keys, revoke_key
from genguard.vocabulary import Role
from genguard.banks.formats.records import SignalType
from genguard.banks.model import BankKind
from genguard.banks.service import BankService
from genguard.cases.service import CaseService
from genguard.store.db import Store
from genguard.audit.tables import AuditRecordRow
from genguard.cases.tables import CaseRow, NoticeRow
from tests.cases.helpers import FakeClock, uk


class Crash(Exception):
    """Stands for the process dying between the change and its record."""


@pytest.fixture
def crash_on_audit(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """Makes the next audit append fail after the change it records was written."""

    def arm() -> None:
        def fail(*_: object, **__: object) -> str:
            raise Crash("the process died while writing the audit record")

        monkeypatch.setattr(chain, "record_digest", fail)

    return arm


def _count(store: Store, model: type) -> int:
    with store.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_notice_and_its_cases_are_not_stored_without_their_records(store: Store, crash_on_audit) -> None:  # noqa: ANN001
    svc = CaseService(store, clock=FakeClock())
    crash_on_audit()
    with pytest.raises(Crash):
        svc.submit_notice(uk("intimate_image_abuse"), actor="key:1")
    assert (_count(store, NoticeRow), _count(store, CaseRow), _count(store, AuditRecordRow)) == (0, 0, 0)


def test_a_claim_is_not_held_without_its_record(store: Store, monkeypatch: pytest.MonkeyPatch, crash_on_audit) -> None:  # noqa: ANN001
    svc = CaseService(store, clock=FakeClock())
    case_id = svc.submit_notice(uk("intimate_image_abuse"), actor="key:1")["cases"][0]["case_id"]
    crash_on_audit()
    with pytest.raises(Crash):
        svc.claim("reviewer-a", case_id)
    monkeypatch.undo()
    assert svc.get(case_id)["claimed_by"] is None


def test_keys_and_bank_entries_are_not_stored_without_their_records(store: Store, crash_on_audit) -> None:  # noqa: ANN001
    banks = BankService(store, poll_s=0.0)
    banks.create_bank("b", BankKind.INTERNAL_BLOCKED, actor="key:1")
    key = create_key(store, Role.SERVICE, "svc", actor="key:1")
    records = _count(store, AuditRecordRow)
    crash_on_audit()
    with pytest.raises(Crash):
        banks.add_entry("b", SignalType.MD5, "0" * 32, actor="key:1")
    with pytest.raises(Crash):
        create_key(store, Role.SERVICE, "second", actor="key:1")
    with pytest.raises(Crash):
        revoke_key(store, key.key_id, actor="key:1")
    assert banks.entries("b") == []
    assert [k.name for k in list_keys(store)] == ["svc"] and list_keys(store)[0].revoked_at is None
    assert _count(store, AuditRecordRow) == records


def test_an_escalating_verdict_is_recorded_with_its_escalation_or_not_at_all(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The verdict's record and the escalation that opens a case commit together: a crash after
    the record used to leave an escalating verdict that no case would ever follow."""
    from genguard.request import Request, RequestKind
    from genguard.screening.actions import Actions
    from genguard.escalations.tables import EscalationRow
    from genguard.verdict import Decision, Verdict

    def escalating() -> Verdict:
        return Verdict(kind="generate", decision=Decision.BLOCK, reasons=["SEXUALISED_MINOR"], rule="r",
                       policy="uk-osa", escalate=True)

    actions = Actions(store)
    request = Request(id="req-1", kind=RequestKind.GENERATE, prompt="text")
    real_add = store.sessions.class_.add

    def failing_add(session, row, *args, **kwargs):  # noqa: ANN001, ANN202 - the crash, at the escalation
        if isinstance(row, EscalationRow):
            raise Crash("the process died before the escalation was written")
        return real_add(session, row, *args, **kwargs)

    monkeypatch.setattr(store.sessions.class_, "add", failing_add)
    with pytest.raises(Crash):
        actions.record(request, escalating(), actor="svc", prompt_sha256="0" * 64)
    monkeypatch.undo()
    assert (_count(store, AuditRecordRow), _count(store, EscalationRow)) == (0, 0)
    recorded = actions.record(request, escalating(), actor="svc", prompt_sha256="0" * 64)
    assert recorded.audit_seq == 1 and _count(store, EscalationRow) == 1
