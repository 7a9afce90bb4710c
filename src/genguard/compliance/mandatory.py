"""Mandatory reports of child sexual abuse material: NCMEC CyberTipline XML and the UK NCA referral.

* NCMEC CyberTipline: the ``<report>`` of the CyberTipline Reporting API and, once NCMEC has
  given the uploaded file its id, one ``<fileDetails>`` per file with its hashes. Both are
  validated against ``schemas/ncmec_report.xsd`` before they are written or sent;
  :mod:`genguard.compliance.ncmec_client` runs the submit -> upload -> fileinfo -> finish
  sequence. genguard holds no media: the platform hands over the file's bytes at submission.
* UK NCA: a referral JSON in genguard's documented layout (``schemas/nca_referral_v1.json``,
  docs/compliance.md), validated before it is written.

What each field claims is taken from the record, never assumed: ``fileViewedByEsp`` is true only
when the audit trail shows a person opened the unblurred file (claiming a view that did not
happen misleads law enforcement about what the provider saw); the URL is given only when the
platform supplied a real http(s) URL; the generative-AI annotation is set when the item came
through genguard's screened generation/edit path; the industry classification only when the
reviewer recorded one with the decision. The environment (``test`` or ``production``) is in every
file's name and body, so a test report cannot be mistaken for a real one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import xmlschema
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy.orm import object_session

from genguard.audit.service import find_records
from genguard.compliance.filing import Filing
from genguard.compliance.schemas import load_json
from genguard.compliance.schemas import path as schema_path
from genguard.errors import GenguardError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NCMEC_ENDPOINTS = {"test": "https://exttest.cybertip.org/ispws", "production": "https://report.cybertip.org/ispws"}
NCMEC_INCIDENT_TYPE = "Child Pornography (possession, manufacture, and distribution)"
NCMEC_SCHEMA = "ncmec_report.xsd"
NCA_SCHEMA = "genguard.nca-referral/1"
#: Audit record a console writes when a reviewer views a case's file; payload
#: ``{"case_id", "unblurred": bool}`` (subject ``case:<id>``).
MEDIA_VIEWED = "case.media_viewed"
INDUSTRY_CLASSES = ("A1", "A2", "B1", "B2")
#: Screening escalations from the generation/edit path (every reason but a retro bank match).
_NOT_GENERATED = {"BANK_RETRO_MATCH"}


class ReportInvalid(GenguardError):
    """A report that would not validate against its schema; nothing was written or sent."""

    code = "report_invalid"
    status = 500

    def __init__(self, what: str, reasons: list[str]) -> None:
        super().__init__(f"{what} does not validate: " + "; ".join(reasons))
        self.reasons = reasons


#: The hash types the reports' schemas define (CyberTipline ``originalFileHash`` MD5 and SHA256,
#: PDQ as a name/value pair; ``nca_referral_v1.json``'s ``hashes``): a case's hashes of other
#: types are not reported, as these formats have no place for them.
REPORTED_HASHES = ("md5", "sha256", "pdq")


class CaseRecord(Protocol):
    """What a report reads of a case, read-only (the case domain's row satisfies it; compliance
    never imports the case tables, so the dependency stays cases -> compliance)."""

    @property
    def id(self) -> int: ...

    @property
    def clock_started_at(self) -> datetime: ...

    @property
    def source(self) -> str: ...

    @property
    def account(self) -> str | None: ...

    @property
    def platform_id(self) -> str | None: ...

    @property
    def url(self) -> str | None: ...

    @property
    def hashes(self) -> dict[str, Any]: ...

    @property
    def reporter_type(self) -> str | None: ...

    @property
    def signals(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class Incident:
    """What the reports are built from (read from a case inside one transaction)."""

    case_id: int
    detected_at: datetime
    source: str
    account: str | None
    platform_id: str | None
    url: str | None
    hashes: dict[str, str]
    reporter_type: str | None
    hotline: str | None
    viewed_by_esp: bool = False
    generated: bool = False
    industry_classification: str | None = None
    annotations: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, row: CaseRecord, notice: dict[str, Any] | None, *, review: Review | None = None) -> Incident:
        """The incident of a case row. Without ``review``, the review record is read through the
        row's own session (callers inside a transaction get it for free); a detached row has none."""
        if review is None:
            session = object_session(row)
            review = Review.of(session, row.id) if session is not None else Review()
        hashes = {k: v for k in REPORTED_HASHES if (v := row.hashes.get(k))}
        signals = row.signals or {}
        generated = row.source == "screening" and signals.get("escalation") not in _NOT_GENERATED | {None}
        return cls(row.id, row.clock_started_at, row.source, row.account, row.platform_id, _real_url(row.url),
                   hashes, row.reporter_type, (notice or {}).get("hotline"), viewed_by_esp=review.viewed_by_esp,
                   generated=generated, industry_classification=review.industry_classification)


