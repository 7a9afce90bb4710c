"""Evaluate a policy pack against the facts of one request.

Conditions are three-valued: a fact that is absent (its detector failed) is *unknown*, and a
rule that is unknown cannot be ruled out. The engine never lets an unknown become ``allow``:
any detector failure, or any unknown rule that would have blocked or sent to review, raises the
decision to at least the pack's ``fail_closed`` decision.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from genguard.policy.pack import Condition, PolicyPack, Rule
from genguard.request import RequestKind
from genguard.verdict import Decision, RuleHit

Fact = float | bool | None
_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


def _check(cond: Condition, facts: Mapping[str, Fact]) -> bool | None:
    value = facts.get(cond.fact)
    if value is None:
        return None
    return _OPS[cond.op](float(value), float(cond.value))


def _rule_state(rule: Rule, facts: Mapping[str, Fact]) -> bool | None:
    """True, False or None (unknown), with Kleene logic over ``when`` (and) and ``any`` (or)."""
    state: bool | None = True
    for cond in rule.when:
        result = _check(cond, facts)
        if result is False:
            return False
        if result is None:
            state = None
    if rule.any:
        results = [_check(c, facts) for c in rule.any]
        if True not in results:
            return False if None not in results else None
    return state


def held_facts(pack: PolicyPack, hit: RuleHit, facts: Mapping[str, Fact]) -> frozenset[str]:
    """The facts of ``hit``'s ``when``/``any`` conditions that held: what its rule fired *on*,
    not every fact it read (``RuleHit.facts`` also lists ``any`` options that did not hold)."""
    rule = next((r for r in pack.rules if r.spec.id == hit.rule), None)
    if rule is None:  # ``fail_closed``: fired on what is unknown
        return frozenset()
    return frozenset(c.fact for c in (*rule.when, *rule.any) if _check(c, facts))


def may_hold(pack: PolicyPack, kind: RequestKind, facts: Mapping[str, Fact], unknown: frozenset[str]) -> bool:
    """Whether a rule for ``kind`` that reads a fact in ``unknown`` could still hold.

    The facts in ``unknown``, and every fact absent from ``facts``, are taken as unknown: a
    rule is ruled out only by a condition that is already false. Screening asks this before a
    costly detector step that can only change ``unknown`` facts; when no such rule can hold,
    the step cannot change any rule's state, hence not the verdict.
    """
    known = {name: value for name, value in facts.items() if name not in unknown}
    for rule in pack.rules:
        if kind in rule.spec.kinds and any(c.fact in unknown for c in (*rule.when, *rule.any)):
            if _rule_state(rule, known) is not False:
                return True
    return False


@dataclass(frozen=True)
class Outcome:
    decision: Decision
    reasons: list[str]
    rule: str | None
    hits: list[RuleHit]
    escalate: bool


def evaluate(
    pack: PolicyPack, kind: RequestKind, facts: Mapping[str, Fact], failures: list[str]
) -> Outcome:
    """Apply every rule for ``kind``; the most severe decision wins, reasons are the union.

    ``failures`` names detectors that could not answer: their facts are absent from ``facts``.
    """
    hits: list[RuleHit] = []
    unknown: list[Rule] = []
    for rule in pack.rules:
        if kind not in rule.spec.kinds:
            continue
        state = _rule_state(rule, facts)
        if state is None and rule.spec.decision is not Decision.ALLOW:
            unknown.append(rule)
        if state:
            used = {c.fact: facts.get(c.fact) for c in (*rule.when, *rule.any, *rule.escalate_if)}
            escalate = rule.spec.escalate or any(_check(c, facts) for c in rule.escalate_if)
            rule_reasons = rule.spec.escalate_reasons if escalate and rule.spec.escalate_reasons else rule.spec.reasons
            hits.append(
                RuleHit(
                    rule=rule.spec.id,
                    decision=rule.spec.decision,
                    reasons=list(rule_reasons),
                    facts=used,
                    escalate=escalate,
                    description=rule.spec.description,
                )
            )
    if failures or unknown:
        hits.append(
            RuleHit(
                rule="fail_closed",
                decision=pack.fail_closed.decision,
                reasons=[pack.fail_closed.reason],
                facts={f"unavailable.{name}": True for name in failures},
                # A rule that could not be ruled out escalates as it would have: unconditionally,
                # or when its escalation condition holds or is itself unknown.
                escalate=any(
                    r.spec.escalate or any(_check(c, facts) is not False for c in r.escalate_if) for r in unknown
                ),
                description="a detector could not answer; its signal is unknown, never safe",
            )
        )
    if not hits:
        return Outcome(Decision.ALLOW, [], None, [], False)
    top = max(h.decision.severity for h in hits)
    winners = [h for h in hits if h.decision.severity == top]
    reasons: list[str] = []
    for hit in sorted(hits, key=lambda h: -h.decision.severity):
        if hit.decision is Decision.ALLOW:
            continue
        reasons.extend(r for r in hit.reasons if r not in reasons)
    return Outcome(
        decision=winners[0].decision,
        reasons=reasons,
        rule=winners[0].rule,
        hits=hits,
        escalate=any(h.escalate for h in hits),
    )
