"""What the case service returns: typed, frozen views of cases, appeals, notices and work done.

Routes serialise them with :meth:`View.to_json` (the JSON the API has always sent: times as
ISO 8601 strings, the case's content as an object); console pages and the CLI read attributes.
Each view is also a read-only mapping of its fields (``case["status"]``), so code written against
the service's former dicts keeps working while it moves to attributes. Fields cannot be
reassigned; collections are lists (they compare equal to the JSON arrays callers check against)
built fresh for every call, so nothing a caller does to one reaches the service.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar

from genguard.cases.notices import hash_kinds


class View(Mapping[str, Any]):
    """Base of the case views: read-only mapping access to the fields, and their JSON."""

    __slots__ = ()
    #: Fields left out of the JSON when they are None (keys the API only sends when there is a value).
    _optional: ClassVar[frozenset[str]] = frozenset()

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def _names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))  # type: ignore[arg-type]

    def to_json(self) -> dict[str, Any]:
        """The view as the API sends it (nested views become objects)."""
        out: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        for f in fields(self):  # type: ignore[arg-type]
            if isinstance(value := getattr(self, f.name), Content):
                out[f.name] = value.to_json()
        for name in self._optional:
            if out.get(name) is None:
                out.pop(name, None)
        return out


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True, slots=True)
class Content(View):
    """The reported item: the platform's id and URL and its hashes (any may be missing). As a
    mapping and in its JSON the hashes are keys of their own, one per registered hash type
    (``sha256``, ``md5``, ``pdq``...), None where the item has none."""

    platform_id: str | None
    url: str | None
    #: Signal type -> value (or None), every registered type, in notice order.
    hashes: Mapping[str, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, platform_id: str | None, url: str | None, hashes: Mapping[str, Any]) -> Content:
        names = [k.signal_type.value for k in hash_kinds()]
        return cls(platform_id, url, {name: hashes.get(name) for name in names})

    def __getitem__(self, key: str) -> Any:
        if key in self.hashes:
            return self.hashes[key]
        if key in ("platform_id", "url"):
            return getattr(self, key)
        raise KeyError(key)

    def _names(self) -> tuple[str, ...]:
        return ("platform_id", "url", *self.hashes)

    def to_json(self) -> dict[str, Any]:
        return {"platform_id": self.platform_id, "url": self.url, **self.hashes}


@dataclass(frozen=True, slots=True)
class CaseSummary(View):
    """One case with its statutory clock as of ``now``: what a queue or list shows."""

    id: int
    source: str
    regime: str
    category: str
    reporter_type: str | None
    notice_id: str | None
    escalation_id: int | None
    content: Content
    account: str | None
    priority: int
    signals: Mapping[str, Any]
    status: str
    clock: str
    clock_started_at: str
    opened_at: str
    budget_s: int
    due_at: str
    clock_state: str
    clock_elapsed_s: float
    paused: bool
    pause_reason: str | None
    escalated_at: str | None
    breached_at: str | None
    claimed_by: str | None
    decision: str | None
    decided_by: str | None
    decided_at: str | None
    removed_at: str | None


@dataclass(frozen=True, slots=True)
class Step(View):
    """One takedown step (a case job) and how it went."""

    kind: str
    status: str
    attempts: int
    last_error: str | None
    done_at: str | None


@dataclass(frozen=True, slots=True)
class TakedownProgress(View):
    """Each step's state and "n of m copies removed"; ``settled``: nothing left to run."""

    steps: list[Step]
    done: bool
    settled: bool
    sweep_done: bool
    copies_found: int
    copies_removed: int
    copies_cannot_notify: int


@dataclass(frozen=True, slots=True)
class Copy(View):
    """A copy of the item the sweep found (another upload with a matching hash)."""

    id: int
    seen_id: int | None
    ref: str | None
    bank: str | None
    signal_type: str | None
    distance: int | None
    found_at: str
    removed_at: str | None
    cannot_notify: str | None


@dataclass(frozen=True, slots=True)
class Appeal(View):
    """An appeal against a case's decision (DSA Art. 20)."""

    id: int
    case_id: int
    filed_at: str
    appellant: str
    status: str
    decided_by: str | None
    decided_at: str | None


@dataclass(frozen=True, slots=True)
class AppealItem(View):
    """An appeal in the oversight list: with its grounds, for the second reviewer."""

    id: int
    case_id: int
    filed_at: datetime
    appellant: str
    grounds: str
    status: str
    decided_by: str | None


@dataclass(frozen=True, slots=True)
class NoticeRef(View):
    """The notice a case came from (the notice body stays in the store)."""

    id: str
    received_at: str
    reporter_type: str | None
    digest: str


@dataclass(frozen=True, slots=True)
class Webhook(View):
    """A webhook of the case and its delivery state."""

    event: str
    idempotency_key: str
    status: str
    attempts: int
    last_error: str | None
    delivered_at: str | None
    next_attempt_at: str | None


