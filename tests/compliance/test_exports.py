"""Mandatory-report files, statements of reasons, DSA statements and the transparency report."""

from __future__ import annotations

from functools import partial

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from genguard.cases.rows import regimes
from genguard.cases.service import CaseService
from genguard.cases.settings import CaseSettings
from genguard.compliance import dsa_tdb, render, transparency
from genguard.store.db import Store
from tests.cases.helpers import FakeClock, take_it_down, uk

SHA = "cd" * 32
MD5 = "ef" * 16


@pytest.fixture
def service(store: Store, tmp_path: Path) -> CaseService:
    return CaseService(store, settings=CaseSettings(reports_dir=tmp_path / "reports"), clock=FakeClock())


def _decide(service: CaseService, notice, decision: str, reviewer: str = "alice") -> int:  # noqa: ANN001
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim(reviewer, case_id)
    service.decide(case_id, reviewer, decision, explanation="reviewed")
    service.work()  # the case worker runs the decision's steps (report filing is one)
    return case_id


def test_production_flag_changes_name_and_endpoint(store: Store, tmp_path: Path) -> None:
    service = CaseService(store, settings=CaseSettings(reports_dir=tmp_path, report_environment="production"))
    case_id = _decide(service, uk("child_sexual_abuse"), "mandatory_report")
    xml = (tmp_path / f"ncmec-production-case-{case_id}.xml").read_text()
    assert "report.cybertip.org" in xml and "exttest" not in xml


def test_transparency_report_counts_and_is_stable(service: CaseService, store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    removed = _decide(service, take_it_down(), "remove")
    _decide(service, uk("other", platform_id="p2"), "no_action")
    _decide(service, uk("intimate_image_abuse", platform_id="p3"), "restrict")
    appeal = service.file_appeal(removed, "reporter", "please", actor="svc")
    service.decide_appeal(appeal["id"], "bob", "upheld", explanation="stands")
    start, end = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(seconds=1)
    report = transparency.build(store, start, end)
    assert report["cases"]["by_category"] == {"intimate_image_abuse": 2, "other": 1}
    assert report["cases"]["by_source"] == {"notice": 3}
    assert report["actions"]["by_action"] == {"no_action": 1, "remove": 1, "restrict": 1}
    # Without a webhook target the removal is unconfirmed: only the other two stopped a clock.
    assert sum(t["actions"] for t in report["time_to_action"].values()) == 2
    assert report["actions"]["share_automated"] == 0.0
    assert report["appeals"]["upheld"] == 1 and report["appeals"]["reversal_rate"] == 0.0
    # No row cap: the same report when the audit trail is read one record per page.
    monkeypatch.setattr(transparency, "_PAGE", 1)
    assert transparency.build(store, start, end) == report
    # The same period gives the same bytes, also after later activity.
    before = render.to_json(report), render.to_csv(report), render.to_html(report)
    _decide(service, uk("other", platform_id="p9"), "no_action")
    later = transparency.build(store, start, end)
    assert later != report  # the period still open saw it ...
    closed = transparency.build(store, start, datetime.now(UTC) - timedelta(minutes=30))
    assert closed["audit"]["records"] == 0  # ... a period before it did not
    again = transparency.build(store, start, end)
    assert render.to_json(again) == render.to_json(later) and before[0] != render.to_json(later)


def test_time_to_action_percentiles() -> None:
    assert transparency.p90([float(v) for v in range(1, 11)]) == 9.0
    assert transparency.p90([5.0]) == 5.0


def test_html_escapes_and_has_no_external_resources() -> None:
    report = {"period": {"start": "a", "end": "b"}, "audit": {"first_seq": 1, "last_seq": 2, "last_hash": "h"},
              "notices": {"by_regime": {}}, "cases": {"by_category": {"<script>x</script>": 2}, "by_source": {}},
              "actions": {"by_action": {}, "automated": 0, "human": 0, "share_automated": None},
              "time_to_action": {}, "clock_alerts": {"escalated": 0, "breached": 0},
              "appeals": {"filed": 0, "decided": 0, "upheld": 0, "reversed": 0, "reinstated": 0,
                          "appeal_rate": None, "reversal_rate": None}, "bank_matches": {}, "mandatory_reports": {},
              "match_feedback": {"true_positive": 0, "false_positive": 0, "changed": 0, "share_false": None,
                                 "false_positive_by_bank": {}}}
    page = render.to_html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<svg" in page and "src=" not in page


def test_dsa_statements(service: CaseService, store: Store) -> None:
    _decide(service, take_it_down(), "remove")
    _decide(service, uk("other", platform_id="p2"), "no_action")
    start, end = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(seconds=1)
    [statement] = dsa_tdb.statements(store, start, end, regimes=partial(regimes, store)).statements  # "no action" restricts nothing
    assert statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
    assert statement["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert statement["category"] == "STATEMENT_CATEGORY_CYBER_VIOLENCE"
    assert statement["source_type"] == "SOURCE_TYPE_OTHER_NOTIFICATION"  # TAKE IT DOWN, not DSA Art. 16
    assert statement["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    assert "TAKE IT DOWN" in statement["illegal_content_legal_ground"]
