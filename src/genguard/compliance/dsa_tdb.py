"""Statements of reasons in the DSA Transparency Database's submission format (Art. 24(5)).

Built from the statements recorded in the audit trail (``case.decided`` and the automated
``takedown.copy_removed``), one per restricting decision; "no action" restricts nothing and has
no statement. Every statement is validated against the database's schema for the chosen version
(:mod:`genguard.compliance.dsa_schema`) before it is returned, so an export either validates
whole or fails with the database's own error messages. :mod:`genguard.compliance.tdb_client`
submits them.

What the database does not take, and why this module drops or maps it:

* ``territorial_scope`` holds EU/EEA country codes only. genguard's "worldwide" becomes every
  EEA code; codes outside the EEA (``GB``, ``US``) are dropped; a decision that applies nowhere
  in the EEA is not an Art. 24(5) statement and is left out (counted in :class:`Export`).
* ``puid`` is unique per platform for ever: it is built from the audit record's sequence
  number, which is unique and stable, so exporting the same period twice gives the same puids
  and the database refuses the second submission as a duplicate instead of counting it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from collections.abc import Callable, Mapping
from typing import Any


from genguard.compliance import dsa_schema
from genguard.compliance.dsa_schema import LATEST
from genguard.compliance.schemas import load_json
from genguard.compliance.transparency import records
from genguard.store.db import Store

#: genguard category -> (category, keywords, synthetic media?) per schema version.
_V1 = {
    "child_sexual_abuse": ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", ["KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL"], False),
    "intimate_image_abuse": ("STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR", ["KEYWORD_NON_CONSENSUAL_IMAGE_SHARING"],
                             False),
    "ai_generated_intimate_image": ("STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
                                    ["KEYWORD_NON_CONSENSUAL_ITEMS_DEEPFAKE"], True),
    "other": ("STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", [], False),
}
_V2 = {
    "child_sexual_abuse": ("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", ["KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL"], False),
    "intimate_image_abuse": ("STATEMENT_CATEGORY_CYBER_VIOLENCE", ["KEYWORD_NON_CONSENSUAL_IMAGE_SHARING"], False),
    "ai_generated_intimate_image": ("STATEMENT_CATEGORY_CYBER_VIOLENCE", ["KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE"],
                                    True),
    "other": ("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", [], False),
}
CATEGORIES = {"v1": _V1, "v2": _V2}
#: Where the decision came from. Only a DSA notice is an Art. 16 notice; a TAKE IT DOWN or
#: OSA notice, or a hotline's, is "another type of notification".
SOURCES = {"notice": "SOURCE_ARTICLE_16", "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
           "hotline": "SOURCE_TYPE_OTHER_NOTIFICATION", "screening": "SOURCE_VOLUNTARY"}
WORLDWIDE = ("worldwide", "EEA", "EU")


@dataclass
class Export:
    """One period's statements, all valid for ``version``, and how many were left out."""

    version: str
    statements: list[dict[str, Any]] = field(default_factory=list)
    outside_eea: int = 0


def territorial_scope(scope: list[str], version: str = LATEST) -> list[str]:
    """genguard's scope as the database's EEA country codes (empty: not an EEA decision)."""
    eea = load_json(f"dsa_sor_{version}.json")["properties"]["territorial_scope"]["anyOf"][0]["items"]["enum"]
    if any(s in WORLDWIDE for s in scope):
        return list(eea)
    return sorted({s.upper() for s in scope} & set(eea))


def statement(sor: dict[str, Any], *, category: str, source: str, puid: str,
              version: str = LATEST, regime: str | None = None) -> dict[str, Any] | None:
    """One database statement from a genguard statement of reasons (``None``: not for the EEA)."""
    scope = territorial_scope(sor["territorial_scope"], version)
    if not scope:
        return None
    cat, keywords, synthetic = CATEGORIES[version].get(category, CATEGORIES[version]["other"])
    illegal = sor["ground"] == "illegal"
    source_type = SOURCES.get(source, "SOURCE_TYPE_OTHER_NOTIFICATION")
    if source_type == "SOURCE_ARTICLE_16" and regime != "dsa":
        source_type = "SOURCE_TYPE_OTHER_NOTIFICATION"
    content = sor.get("content") or {}
    # The database asks when the content was posted; genguard knows it when the platform said so
    # (content_date / posted_at), otherwise the decision date is the latest it can have been.
    content_date = sor.get("content_date") or content.get("posted_at") or sor["decided_at"]
    out: dict[str, Any] = {
        "decision_visibility": [sor["restriction"]],
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT" if illegal else "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "category": cat,
        "content_type": ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_SYNTHETIC_MEDIA"] if synthetic else ["CONTENT_TYPE_IMAGE"],
        "source_type": source_type,
        "automated_detection": "Yes" if sor["automated_detection"] else "No",
        "automated_decision": ("AUTOMATED_DECISION_FULLY" if sor["automated_decision"]
                               else "AUTOMATED_DECISION_NOT_AUTOMATED"),
        "decision_facts": sor["facts_and_circumstances"],
        "content_date": content_date[:10],
        "application_date": sor["decided_at"][:10],
        "territorial_scope": scope,
        "puid": puid,
    }
    if keywords:
        out["category_specification"] = keywords
    if illegal:
        out["illegal_content_legal_ground"] = sor["legal_ground"]
        out["illegal_content_explanation"] = sor["facts_and_circumstances"]
    else:
        out["incompatible_content_ground"] = sor["contractual_ground"]
        out["incompatible_content_explanation"] = sor["facts_and_circumstances"]
    return out


#: Each case's regime by case id: the case domain answers (``cases.rows.regimes``); compliance
#: never reads the case tables itself.
Regimes = Callable[[set[int]], Mapping[int, str]]


def statements(store: Store, start: datetime, end: datetime, *, regimes: Regimes, version: str = LATEST,
               puid_prefix: str = "genguard") -> Export:
    """Every restricting decision's statement in ``[start, end)``, in audit order, validated.

    ``regimes`` gives each decided case's regime (the audit payloads of older decisions do not
    carry it); the platform passes ``functools.partial(cases.rows.regimes, store)``.

    Raises :class:`~genguard.compliance.dsa_schema.StatementsInvalid` (nothing returned) when
    any statement would be refused, naming each one's fields.
    """
    dsa_schema.schema(version)  # an unknown version fails before any work
    export = Export(version)
    decided = [r for r in records(store, start, end) if r.kind in ("case.decided", "takedown.copy_removed")]
    regime_of = regimes({r.payload["case_id"] for r in decided})
    for rec in decided:
        p = rec.payload
        if rec.kind == "case.decided" and (p.get("statement") or {}).get("restriction"):
            built = statement(p["statement"], category=p["category"], source=p["source"], version=version,
                              regime=regime_of.get(p["case_id"]), puid=f"{puid_prefix}-case{p['case_id']}-a{rec.seq}")
        elif rec.kind == "takedown.copy_removed":
            built = statement(p["statement"], category=p["category"], source="screening", version=version,
                              puid=f"{puid_prefix}-case{p['case_id']}-copy-a{rec.seq}")
        else:
            continue
        if built is None:
            export.outside_eea += 1
        else:
            export.statements.append(built)
    dsa_schema.check(export.statements, version)
    return export
