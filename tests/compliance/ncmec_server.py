"""A loopback stand-in for the NCMEC CyberTipline Reporting API.

It answers as the documentation describes (XML ``reportResponse``/``reportDoneResponse`` with a
``responseCode``; 0 success, 2000 authentication required, 4100 validation failed, 5001 report
does not exist, 5002 file does not exist, 5101 already retracted, 5102 already finished) and
validates every XML body against the XSD in the repository, parsed with DTDs and entities
refused. ``fail_fileinfo`` makes /fileinfo answer 1000 (server error) to test the retraction.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import xmlschema
from defusedxml.ElementTree import fromstring
from fastapi import FastAPI, Request
from fastapi.responses import Response

_SCHEMA = xmlschema.XMLSchema(str(files("genguard.compliance.schemas").joinpath("ncmec_report.xsd")))


@dataclass
class Report:
    xml: bytes
    files: dict[str, bytes] = field(default_factory=dict)
    details: dict[str, bytes] = field(default_factory=dict)
    state: str = "open"  # open, finished, retracted


def _answer(code: int, description: str, status: int = 200, root: str = "reportResponse", **extra: Any) -> Response:
    parts = [f"<responseCode>{code}</responseCode>"]
    if root == "reportResponse":
        parts.append(f"<responseDescription>{description}</responseDescription>")
    for key, value in extra.items():
        if isinstance(value, list):
            parts.append("<files>" + "".join(f"<fileId>{v}</fileId>" for v in value) + "</files>")
        else:
            parts.append(f"<{key}>{value}</{key}>")
    body = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{root}>{"".join(parts)}</{root}>'
    return Response(body, status_code=status, media_type="application/xml")


def make_app(username: str, password: str, *, fail_fileinfo: bool = False) -> FastAPI:
    import base64

    app = FastAPI()
    app.state.reports: dict[int, Report] = {}
    ids = itertools.count(4564654)
    expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

    def authed(request: Request) -> bool:
        return request.headers.get("authorization") == expected

    def invalid(data: bytes, root: str) -> str | None:
        try:
            element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a malformed submittal
            return f"malformed XML: {exc}"
        if element.tag != root:
            return f"expected <{root}>"
        errors = [f"{e.path}: {e.reason}" for e in _SCHEMA.iter_errors(element)]
        return "; ".join(errors) or None

    def report(form_id: Any) -> Report | None:
        try:
            return app.state.reports.get(int(form_id))
        except (TypeError, ValueError):
            return None

    @app.post("/submit")
    async def submit(request: Request) -> Response:
        if not authed(request):
            return _answer(2000, "Authentication required", 401)
        body = await request.body()
        if problem := invalid(body, "report"):
            return _answer(4100, f"Validation failed: {problem}", 400)
        report_id = next(ids)
        app.state.reports[report_id] = Report(body)
        return _answer(0, "Success", reportId=report_id)

    @app.post("/upload")
    async def upload(request: Request) -> Response:
        if not authed(request):
            return _answer(2000, "Authentication required", 401)
        form = await request.form()
        found = report(form.get("id"))
        if found is None:
            return _answer(5001, "Report does not exist", 400)
        if found.state != "open":
            return _answer(5102 if found.state == "finished" else 5101, f"Report already {found.state}", 400)
        data = await form["file"].read()  # type: ignore[union-attr]
        file_id = uuid.uuid4().hex
        found.files[file_id] = data
        return _answer(0, "Success", reportId=form.get("id"), fileId=file_id,
                       hash=hashlib.md5(data).hexdigest())  # noqa: S324 - what NCMEC returns

    @app.post("/fileinfo")
    async def fileinfo(request: Request) -> Response:
        if not authed(request):
            return _answer(2000, "Authentication required", 401)
        body = await request.body()
        if problem := invalid(body, "fileDetails"):
            return _answer(4100, f"Validation failed: {problem}", 400)
        if fail_fileinfo:
            return _answer(1000, "Server error", 500)
        element = fromstring(body, forbid_dtd=True)
        found = report(element.findtext("reportId"))
        if found is None:
            return _answer(5001, "Report does not exist", 400)
        file_id = element.findtext("fileId") or ""
        if file_id not in found.files:
            return _answer(5002, "File does not exist", 400)
        found.details[file_id] = body
        return _answer(0, "Success", reportId=element.findtext("reportId"))

    @app.post("/finish")
    async def finish(request: Request) -> Response:
        if not authed(request):
            return _answer(2000, "Authentication required", 401)
        form = await request.form()
        found = report(form.get("id"))
        if found is None:
            return _answer(5001, "Report does not exist", 400, root="reportDoneResponse")
        if found.state != "open":
            return _answer(5102 if found.state == "finished" else 5101, "", 400, root="reportDoneResponse")
        found.state = "finished"
        return _answer(0, "", root="reportDoneResponse", reportId=form.get("id"), files=list(found.files))

    @app.post("/retract")
    async def retract(request: Request) -> Response:
        if not authed(request):
            return _answer(2000, "Authentication required", 401)
        form = await request.form()
        found = report(form.get("id"))
        if found is None:
            return _answer(5001, "Report does not exist", 400)
        if found.state != "open":
            return _answer(5102 if found.state == "finished" else 5101, f"Report already {found.state}", 400)
        found.state = "retracted"
        return _answer(0, "Success", reportId=form.get("id"))

    return app
