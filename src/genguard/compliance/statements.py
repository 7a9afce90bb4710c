"""Statements of reasons (DSA Art. 17): one per decision, for the uploader and the reporter.

Art. 17(3) asks for (a) what was restricted and how, its territorial scope and duration; (b) the
facts relied on, including whether a notice triggered it and, where strictly necessary, who sent
it; (c) whether automated means detected the content or took the decision; (d) for illegal
content, the law relied on; (e) for a terms breach, the contractual clause; (f) redress. The
statement is plain data: it goes into the audit trail, the notification webhooks and the DSA
Transparency Database export unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from genguard.vocabulary import Category, Regime

#: The law a removal of this category rests on, per regime (a reviewer may give another).
_TIDA = "TAKE IT DOWN Act (Pub. L. 119-12), s. 3"
_OSA = "Online Safety Act 2023 s. 10 (illegal content duties)"
_DSA = "Regulation (EU) 2022/2065 Art. 16"
LEGAL_GROUNDS: dict[tuple[Regime, Category], str] = {
    (Regime.TAKE_IT_DOWN, Category.INTIMATE_IMAGE_ABUSE):
        f"{_TIDA}: notice and removal of nonconsensual intimate visual depictions",
    (Regime.TAKE_IT_DOWN, Category.AI_GENERATED_INTIMATE_IMAGE): f"{_TIDA}: digital forgeries",
    (Regime.UK_OSA, Category.CHILD_SEXUAL_ABUSE): f"{_OSA}; Protection of Children Act 1978 s. 1",
    (Regime.UK_OSA, Category.INTIMATE_IMAGE_ABUSE): f"{_OSA}; Sexual Offences Act 2003 s. 66B",
    (Regime.UK_OSA, Category.AI_GENERATED_INTIMATE_IMAGE):
        f"{_OSA}; Sexual Offences Act 2003 s. 66B (includes altered images)",
    (Regime.DSA, Category.CHILD_SEXUAL_ABUSE): f"Directive 2011/93/EU Art. 5 as transposed; {_DSA}",
    (Regime.DSA, Category.INTIMATE_IMAGE_ABUSE): f"Directive (EU) 2024/1385 Art. 5 as transposed; {_DSA}",
    (Regime.DSA, Category.AI_GENERATED_INTIMATE_IMAGE):
        f"Directive (EU) 2024/1385 Art. 5(1)(b) as transposed; {_DSA}",
}
DEFAULT_TERMS = ("Platform terms: sexual or intimate imagery of a real person without consent, and any "
                 "sexualised depiction of a minor, are prohibited")
REDRESS = {
    "internal_complaint": "Appeal through the platform within the appeal window (DSA Art. 20)",
    "out_of_court_settlement": "A certified out-of-court dispute settlement body (DSA Art. 21)",
    "judicial_redress": "The courts of the competent jurisdiction",
}
#: What each decision does to the content, in DSA Transparency Database terms.
RESTRICTIONS = {
    "remove": "DECISION_VISIBILITY_CONTENT_REMOVED",
    "mandatory_report": "DECISION_VISIBILITY_CONTENT_REMOVED",
    "restrict": "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "no_action": None,
}


@dataclass(frozen=True)
class Ground:
    """Why: illegal content (with the law) or a terms breach (with the clause)."""

    kind: str  # "illegal" or "contractual"
    reference: str
    explanation: str

    @classmethod
    def default(cls, regime: Regime, category: Category, explanation: str, *, kind: str | None = None,
                reference: str | None = None) -> Ground:
        law = LEGAL_GROUNDS.get((regime, category))
        chosen = kind or ("illegal" if law else "contractual")
        ref = reference or (law if chosen == "illegal" and law else DEFAULT_TERMS)
        return cls(chosen, ref, explanation)


def statement_of_reasons(
    *,
    case_id: int,
    decision: str,
    ground: Ground,
    decided_at: datetime,
    automated_detection: bool,
    automated_decision: bool,
    notice: dict[str, Any] | None,
    content: dict[str, Any],
    territorial_scope: list[str] | None = None,
) -> dict[str, Any]:
    """The Art. 17 statement for one decision (also used for copies the sweep removed)."""
    return {
        "case_id": case_id,
        "decision": decision,
        "restriction": RESTRICTIONS.get(decision),
        "territorial_scope": territorial_scope or ["worldwide"],
        "duration": "indefinite" if decision in ("remove", "mandatory_report", "restrict") else None,
        "decided_at": decided_at.isoformat(),
        "facts_and_circumstances": ground.explanation,
        "notice": notice,
        "content": content,
        "automated_detection": automated_detection,
        "automated_decision": automated_decision,
        "ground": ground.kind,
        "legal_ground": ground.reference if ground.kind == "illegal" else None,
        "contractual_ground": ground.reference if ground.kind == "contractual" else None,
        "redress": REDRESS,
    }
