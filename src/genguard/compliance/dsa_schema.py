"""Validation of statements against the DSA Transparency Database's submission schema.

The schema files are generated from the database's own Laravel rules (tools/dsa_tdb_schema.py),
so a statement that passes here passes there; errors come back in the database's own shape
(``{"statement_0": {"field": ["message"]}}``) so an operator reads the same thing either way.
Two rules JSON Schema cannot state are checked in code: dates within the database's bounds
(``formatMinimum``/``formatMaximum``, compared as ISO dates) and puid uniqueness across a batch.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

from genguard.compliance.schemas import load_json
from genguard.errors import GenguardError

#: Schema versions, oldest first. v1 was accepted until 30 June 2025; v2 since 1 July 2025
#: (the Implementing Regulation on Transparency Reporting categories).
Version = Literal["v1", "v2"]
VERSIONS: tuple[str, ...] = get_args(Version)
LATEST: Version = "v2"  # keep equal to the last of VERSIONS
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DUPLICATE_PUID = "The platform identifier(s) are not all unique within this call."


class StatementsInvalid(GenguardError):
    """Statements the Transparency Database would refuse; nothing was written or sent."""

    code = "dsa_statements_invalid"
    status = 422

    def __init__(self, errors: dict[str, dict[str, list[str]]]) -> None:
        count = sum(len(m) for fields in errors.values() for m in fields.values())
        super().__init__(f"{count} schema error(s) in {len(errors)} statement(s): {errors}")
        self.errors = errors


def _bound(op: str) -> Any:
    def check(validator: Any, bound: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if isinstance(instance, str) and _DATE.fullmatch(instance) and (
                (op == "min" and instance < bound) or (op == "max" and instance > bound)):
            word = "after or equal to" if op == "min" else "before or equal to"
            yield ValidationError(f"must be a date {word} {bound}")
    return check


_CHECKER = FormatChecker(["date"])


@_CHECKER.checks("uri", raises=ValueError)
def _is_url(value: object) -> bool:
    """Laravel's ``url`` rule: an absolute http(s) URL with a host."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


_Validator = validators.extend(Draft202012Validator, {"formatMinimum": _bound("min"), "formatMaximum": _bound("max")})


def schema(version: str = LATEST) -> dict[str, Any]:
    if version not in VERSIONS:
        raise GenguardError(f"unknown DSA schema version {version!r}; known: {', '.join(VERSIONS)}",
                            code="dsa_schema_unknown")
    return load_json(f"dsa_sor_{version}.json")


@cache
def _validator(version: str) -> Any:
    return _Validator(schema(version), format_checker=_CHECKER)


def _field(error: ValidationError) -> str:
    if error.path:
        return str(error.path[0])
    if error.validator in ("required", "additionalProperties"):  # the message names the field
        return re.search(r"'([^']+)'", error.message).group(1)  # type: ignore[union-attr]
    if error.validator == "anyOf":  # the one top-level anyOf: at least one restriction
        return "decision_visibility"
    return "statement"


def errors(statement: Any, version: str = LATEST) -> dict[str, list[str]]:
    """Field -> messages for one statement (empty when it is valid)."""
    out: dict[str, list[str]] = {}
    if not isinstance(statement, dict):
        return {"statement": ["must be a JSON object"]}
    for error in _validator(version).iter_errors(statement):
        message = error.message
        if error.validator == "anyOf" and not error.path:
            message = ("one of decision_visibility, decision_monetary, decision_provision or decision_account "
                       "is required")
        out.setdefault(_field(error), []).append(message)
    return out


def check(statements: Iterable[Any], version: str = LATEST) -> None:
    """Raise :class:`StatementsInvalid` unless every statement is valid and every puid unique."""
    batch = list(statements)
    found: dict[str, dict[str, list[str]]] = {}
    for i, statement in enumerate(batch):
        if problems := errors(statement, version):
            found[f"statement_{i}"] = problems
    counts = Counter(s.get("puid") for s in batch if isinstance(s, dict))
    for i, statement in enumerate(batch):
        if isinstance(statement, dict) and counts[statement.get("puid")] > 1:
            found.setdefault(f"statement_{i}", {}).setdefault("puid", []).append(DUPLICATE_PUID)
    if found:
        raise StatementsInvalid(found)
