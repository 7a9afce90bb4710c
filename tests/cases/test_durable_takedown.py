"""A takedown of 1,000 copies survives ``kill -9`` of its worker mid-sweep and finishes exactly once.

Real parts only: the ``genguard worker`` command in a subprocess on the test's database file
(SQLite, and PostgreSQL when ``GENGUARD_TEST_POSTGRES_URL`` is set), a real loopback webhook
receiver that records every request, SIGKILL, a restart. A platform acts on the first delivery
of an ``Idempotency-Key`` (the documented contract); a request the killed worker had sent but not
yet recorded is sent again with the same key, so the receiver may see it twice, never act twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from genguard.banks.retro import record_seen
from genguard.banks.service import BankService
from genguard.cases import jobs
from genguard.cases.notices import Notice
from genguard.cases.service import CaseService
from genguard.store.db import Store
from genguard.audit.tables import AuditRecordRow
from genguard.cases.tables import CaseCopyRow
from genguard.store.base import utcnow
from tests.cases.conftest import SECRET, Hit, Receiver

SHA, MD5 = "7c" * 32, "3d" * 16
COPIES = 1000
NO_ID = 2  # seen copies without a platform id: linked, never sent a removal webhook
ROOT = Path(__file__).resolve().parents[2]


def _worker(database_url: str, home: Path, receiver: Receiver) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GENGUARD_DATABASE_URL": database_url, "GENGUARD_HOME": str(home),
           "GENGUARD_WEBHOOK_URL": receiver.url, "GENGUARD_WEBHOOK_SECRET": SECRET.decode(),
           "GENGUARD_JOB_LEASE_S": "3", "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen([sys.executable, "-c", "from genguard.cli.main import app; app()", "worker",
                             "--interval", "1"], env=env, cwd=ROOT, stderr=subprocess.PIPE)


def _wait(condition: Callable[[], bool], timeout: float, what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"worker exited ({proc.returncode}) before {what}: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def _progress(store: Store, case_id: int) -> dict:
    """The case's takedown progress alone (the full case view lists every copy: too heavy to poll)."""
    with store.transaction() as session:
        return jobs.progress(session, case_id)


def _copy_hits(receiver: Receiver) -> list[Hit]:
    return [h for h in list(receiver.hits) if h.event == "content.remove" and "copy_of" in h.body["data"]]


def test_kill_9_mid_sweep_then_restart_removes_each_copy_exactly_once(
        database_url: str, store: Store, receiver: Receiver, tmp_path: Path) -> None:
    home = tmp_path / "home"
    banks = BankService(store, snapshot_path=home / "banks" / "pdq.idx")
    svc = CaseService(store, banks=banks)  # the reviewer's side: records decisions, sends nothing
    with store.transaction(write_lock=True) as session:
        for i in range(COPIES + NO_ID):
            record_seen(session, source="upload", ref=f"copy-{i:04d}" if i < COPIES else None, sha256=SHA, md5=MD5,
                        pdq=None, pdq_quality=None, now=utcnow())
    notice = Notice.model_validate({"regime": "uk_osa", "reporter_type": "victim", "category": "intimate_image_abuse",
                                    "items": [{"platform_id": "orig", "account": "acct", "sha256": SHA}]})
    case_id = svc.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    svc.claim("alice", case_id)
    decided = svc.decide(case_id, "alice", "remove", explanation="shared without consent")
    assert decided["takedown"]["steps"] and receiver.hits == []  # the decision only enqueued

    first = _worker(database_url, home, receiver)
    try:
        _wait(lambda: len(_copy_hits(receiver)) >= 300, 240, "300 copy removals", first)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    at_kill = _progress(store, case_id)
    assert first.returncode == -signal.SIGKILL
    assert 0 < at_kill["copies_removed"] < COPIES and not at_kill["done"]  # killed mid-sweep

    second = _worker(database_url, home, receiver)
    try:
        _wait(lambda: _progress(store, case_id)["done"], 300, "the takedown to finish", second)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    case = svc.get(case_id)
    progress = case["takedown"]
    assert (progress["copies_found"], progress["copies_removed"], progress["copies_cannot_notify"]) == (
        COPIES + NO_ID, COPIES, NO_ID)
    assert [c["cannot_notify"] for c in case["copies"] if c["ref"] is None] == ["cannot notify: no platform id"] * NO_ID
    assert case["removed_at"] is not None  # the item itself, acknowledged

    # The platform: every copy asked for once per key, each removed once (first delivery of a key).
    hits = _copy_hits(receiver)
    assert all(h.signed for h in receiver.hits)
    assert all(h.body["data"]["content"]["platform_id"] for h in receiver.hits if h.event == "content.remove")
    with store.transaction() as session:
        seen_ids = {c.seen_id: c.ref for c in session.scalars(select(CaseCopyRow).where(CaseCopyRow.case_id == case_id))}
    expected = {f"case-{case_id}-copy-{seen}" for seen, ref in seen_ids.items() if ref is not None}
    assert {h.key for h in hits} == expected
    acted: dict[str, str] = {}
    for h in hits:
        if h.status == 200:
            acted.setdefault(h.key, h.body["data"]["content"]["platform_id"])
    assert sorted(Counter(acted.values()).values()) == [1] * COPIES
    assert sorted(acted.values()) == [f"copy-{i:04d}" for i in range(COPIES)]
    assert len(hits) - COPIES <= 1  # at most the one request in flight at the kill, same key

    # The audit trail: each copy found once and removed once; the kill and the resumption on record.
    with store.transaction() as session:
        kinds = Counter()
        removed: Counter[int] = Counter()
        for kind, payload in session.execute(select(AuditRecordRow.kind, AuditRecordRow.payload)
                                             .where(AuditRecordRow.subject == f"case:{case_id}")):
            kinds[kind] += 1
            if kind == "takedown.copy_removed":
                removed[payload["copy_id"]] += 1
    assert kinds["takedown.copy_found"] == COPIES + NO_ID and kinds["takedown.copy_cannot_notify"] == NO_ID
    assert len(removed) == COPIES and set(removed.values()) == {1}
    assert kinds["case.removed"] == 1 and svc.strikes("acct") == 1
    assert kinds["job.lease_expired"] >= 1  # the sweep the killed worker held was taken up again
    assert kinds["job.done"] == len(progress["steps"]) == 4  # remove, bank, sweep, notify: once each
