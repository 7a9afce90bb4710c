"""The bank change log: how every worker's in-memory index follows the database.

Writers call :func:`append` in the same transaction as the entry change. It locks the single
head row (``SELECT ... FOR UPDATE``; on SQLite the caller's ``write_lock`` transaction holds
the database write lock) and numbers the rows after the head, so sequence numbers become
visible in commit order: a reader that has applied everything up to ``seq`` never later finds
a smaller one committing behind it (which an auto-increment column would allow).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from genguard.banks.tables import BankChangeHeadRow, BankChangeRow, BankEntryRow


class ChangeOp(StrEnum):
    ADD = "add"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class Change:
    seq: int
    op: ChangeOp
    entry_id: int
    signal_type: str
    value: str


def head_seq(session: Session, *, lock: bool = False) -> int:
    query = select(BankChangeHeadRow.seq).where(BankChangeHeadRow.id == 1)
    return int(session.execute(query.with_for_update() if lock else query).scalar_one())


def append(session: Session, changes: Iterable[tuple[int, ChangeOp]], now: datetime) -> int:
    """Log ``(entry_id, op)`` pairs after the head; returns the new head seq."""
    items = list(changes)
    seq = head_seq(session, lock=True)
    if not items:
        return seq
    session.execute(
        insert(BankChangeRow),
        [{"seq": seq + i, "ts": now, "entry_id": entry_id, "op": op.value}
         for i, (entry_id, op) in enumerate(items, start=1)],
    )
    seq += len(items)
    session.execute(update(BankChangeHeadRow).where(BankChangeHeadRow.id == 1).values(seq=seq))
    return seq


def since(session: Session, seq: int, limit: int) -> list[Change]:
    """Changes after ``seq`` in order, with the entry's hash (at most ``limit``)."""
    rows = session.execute(
        select(BankChangeRow.seq, BankChangeRow.op, BankEntryRow.id, BankEntryRow.signal_type, BankEntryRow.value)
        .join(BankEntryRow, BankEntryRow.id == BankChangeRow.entry_id)
        .where(BankChangeRow.seq > seq)
        .order_by(BankChangeRow.seq)
        .limit(limit)
    )
    return [Change(s, ChangeOp(op), entry_id, st, value) for s, op, entry_id, st, value in rows]
