"""Regenerate a DSA Transparency Database statement schema from the database's own source code.

The Transparency Database publishes no JSON Schema; its validation rules are the Laravel request
rules in ``app/Http/Requests/StatementStoreRequest.php`` (single endpoint) and
``app/Services/GroupedSubmissionsService.php`` (batch endpoint, same rules), with the allowed
values in ``app/Models/Statement.php`` and ``app/Services/European*Service.php``. This tool reads
those files at one commit of https://github.com/digital-services-act/transparency-database and
writes the JSON Schema genguard validates against, so a schema change upstream is a re-run, not
a hand edit:

    python tools/dsa_tdb_schema.py GIT_DIR COMMIT VERSION src/genguard/compliance/schemas/dsa_sor_VERSION.json

Every field rule found upstream must be translated below; an unknown rule stops the tool rather
than producing a schema that is silently looser than the database.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_URL = "https://github.com/digital-services-act/transparency-database"
_RULES_FILE = "app/Http/Requests/StatementStoreRequest.php"
#: Rules that only tell Laravel to drop or keep a field, or that the schema expresses elsewhere.
_STRUCTURAL = re.compile(r"^(nullable|string|required_without_all:.*|required_if:.*|exclude_unless:.*)$")


def _show(git_dir: str, commit: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def _constants(php: str) -> dict[str, Any]:
    """``const NAME = 'v';`` and ``const NAME = [ ... ];`` (list, or map of KEY => value)."""
    scalars = dict(re.findall(r"const (\w+) = '((?:[^'\\]|\\.)*)';", php))
    out: dict[str, Any] = dict(scalars)
    for name, body in re.findall(r"const (\w+) = \[(.*?)\];", php, re.S):
        pairs = re.findall(r"'([^']+)'\s*=>\s*(self::\w+|'(?:[^'\\]|\\.)*')", body)
        if pairs:
            out[name] = {k: scalars.get(v[6:], v) if v.startswith("self::") else v.strip("'") for k, v in pairs}
        else:
            out[name] = re.findall(r"'([^']+)'|self::(\w+)", body)
            out[name] = [a or scalars[b] for a, b in out[name]]
    return out


def _rules(php: str) -> dict[str, list[str]]:
    """Field -> its rule strings, read from ``rules()``; ``$this->in(...)`` kept as ``in:EXPR``."""
    body = php[php.index("function rules()"):]
    body = body[:body.index("\n    }\n")]
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"^\s{12}'([\w.\-]+)'\s*=>\s*\[", body, re.M):
        depth, i = 1, m.end()
        while depth:
            depth += {"[": 1, "]": -1}.get(body[i], 0)
            i += 1
        inner = body[m.end():i - 1]
        rules = [f"in:{keys}{const}" for keys, const in re.findall(r"\$this->in\((array_keys\()?(\w+::\w+)", inner)]
        rules += [r for r in re.findall(r"'([^']+)'", inner)]
        rules += ["required_if_other"] if "requiredIf" in inner else []
        out[m.group(1)] = rules
    return out


def _enum(expr: str, model: dict[str, Any], countries: dict[str, Any], languages: dict[str, Any]) -> list[str]:
    source = {"Statement": model, "EuropeanCountriesService": countries, "EuropeanLanguagesService": languages}
    keys = expr.startswith("array_keys(")
    owner, const = re.search(r"(\w+)::(\w+)", expr).groups()
    values = source[owner][const]
    return sorted(values) if keys else sorted(values.values() if isinstance(values, dict) else values)


def build(git_dir: str, commit: str, version: str) -> dict[str, Any]:
    model = _constants(_show(git_dir, commit, "app/Models/Statement.php"))
    countries = _constants(_show(git_dir, commit, "app/Services/EuropeanCountriesService.php"))
    languages = _constants(_show(git_dir, commit, "app/Services/EuropeanLanguagesService.php"))
    rules = _rules(_show(git_dir, commit, _RULES_FILE))
    date = subprocess.run(["git", "--git-dir", git_dir, "show", "-s", "--format=%cI", commit], check=True,
                          capture_output=True, text=True).stdout.strip()
    props: dict[str, Any] = {}
    required: list[str] = []
    for field, field_rules in rules.items():
        if "." in field:  # content_id.EAN-13: a member of the content_id object
            continue
        schema: dict[str, Any] = {}
        is_array = "array" in field_rules
        item: dict[str, Any] = {}
        for rule in field_rules:
            name, _, arg = rule.partition(":")
            if name == "in":
                item["enum"] = _enum(arg, model, countries, languages)
            elif name == "required":
                required.append(field)
            elif name == "max":
                item["type"] = "string"
                item["maxLength"] = int(arg)
            elif name == "date_format":
                if arg != "Y-m-d":
                    raise SystemExit(f"{field}: unknown date format {arg}")
                item.update(type="string", pattern=r"^\d{4}-\d{2}-\d{2}$", format="date")
            elif name == "after_or_equal":
                item["formatMinimum"] = arg
            elif name == "before_or_equal":
                item["formatMaximum"] = arg
            elif name == "regex":
                item.update(type="string", pattern=arg.removeprefix("/").removesuffix("/D"))
            elif name == "url":
                item.update(type="string", format="uri")
            elif name in ("array", "required_if_other") or _STRUCTURAL.match(rule):
                continue
            else:
                raise SystemExit(f"{field}: rule {rule!r} has no translation; extend the tool")
        if is_array:
            schema = {"type": "array", "items": item, "uniqueItems": True}
            if field in required:
                schema["minItems"] = 1  # Laravel's "required" refuses an empty array
        else:
            schema = item
        if "nullable" in field_rules or field not in required:
            schema = {"anyOf": [schema, {"type": "null"}]} if schema else {}
        props[field] = schema
    props["content_id"] = {"anyOf": [{"type": "null"}, {
        "type": "object", "additionalProperties": False,
        "properties": {"EAN-13": {"type": "string", "pattern": "^[0-9]{13}$"}}}]}
    non_null = {"not": {"type": "null"}}
    conditional = [
        # required_without_all: at least one of the four restrictions.
        {"anyOf": [{"required": [f], "properties": {f: non_null}}
                   for f in ("decision_visibility", "decision_monetary", "decision_provision", "decision_account")]},
        *[{"if": {"required": ["decision_ground"], "properties": {"decision_ground": {"const": ground}}},
           "then": {"required": fields, "properties": {f: non_null for f in fields}}}
          for ground, fields in (
              ("DECISION_GROUND_ILLEGAL_CONTENT", ["illegal_content_legal_ground", "illegal_content_explanation"]),
              ("DECISION_GROUND_INCOMPATIBLE_CONTENT",
               ["incompatible_content_ground", "incompatible_content_explanation"]))],
        *[{"if": {"required": [field], "properties": {field: {"type": "array", "contains": {"const": other}}}},
           "then": {"required": [f"{field}_other"], "properties": {f"{field}_other": non_null}}}
          for field, other in (("decision_visibility", "DECISION_VISIBILITY_OTHER"),
                               ("content_type", "CONTENT_TYPE_OTHER"))],
        {"if": {"required": ["decision_monetary"], "properties": {"decision_monetary": {"const": "DECISION_MONETARY_OTHER"}}},
         "then": {"required": ["decision_monetary_other"], "properties": {"decision_monetary_other": non_null}}},
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://genguard.invalid/schemas/dsa_sor_{version}.json",
        "title": f"DSA Transparency Database statement of reasons, submission schema {version}",
        "x-source": {"repository": REPO_URL, "commit": commit, "commit_date": date,
                     "files": [_RULES_FILE, "app/Services/GroupedSubmissionsService.php", "app/Models/Statement.php",
                               "app/Services/EuropeanCountriesService.php",
                               "app/Services/EuropeanLanguagesService.php"],
                     "documentation": "https://transparency.dsa.ec.europa.eu/page/api-documentation",
                     "generator": "tools/dsa_tdb_schema.py"},
        "x-batch": {"endpoint": "/api/v1/statements", "minItems": 1, "maxItems": 100,
                    "puid": "unique within the platform, across all earlier submissions"},
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": props,
        "allOf": conditional,
    }


def main() -> None:
    git_dir, commit, version, out = sys.argv[1:5]
    Path(out).write_text(json.dumps(build(git_dir, commit, version), indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
