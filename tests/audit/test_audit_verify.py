"""verify() names the kind and place of tampering done with raw SQL, on every backend."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from sqlalchemy import text

from genguard.audit.chain import AuditLog, canonical_json, record_digest
from genguard.audit.verify import Finding, Tamper, verify
from genguard.store.db import Store

# The package re-exports the function ``verify``, which shadows the module of the same name.
verify_module = importlib.import_module("genguard.audit.verify")

N = 10


@pytest.fixture
def log(store: Store) -> AuditLog:
    audit = AuditLog(store)
    for i in range(1, N + 1):
        audit.append("verdict", {"n": i, "decision": "allow"}, actor="svc", subject=f"req-{i}")
    return audit


def _sql(store: Store, statement: str, **params: Any) -> None:
    with store.engine.begin() as conn:
        conn.execute(text(statement), params)


def _findings(store: Store) -> list[tuple[Tamper, int, int]]:
    report = verify(store)
    assert not report.ok
    assert "TAMPERED" in report.summary()
    return [(f.kind, f.seq, f.last_seq) for f in report.findings]


def _forge(log: AuditLog, seq: int, prev_hash: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A record an attacker with database access computes correctly."""
    ts = log.get(1).ts  # type: ignore[union-attr]
    digest = record_digest(prev_hash, seq, ts, "svc", "verdict", "forged", payload)
    return {"seq": seq, "ts": ts, "payload": canonical_json(payload).decode(), "prev": prev_hash, "hash": digest}


def _insert(store: Store, row: dict[str, Any]) -> None:
    _sql(
        store,
        "INSERT INTO audit_records (seq, ts, actor, kind, subject, payload, prev_hash, hash) "
        "VALUES (:seq, :ts, 'svc', 'verdict', 'forged', :payload, :prev, :hash)",
        **row,
    )


def _swap(store: Store, a: int, b: int) -> None:
    _sql(store, "UPDATE audit_records SET seq = -1 WHERE seq = :a", a=a)
    _sql(store, "UPDATE audit_records SET seq = :a WHERE seq = :b", a=a, b=b)
    _sql(store, "UPDATE audit_records SET seq = :b WHERE seq = -1", b=b)


def _shift(store: Store, after: int, by: int) -> None:
    """Renumber every record after ``after`` by ``by`` (two steps: the primary key is unique)."""
    _sql(store, "UPDATE audit_records SET seq = -(seq + :by) WHERE seq > :after", by=by, after=after)
    _sql(store, "UPDATE audit_records SET seq = -seq WHERE seq < 0")


def test_untouched_log_verifies(store: Store, log: AuditLog) -> None:
    report = verify(store)
    assert report.ok and report.records == N and report.head.seq == N
    assert "OK" in report.summary()


def test_verify_streams_in_chunks(store: Store, log: AuditLog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verify_module, "_CHUNK", 3)
    assert verify(store).ok
    _sql(store, "UPDATE audit_records SET actor = 'mallory' WHERE seq = 7")
    assert _findings(store) == [(Tamper.EDITED, 7, 7)]


def test_edited_payload(store: Store, log: AuditLog) -> None:
    _sql(store, "UPDATE audit_records SET payload = :p WHERE seq = 5", p='{"decision":"block","n":5}')
    report = verify(store)
    assert report.findings == (Finding(Tamper.EDITED, 5, 5, "content does not match its hash"),)
    assert "edited at seq 5" in report.summary()


def test_edited_and_rehashed(store: Store, log: AuditLog) -> None:
    original = log.get(5)
    assert original is not None
    forged = _forge(log, 5, original.prev_hash, {"n": 5, "decision": "block"})
    _sql(
        store,
        "UPDATE audit_records SET ts = :ts, subject = 'forged', payload = :payload, hash = :hash WHERE seq = 5",
        ts=forged["ts"], payload=forged["payload"], hash=forged["hash"],
    )
    assert _findings(store) == [(Tamper.EDITED, 5, 5)]


def test_edited_last_record_rehashed_is_caught_by_the_head(store: Store, log: AuditLog) -> None:
    last = log.get(N)
    assert last is not None
    forged = _forge(log, N, last.prev_hash, {"n": N, "decision": "block"})
    _sql(store, "UPDATE audit_records SET ts = :ts, subject = 'forged', payload = :payload, hash = :hash WHERE seq = :n",
         ts=forged["ts"], payload=forged["payload"], hash=forged["hash"], n=N)
    assert _findings(store) == [(Tamper.EDITED, N, N)]


@pytest.mark.parametrize(("first", "last"), [(5, 5), (4, 7), (1, 1), (1, 3)])
def test_deleted_records(store: Store, log: AuditLog, first: int, last: int) -> None:
    _sql(store, "DELETE FROM audit_records WHERE seq BETWEEN :a AND :b", a=first, b=last)
    assert _findings(store) == [(Tamper.DELETED, first, last)]


