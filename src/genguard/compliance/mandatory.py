"""Mandatory reports of child sexual abuse material, written as files (never submitted here).

* NCMEC CyberTipline: the report XML of the CyberTipline Reporting API (``<report>`` with
  ``incidentSummary``, ``internetDetails``, ``reporter``, ``personOrUserReported``,
  ``additionalInfo``) and one ``<fileDetails>`` per item with its hashes. genguard holds no
  media, so the platform uploads the file itself with that report id.
* UK NCA: a referral JSON carrying what the Online Safety Act s. 66 reporting duty asks for
  (provider, content location and hashes, user, time, how it was detected).

Both carry the environment (``test`` or ``production``) in the file name and in the file, so a
test report can never be mistaken for a real one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from genguard.cases.settings import CaseSettings
    from genguard.store.models import CaseRow

NCMEC_ENDPOINTS = {"test": "https://exttest.cybertip.org/ispws", "production": "https://report.cybertip.org/ispws"}
NCMEC_INCIDENT_TYPE = "Child Pornography (possession, manufacture, and distribution)"
NCA_SCHEMA = "genguard.nca-referral/1"


@dataclass(frozen=True)
class Incident:
    """What both reports are built from (read from a case inside its transaction)."""

    case_id: int
    detected_at: datetime
    source: str
    account: str | None
    platform_id: str | None
    url: str | None
    hashes: dict[str, str]
    reporter_type: str | None
    hotline: str | None

    @classmethod
    def of(cls, row: CaseRow, notice: dict[str, Any] | None) -> Incident:
        hashes = {k: v for k in ("md5", "sha256", "pdq") if (v := getattr(row, k))}
        return cls(row.id, row.clock_started_at, row.source, row.account, row.platform_id, row.url, hashes,
                   row.reporter_type, (notice or {}).get("hotline"))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def ncmec_report(incident: Incident, settings: CaseSettings) -> bytes:
    """The CyberTipline ``<report>`` document."""
    report = ET.Element("report", {"xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                                   "xsi:noNamespaceSchemaLocation": f"{NCMEC_ENDPOINTS[settings.report_environment]}/xsd"})
    summary = _sub(report, "incidentSummary")
    _sub(summary, "incidentType", NCMEC_INCIDENT_TYPE)
    _sub(summary, "incidentDateTime", incident.detected_at.astimezone(UTC).isoformat())
    if incident.url or incident.platform_id:
        web = _sub(_sub(report, "internetDetails"), "webPageIncident")
        _sub(web, "url", incident.url or f"platform-id:{incident.platform_id}")
    person = _sub(_sub(report, "reporter"), "reportingPerson")
    _sub(person, "firstName", settings.org.name)
    _sub(person, "email", settings.org.contact_email)
    if incident.account:
        _sub(_sub(report, "personOrUserReported"), "espIdentifier", incident.account)
    _sub(report, "additionalInfo",
         f"genguard case {incident.case_id}; detected via {incident.source}"
         + (f" (hotline {incident.hotline})" if incident.hotline else "")
         + f"; environment {settings.report_environment}")
    return _xml(report)


def ncmec_file_details(incident: Incident) -> bytes:
    """``<fileDetails>`` for the item (report and file ids are filled in on submission)."""
    details = ET.Element("fileDetails")
    _sub(details, "reportId", "")
    _sub(details, "fileId", "")
    _sub(details, "originalFileName", incident.platform_id or f"case-{incident.case_id}")
    for kind, tag in (("md5", "MD5"), ("sha256", "SHA256"), ("pdq", "PDQ")):
        if kind in incident.hashes:
            _sub(details, "originalFileHash", incident.hashes[kind], hashType=tag)
    _sub(details, "publiclyAvailable", "false")
    _sub(details, "fileViewedByEsp", "true" if incident.source != "screening" else "false")
    return _xml(details)


def nca_referral(incident: Incident, settings: CaseSettings) -> dict[str, Any]:
    return {
        "schema": NCA_SCHEMA,
        "environment": settings.report_environment,
        "legal_basis": "Online Safety Act 2023 s. 66: reporting CSEA content to the National Crime Agency",
        "provider": {"name": settings.org.name, "contact_email": settings.org.contact_email,
                     "country": settings.org.country},
        "report": {"reference": f"genguard-case-{incident.case_id}",
                   "detected_at": incident.detected_at.astimezone(UTC).isoformat(),
                   "detection": incident.source, "reporter_type": incident.reporter_type,
                   "hotline": incident.hotline},
        "content": {"platform_id": incident.platform_id, "url": incident.url, "hashes": incident.hashes,
                    "media_held_by_provider": True},
        "user": {"account": incident.account},
    }


def write_reports(incident: Incident, settings: CaseSettings) -> list[Path]:
    """Write the three files under ``settings.reports_dir`` and return their paths."""
    env = settings.report_environment
    out = settings.reports_dir
    out.mkdir(parents=True, exist_ok=True)
    files = {
        out / f"ncmec-{env}-case-{incident.case_id}.xml": ncmec_report(incident, settings),
        out / f"ncmec-{env}-case-{incident.case_id}-file.xml": ncmec_file_details(incident),
        out / f"nca-{env}-case-{incident.case_id}.json": json.dumps(
            nca_referral(incident, settings), indent=2, sort_keys=True).encode("utf-8"),
    }
    for path, data in files.items():
        path.write_bytes(data)
    return list(files)


def _xml(element: ET.Element) -> bytes:
    ET.indent(element)
    return ET.tostring(element, encoding="UTF-8", xml_declaration=True)
