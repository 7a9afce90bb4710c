"""The audit service: the reads routes and pages use, as frozen views, on every backend."""

from __future__ import annotations

import dataclasses

import pytest

from genguard.audit.chain import AuditLog, AuditRecord
from genguard.audit.service import AuditService
from genguard.store.db import Store


def test_records_page_in_seq_order_and_filter_by_kind(store: Store) -> None:
    audit = AuditService(store)
    for i in range(5):
        audit.record("screen.verdict" if i % 2 == 0 else "key.created", {"i": i}, actor="t", subject=f"s{i}")
    first = audit.records(limit=2)
    assert [r.payload["i"] for r in first] == [0, 1]
    rest = audit.records(after=first[-1].seq)
    assert [r.payload["i"] for r in rest] == [2, 3, 4]
    assert [r.payload["i"] for r in audit.records(kind="screen.verdict")] == [0, 2, 4]
    assert audit.records(after=rest[-1].seq) == []
    assert rest[0].prev_hash == first[-1].hash  # the views carry the chain's links


def test_recent_is_newest_first_and_limited(store: Store) -> None:
    audit = AuditService(store)
    for kind in ("a.one", "b.two", "a.one", "c.three"):
        audit.record(kind, {}, actor="t")
    assert [r.kind for r in audit.recent(None, limit=3)] == ["c.three", "a.one", "b.two"]
    assert [r.seq for r in audit.recent(("a.one",))] == [3, 1]


def test_views_are_frozen_records_not_rows(store: Store) -> None:
    audit = AuditService(store)
    written = audit.record("console.signed_in", {"role": "reviewer"}, actor="key:1", subject="key:1")
    (read,) = audit.records()
    assert type(read) is AuditRecord and read == written
    with pytest.raises(dataclasses.FrozenInstanceError):
        read.kind = "other"  # type: ignore[misc]


def test_head_and_verify_see_what_the_log_wrote(store: Store) -> None:
    audit = AuditService(store)
    AuditLog(store).append("case.opened", {"case": 1}, actor="system")
    last = audit.record("case.decided", {"case": 1}, actor="key:2")
    assert audit.head().seq == last.seq and audit.head().hash == last.hash
    report = audit.verify(anchor=audit.head())
    assert report.ok and report.records == 2


def test_records_by_subject_kind_period_and_newest_first(store: Store) -> None:
    """What other domains read instead of the table: a case's history, its last decision, a period."""
    from datetime import timedelta

    from genguard.audit.service import find_records, get_record

    audit = AuditService(store)
    written = [audit.record(kind, {"i": i}, actor="t", subject=subject) for i, (kind, subject) in enumerate(
        [("case.opened", "case:1"), ("case.decided", "case:1"), ("case.opened", "case:2"), ("case.decided", "case:1")])]
    assert [r.payload["i"] for r in audit.records(subject="case:1")] == [0, 1, 3]
    assert [r.payload["i"] for r in audit.records(subject="case:1", kind="case.decided", newest_first=True,
                                                  limit=1)] == [3]
    assert [r.payload["i"] for r in audit.records(subject="case:1", newest_first=True, after=written[1].seq)] == [3]
    assert audit.records(subject="case:3") == []
    ts = [r.ts for r in written]
    assert [r.payload["i"] for r in audit.records(since=ts[1], until=ts[3])] == [1, 2]  # [since, until)
    assert audit.records(since=ts[3] + timedelta(seconds=1)) == []
    assert len(audit.records(limit=None)) == 4
    with store.transaction() as session:  # in a caller's transaction, as the case intake reads
        assert find_records(session, subject="case:2") == [written[2]]
        assert get_record(session, written[1].seq) == written[1] and get_record(session, 999) is None