def test_deleted_tail(store: Store, log: AuditLog) -> None:
    _sql(store, "DELETE FROM audit_records WHERE seq >= 9")
    assert _findings(store) == [(Tamper.DELETED, 9, N)]


def test_deleted_and_renumbered(store: Store, log: AuditLog) -> None:
    _sql(store, "DELETE FROM audit_records WHERE seq = 5")
    _shift(store, after=5, by=-1)
    assert _findings(store) == [(Tamper.DELETED, 5, 5), (Tamper.REORDERED, 5, N - 1)]


def test_inserted_at_the_end(store: Store, log: AuditLog) -> None:
    head = log.head()
    _insert(store, _forge(log, N + 1, head.hash, {"n": 0, "decision": "allow"}))
    assert _findings(store) == [(Tamper.INSERTED, N + 1, N + 1)]


def test_inserted_in_the_middle(store: Store, log: AuditLog) -> None:
    _shift(store, after=5, by=1)
    _insert(store, _forge(log, 6, log.get(5).hash, {"n": 0, "decision": "allow"}))  # type: ignore[union-attr]
    assert _findings(store) == [(Tamper.INSERTED, 6, 6), (Tamper.REORDERED, 7, N + 1)]


def test_inserted_garbage_in_the_middle(store: Store, log: AuditLog) -> None:
    _shift(store, after=5, by=1)
    _insert(store, {"seq": 6, "ts": log.get(1).ts, "payload": "{}", "prev": "f" * 64, "hash": "e" * 64})  # type: ignore[union-attr]
    assert _findings(store) == [(Tamper.INSERTED, 6, 6), (Tamper.REORDERED, 7, N + 1)]


@pytest.mark.parametrize(("a", "b"), [(5, 6), (3, 7), (1, 2), (N - 1, N)])
def test_reordered_records(store: Store, log: AuditLog, a: int, b: int) -> None:
    _swap(store, a, b)
    assert _findings(store) == [(Tamper.REORDERED, a, a), (Tamper.REORDERED, b, b)]


def test_rewritten_chain_is_caught_only_by_an_external_anchor(store: Store, log: AuditLog) -> None:
    anchor = log.head()
    # Rewrite record 3 and re-chain everything after it, head row included.
    with store.engine.begin() as conn:
        rows = conn.execute(text("SELECT seq, ts, actor, kind, subject, payload FROM audit_records ORDER BY seq")).all()
    prev = log.get(2).hash  # type: ignore[union-attr]
    for row in rows[2:]:
        stored = log.get(row.seq)
        assert stored is not None
        payload = {"n": 3, "decision": "block"} if row.seq == 3 else stored.payload
        digest = record_digest(prev, row.seq, stored.ts, stored.actor, stored.kind, stored.subject, payload)
        _sql(store, "UPDATE audit_records SET payload = :p, prev_hash = :prev, hash = :h WHERE seq = :s",
             p=canonical_json(payload).decode(), prev=prev, h=digest, s=row.seq)
        prev = digest
    _sql(store, "UPDATE audit_head SET hash = :h", h=prev)
    assert verify(store).ok  # internally consistent: this is what anchoring is for
    report = verify(store, anchor=anchor)
    assert [(f.kind, f.seq) for f in report.findings] == [(Tamper.ANCHOR_MISMATCH, N)]
    assert verify(store, anchor=log.head()).ok


def test_anchor_beyond_the_log(store: Store, log: AuditLog) -> None:
    anchor = log.head()
    _sql(store, "DELETE FROM audit_records WHERE seq = :n", n=N)
    _sql(store, "UPDATE audit_head SET seq = :s, hash = :h", s=N - 1, h=log.get(N - 1).hash)  # type: ignore[union-attr]
    assert verify(store).ok
    report = verify(store, anchor=anchor)
    assert [(f.kind, f.seq) for f in report.findings] == [(Tamper.ANCHOR_MISMATCH, N)]


def test_several_tamperings_are_all_named(store: Store, log: AuditLog) -> None:
    _sql(store, "UPDATE audit_records SET kind = 'nothing' WHERE seq = 2")
    _sql(store, "DELETE FROM audit_records WHERE seq = 5")
    _swap(store, 8, 9)
    assert _findings(store) == [
        (Tamper.EDITED, 2, 2),
        (Tamper.DELETED, 5, 5),
        (Tamper.REORDERED, 8, 8),
        (Tamper.REORDERED, 9, 9),
    ]


def test_a_deleted_head_row_is_reported_not_a_crash(store: Store, log: AuditLog) -> None:
    _sql(store, "DELETE FROM audit_head")
    report = verify(store)
    assert not report.ok and "TAMPERED" in report.summary()
    assert [(f.kind, f.seq) for f in report.findings] == [(Tamper.HEAD_MISSING, 0)]
    assert report.records == N
