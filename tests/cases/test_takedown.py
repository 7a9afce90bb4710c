"""Takedown through the banks service: re-upload bank, PDQ copy sweep, a second case of the same
hash, reversal unbanking, and the webhook target configuration."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from genguard.banks.matching import HashQuery
from genguard.banks.service import BankService
from genguard.cases.notices import Notice
from genguard.cases.service import CaseService
from genguard.cases.settings import REUPLOAD_BANK, CaseSettings
from genguard.cases.webhooks import WebhookConfigError, WebhookSender
from genguard.store import db
from genguard.audit.tables import AuditRecordRow
from tests.cases.conftest import SECRET, Receiver

SHA = "5a" * 32
PDQ = "f0e1d2c3b4a59687" * 4


def _flip(hex_code: str, bits: int) -> str:
    """``hex_code`` with its first ``bits`` bits inverted (a PDQ at Hamming distance ``bits``)."""
    value = int(hex_code, 16) ^ (((1 << bits) - 1) << (256 - bits))
    return f"{value:064x}"


def _seen(banks: BankService, ref: str, *, sha256: str = "00" * 32, pdq: str | None = None) -> None:
    banks.record_seen(source="upload", ref=ref, sha256=sha256, md5="0" * 32, pdq=pdq, pdq_quality=100 if pdq else None)


def _remove(service: CaseService, platform_id: str, **hashes: str) -> dict:
    notice = Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim", "category": "intimate_image_abuse",
                                    "items": [{"platform_id": platform_id, "account": "acct", **hashes}]})
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    decided = service.decide(case_id, "alice", "remove", explanation="not consensual")
    assert decided["copies"] == [] and not decided["takedown"]["done"]  # the request only enqueues
    assert not decided["takedown"]["settled"]
    service.work()
    case = service.get(case_id)
    assert case["takedown"]["settled"]
    return case


def test_pdq_sweep_finds_near_copies_only(service: CaseService, banks: BankService) -> None:
    _seen(banks, "near", pdq=_flip(PDQ, 8))
    _seen(banks, "far", pdq=_flip(PDQ, 64))
    case = _remove(service, "orig", pdq=PDQ)
    assert [(c["ref"], c["signal_type"], c["distance"]) for c in case["copies"]] == [("near", "pdq", 8)]
    assert banks.lookup(HashQuery.of({"pdq": PDQ}, {"pdq": 100})).matches[0].bank.name == REUPLOAD_BANK


def test_a_second_case_of_a_banked_hash_sweeps_again(service: CaseService, banks: BankService) -> None:
    _seen(banks, "copy-1", sha256=SHA)
    first = _remove(service, "orig", sha256=SHA)
    assert [c["ref"] for c in first["copies"]] == ["copy-1"]
    _seen(banks, "copy-2", sha256=SHA)  # seen after the first sweep
    second = _remove(service, "orig-2", sha256=SHA)
    assert [c["ref"] for c in second["copies"]] == ["copy-2"]  # copy-1 was removed already


def test_reversal_unbanks_the_hashes(service: CaseService, banks: BankService) -> None:
    case = _remove(service, "orig", sha256=SHA)
    assert banks.lookup(HashQuery.of({"sha256": SHA})).matches
    appeal = service.file_appeal(case["id"], "acct", "mine", actor="svc")
    service.decide_appeal(appeal["id"], "bob", "reversed", explanation="consent shown")
    assert banks.lookup(HashQuery.of({"sha256": SHA})).matches  # the reinstatement is the worker's step
    service.work()
    assert banks.lookup(HashQuery.of({"sha256": SHA})).matches == []


def test_a_webhook_target_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENGUARD_WEBHOOK_URL", "https://platform.example/hooks")
    monkeypatch.setenv("GENGUARD_WEBHOOK_SECRET", "short")
    with pytest.raises(WebhookConfigError):
        WebhookSender.from_env()
    monkeypatch.setenv("GENGUARD_WEBHOOK_SECRET", "s" * 32)
    assert WebhookSender.from_env().url == "https://platform.example/hooks"


def test_a_reversal_before_the_sweep_cancels_it(service: CaseService, banks: BankService, receiver: Receiver) -> None:
    _seen(banks, "copy-1", sha256=SHA)
    notice = Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim", "category": "intimate_image_abuse",
                                    "items": [{"platform_id": "orig", "account": "acct", "sha256": SHA}]})
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "remove", explanation="not consensual")
    appeal = service.file_appeal(case_id, "acct", "mine", actor="svc")
    service.decide_appeal(appeal["id"], "bob", "reversed", explanation="consent shown")  # before any step ran
    service.work()
    case = service.get(case_id)
    assert {s["kind"]: s["status"] for s in case["takedown"]["steps"]} == {
        "remove": "cancelled", "bank": "cancelled", "notify": "done", "reinstate": "done"}
    assert case["copies"] == [] and banks.lookup(HashQuery.of({"sha256": SHA})).matches == []
    assert [h.event for h in receiver.hits if h.event.startswith("content.")] == ["content.reinstate"]


def test_a_second_decision_after_a_reversed_no_action_notifies_again(service: CaseService, receiver: Receiver) -> None:
    notice = Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim", "category": "intimate_image_abuse",
                                    "items": [{"platform_id": "orig", "account": "acct"}]})
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "no_action", explanation="not intimate")
    service.work()
    appeal = service.file_appeal(case_id, "reporter", "it is me", actor="svc")
    service.decide_appeal(appeal["id"], "bob", "reversed", explanation="it is intimate")
    service.claim("carol", case_id)
    service.decide(case_id, "carol", "remove", explanation="intimate, no consent")
    service.work()
    uploader = [h.body["data"]["statement"]["decision"] for h in receiver.delivered("notify.uploader")]
    assert uploader == ["no_action", "remove"]


class _BusyNeighbour(WebhookSender):
    """Delivers for real; at the 5th delivery another writer (a raw sqlite3 connection, as
    another process would be) takes the database's write lock for longer than the busy timeout."""

    db_path: str = ""
    released: threading.Event | None = None
    calls: int = 0

    def send(self, event, payload, idempotency_key):  # noqa: ANN001, ANN201 - WebhookSender.send
        self.calls += 1
        if self.calls == 5:
            held = threading.Event()
            threading.Thread(target=self._hold, args=(held,), daemon=True).start()
            held.wait(5)
        return super().send(event, payload, idempotency_key)

    def _hold(self, held: threading.Event) -> None:
        conn = sqlite3.connect(self.db_path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(1.5)
        conn.execute("COMMIT")
        conn.close()
        assert self.released is not None
        self.released.set()


def test_a_locked_database_mid_sweep_delays_the_takedown_but_loses_nothing(
        database_url: str, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reported failure: "database is locked" after 8 of 46 copies, never resumed."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the database-wide write lock is SQLite's")
    monkeypatch.setattr(db, "_SQLITE_BUSY_TIMEOUT_MS", 200)  # give up on the lock quickly
    store = db.open_store(database_url)
    banks = BankService(store, snapshot_path=tmp_path / "pdq.idx")
    sender = _BusyNeighbour(url=receiver.url, secret=SECRET, backoff_s=0)
    sender.db_path, sender.released = database_url.removeprefix("sqlite:///"), threading.Event()
    service = CaseService(store, banks=banks, sender=sender,
                          settings=replace(CaseSettings(), job_lease=timedelta(seconds=1)))
    for i in range(46):
        _seen(banks, f"copy-{i:02d}", sha256=SHA)
    notice = Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim", "category": "intimate_image_abuse",
                                    "items": [{"platform_id": "orig", "account": "acct", "sha256": SHA}]})
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "remove", explanation="not consensual")
    locked = 0
    deadline = time.monotonic() + 60
    while not service.get(case_id)["takedown"]["done"]:
        assert time.monotonic() < deadline
        try:
            service.work()
        except OperationalError as exc:  # the worker loop logs this and polls again
            assert "database is locked" in str(exc)
            locked += 1
            time.sleep(0.2)
    assert sender.released.is_set() and locked >= 1
    progress = service.get(case_id)["takedown"]
    assert progress["copies_found"] == progress["copies_removed"] == 46
    with store.transaction() as session:
        kinds = [r.kind for r in session.scalars(select(AuditRecordRow).where(AuditRecordRow.subject == f"case:{case_id}"))]
    assert kinds.count("takedown.copy_removed") == 46 and kinds.count("takedown.copy_found") == 46
    assert "job.lease_expired" in kinds or "job.retry" in kinds  # the interrupted step was taken up again
    copies = [h for h in receiver.delivered("content.remove") if "copy_of" in h.body["data"]]
    assert {h.body["data"]["content"]["platform_id"] for h in copies} == {f"copy-{i:02d}" for i in range(46)}
    store.close()
