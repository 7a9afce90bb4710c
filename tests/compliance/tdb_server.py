"""A loopback stand-in for the DSA Transparency Database's batch endpoint.

It enforces what the real one does (app/Http/Controllers/Api/v1/StatementMultipleAPIController
and GroupedSubmissionsService in digital-services-act/transparency-database): a bearer token,
1 to 100 statements, every statement against the published rules (the generated schema file,
read here with plain jsonschema and its own date-bound check, not through genguard's
validator), puids unique within the call and within the platform, all-or-nothing storage, and
the documented answers: 201 with the created statements, 422 with ``statement_N`` errors or with
``existing_puids``, 401 for a bad token. ``faults`` injects transient failures: an HTTP status
answered before anything is stored, or ``"store_then_504"`` (stored, answer lost).
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from jsonschema import Draft202012Validator, FormatChecker


def _schema(version: str) -> dict[str, Any]:
    return json.loads(files("genguard.compliance.schemas").joinpath(f"dsa_sor_{version}.json").read_text())


def _bounds(schema: dict[str, Any], statement: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, prop in schema["properties"].items():
        value = statement.get(name)
        lo, hi = prop.get("formatMinimum"), prop.get("formatMaximum")
        if isinstance(value, str) and (lo or hi):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                continue  # the format error is reported by the schema
            if (lo and day < date.fromisoformat(lo)) or (hi and day > date.fromisoformat(hi)):
                out[name] = [f"The {name.replace('_', ' ')} field must be a date between {lo} and {hi}."]
    return out


def make_app(token: str, *, version: str = "v2", faults: list[Any] | None = None) -> FastAPI:
    app = FastAPI()
    schema = _schema(version)
    validator = Draft202012Validator(schema, format_checker=FormatChecker(["date"]))
    app.state.stored = {}  # puid -> stored statement
    app.state.requests = 0
    app.state.faults = list(faults or [])

    @app.post("/api/v1/statements")
    async def store(request: Request) -> JSONResponse:
        app.state.requests += 1
        if request.headers.get("authorization") != f"Bearer {token}":
            return JSONResponse({"message": "Unauthenticated."}, status_code=401)
        fault = app.state.faults.pop(0) if app.state.faults else None
        if isinstance(fault, int):
            return JSONResponse({"message": "Server Error"}, status_code=fault)
        body = await request.json()
        statements = body.get("statements") if isinstance(body, dict) else None
        if not isinstance(statements, list) or not 1 <= len(statements) <= 100:
            return JSONResponse({"message": "The statements field must have between 1 and 100 items.",
                                 "errors": {"statements": ["The statements field must have between 1 and 100 items."]}},
                                status_code=422)
        errors: dict[str, dict[str, list[str]]] = {}
        for i, statement in enumerate(statements):
            found: dict[str, list[str]] = {}
            for error in validator.iter_errors(statement):
                name = str(error.path[0]) if error.path else error.message.split("'")[1] if "'" in error.message \
                    else "statement"
                found.setdefault(name, []).append(error.message)
            if isinstance(statement, dict):
                for name, messages in _bounds(schema, statement).items():
                    found.setdefault(name, []).extend(messages)
            if found:
                errors[f"statement_{i}"] = found
        if errors:
            return JSONResponse({"errors": errors}, status_code=422)
        puids = [s["puid"] for s in statements]
        duplicates = sorted({p for p in puids if puids.count(p) > 1} | {p for p in puids if p in app.state.stored})
        if duplicates:
            message = "The platform identifier(s) are not all unique within this call."
            return JSONResponse({"message": message, "errors": {"puid": [message], "existing_puids": duplicates}},
                                status_code=422)
        out = []
        for statement in statements:
            created = {**statement, "uuid": str(uuid.uuid4()), "platform_name": "Loopback Platform"}
            app.state.stored[statement["puid"]] = created
            out.append(created)
        if fault == "store_then_504":
            return JSONResponse({"message": "Gateway Timeout"}, status_code=504)
        return JSONResponse({"statements": out}, status_code=201)

    return app
