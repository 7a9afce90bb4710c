"""Two workers under a random mix of adds, imports, withdrawals and deletes always answer what
the brute-force oracle over the database's current rows answers."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from genguard.banks.formats.records import EntryStatus, HashRecord, SignalType
from genguard.banks.index.brute import BruteForceIndex
from genguard.banks.index.codes import pdq_codes
from genguard.banks.matching import HashQuery
from genguard.banks.model import BankKind
from genguard.banks.service import BankService
from genguard.store.db import Store
from genguard.banks.tables import BankEntryRow
from tests.banks.conftest import Clock
from tests.banks.hashes import at_distance, random_pdq

RADIUS = 31


def _oracle(store: Store) -> BruteForceIndex:
    with store.transaction() as session:
        rows = session.execute(
            select(BankEntryRow.id, BankEntryRow.value).where(
                BankEntryRow.signal_type == "pdq", BankEntryRow.status == "active", BankEntryRow.tombstone.is_(False)
            )
        ).all()
    oracle = BruteForceIndex()
    if rows:
        oracle.add(pdq_codes([v for _, v in rows]), np.array([i for i, _ in rows]))
    return oracle


def test_random_changes_through_two_workers_match_the_oracle(store: Store, clock: Clock) -> None:
    rng = np.random.default_rng(2026)
    workers = [BankService(store, poll_s=0.0, clock=clock) for _ in range(2)]
    workers[0].create_bank("b", BankKind.INTIMATE_IMAGE)
    centres = [random_pdq(rng) for _ in range(6)]  # entries cluster around these, queries too
    values: list[str] = []
    for step in range(60):
        worker = workers[int(rng.integers(2))]
        roll = rng.random()
        live = worker.entries("b", status="active")
        if roll < 0.5 or not live:
            batch = [at_distance(centres[int(rng.integers(6))], int(rng.integers(0, 40)), rng)
                     for _ in range(int(rng.integers(1, 4)))]
            status = EntryStatus.WITHDRAWN if rng.random() < 0.2 else EntryStatus.ACTIVE
            worker.import_records("b", [HashRecord(SignalType.PDQ, v, f"case-{step}", status) for v in batch])
            values += batch
        elif roll < 0.75:
            worker.withdraw(live[int(rng.integers(len(live)))].id)
        elif roll < 0.9:
            worker.delete_entry(live[int(rng.integers(len(live)))].id)
        else:  # the same list again: nothing withdrawn or deleted may come back
            worker.import_records("b", [HashRecord(SignalType.PDQ, v) for v in values[-5:]])
        oracle = _oracle(store)
        for query in [*centres, *values[-3:]]:
            expected = oracle.search(pdq_codes([query])[0], RADIUS).as_pairs()
            for w in workers:
                got = sorted((m.entry.id, m.distance) for m in w.lookup(HashQuery.of({"pdq": query})).matches)
                assert got == expected, (step, query)
    assert len(workers[0].index) == len(workers[1].index) == len(_oracle(store))


def test_a_start_that_overlaps_the_log_adds_each_entry_once(store: Store, clock: Clock, monkeypatch) -> None:
    """Entries committed between reading the log head and reading the rows are in both: the
    first catch-up must not index them twice."""
    from genguard.banks import changelog, live

    rng = np.random.default_rng(4)
    writer = BankService(store, poll_s=0.0, clock=clock)
    writer.create_bank("b", BankKind.INTIMATE_IMAGE)
    writer.import_records("b", [HashRecord(SignalType.PDQ, random_pdq(rng)) for _ in range(5)])
    monkeypatch.setattr(live.changelog, "head_seq", lambda session: 0)  # as if all came after the head
    reader = BankService(store, poll_s=0.0, clock=clock)
    monkeypatch.setattr(live.changelog, "head_seq", changelog.head_seq)
    assert reader.index.seq == writer.index.seq
    assert len(reader.index) == len(writer.index) == 5


def test_a_run_of_withdrawals_is_applied_in_one_removal(store: Store, clock: Clock, monkeypatch) -> None:
    """Removing from a large compacted segment scans its ids, so a run of log removals is one call."""
    rng = np.random.default_rng(8)
    writer = BankService(store, poll_s=0.0, clock=clock)
    writer.create_bank("b", BankKind.INTIMATE_IMAGE)
    values = [random_pdq(rng) for _ in range(6)]
    writer.import_records("b", [HashRecord(SignalType.PDQ, v) for v in values])
    reader = BankService(store, poll_s=0.0, clock=clock)
    calls: list[list[int]] = []
    remove = reader.index._index.remove
    monkeypatch.setattr(reader.index._index, "remove", lambda ids: calls.append(sorted(ids.tolist())) or remove(ids))
    withdrawn = [e.id for e in writer.entries("b", status="active")[:4]]
    for entry_id in withdrawn:
        writer.withdraw(entry_id)
    reader.index.catch_up(force=True)
    assert calls == [sorted(withdrawn)]
    assert len(reader.index) == 2
