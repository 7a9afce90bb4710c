"""The transparency report for a period, computed from the audit trail alone.

Every case step appends an audit record (``notice.received``, ``case.opened``, ``case.decided``,
``case.actioned``, ``takedown.copy_removed``, ``appeal.*``...). The report reads the records whose
audit timestamp falls in ``[start, end)`` in seq order, page by page with no cap, and folds them
into counts. It depends on nothing but those immutable records, so the same period always gives
the same report (byte for byte in every format); it names the first and last seq and the last
hash it covered so anyone can re-derive it from a verified chain.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from genguard.audit.chain import AuditRecord
from genguard.audit.service import AuditService
from genguard.store.db import Store

_PAGE = 5000
KINDS = ("notice.received", "case.opened", "case.decided", "case.actioned", "case.escalated", "case.breached",
         "takedown.copy_found", "takedown.copy_removed", "appeal.filed", "appeal.decided", "case.reinstated",
         "report.filed", "screen.verdict", "bank.match_feedback")


def records(store: Store, start: datetime, end: datetime) -> Iterator[AuditRecord]:
    """Audit records in ``[start, end)``, in seq order, paged (the report keeps its kinds)."""
    audit = AuditService(store)
    last = 0
    while True:
        page = audit.records(after=last, since=start, until=end, limit=_PAGE)
        if not page:
            return
        yield from page
        last = page[-1].seq


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile (a value that occurred; no interpolation)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def build(store: Store, start: datetime, end: datetime) -> dict[str, Any]:
    if end <= start:
        raise ValueError("the period's end must be after its start")
    notices: Counter[str] = Counter()
    notices_by_reporter: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    automated = human = 0
    times: dict[str, list[float]] = defaultdict(list)
    within: Counter[str] = Counter()
    budgets: dict[str, int] = {}
    alerts: Counter[str] = Counter()
    appeals: Counter[str] = Counter()
    banks: Counter[str] = Counter()
    reports: Counter[str] = Counter()
    feedback: Counter[str] = Counter()
    false_by_bank: Counter[str] = Counter()
    first = last = None
    last_hash = None
    count = 0
    for rec in records(store, start, end):
        if rec.kind not in KINDS:
            continue
        first = rec.seq if first is None else first
        last, last_hash, count = rec.seq, rec.hash, count + 1
        p = rec.payload
        match rec.kind:
            case "notice.received":
                notices[p["regime"]] += 1
                notices_by_reporter[p["reporter_type"]] += 1
            case "case.opened":
                by_category[p["category"]] += 1
                by_source[p["source"]] += 1
                banks.update(b for b in p.get("bank_matches", []) if b)
            case "case.decided":
                actions[p["decision"]] += 1
                automated, human = (automated + 1, human) if p.get("automated") else (automated, human + 1)
            case "takedown.copy_removed":
                actions["remove_copy"] += 1
                automated += 1
            case "takedown.copy_found":
                banks[p["bank"]] += 1
            case "case.actioned":
                times[p["clock"]].append(float(p["clock_elapsed_s"]))
                within[p["clock"]] += bool(p["within_clock"])
                budgets[p["clock"]] = int(p["budget_s"])
            case "case.escalated" | "case.breached":
                alerts[rec.kind.split(".")[1]] += 1
            case "appeal.filed":
                appeals["filed"] += 1
            case "appeal.decided":
                appeals[p["outcome"]] += 1
            case "case.reinstated":
                appeals["reinstated"] += 1
            case "report.filed":
                reports[p["destination"]] += 1
            case "bank.match_feedback":  # each verdict reported in the period (banks/feedback.py)
                feedback[p["verdict"]] += 1
                feedback["changed"] += p.get("previous") not in (None, p["verdict"])
                if p["verdict"] == "false_positive":
                    false_by_bank[p["bank"]] += 1
            case "screen.verdict":
                for image in p.get("signals", {}).get("images", []):
                    banks.update(m["bank"] for m in image.get("bank_matches", []))
    decided_appeals = appeals["upheld"] + appeals["reversed"]
    appealable = sum(v for k, v in actions.items() if k != "remove_copy")  # appeals are per case decision
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "audit": {"records": count, "first_seq": first, "last_seq": last, "last_hash": last_hash},
        "notices": {"total": sum(notices.values()), "by_regime": dict(sorted(notices.items())),
                    "by_reporter_type": dict(sorted(notices_by_reporter.items()))},
        "cases": {"opened": sum(by_category.values()), "by_category": dict(sorted(by_category.items())),
                  "by_source": dict(sorted(by_source.items()))},
        "actions": {"by_action": dict(sorted(actions.items())), "automated": automated, "human": human,
                    "share_automated": _ratio(automated, automated + human)},
        "time_to_action": {
            clock: {"actions": len(v), "budget_s": budgets[clock], "median_s": statistics.median(v),
                    "p90_s": p90(v), "within_clock": within[clock], "share_within": _ratio(within[clock], len(v))}
            for clock, v in sorted(times.items())
        },
        "clock_alerts": {"escalated": alerts["escalated"], "breached": alerts["breached"]},
        "appeals": {"filed": appeals["filed"], "decided": decided_appeals, "upheld": appeals["upheld"],
                    "reversed": appeals["reversed"], "reinstated": appeals["reinstated"],
                    "appeal_rate": _ratio(appeals["filed"], appealable),
                    "reversal_rate": _ratio(appeals["reversed"], decided_appeals)},
        "mandatory_reports": dict(sorted(reports.items())),
        "bank_matches": dict(sorted(banks.items())),
        "match_feedback": {"true_positive": feedback["true_positive"], "false_positive": feedback["false_positive"],
                           "changed": feedback["changed"],
                           "share_false": _ratio(feedback["false_positive"],
                                                 feedback["true_positive"] + feedback["false_positive"]),
                           "false_positive_by_bank": dict(sorted(false_by_bank.items()))},
    }


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 6) if den else None
