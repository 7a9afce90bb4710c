"""NCMEC CyberTipline reports and the NCA referral: built from the case record, validated against
their schemas (each kind of wrong field fails), and filed through the submit -> upload ->
fileinfo -> finish sequence against a loopback server that validates against the same XSD.

The "reported file" in these tests is a licensed landscape photo: the tests exercise the
plumbing, and no sexual or child imagery is ever used.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest

from genguard.audit.chain import AuditLog
from genguard.cases import takedown
from genguard.cases.service import CaseService
from genguard.cases.settings import CaseSettings, ReportingOrg
from genguard.errors import RequestError
from genguard.compliance import mandatory
from genguard.compliance.mandatory import Incident, ReportInvalid
from genguard.compliance.ncmec_client import CyberTiplineClient, CyberTiplineError, Media, file_report
from genguard.store.db import Store
from genguard.cases.tables import CaseRow
from tests.cases.helpers import FakeClock, uk
from tests.compliance.ncmec_server import make_app
from tests.conftest import serve

SHA = "cd" * 32
MD5 = "ef" * 16
PDQ = "a5" * 32
PHOTO = Path("/work/shared/data/images/scenes/chocolate_hills_bohol.png")
ORG = ReportingOrg(name="Example Platform Ltd", contact_email="safety@example.org", country="GB")


@pytest.fixture
def settings(tmp_path: Path) -> CaseSettings:
    return CaseSettings(reports_dir=tmp_path / "reports", org=ORG)


def _csam_case(store: Store, settings: CaseSettings, **item: str) -> int:
    service = CaseService(store, settings=settings, clock=FakeClock())
    notice = uk("child_sexual_abuse", reporter_type="hotline", hotline="NCMEC")
    notice.items[0].sha256, notice.items[0].md5, notice.items[0].pdq = SHA, MD5, PDQ
    for key, value in item.items():
        setattr(notice.items[0], key, value)
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "mandatory_report", explanation="hash match confirmed")
    service.work()  # report filing is the worker's job
    return case_id


def _incident(store: Store, case_id: int) -> Incident:
    with store.transaction() as session:
        return takedown.load_incident(session, case_id)


def test_report_fields_come_from_the_record(store: Store, settings: CaseSettings) -> None:
    case_id = _csam_case(store, settings)
    incident = _incident(store, case_id)
    report = ET.fromstring(mandatory.ncmec_report(incident, settings))
    assert report.find("reporter/reportingPerson/firstName") is None  # never the company name
    assert report.findtext("reporter/reportingPerson/email") == "safety@example.org"
    assert "Example Platform Ltd" in report.findtext("reporter/companyTemplate")
    assert report.find("internetDetails") is None  # no URL known: none invented
    assert "platform-id:" not in mandatory.ncmec_report(incident, settings).decode()
    assert "platform item id post-1" in report.findtext("additionalInfo")
    details = ET.fromstring(mandatory.ncmec_file_details(incident, settings, report_id=7, file_id="f1"))
    assert details.findtext("fileViewedByEsp") == "false"  # nobody opened the unblurred file
    assert {h.get("hashType"): h.text for h in details.findall("originalFileHash")} == {"MD5": MD5, "SHA256": SHA}
    assert details.findtext("details[@type='HASH']/nameValuePair/value") == PDQ
    assert details.find("fileAnnotations") is None and details.find("industryClassification") is None


def test_viewed_url_and_classification_follow_the_review(store: Store, settings: CaseSettings) -> None:
    case_id = _csam_case(store, settings, url="https://media.example.org/p/1.jpg")
    AuditLog(store).append(mandatory.MEDIA_VIEWED, {"case_id": case_id, "unblurred": False}, actor="alice",
                           subject=f"case:{case_id}")
    assert not _incident(store, case_id).viewed_by_esp  # a blurred preview is not a view
    AuditLog(store).append(mandatory.MEDIA_VIEWED, {"case_id": case_id, "unblurred": True}, actor="alice",
                           subject=f"case:{case_id}")
    AuditLog(store).append("case.decided", {"case_id": case_id, "industry_classification": "B2"}, actor="alice",
                           subject=f"case:{case_id}")
    incident = _incident(store, case_id)
    details = ET.fromstring(mandatory.ncmec_file_details(incident, settings, report_id=7, file_id="f1"))
    assert details.findtext("fileViewedByEsp") == "true"
    assert details.findtext("locationOfFile") == "https://media.example.org/p/1.jpg"
    assert details.findtext("industryClassification") == "B2"
    report = ET.fromstring(mandatory.ncmec_report(incident, settings))
    assert report.findtext("internetDetails/webPageIncident/url") == "https://media.example.org/p/1.jpg"


def test_generated_content_gets_the_generative_ai_annotation(settings: CaseSettings) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    screened = CaseRow(id=9, clock_started_at=now, source="screening", account="acct-9", platform_id="req-9",
                       url=None, hashes={"sha256": SHA}, reporter_type=None,
                       signals={"escalation": "SEXUAL_MINOR", "bank_matches": []})
    retro = CaseRow(id=10, clock_started_at=now, source="screening", account=None, platform_id="up-10", url=None,
                    hashes={"sha256": SHA}, reporter_type=None, signals={"escalation": "BANK_RETRO_MATCH"})
    assert Incident.of(screened, None).generated and not Incident.of(retro, None).generated
    details = ET.fromstring(mandatory.ncmec_file_details(Incident.of(screened, None), settings, report_id=1,
                                                         file_id="f"))
    assert [c.tag for c in details.find("fileAnnotations")] == ["generativeAi"]
    with pytest.raises(Exception, match="industry classification"):
        Incident.of(screened, None, review=mandatory.Review(industry_classification="C3"))


def _valid_report(settings: CaseSettings) -> ET.Element:
    incident = Incident(1, datetime(2026, 12, 1, tzinfo=UTC), "hotline", "acct", "p1", None, {"md5": MD5}, None,
                        "NCMEC")
    return ET.fromstring(mandatory.ncmec_report(incident, settings))


def _mutations() -> list[tuple[str, str, object]]:
    def missing_email(r: ET.Element) -> None:
        person = r.find("reporter/reportingPerson")
        person.remove(person.find("email"))

    def bad_type(r: ET.Element) -> None:
        r.find("incidentSummary/incidentType").text = "Something else"

    def bad_date(r: ET.Element) -> None:
        r.find("incidentSummary/incidentDateTime").text = "2026-12-01-10"

    def out_of_order(r: ET.Element) -> None:
        reporter = r.find("reporter")
        r.remove(reporter)
        r.insert(0, reporter)

    def unknown(r: ET.Element) -> None:
        ET.SubElement(r, "colour").text = "red"

    def name_in_first_name_only(r: ET.Element) -> None:  # the old layout: no email, name as firstName
        person = r.find("reporter/reportingPerson")
        person.remove(person.find("email"))
        ET.SubElement(person, "firstName").text = "Example Platform Ltd"

    return [("missing required", "report", missing_email), ("bad enum", "report", bad_type),
            ("bad date", "report", bad_date), ("order", "report", out_of_order),
            ("unknown element", "report", unknown), ("old layout", "report", name_in_first_name_only)]


@pytest.mark.parametrize(("kind", "root", "mutate"), _mutations(), ids=[m[0] for m in _mutations()])
def test_each_kind_of_wrong_report_field_fails(settings: CaseSettings, kind: str, root: str, mutate) -> None:  # noqa: ANN001
    report = _valid_report(settings)
    mandatory.validate_ncmec(report, "report")
    mutate(report)
    with pytest.raises(ReportInvalid):
        mandatory.validate_ncmec(ET.tostring(report), root)


@pytest.mark.parametrize(("tag", "value"), [("fileViewedByEsp", "yes"), ("industryClassification", "C3"),
                                            ("reportId", "abc"), ("fileRelevance", "Important")])
def test_each_kind_of_wrong_file_detail_fails(settings: CaseSettings, tag: str, value: str) -> None:
    incident = Incident(1, datetime(2026, 12, 1, tzinfo=UTC), "hotline", None, None, None, {"md5": MD5}, None, None,
                        industry_classification="A2")
    details = ET.fromstring(mandatory.ncmec_file_details(incident, settings, report_id=3, file_id="f"))
    details.find(tag).text = value
    with pytest.raises(ReportInvalid, match=tag):
        mandatory.validate_ncmec(ET.tostring(details), "fileDetails")


def test_nca_referral_validates_and_bad_fields_fail(store: Store, settings: CaseSettings) -> None:
    case_id = _csam_case(store, settings)
    paths = mandatory.write_reports(_incident(store, case_id), settings)
    assert sorted(p.name for p in paths) == [f"nca-test-case-{case_id}.json", f"ncmec-test-case-{case_id}.xml"]
    nca = json.loads((settings.reports_dir / f"nca-test-case-{case_id}.json").read_text())
    assert nca["report"]["human_viewed_content"] is False and nca["content"]["hashes"]["pdq"] == PDQ
    bad = Incident(1, datetime(2026, 12, 1, tzinfo=UTC), "telepathy", None, None, None, {"md5": "xyz"}, None, None)
    with pytest.raises(ReportInvalid) as err:
        mandatory.nca_referral(bad, settings)
    assert any("detection" in r for r in err.value.reasons) and any("md5" in r for r in err.value.reasons)


def test_answers_with_a_dtd_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><reportResponse>&a;</reportResponse>'
    with pytest.raises(Exception, match="(?i)dtd|entit"):
        mandatory.parse_untrusted(bomb)


# --- the client against a loopback CyberTipline -----------------------------------------------

def test_file_report_end_to_end(store: Store, settings: CaseSettings) -> None:
    case_id = _csam_case(store, settings)
    incident = _incident(store, case_id)
    app = make_app("esp", "secret")
    submitted: list[int] = []
    with serve(app) as url, CyberTiplineClient(url, "esp", "secret") as client:
        filed = file_report(client, incident, settings, [Media(PHOTO.name, PHOTO.read_bytes())],
                            on_submitted=submitted.append)
    stored = app.state.reports[filed.report_id]
    assert submitted == [filed.report_id] and stored.state == "finished" and filed.file_ids == list(stored.files)
    [file_id] = filed.file_ids
    assert stored.files[file_id] == PHOTO.read_bytes()
    sent = ET.fromstring(stored.details[file_id])
    assert sent.findtext("reportId") == str(filed.report_id) and sent.findtext("fileViewedByEsp") == "false"
    assert all(p.exists() for p in filed.written)


def test_a_failed_step_retracts_the_report(store: Store, settings: CaseSettings) -> None:
    incident = _incident(store, _csam_case(store, settings))
    app = make_app("esp", "secret", fail_fileinfo=True)
    with serve(app) as url, CyberTiplineClient(url, "esp", "secret") as client, \
            pytest.raises(CyberTiplineError) as err:
        file_report(client, incident, settings, [Media(PHOTO.name, PHOTO.read_bytes())])
    assert err.value.response_code == 1000
    [stored] = app.state.reports.values()
    assert stored.state == "retracted"


def test_resume_uses_the_recorded_report_id(store: Store, settings: CaseSettings) -> None:
    incident = _incident(store, _csam_case(store, settings))
    app = make_app("esp", "secret")
    with serve(app) as url, CyberTiplineClient(url, "esp", "secret") as client:
        report_id = client.submit(mandatory.ncmec_report(incident, settings))  # the crash came after this
        filed = file_report(client, incident, settings, [Media(PHOTO.name, PHOTO.read_bytes())], report_id=report_id)
    assert filed.report_id == report_id and len(app.state.reports) == 1


def test_bad_credentials_and_invalid_xml_get_ncmec_codes(settings: CaseSettings) -> None:
    app = make_app("esp", "secret")
    report = ET.tostring(_valid_report(settings))
    with serve(app) as url:
        with CyberTiplineClient(url, "esp", "wrong") as client, pytest.raises(CyberTiplineError) as err:
            client.submit(report)
        assert err.value.response_code == 2000 and "wrong" not in str(err.value)
        with CyberTiplineClient(url, "esp", "secret") as client, pytest.raises(CyberTiplineError) as err:
            client.submit(b"<report><incidentSummary/></report>")
        assert err.value.response_code == 4100
        with CyberTiplineClient(url, "esp", "secret") as client, pytest.raises(CyberTiplineError) as err:
            client.finish(999)
        assert err.value.response_code == 5001
        r = httpx.post(f"{url}/submit", content=report, auth=("esp", "secret"))
        assert r.status_code == 200 and b"<responseCode>0</responseCode>" in r.content


def test_the_decision_path_reads_the_review_record(store: Store, settings: CaseSettings) -> None:
    """The files written when a reviewer decides (takedown.file_reports) carry the review record."""
    service = CaseService(store, settings=settings, clock=FakeClock())
    case_id = service.submit_notice(uk("child_sexual_abuse", reporter_type="hotline", hotline="NCMEC"),
                                    actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    AuditLog(store).append(mandatory.MEDIA_VIEWED, {"case_id": case_id, "unblurred": True}, actor="alice",
                           subject=f"case:{case_id}")
    service.decide(case_id, "alice", "mandatory_report", explanation="viewed and confirmed")
    service.work()
    nca = json.loads((settings.reports_dir / f"nca-test-case-{case_id}.json").read_text())
    assert nca["report"]["human_viewed_content"] is True
    ET.parse(settings.reports_dir / f"ncmec-test-case-{case_id}.xml")  # written, and valid (validated before writing)


def test_the_reviewer_classifies_the_material_in_the_decision(store: Store, settings: CaseSettings) -> None:
    """The classification the reviewer gives with a mandatory report reaches the report files;
    none given: none written (never a guess); on any other decision it is refused."""
    service = CaseService(store, settings=settings, clock=FakeClock())
    filed = []
    for given in ("A1", None):
        case_id = service.submit_notice(uk("child_sexual_abuse", reporter_type="hotline", hotline="NCMEC"),
                                        actor="t")["cases"][0]["case_id"]
        service.claim("alice", case_id)
        service.decide(case_id, "alice", "mandatory_report", explanation="confirmed", industry_classification=given)
        service.work()
        filed.append(json.loads((settings.reports_dir / f"nca-test-case-{case_id}.json").read_text()))
    assert [f["report"]["industry_classification"] for f in filed] == ["A1", None]
    case_id = service.submit_notice(uk("child_sexual_abuse", reporter_type="hotline", hotline="NCMEC"),
                                    actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    for decision, value in (("remove", "A1"), ("mandatory_report", "C9")):
        with pytest.raises(RequestError, match="industry classification"):
            service.decide(case_id, "alice", decision, explanation="x", industry_classification=value)