@dataclass(frozen=True, slots=True)
class Case(CaseSummary):
    """One case in full: the summary plus takedown progress, copies, appeals, its notice and
    its webhooks (the case page and ``GET /v1/cases/{id}``)."""

    _optional: ClassVar[frozenset[str]] = frozenset({"notice"})

    copies: list[Copy] = field(default_factory=list)
    takedown: TakedownProgress | None = None
    appeals: list[Appeal] = field(default_factory=list)
    notice: NoticeRef | None = None
    webhooks: list[Webhook] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HistoryRecord(View):
    """One audit record about a case (its timeline), oldest first."""

    seq: int
    ts: datetime
    actor: str
    kind: str
    payload: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class QueueSize(View):
    """Open cases of one category; the list comes in queue order (highest priority tier first)."""

    category: str
    open: int


@dataclass(frozen=True, slots=True)
class ClockAlert(View):
    """A clock passed its escalation point or its deadline (``alert``: ``escalated`` or
    ``breached``); its JSON is the audit record's and the webhook's payload."""

    case_id: int
    alert: str
    clock: str
    due_at: str
    category: str
    at: str


@dataclass(frozen=True, slots=True)
class WorkDone(View):
    """One pass of the case worker: jobs finished and webhooks redelivered."""

    jobs: int
    redelivered: int


@dataclass(frozen=True, slots=True)
class TickDone(View):
    """A full tick: cases opened from escalations, clock alerts sent, the work done and TAKE IT
    DOWN outcome notices delivered."""

    opened: list[int]
    alerts: list[ClockAlert]
    jobs: int
    redelivered: int
    outcomes: int


@dataclass(frozen=True, slots=True)
class CaseMetrics(View):
    """The case gauges and counters, from the database (every worker reports the same)."""

    open_by_clock: Mapping[str, int]
    breached: int
    escalated: int
    overdue: int

    def prometheus(self) -> str:
        """The Prometheus text exposition ``GET /v1/cases/metrics`` serves."""
        lines = ["# TYPE genguard_cases_open gauge"]
        lines += [f'genguard_cases_open{{clock="{k}"}} {v}' for k, v in sorted(self.open_by_clock.items())]
        lines += ["# TYPE genguard_clock_breaches_total counter", f"genguard_clock_breaches_total {self.breached}",
                  "# TYPE genguard_clock_escalations_total counter",
                  f"genguard_clock_escalations_total {self.escalated}",
                  "# TYPE genguard_cases_overdue gauge", f"genguard_cases_overdue {self.overdue}"]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class CaseDue(View):
    """A case a notice opened and when its clock runs out."""

    case_id: int
    clock: str
    due_at: str


@dataclass(frozen=True, slots=True)
class NoticeReceipt(View):
    """What the reporter gets back for a notice: one case per item with its clock. Stored with
    the notice (as :meth:`to_json`), so a retry with the same idempotency key gets it again."""

    notice_id: str
    received_at: str
    digest: str
    regime: str
    cases: list[CaseDue]

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> NoticeReceipt:
        """The receipt as stored with its notice."""
        return cls(body["notice_id"], body["received_at"], body["digest"], body["regime"],
                   [CaseDue(c["case_id"], c["clock"], c["due_at"]) for c in body["cases"]])


@dataclass(frozen=True, slots=True)
class PublicReceipt(NoticeReceipt):
    """The receipt of a TAKE IT DOWN request filed without an account: the notice's receipt
    plus the ``request_id`` (the notice id) and the ``requester_token`` shown this once (only its
    SHA-256 is stored). ``take_it_down.for_requester`` strips the internal case ids from its JSON."""

    request_id: str
    requester_token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class DeliveryReport(View):
    """How a webhook's delivery went, all attempts included (``takedown.retry``'s answer)."""

    event: str
    idempotency_key: str
    delivered: bool
    attempts: int
    status: int | None
    error: str | None
    delivered_at: str | None


@dataclass(frozen=True, slots=True)
class CaseProgress(View):
    """Where one case of a notice stands, as a reporter may be told (no reviewer identities)."""

    case_id: int
    status: str
    decision: str | None
    due_at: str
    removed_at: str | None


@dataclass(frozen=True, slots=True)
class NoticeStatus(View):
    """``GET /v1/notices/{id}``: when the notice arrived and where each of its cases stands."""

    notice_id: str
    received_at: str
    regime: str
    digest: str
    cases: list[CaseProgress]


@dataclass(frozen=True, slots=True)
class CopyCounts(View):
    """Copies of an item: found by the sweep, removed (within 48 hours), and without a platform
    id (so they cannot be notified, counted apart rather than holding the outcome open)."""

    found: int
    removed: int
    cannot_notify: int
    removed_within_48h: int


@dataclass(frozen=True, slots=True)
class OutcomeItem(View):
    """What happened to one item of a TAKE IT DOWN request and why; ``final`` once every
    takedown step has settled."""

    case_id: int
    platform_id: str | None
    url: str | None
    outcome: str
    final: bool
    reasons: str | None
    ground: str | None
    decided_at: str | None
    removed_at: str | None
    due_at: str
    within_48h: bool | None
    copies: CopyCounts


@dataclass(frozen=True, slots=True)
class Outcome(View):
    """The outcome notice of a TAKE IT DOWN request (sent to the requester when ``complete``)."""

    request_id: str
    regime: str
    received_at: str
    complete: bool
    # The published field name; it shadows the mapping form's ``items()`` on this one view (use
    # ``to_json().items()`` to walk its fields).
    items: list[OutcomeItem]  # type: ignore[assignment]
