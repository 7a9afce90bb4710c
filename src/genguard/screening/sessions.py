"""Conversation sessions genguard keeps: a request with a ``session_id`` is judged with the
instructions sent earlier in the same session, exactly as if the caller had sent them as
``history``.

Sessions are scoped by account (the request's ``account``, else the authenticated caller), so two
callers who pick the same session id never read each other's turns. Every screened turn is kept,
blocked ones too: a refused step is still part of what the user asked for.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from genguard.store.db import Store
from genguard.screening.tables import SessionTurnRow


class Sessions:
    """Read and extend the turns of a session."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def history(self, account: str, session_id: str, limit: int) -> list[str]:
        """The last ``limit`` instructions of the session, oldest first."""
        with self.store.transaction() as session:
            rows = session.execute(
                select(SessionTurnRow.prompt)
                .where(SessionTurnRow.account == account, SessionTurnRow.session_id == session_id)
                .order_by(SessionTurnRow.turn.desc())
                .limit(limit)
            ).scalars().all()
        return list(reversed(rows))

    def append(self, account: str, session_id: str, prompt: str, decision: str, audit_seq: int | None) -> int:
        """Add one turn; returns its number. Two writers racing on a session retry on the key."""
        for _ in range(5):
            try:
                with self.store.transaction() as session:
                    last = session.execute(
                        select(func.max(SessionTurnRow.turn)).where(
                            SessionTurnRow.account == account, SessionTurnRow.session_id == session_id
                        )
                    ).scalar()
                    turn = (last or 0) + 1
                    session.add(SessionTurnRow(account=account, session_id=session_id, turn=turn,
                                               prompt=prompt, decision=decision, audit_seq=audit_seq))
                return turn
            except IntegrityError:
                continue
        raise RuntimeError(f"could not append to session {session_id!r}: too many concurrent writers")
