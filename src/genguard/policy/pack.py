"""Policy packs: declarative rules in a TOML file that a deployment can copy and edit.

A rule is data, not code: ``when`` lists conditions that must all hold, ``any`` lists conditions
of which one must hold, each of the form ``<fact> <op> <value>`` where value is a number,
``true``/``false`` or ``$name`` (a pack threshold). Nothing in a pack is evaluated as Python.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from genguard.errors import GenguardError
from genguard.request import RequestKind
from genguard.verdict import Decision

_CONDITION = re.compile(r"^\s*([a-z_][a-z0-9_.]*)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")
Op = Literal[">=", "<=", "==", "!=", ">", "<"]


class PolicyError(GenguardError):
    code = "policy_invalid"
    status = 500


class Condition(BaseModel):
    """``fact op value``; ``value`` is resolved against the pack's thresholds at load time."""

    model_config = ConfigDict(frozen=True)

    fact: str
    op: Op
    value: float | bool
    text: str

    @classmethod
    def parse(cls, text: str, thresholds: dict[str, float]) -> Condition:
        match = _CONDITION.match(text)
        if not match:
            raise PolicyError(f"cannot parse condition {text!r}: expected '<fact> <op> <value>'")
        fact, op, raw = match.groups()
        value: float | bool
        if raw in ("true", "false"):
            value = raw == "true"
        elif raw.startswith("$"):
            if raw[1:] not in thresholds:
                raise PolicyError(f"condition {text!r} names unknown threshold {raw}")
            value = thresholds[raw[1:]]
        else:
            try:
                value = float(raw)
            except ValueError as exc:
                raise PolicyError(f"condition {text!r}: {raw!r} is not a number") from exc
        # _CONDITION's alternation admits exactly the Op spellings.
        return cls(fact=fact, op=cast(Op, op), value=value, text=text.strip())


class RuleSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    description: str = ""
    kinds: list[RequestKind]
    when: list[str] = Field(default_factory=list)
    any: list[str] = Field(default_factory=list)
    decision: Decision
    reasons: list[str]
    escalate: bool = False
    #: Escalate only when one of these holds (a *likely* minor, not merely a possible one), and
    #: then give ``escalate_reasons`` instead of ``reasons``: one rule refuses, a narrower
    #: condition decides whether the refusal is also a child-safety escalation.
    escalate_if: list[str] = Field(default_factory=list)
    escalate_reasons: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_conditions(self) -> RuleSpec:
        if not self.when and not self.any:
            raise ValueError(f"rule {self.id!r} has no conditions")
        if self.escalate and self.escalate_if:
            raise ValueError(f"rule {self.id!r}: escalate = true and escalate_if exclude each other")
        return self

    @field_validator("reasons", "escalate_reasons")
    @classmethod
    def _codes(cls, reasons: list[str]) -> list[str]:
        for code in reasons:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", code):
                raise ValueError(f"reason code {code!r} must be UPPER_SNAKE_CASE")
        return reasons


class Rule(BaseModel):
    """A rule with its conditions parsed."""

    model_config = ConfigDict(frozen=True)

    spec: RuleSpec
    when: list[Condition]
    any: list[Condition]
    escalate_if: list[Condition] = Field(default_factory=list)


class FailClosed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal[Decision.REVIEW, Decision.BLOCK] = Decision.REVIEW
    reason: str = "DETECTOR_UNAVAILABLE"


