"""Takedown through the banks service: re-upload bank, PDQ copy sweep, a second case of the same
hash, reversal unbanking, and the webhook target configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

from genguard.banks.matching import Query
from genguard.banks.service import BankService
from genguard.cases.notices import Notice
from genguard.cases.service import CaseService
from genguard.cases.settings import REUPLOAD_BANK
from genguard.cases.webhooks import WebhookConfigError, WebhookSender
from genguard.store.db import Store
from tests.cases.conftest import SECRET, Receiver

SHA = "5a" * 32
PDQ = "f0e1d2c3b4a59687" * 4


def _flip(hex_code: str, bits: int) -> str:
    """``hex_code`` with its first ``bits`` bits inverted (a PDQ at Hamming distance ``bits``)."""
    value = int(hex_code, 16) ^ (((1 << bits) - 1) << (256 - bits))
    return f"{value:064x}"


@pytest.fixture
def banks(store: Store, tmp_path: Path) -> BankService:
    return BankService(store, snapshot_path=tmp_path / "pdq.idx")


@pytest.fixture
def service(store: Store, banks: BankService, receiver: Receiver) -> CaseService:
    return CaseService(store, banks=banks, sender=WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0))


def _seen(banks: BankService, ref: str, *, sha256: str = "00" * 32, pdq: str | None = None) -> None:
    banks.record_seen(source="upload", ref=ref, sha256=sha256, md5="0" * 32, pdq=pdq, pdq_quality=100 if pdq else None)


def _remove(service: CaseService, platform_id: str, **hashes: str) -> dict:
    notice = Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim", "category": "intimate_image_abuse",
                                    "items": [{"platform_id": platform_id, "account": "acct", **hashes}]})
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    decided = service.decide(case_id, "alice", "remove", explanation="not consensual")
    assert decided["copies"] == [] and not decided["takedown"]["done"]  # the request only enqueues
    service.work()
    return service.get(case_id)


def test_pdq_sweep_finds_near_copies_only(service: CaseService, banks: BankService) -> None:
    _seen(banks, "near", pdq=_flip(PDQ, 8))
    _seen(banks, "far", pdq=_flip(PDQ, 64))
    case = _remove(service, "orig", pdq=PDQ)
    assert [(c["ref"], c["signal_type"], c["distance"]) for c in case["copies"]] == [("near", "pdq", 8)]
    assert banks.lookup(Query(pdq=[("original", PDQ)], pdq_quality=100)).matches[0].bank.name == REUPLOAD_BANK


def test_a_second_case_of_a_banked_hash_sweeps_again(service: CaseService, banks: BankService) -> None:
    _seen(banks, "copy-1", sha256=SHA)
    first = _remove(service, "orig", sha256=SHA)
    assert [c["ref"] for c in first["copies"]] == ["copy-1"]
    _seen(banks, "copy-2", sha256=SHA)  # seen after the first sweep
    second = _remove(service, "orig-2", sha256=SHA)
    assert [c["ref"] for c in second["copies"]] == ["copy-2"]  # copy-1 was removed already


def test_reversal_unbanks_the_hashes(service: CaseService, banks: BankService) -> None:
    case = _remove(service, "orig", sha256=SHA)
    assert banks.lookup(Query(sha256=SHA)).matches
    appeal = service.file_appeal(case["id"], "acct", "mine", actor="svc")
    service.decide_appeal(appeal["id"], "bob", "reversed", explanation="consent shown")
    assert banks.lookup(Query(sha256=SHA)).matches  # the reinstatement is the worker's step
    service.work()
    assert banks.lookup(Query(sha256=SHA)).matches == []


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
    assert case["copies"] == [] and banks.lookup(Query(sha256=SHA)).matches == []
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
