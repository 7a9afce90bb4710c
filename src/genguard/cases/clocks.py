"""Statutory clocks: which deadline a case runs against, and where it stands at a given time.

Pure arithmetic over times passed in, so tests drive it with a controllable clock. A clock has
a start (when a valid notice arrived or screening escalated), a budget (48 h for TAKE IT DOWN and
UK intimate-image reports; a configurable "without delay" target for child sexual abuse), time
spent paused (only where the regime allows pausing) and two alert points: *escalate* when a
share of the budget has gone, *breach* when all of it has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from genguard.cases.notices import INTIMATE, Category, Regime
from genguard.config import Settings

Clock = Callable[[], datetime]


class PauseReason(StrEnum):
    #: The notice needs information only the reporter can give.
    AWAITING_REPORTER = "awaiting_reporter"
    #: Law enforcement asked the platform to hold off (preserving an investigation).
    LAW_ENFORCEMENT_HOLD = "law_enforcement_hold"
    #: A court order or legal review is pending.
    LEGAL_REVIEW = "legal_review"


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    ESCALATED = "escalated"
    BREACHED = "breached"
    STOPPED = "stopped"


@dataclass(frozen=True)
class ClockPolicy:
    """Deadlines per regime and category (hours), and when to escalate.

    Child sexual abuse has no statutory hour count ("without delay", "swiftly"): the target is
    the operator's own, default 1 h. TAKE IT DOWN clocks cannot be paused (the Act has no
    pause), others can, with a recorded reason.
    """

    take_it_down_h: float = 48.0
    uk_intimate_h: float = 48.0
    csam_target_h: float = 1.0
    #: Everything else (DSA "timely", UK other illegal content): an operator target.
    default_h: float = 72.0
    #: Share of the budget after which the case is escalated (alert before it breaches).
    escalate_at: float = 0.75
    unpausable: frozenset[Regime] = frozenset({Regime.TAKE_IT_DOWN})

    @classmethod
    def from_settings(cls, settings: Settings) -> ClockPolicy:
        """The clocks ``settings`` ask for (``GENGUARD_CLOCK_*``); unset ones keep the defaults."""
        given: dict[str, Any] = {
            "take_it_down_h": settings.clock_take_it_down_h,
            "uk_intimate_h": settings.clock_uk_intimate_h,
            "csam_target_h": settings.clock_csam_target_h,
            "default_h": settings.clock_default_h,
            "escalate_at": settings.clock_escalate_at,
        }
        return replace(cls(), **{k: v for k, v in given.items() if v is not None})

    def budget(self, regime: Regime, category: Category) -> tuple[str, timedelta]:
        """(clock name, budget) for a case: the strictest clock that applies."""
        if category is Category.CHILD_SEXUAL_ABUSE:
            return "csam_without_delay", timedelta(hours=self.csam_target_h)
        if regime is Regime.TAKE_IT_DOWN:
            return "take_it_down_48h", timedelta(hours=self.take_it_down_h)
        if regime is Regime.UK_OSA and category in INTIMATE:
            return "uk_intimate_image_48h", timedelta(hours=self.uk_intimate_h)
        return "operator_target", timedelta(hours=self.default_h)

    def pausable(self, regime: Regime) -> bool:
        return regime not in self.unpausable


@dataclass(frozen=True)
class ClockView:
    """A case's clock at one moment."""

    started_at: datetime
    budget: timedelta
    paused: timedelta
    paused_since: datetime | None
    stopped_at: datetime | None = None

    def elapsed(self, now: datetime) -> timedelta:
        """Clock time used: wall time since start minus time paused (up to ``now`` or the stop)."""
        end = self.stopped_at or now
        running_pause = (end - self.paused_since) if self.paused_since else timedelta(0)
        return end - self.started_at - self.paused - running_pause

    def due_at(self, now: datetime) -> datetime:
        """When the budget runs out if nothing else pauses it (a paused clock's due time moves)."""
        running_pause = (now - self.paused_since) if self.paused_since and not self.stopped_at else timedelta(0)
        return self.started_at + self.budget + self.paused + running_pause

    def state(self, now: datetime, escalate_at: float) -> ClockState:
        if self.stopped_at is not None:
            return ClockState.STOPPED
        used = self.elapsed(now)
        if used >= self.budget:
            return ClockState.BREACHED
        if self.paused_since is not None:
            return ClockState.PAUSED
        if used >= self.budget * escalate_at:
            return ClockState.ESCALATED
        return ClockState.RUNNING
