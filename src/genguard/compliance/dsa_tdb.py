"""Statements of reasons in the DSA Transparency Database's submission format (Art. 24(5)).

Built from the statements recorded in the audit trail (``case.decided`` and the automated
``takedown.copy_removed``), one per restricting decision; "no action" restricts nothing and has
no statement. The platform submits the result through its Transparency Database API token;
genguard only writes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from genguard.compliance.transparency import records
from genguard.store.db import Store

CATEGORY = {
    "child_sexual_abuse": ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL"),
    "intimate_image_abuse": ("STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR", "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING"),
    "ai_generated_intimate_image": ("STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
                                    "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING"),
    "other": ("STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", None),
}
SOURCE = {"notice": "SOURCE_ARTICLE_16", "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
          "hotline": "SOURCE_TYPE_OTHER_NOTIFICATION", "screening": "SOURCE_VOLUNTARY"}


def statement(sor: dict[str, Any], *, category: str, source: str) -> dict[str, Any]:
    """One Transparency Database statement from a genguard statement of reasons."""
    cat, keyword = CATEGORY.get(category, CATEGORY["other"])
    illegal = sor["ground"] == "illegal"
    out: dict[str, Any] = {
        "decision_visibility": [sor["restriction"]],
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT" if illegal else "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "category": cat,
        "content_type": ["CONTENT_TYPE_IMAGE"],
        "source_type": SOURCE.get(source, "SOURCE_TYPE_OTHER_NOTIFICATION"),
        "automated_detection": "Yes" if sor["automated_detection"] else "No",
        "automated_decision": ("AUTOMATED_DECISION_FULLY" if sor["automated_decision"]
                               else "AUTOMATED_DECISION_NOT_AUTOMATED"),
        "application_date": sor["decided_at"][:10],
        "territorial_scope": sor["territorial_scope"],
        "puid": f"genguard-case-{sor['case_id']}-{(sor['content'] or {}).get('platform_id') or 'item'}",
    }
    if keyword:
        out["category_specification"] = [keyword]
    if illegal:
        out["illegal_content_legal_ground"] = sor["legal_ground"]
        out["illegal_content_explanation"] = sor["facts_and_circumstances"]
    else:
        out["incompatible_content_ground"] = sor["contractual_ground"]
        out["incompatible_content_explanation"] = sor["facts_and_circumstances"]
    return out


def statements(store: Store, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Every restricting decision's statement in ``[start, end)``, in audit order."""
    out: list[dict[str, Any]] = []
    for rec in records(store, start, end):
        p = rec.payload
        if rec.kind == "case.decided" and p["statement"]["restriction"]:
            out.append(statement(p["statement"], category=p["category"], source=p["source"]))
        elif rec.kind == "takedown.copy_removed":
            out.append(statement(p["statement"], category=p["category"], source="screening"))
    return out