class StrikePolicy(BaseModel):
    """``[strikes]``: strikes (blocked generation attempts, upheld removals) within
    ``window_days`` at which an account may no longer generate or upload (cases/strikes.py)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window_days: int = Field(90, ge=1)
    restrict_generation_at: int = Field(3, ge=1)
    restrict_upload_at: int = Field(5, ge=1)


class PackMeta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    description: str = ""
    #: A bundled pack this one starts from: its thresholds, sections and rules apply unless this
    #: pack sets them; a rule with the same id replaces the base's rule in place.
    extends: str | None = None
    #: Rule ids of the base pack that this pack drops.
    remove_rules: list[str] = Field(default_factory=list)


class PolicyPack(BaseModel):
    """A validated pack. ``label`` (``name@version``) goes into every verdict."""

    model_config = ConfigDict(frozen=True)

    meta: PackMeta
    thresholds: dict[str, float]
    fail_closed: FailClosed
    rules: list[Rule]
    strikes: StrikePolicy | None = None

    @property
    def label(self) -> str:
        return f"{self.meta.name}@{self.meta.version}"

    @classmethod
    def from_toml(cls, text: str) -> PolicyPack:
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"policy pack is not valid TOML: {exc}") from exc
        unknown = set(raw) - {"pack", "thresholds", "fail_closed", "rules", "strikes"}
        if unknown:
            raise PolicyError(f"policy pack has unknown sections: {sorted(unknown)}")
        raw = _inherit(raw)
        try:
            meta = PackMeta.model_validate(raw.get("pack", {}))
            thresholds = {k: float(v) for k, v in raw.get("thresholds", {}).items()}
            fail_closed = FailClosed.model_validate(raw.get("fail_closed", {}))
            specs = [RuleSpec.model_validate(r) for r in raw.get("rules", [])]
            strikes = StrikePolicy.model_validate(raw["strikes"]) if "strikes" in raw else None
        except (ValueError, TypeError) as exc:
            raise PolicyError(f"policy pack is invalid: {exc}") from exc
        ids = [s.id for s in specs]
        if len(ids) != len(set(ids)):
            raise PolicyError("policy pack has duplicate rule ids")
        rules = [
            Rule(
                spec=s,
                when=[Condition.parse(c, thresholds) for c in s.when],
                any=[Condition.parse(c, thresholds) for c in s.any],
                escalate_if=[Condition.parse(c, thresholds) for c in s.escalate_if],
            )
            for s in specs
        ]
        return cls(meta=meta, thresholds=thresholds, fail_closed=fail_closed, rules=rules, strikes=strikes)


def _inherit(raw: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """Merge a pack that ``extends`` a bundled one onto that base (bases may extend too)."""
    meta = raw.get("pack", {})
    base_name = meta.get("extends") if isinstance(meta, dict) else None
    if not base_name:
        return raw
    if depth > 4:
        raise PolicyError("policy pack extends too deep (more than 4 levels)")
    base = _inherit(tomllib.loads(_bundled_text(str(base_name))), depth + 1)
    removed = set(meta.get("remove_rules", []))
    base_ids = {r.get("id") for r in base.get("rules", [])}
    if removed - base_ids:
        raise PolicyError(f"remove_rules names rules the base pack lacks: {sorted(removed - base_ids)}")
    own = {r.get("id"): r for r in raw.get("rules", [])}
    rules = [own.pop(r["id"], r) for r in base.get("rules", []) if r.get("id") not in removed]
    merged = {**base, **{k: v for k, v in raw.items() if k not in ("thresholds", "rules")}}
    merged["thresholds"] = {**base.get("thresholds", {}), **raw.get("thresholds", {})}
    merged["rules"] = [*rules, *own.values()]
    merged["pack"] = {k: v for k, v in meta.items() if k not in ("extends", "remove_rules")}
    return merged


def _bundled_text(name: str) -> str:
    bundled = resources.files("genguard.policy") / "packs" / f"{name}.toml"
    if not bundled.is_file():
        raise PolicyError(f"no bundled policy pack named {name!r}")
    return bundled.read_text(encoding="utf-8")


def load_pack(name_or_path: str) -> PolicyPack:
    """Load a bundled pack by name (``uk-osa``) or a pack file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        try:
            return PolicyPack.from_toml(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise PolicyError(f"cannot read policy pack {path}: {exc}") from exc
    return PolicyPack.from_toml(_bundled_text(name_or_path))
