"""Account strikes: blocked generation attempts and standing removals restrict an account.

A strike is recorded when screening blocks an account's generate or edit request, and when a
case removes an item the account uploaded (a reversed appeal deletes that strike again, so
only upheld removals count). The policy pack's ``[strikes]`` table says how many strikes within
a window restrict further generation or upload. A request refused *because* of a restriction
does not add a strike, so a restricted account cannot dig itself deeper by retrying.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from genguard.policy.pack import StrikePolicy
from genguard.request import ScreenRequest, RequestKind
from genguard.store.db import Store
from genguard.cases.tables import StrikeRow
from genguard.store.base import utcnow
from genguard.verdict import Decision, Verdict

RESTRICTED_REASON = "ACCOUNT_RESTRICTED"
_GENERATION = (RequestKind.GENERATE, RequestKind.EDIT)


class StrikeBook:
    def __init__(self, store: Store, policy: StrikePolicy, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock

    def count(self, account: str) -> int:
        since = self.clock() - timedelta(days=self.policy.window_days)
        with self.store.transaction() as session:
            return int(session.scalar(select(func.count()).where(StrikeRow.account == account,
                                                                 StrikeRow.at >= since)) or 0)

    def standing(self, account: str) -> dict[str, Any]:
        strikes = self.count(account)
        return {"account": account, "strikes": strikes, "window_days": self.policy.window_days,
                "generation_restricted": strikes >= self.policy.restrict_generation_at,
                "upload_restricted": strikes >= self.policy.restrict_upload_at}

    def apply(self, request: ScreenRequest, verdict: Verdict) -> Verdict:
        """The verdict with the account's standing; a restricted account's allowed request is
        blocked; a blocked generation attempt adds a strike."""
        if not request.account:
            return verdict
        standing = self.standing(request.account)
        restricted = (standing["generation_restricted"] if request.kind in _GENERATION
                      else standing["upload_restricted"] if request.kind is RequestKind.UPLOAD else False)
        if restricted and verdict.decision is not Decision.BLOCK:
            return verdict.model_copy(update={"decision": Decision.BLOCK, "reasons": [RESTRICTED_REASON],
                                              "rule": "strikes.restricted", "strikes": standing})
        if verdict.decision is Decision.BLOCK and request.kind in _GENERATION and not restricted:
            with self.store.transaction() as session:
                session.add(StrikeRow(account=request.account, at=self.clock(), reason="blocked_generation"))
            standing = self.standing(request.account)
        return verdict.model_copy(update={"strikes": standing})
