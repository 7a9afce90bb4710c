"""The escalation queue's own reads and writes (what the case intake and the retro-scan job call
instead of the table), on every backend."""

from __future__ import annotations

import dataclasses

import pytest

from genguard.escalations import queue
from genguard.escalations.queue import Escalation
from genguard.store.db import Store


def test_open_escalations_are_claimed_oldest_first_and_closed_once(store: Store) -> None:
    with store.transaction(write_lock=True) as session:
        queue.escalate(session, "SEXUALISED_MINOR", {"request_id": "r1"})
        queue.escalate(session, "BANK_RETRO_MATCH", {"entry_id": 7, "seen_id": 3})
        queue.escalate(session, "BANK_RETRO_MATCH", {"entry_id": 7, "seen_id": 4})
    with store.transaction(write_lock=True) as session:
        claimed = queue.claim_open(session)
        assert [e.reason for e in claimed] == ["SEXUALISED_MINOR", "BANK_RETRO_MATCH", "BANK_RETRO_MATCH"]
        assert all(type(e) is Escalation for e in claimed) and claimed[0].payload == {"request_id": "r1"}
        with pytest.raises(dataclasses.FrozenInstanceError):
            claimed[0].reason = "other"  # type: ignore[misc]
        queue.close(session, claimed[0].id, "cased")
        queue.close(session, claimed[1].id, "no_case")
        with pytest.raises(ValueError):
            queue.close(session, claimed[2].id, "open")  # only a closing status
    with store.transaction(write_lock=True) as session:
        assert [e.id for e in queue.claim_open(session)] == [claimed[2].id]  # the one left open
        # Raised for a reason, whatever became of them: the retro-scan job's "already escalated".
        assert sorted(p["seen_id"] for p in queue.raised(session, "BANK_RETRO_MATCH")) == [3, 4]
        assert queue.raised(session, "KNOWN_ABUSE_HASH") == []


def test_a_rolled_back_close_leaves_the_escalation_open(store: Store) -> None:
    with store.transaction(write_lock=True) as session:
        queue.escalate(session, "SEXUALISED_MINOR", {})
    with pytest.raises(RuntimeError), store.transaction(write_lock=True) as session:
        [esc] = queue.claim_open(session)
        queue.close(session, esc.id, "cased")
        raise RuntimeError("the case insert failed")
    with store.transaction() as session:
        assert [e.id for e in queue.claim_open(session)] == [esc.id]
