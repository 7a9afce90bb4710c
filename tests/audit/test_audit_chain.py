"""Appending to the audit chain: links, head, payload rules, concurrency."""

from __future__ import annotations

import multiprocessing
import threading
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from genguard.audit.chain import (
    GENESIS_HASH,
    MAX_STRING_BYTES,
    AuditLog,
    AuditPayloadError,
    Entry,
    Head,
    record_digest,
)
from genguard.audit.verify import verify
from genguard.store.db import Store, open_store


def test_records_link_into_a_chain(store: Store) -> None:
    log = AuditLog(store)
    first = log.append("verdict", {"decision": "block", "reasons": ["UNDRESS_DELTA"]}, actor="svc", subject="req-1")
    second = log.append("key.created", {"role": "admin"}, actor="system")
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    assert first.hash == record_digest(GENESIS_HASH, 1, first.ts, "svc", "verdict", "req-1", first.payload)
    assert log.head() == Head(seq=2, hash=second.hash)
    assert log.get(1) == first
    assert log.get(3) is None


def test_hash_is_reproducible_from_the_stored_row(store: Store) -> None:
    """Tuples, unicode and floats must hash the same after the database round trip."""
    log = AuditLog(store)
    rec = log.append("verdict", {"box": (1, 2, 3, 4), "score": 0.1 + 0.2, "note": "naïve ✓", "n": None}, actor="a")
    stored = log.get(rec.seq)
    assert stored is not None and stored.payload == {"box": [1, 2, 3, 4], "score": 0.30000000000000004, "note": "naïve ✓", "n": None}
    assert record_digest(stored.prev_hash, stored.seq, stored.ts, stored.actor, stored.kind, stored.subject, stored.payload) == rec.hash
    assert verify(store).ok


def test_empty_log_verifies(store: Store) -> None:
    report = verify(store)
    assert report.ok and report.records == 0 and report.head == Head(0, GENESIS_HASH)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"image": b"\x89PNG..."}, "audit_payload_bytes"),
        ({"frames": [{"pixels": bytearray(b"abc")}]}, "audit_payload_bytes"),
        ({"pixels": np.zeros((4, 4, 3), dtype=np.uint8)}, "audit_payload_bytes"),
        ({"image": "data:image/png;base64,iVBORw0KGgo="}, "audit_payload_bytes"),
        ({"blob": "A" * (MAX_STRING_BYTES + 1)}, "audit_payload_too_large"),
        ({"many": ["x" * 60_000] * 20}, "audit_payload_too_large"),
        ({1: "non-string key"}, "audit_payload_invalid"),
        ({"score": float("nan")}, "audit_payload_invalid"),
        ({"when": object()}, "audit_payload_invalid"),
    ],
)
def test_pixels_and_non_json_are_refused(store: Store, payload: dict[Any, Any], code: str) -> None:
    log = AuditLog(store)
    with pytest.raises(AuditPayloadError) as err:
        log.append("verdict", payload, actor="svc")
    assert err.value.code == code
    assert log.head().seq == 0  # nothing was written


def test_labels_are_checked(store: Store) -> None:
    log = AuditLog(store)
    with pytest.raises(AuditPayloadError):
        log.append("", {}, actor="svc")
    with pytest.raises(AuditPayloadError):
        log.append("verdict", {}, actor="x" * 201)
    with pytest.raises(AuditPayloadError):
        log.append("verdict", [1, 2], actor="svc")  # type: ignore[arg-type]


def test_eight_threads_append_one_unbroken_chain(store: Store) -> None:
    log = AuditLog(store)
    per_thread = 25
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(per_thread):
                log.append("verdict", {"worker": worker, "i": i}, actor=f"t{worker}")
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.engine.connect() as conn:
        seqs = conn.execute(text("SELECT seq FROM audit_records ORDER BY seq")).scalars().all()
    assert seqs == list(range(1, 8 * per_thread + 1))
    report = verify(store)
    assert report.ok, report.summary()
    assert report.head.seq == 8 * per_thread


def _append_from_process(url: str, worker: int, count: int) -> None:
    store = open_store(url)
    log = AuditLog(store)
    for i in range(count):
        log.append("verdict", {"worker": worker, "i": i}, actor=f"p{worker}")
    store.close()


def test_two_processes_append_one_unbroken_chain(database_url: str) -> None:
    open_store(database_url).close()  # migrate first so the workers only append
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_from_process, args=(database_url, w, 40)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    store = open_store(database_url)
    try:
        report = verify(store)
        assert report.ok, report.summary()
        assert report.records == report.head.seq == 80
        with store.engine.connect() as conn:
            workers = conn.execute(text("SELECT DISTINCT actor FROM audit_records")).scalars().all()
        assert sorted(workers) == ["p0", "p1"]
    finally:
        store.close()


def test_append_many_extends_one_chain_in_order_and_writes_nothing_if_one_payload_is_bad(store: Store) -> None:
    log = AuditLog(store)
    records = log.append_many([Entry("verdict", {"n": i, "t": (1, 2)}, "svc", f"r{i}") for i in range(3)])
    assert [r.seq for r in records] == [1, 2, 3]
    assert [r.prev_hash for r in records[1:]] == [r.hash for r in records[:-1]]
    assert log.get(2).payload == {"n": 1, "t": [1, 2]}  # as read back: the tuple is a list
    with pytest.raises(AuditPayloadError):
        log.append_many([Entry("verdict", {"ok": True}, "svc"), Entry("verdict", {"image": b"\x89PNG"}, "svc")])
    assert log.head().seq == 3
    assert verify(store).ok


def test_nesting_deeper_than_the_limit_is_refused(store: Store) -> None:
    deep: dict[str, Any] = {"leaf": 1}
    for _ in range(40):
        deep = {"next": deep}
    with pytest.raises(AuditPayloadError) as err:
        AuditLog(store).append("verdict", deep, actor="svc")
    assert "nested deeper" in err.value.message


def test_the_digest_written_around_the_payload_is_the_digest_of_the_whole_body() -> None:
    """Appending hashes the payload's canonical JSON inside the body without encoding it again:
    the hash must be exactly that of the documented body, for any plain JSON payload."""
    import hashlib
    from datetime import UTC, datetime

    from genguard.audit.chain import canonical_json, clean_payload

    ts = datetime(2026, 12, 6, 16, 0, 0, 123456, tzinfo=UTC)
    payloads = [{}, {"box": (1, 2, 3, 4), "score": 0.1 + 0.2, "note": "naïve ✓ \"q\" \\ \n", "n": None},
                {"z": {"b": [1.5e-300, -0.0, 10**20, True]}, "a": [{"y": "x"}, []], "ñ": "日本"}]
    labels = [("svc", "verdict", "req-1"), ("svc", "verdict", None), ('a,"seq":1', 'k,"seq":', ',"seq":2}')]
    for payload in payloads:
        for actor, kind, subject in labels:
            body = {"seq": 7, "ts": "2026-12-06T16:00:00.123456Z", "actor": actor, "kind": kind,
                    "subject": subject, "payload": clean_payload(payload)}
            expected = hashlib.sha256(b"f" * 64 + canonical_json(body)).hexdigest()
            args = ("f" * 64, 7, ts, actor, kind, subject)
            assert record_digest(*args, payload) == expected
            assert record_digest(*args, clean_payload(payload), payload_json=canonical_json(payload)) == expected