@dataclass(frozen=True)
class Review:
    """What the review record says about the file: whether a person viewed it unblurred, and the
    industry classification the reviewer gave with the decision."""

    viewed_by_esp: bool = False
    industry_classification: str | None = None

    def __post_init__(self) -> None:
        if self.industry_classification not in (None, *INDUSTRY_CLASSES):
            raise GenguardError(f"industry classification must be one of {', '.join(INDUSTRY_CLASSES)}",
                                code="report_invalid", status=422)

    @classmethod
    def of(cls, session: Session, case_id: int) -> Review:
        subject = f"case:{case_id}"
        # A blurred preview is not a view of the file: only an unblurred opening counts.
        views = find_records(session, subject=subject, kind=MEDIA_VIEWED)
        last = find_records(session, subject=subject, kind="case.decided", newest_first=True, limit=1)
        decided = last[0].payload if last else {}
        return cls(any(r.payload.get("unblurred") is True for r in views), decided.get("industry_classification"))


def _real_url(url: str | None) -> str | None:
    """Only an absolute http(s) URL is a location; anything else is left out, never invented."""
    if not url:
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _root(tag: str, settings: Filing) -> ET.Element:
    return ET.Element(tag, {"xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                            "xsi:noNamespaceSchemaLocation": f"{NCMEC_ENDPOINTS[settings.report_environment]}/xsd"})


def ncmec_report(incident: Incident, settings: Filing) -> bytes:
    """The CyberTipline ``<report>`` document, validated."""
    report = _root("report", settings)
    summary = _sub(report, "incidentSummary")
    _sub(summary, "incidentType", NCMEC_INCIDENT_TYPE)
    _sub(summary, "incidentDateTime", incident.detected_at.astimezone(UTC).isoformat())
    if incident.url:
        _sub(_sub(_sub(report, "internetDetails"), "webPageIncident"), "url", incident.url)
    reporter = _sub(report, "reporter")
    # NCMEC identifies the company by its API account; the person is a contact, and the
    # company's name and contact go in companyTemplate, never in a person's name fields.
    person = _sub(reporter, "reportingPerson")
    if settings.org.contact_phone:
        _sub(person, "phone", settings.org.contact_phone)
    _sub(person, "email", settings.org.contact_email)
    _sub(reporter, "companyTemplate", f"{settings.org.name} (country {settings.org.country}); "
                                      f"trust and safety contact {settings.org.contact_email}")
    if incident.account:
        _sub(_sub(report, "personOrUserReported"), "espIdentifier", incident.account)
    _sub(report, "additionalInfo",
         f"genguard case {incident.case_id}; detected via {incident.source}"
         + (f" (hotline {incident.hotline})" if incident.hotline else "")
         + (f"; platform item id {incident.platform_id}" if incident.platform_id else "")
         + f"; environment {settings.report_environment}")
    return validate_ncmec(_xml(report), "report")


def ncmec_file_details(incident: Incident, settings: Filing, *, report_id: int, file_id: str) -> bytes:
    """``<fileDetails>`` for the item's file, once NCMEC has assigned ``report_id`` and ``file_id``."""
    details = _root("fileDetails", settings)
    _sub(details, "reportId", str(report_id))
    _sub(details, "fileId", file_id)
    if incident.url:
        _sub(details, "locationOfFile", incident.url)
    _sub(details, "fileViewedByEsp", "true" if incident.viewed_by_esp else "false")
    _sub(details, "fileRelevance", "Reported")
    annotations = (*incident.annotations, *(("generativeAi",) if incident.generated else ()))
    if annotations:
        holder = _sub(details, "fileAnnotations")
        order = ("animeDrawingVirtualHentai", "potentialMeme", "viral", "possibleSelfProduction", "physicalHarm",
                 "violenceGore", "bestiality", "liveStreaming", "infant", "generativeAi")
        for name in sorted(set(annotations), key=order.index):
            _sub(holder, name)
    if incident.industry_classification:
        _sub(details, "industryClassification", incident.industry_classification)
    for kind, tag in (("md5", "MD5"), ("sha256", "SHA256")):
        if kind in incident.hashes:
            _sub(details, "originalFileHash", incident.hashes[kind], hashType=tag)
    if "pdq" in incident.hashes:  # no hashType of its own in the schema: a HASH name/value pair
        pair = _sub(_sub(details, "details", type="HASH"), "nameValuePair")
        _sub(pair, "name", "PDQ")
        _sub(pair, "value", incident.hashes["pdq"])
    if incident.platform_id:
        _sub(details, "additionalInfo", f"platform item id {incident.platform_id}")
    return validate_ncmec(_xml(details), "fileDetails")


@cache
def _xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(schema_path(NCMEC_SCHEMA))


def validate_ncmec(document: bytes | ET.Element, expected_root: str) -> Any:
    """Validate against the XSD; returns the document. Parse untrusted bytes with
    :func:`parse_untrusted` first (this only parses genguard's own output)."""
    root = document if isinstance(document, ET.Element) else ET.fromstring(document)  # noqa: S314 - our own bytes
    reasons = [] if root.tag == expected_root else [f"root is <{root.tag}>, expected <{expected_root}>"]
    reasons += [f"{e.path}: {e.reason}" for e in _xsd().iter_errors(root)]
    if reasons:
        raise ReportInvalid(f"NCMEC <{expected_root}>", reasons)
    return document


def parse_untrusted(data: bytes) -> ET.Element:
    """An XML answer from a server, parsed with DTDs, entities and external references refused."""
    from defusedxml.ElementTree import fromstring

    return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)


_DATE_TIME = FormatChecker([])


@_DATE_TIME.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    """ISO 8601 with a time zone (jsonschema's own check needs an extra package)."""
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


@cache
def _nca_validator() -> Draft202012Validator:
    return Draft202012Validator(load_json("nca_referral_v1.json"), format_checker=_DATE_TIME)


def nca_referral(incident: Incident, settings: Filing) -> dict[str, Any]:
    """The NCA referral, validated against ``schemas/nca_referral_v1.json``."""
    referral = {
        "schema": NCA_SCHEMA,
        "environment": settings.report_environment,
        "legal_basis": "Online Safety Act 2023 s. 66: reporting CSEA content to the National Crime Agency",
        "provider": {"name": settings.org.name, "contact_email": settings.org.contact_email,
                     "contact_phone": settings.org.contact_phone, "country": settings.org.country},
        "report": {"reference": f"genguard-case-{incident.case_id}",
                   "detected_at": incident.detected_at.astimezone(UTC).isoformat(),
                   "detection": incident.source, "reporter_type": incident.reporter_type,
                   "hotline": incident.hotline, "human_viewed_content": incident.viewed_by_esp,
                   "generated_content": incident.generated,
                   "industry_classification": incident.industry_classification},
        "content": {"platform_id": incident.platform_id, "url": incident.url, "hashes": incident.hashes,
                    "media_held_by_provider": True},
        "user": {"account": incident.account},
    }
    reasons = [f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in _nca_validator().iter_errors(referral)]
    if reasons:
        raise ReportInvalid("NCA referral", reasons)
    return referral


def write_reports(incident: Incident, settings: Filing) -> list[Path]:
    """Validate, then write the NCMEC report and the NCA referral under ``settings.reports_dir``.

    Nothing is written unless both validate. The per-file ``<fileDetails>`` is written by the
    submission (it needs the ids NCMEC assigns); see :func:`genguard.compliance.ncmec_client.file_report`.
    """
    env = settings.report_environment
    files = {
        f"ncmec-{env}-case-{incident.case_id}.xml": ncmec_report(incident, settings),
        f"nca-{env}-case-{incident.case_id}.json": json.dumps(
            nca_referral(incident, settings), indent=2, sort_keys=True).encode("utf-8"),
    }
    out = settings.reports_dir
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return [out / name for name in files]


def _xml(element: ET.Element) -> bytes:
    ET.indent(element)
    return ET.tostring(element, encoding="UTF-8", xml_declaration=True)
