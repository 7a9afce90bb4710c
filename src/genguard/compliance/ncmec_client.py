"""Client for the NCMEC CyberTipline Reporting API: submit -> upload -> fileinfo -> finish.

Endpoints (relative to ``https://report.cybertip.org/ispws``, or ``exttest.cybertip.org`` for
the test environment), HTTP basic auth, XML answers carrying a ``responseCode`` (0 = success):

* ``POST /submit``   the ``<report>`` XML      -> ``<reportResponse>`` with the ``reportId``
* ``POST /upload``   multipart ``id``, ``file`` -> ``<reportResponse>`` with ``fileId`` and MD5 ``hash``
* ``POST /fileinfo`` the ``<fileDetails>`` XML -> ``<reportResponse>``
* ``POST /finish``   form ``id``                -> ``<reportDoneResponse>`` with the file ids
* ``POST /retract``  form ``id``                -> ``<reportResponse>`` (cancels an unfinished report)

Every answer is parsed with DTDs and entities refused and validated against the same XSD as the
documents genguard sends. A report is not complete until ``/finish``: if any later step fails,
:func:`file_report` retracts it, so NCMEC never holds half a report, and raises. ``on_submitted``
lets the caller persist the report id before the uploads, so a crashed filing is resumed with
``report_id=`` (upload the rest, finish) rather than filed twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self
from xml.etree import ElementTree as ET

import httpx
from defusedxml import DefusedXmlException

from genguard.compliance import mandatory
from genguard.compliance.filing import Filing
from genguard.errors import GenguardError

_FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


class CyberTiplineError(GenguardError):
    """NCMEC answered with a non-zero responseCode (or not at all); ``response_code`` is NCMEC's."""

    code = "ncmec_failed"
    status = 502

    def __init__(self, message: str, *, response_code: int | None = None) -> None:
        super().__init__(message)
        self.response_code = response_code


@dataclass(frozen=True)
class Media:
    """One file the platform holds for the case (genguard never stores media)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class FiledReport:
    report_id: int
    file_ids: list[str]
    written: list[Path]


class CyberTiplineClient:
    """One authenticated session with the Reporting API (credentials stay in the auth header)."""

    def __init__(self, base_url: str, username: str, password: str, *, timeout_s: float = 60.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), auth=httpx.BasicAuth(username, password),
                                  timeout=timeout_s, transport=transport, follow_redirects=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, path: str, expected: str, **kwargs: object) -> ET.Element:
        try:
            response = self._http.post(path, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError as exc:
            raise CyberTiplineError(f"{path}: transport error {type(exc).__name__}") from None
        try:
            root = mandatory.validate_ncmec(mandatory.parse_untrusted(response.content), expected)
        except (ET.ParseError, DefusedXmlException, mandatory.ReportInvalid, ValueError) as exc:
            # not XML, or not the documented answer
            raise CyberTiplineError(f"{path}: HTTP {response.status_code}, unreadable answer ({exc})") from None
        code = int(root.findtext("responseCode", "-1"))
        if code != 0 or response.status_code != 200:
            raise CyberTiplineError(f"{path}: HTTP {response.status_code}, responseCode {code} "
                                    f"({root.findtext('responseDescription', '')})", response_code=code)
        return root

    def submit(self, report_xml: bytes) -> int:
        root = self._call("/submit", "reportResponse", content=report_xml,
                          headers={"Content-Type": "text/xml; charset=utf-8"})
        return int(root.findtext("reportId", "0"))

    def upload(self, report_id: int, media: Media) -> str:
        root = self._call("/upload", "reportResponse", data={"id": str(report_id)},
                          files={"file": (media.filename, media.data, "application/octet-stream")})
        if root.findtext("hash") not in (None, hashlib.md5(media.data).hexdigest()):  # noqa: S324 - NCMEC's own check
            raise CyberTiplineError(f"/upload: NCMEC's MD5 of {media.filename} differs from the file sent")
        file_id = root.findtext("fileId", "")
        if not _FILE_ID.fullmatch(file_id):  # it names a file on disk: no path characters
            raise CyberTiplineError("/upload: NCMEC returned no usable fileId")
        return file_id

    def fileinfo(self, details_xml: bytes) -> None:
        self._call("/fileinfo", "reportResponse", content=details_xml,
                   headers={"Content-Type": "text/xml; charset=utf-8"})

    def finish(self, report_id: int) -> list[str]:
        root = self._call("/finish", "reportDoneResponse", data={"id": str(report_id)})
        return [f.text or "" for f in root.iterfind("files/fileId")]

    def retract(self, report_id: int) -> None:
        self._call("/retract", "reportResponse", data={"id": str(report_id)})


def file_report(client: CyberTiplineClient, incident: mandatory.Incident, settings: Filing,
                media: Sequence[Media], *, report_id: int | None = None,
                on_submitted: Callable[[int], None] | None = None) -> FiledReport:
    """File one complete report: validate everything first, then submit, upload each file with
    its details, finish; retract on failure after submission. Writes what was sent."""
    if not media:
        raise CyberTiplineError("a CyberTipline report for a case needs the reported file")
    report_xml = mandatory.ncmec_report(incident, settings)
    # Every file's details must validate before anything is sent (the ids are placeholders here).
    for _ in media:
        mandatory.ncmec_file_details(incident, settings, report_id=1, file_id="pending")
    if report_id is None:
        report_id = client.submit(report_xml)
        if on_submitted is not None:
            on_submitted(report_id)
    env, out = settings.report_environment, settings.reports_dir
    out.mkdir(parents=True, exist_ok=True)
    written = [out / f"ncmec-{env}-case-{incident.case_id}-report-{report_id}.xml"]
    try:
        for item in media:
            file_id = client.upload(report_id, item)
            details = mandatory.ncmec_file_details(incident, settings, report_id=report_id, file_id=file_id)
            client.fileinfo(details)
            written.append(out / f"ncmec-{env}-case-{incident.case_id}-file-{file_id}.xml")
            written[-1].write_bytes(details)
        file_ids = client.finish(report_id)
    except CyberTiplineError as exc:
        try:
            client.retract(report_id)
        except CyberTiplineError as again:
            raise CyberTiplineError(f"{exc.message}; retracting report {report_id} failed too: {again.message}",
                                    response_code=exc.response_code) from exc
        raise
    written[0].write_bytes(report_xml)
    return FiledReport(report_id, file_ids, written)
