"""DSA Transparency Database statements: every export validates, each kind of bad field fails,
and the submission client works against a loopback server that enforces the same rules."""

from __future__ import annotations

from functools import partial

import copy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from genguard.cases.service import CaseService
from genguard.cases.rows import regimes
from genguard.cases.settings import CaseSettings
from genguard.compliance import dsa_schema, dsa_tdb
from genguard.compliance.dsa_schema import StatementsInvalid
from genguard.compliance.tdb_client import SubmissionError, TransparencyDatabaseClient
from genguard.store.db import Store
from tests.cases.helpers import FakeClock, take_it_down, uk
from tests.compliance.tdb_server import make_app
from tests.cases.conftest import receiver  # noqa: F401 - the webhook receiver fixture
from tests.conftest import serve

TOKEN = "X|loopback-token"


@pytest.fixture
def service(store: Store, tmp_path: Path) -> CaseService:
    return CaseService(store, settings=CaseSettings(reports_dir=tmp_path / "reports"), clock=FakeClock())


def _decide(service: CaseService, notice, decision: str, **kw: Any) -> int:  # noqa: ANN001
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", decision, explanation="Reviewed: the image is the reported item.", **kw)
    service.work()  # the decision's steps (removal, sweep, reports) are the worker's jobs
    return case_id


def _period() -> tuple[datetime, datetime]:
    return datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(seconds=1)


def _valid(n: int = 1) -> list[dict[str, Any]]:
    base = {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "illegal_content_legal_ground": "Directive (EU) 2024/1385 Art. 5",
        "illegal_content_explanation": "Non-consensual intimate image.",
        "category": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
        "category_specification": ["KEYWORD_NON_CONSENSUAL_IMAGE_SHARING"],
        "content_type": ["CONTENT_TYPE_IMAGE"],
        "source_type": "SOURCE_ARTICLE_16",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "decision_facts": "Notice reviewed by a trained reviewer.",
        "content_date": "2026-11-30",
        "application_date": "2026-12-01",
        "territorial_scope": ["DE", "FR"],
    }
    return [{**copy.deepcopy(base), "puid": f"gg-test-{i}"} for i in range(n)]


def test_every_export_validates_in_each_version(service: CaseService, store: Store) -> None:
    _decide(service, take_it_down(), "remove")
    _decide(service, uk("intimate_image_abuse", platform_id="p2"), "restrict", territorial_scope=["EU"])
    _decide(service, uk("ai_generated_intimate_image", platform_id="p3"), "remove", ground="contractual")
    _decide(service, uk("child_sexual_abuse", platform_id="p4"), "mandatory_report")
    _decide(service, uk("other", platform_id="p5"), "no_action")  # restricts nothing: no statement
    _decide(service, uk("intimate_image_abuse", platform_id="p6"), "remove", territorial_scope=["GB"])
    for version in dsa_schema.VERSIONS:
        export = dsa_tdb.statements(store, *_period(), regimes=partial(regimes, store), version=version)
        assert len(export.statements) == 4 and export.outside_eea == 1  # the GB-only decision is not for the TDB
        for s in export.statements:
            assert dsa_schema.errors(s, version) == {}
            assert set(s["territorial_scope"]) <= set(dsa_tdb.territorial_scope(["EEA"], version))
            assert s["content_date"] and s["decision_facts"]
        assert len({s["puid"] for s in export.statements}) == 4
    [tid, restricted, synthetic, csam] = dsa_tdb.statements(store, *_period(), regimes=partial(regimes, store)).statements
    assert tid["source_type"] == "SOURCE_TYPE_OTHER_NOTIFICATION"  # a TAKE IT DOWN notice is not an Art. 16 notice
    assert tid["category"] == "STATEMENT_CATEGORY_CYBER_VIOLENCE" and "TAKE IT DOWN" in tid["illegal_content_legal_ground"]
    assert restricted["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"]
    assert len(restricted["territorial_scope"]) == 27 + 3 and "GB" not in tid["territorial_scope"]
    assert synthetic["content_type"] == ["CONTENT_TYPE_IMAGE", "CONTENT_TYPE_SYNTHETIC_MEDIA"]
    assert synthetic["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT" and synthetic["incompatible_content_ground"]
    assert csam["category_specification"] == ["KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL"]
    # The same period exported again gives the same puids (the database then refuses duplicates).
    assert [s["puid"] for s in dsa_tdb.statements(store, *_period(), regimes=partial(regimes, store)).statements] == \
        [s["puid"] for s in dsa_tdb.statements(store, *_period(), regimes=partial(regimes, store)).statements]


def test_export_fails_whole_on_an_invalid_statement(service: CaseService, store: Store) -> None:
    case_id = service.submit_notice(take_it_down(), actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "remove", explanation="x" * 5001)  # decision_facts allows 5000
    with pytest.raises(StatementsInvalid) as err:
        dsa_tdb.statements(store, *_period(), regimes=partial(regimes, store))
    assert "decision_facts" in err.value.errors["statement_0"]
    with pytest.raises(Exception, match="unknown DSA schema version"):
        dsa_tdb.statements(store, *_period(), regimes=partial(regimes, store), version="v9")


def _drop(s: dict[str, Any], key: str) -> None:
    del s[key]


@pytest.mark.parametrize(("field", "mutate"), [
    ("decision_facts", lambda s: _drop(s, "decision_facts")),                          # missing required
    ("content_date", lambda s: _drop(s, "content_date")),                              # missing required
    ("category", lambda s: s.update(category="STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR")),  # v1-only enum
    ("automated_decision", lambda s: s.update(automated_decision="maybe")),            # bad enum
    ("application_date", lambda s: s.update(application_date="2026-12-01-10")),        # bad date format (Y-m-d-H)
    ("content_date", lambda s: s.update(content_date="1999-12-31")),                   # before the allowed range
    ("puid", lambda s: s.update(puid="x" * 501)),                                      # too long
    ("puid", lambda s: s.update(puid="platform-id:post 1")),                           # characters not allowed
    ("illegal_content_explanation", lambda s: s.update(illegal_content_explanation="e" * 2001)),  # too long
    ("territorial_scope", lambda s: s.update(territorial_scope=["GB"])),               # not an EEA code
    ("territorial_scope", lambda s: s.update(territorial_scope=["worldwide"])),        # not a country code
    ("illegal_content_legal_ground", lambda s: _drop(s, "illegal_content_legal_ground")),  # conditional required
    ("decision_visibility", lambda s: _drop(s, "decision_visibility")),                # no restriction at all
    ("content_type_other", lambda s: s.update(content_type=["CONTENT_TYPE_OTHER"])),   # "other" needs its text
    ("colour", lambda s: s.update(colour="red")),                                      # unknown field
])
def test_each_kind_of_bad_field_fails(field: str, mutate: Any) -> None:
    [statement] = _valid()
    assert dsa_schema.errors(statement) == {}
    mutate(statement)
    with pytest.raises(StatementsInvalid) as err:
        dsa_schema.check([statement])
    assert field in err.value.errors["statement_0"], err.value.errors


def test_duplicate_puid_fails() -> None:
    batch = _valid(3)
    batch[2]["puid"] = batch[0]["puid"]
    with pytest.raises(StatementsInvalid) as err:
        dsa_schema.check(batch)
    assert set(err.value.errors) == {"statement_0", "statement_2"}
    assert err.value.errors["statement_2"]["puid"] == [dsa_schema.DUPLICATE_PUID]


def test_v1_accepts_its_own_categories() -> None:
    [statement] = _valid()
    statement.update(category="STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR")
    assert dsa_schema.errors(statement, "v1") == {} and "category" in dsa_schema.errors(statement, "v2")


# --- the submission client against a loopback database ----------------------------------------

def _client(url: str, **kw: Any) -> TransparencyDatabaseClient:
    return TransparencyDatabaseClient(url, kw.pop("token", TOKEN), backoff_s=0.0, sleep=lambda s: None, **kw)


def test_submit_in_batches_of_100_and_resubmit_is_idempotent() -> None:
    app = make_app(TOKEN)
    with serve(app) as url, _client(url) as client:
        result = client.submit(_valid(250))
        assert len(result.created) == 250 and result.requests == 3 and len(app.state.stored) == 250
        again = client.submit(_valid(250))
    assert again.created == {} and len(again.already_present) == 250 and len(app.state.stored) == 250


def test_transient_failures_are_retried_and_a_lost_answer_is_not_stored_twice() -> None:
    app = make_app(TOKEN, faults=[503, 429, "store_then_504"])
    with serve(app) as url, _client(url) as client:
        result = client.submit(_valid(5))
    # 503, 429, stored-but-504, then 422 existing_puids: all five were stored exactly once.
    assert result.requests == 4 and sorted(result.already_present) == [f"gg-test-{i}" for i in range(5)]
    assert len(app.state.stored) == 5


def test_gives_up_after_the_attempts() -> None:
    app = make_app(TOKEN, faults=[503] * 10)
    with serve(app) as url, _client(url, attempts=3) as client, pytest.raises(SubmissionError, match="3 attempts"):
        client.submit(_valid(1))
    assert app.state.requests == 3 and app.state.stored == {}


def test_bad_token_is_not_retried_and_not_echoed() -> None:
    app = make_app(TOKEN)
    with serve(app) as url, _client(url, token="wrong-secret") as client, \
            pytest.raises(SubmissionError) as err:
        client.submit(_valid(1))
    assert err.value.status_code == 401 and app.state.requests == 1 and "wrong-secret" not in str(err.value)


def test_server_refusal_comes_back_with_its_errors() -> None:
    # Valid under v1 locally; the database (v2 since July 2025) refuses the retired category.
    [statement] = _valid()
    statement["category"] = "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR"
    app = make_app(TOKEN, version="v2")
    with serve(app) as url, _client(url, version="v1") as client, pytest.raises(SubmissionError) as err:
        client.submit([statement])
    assert err.value.status_code == 422 and "category" in err.value.detail["errors"]["statement_0"]
    assert app.state.requests == 1 and app.state.stored == {}


def test_invalid_statements_cost_no_request() -> None:
    app = make_app(TOKEN)
    batch = _valid(2)
    del batch[1]["puid"]
    with serve(app) as url, _client(url) as client, pytest.raises(StatementsInvalid):
        client.submit(batch)
    assert app.state.requests == 0


def test_loopback_server_enforces_the_schema_itself() -> None:
    """The stand-in refuses what the real database refuses, in its documented shape."""
    bad = _valid(2)
    bad[1]["content_date"] = "2026-12-01-10"
    with serve(make_app(TOKEN)) as url:
        r = httpx.post(f"{url}/api/v1/statements", json={"statements": bad}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 422 and list(r.json()["errors"]) == ["statement_1"]
        r = httpx.post(f"{url}/api/v1/statements", json={"statements": _valid(101)},
                       headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 422 and "statements" in r.json()["errors"]


def test_cli_submits_a_period_once(database_url: str, service: CaseService, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from genguard.cli.main import app as cli_app

    _decide(service, uk("intimate_image_abuse", platform_id="p7"), "remove")
    monkeypatch.setenv("GENGUARD_DATABASE_URL", database_url)
    monkeypatch.setenv("GENGUARD_HOME", str(tmp_path))
    start, end = _period()
    period = ["--start", start.isoformat(), "--end", end.isoformat()]
    server = make_app(TOKEN)
    with serve(server) as url:
        monkeypatch.delenv("GENGUARD_DSA_TDB_TOKEN", raising=False)
        refused = CliRunner().invoke(cli_app, ["reports", "dsa", *period, "--submit", url])
        assert refused.exit_code == 2 and "GENGUARD_DSA_TDB_TOKEN" in refused.output
        monkeypatch.setenv("GENGUARD_DSA_TDB_TOKEN", TOKEN)
        first = CliRunner().invoke(cli_app, ["reports", "dsa", *period, "--submit", url])
        again = CliRunner().invoke(cli_app, ["reports", "dsa", *period, "--submit", url])
    assert first.exit_code == 0, first.output
    assert '"created": 1' in first.stdout and '"already_present": 1' in again.stdout and TOKEN not in first.output
    assert len(server.state.stored) == 1


def test_api_returns_the_batch_body_in_the_chosen_version(light_server, service: CaseService) -> None:  # noqa: ANN001
    from genguard.vocabulary import Role

    url, keys = light_server
    _decide(service, uk("intimate_image_abuse", platform_id="p8"), "remove")
    start, end = _period()
    auditor = {"Authorization": f"Bearer {keys[Role.AUDITOR]}"}
    params = {"start": start.isoformat(), "end": end.isoformat()}
    body = httpx.get(f"{url}/v1/reports/dsa-statements", params=params, headers=auditor).json()
    assert body["schema_version"] == "v2" and body["outside_eea"] == 0
    assert dsa_schema.errors(body["statements"][0]) == {}
    old = httpx.get(f"{url}/v1/reports/dsa-statements", params={**params, "version": "v1"}, headers=auditor).json()
    assert old["statements"][0]["category"] == "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR"
    bad = httpx.get(f"{url}/v1/reports/dsa-statements", params={**params, "version": "v9"}, headers=auditor)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "request_invalid"


def test_swept_copies_get_their_own_valid_statements(store: Store, tmp_path: Path, receiver) -> None:  # noqa: ANN001, F811
    """The issue's export had 8 duplicate puids: copies without a platform id shared one. Each
    removal is its own audit record now, so each has its own puid."""
    from genguard.banks.service import BankService
    from genguard.cases.webhooks import WebhookSender
    from tests.cases.conftest import SECRET

    banks = BankService(store, snapshot_path=tmp_path / "pdq.idx")
    service = CaseService(store, banks=banks, sender=WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0))
    sha = "5a" * 32
    for i in range(8):  # half of the copies have no platform id
        banks.record_seen(source="upload", ref=f"copy-{i}" if i % 2 else None, sha256=sha, md5=f"{i:032x}",
                          pdq=None, pdq_quality=None)
    notice = uk("intimate_image_abuse", platform_id="orig")
    notice.items[0].sha256 = sha
    case_id = service.submit_notice(notice, actor="t")["cases"][0]["case_id"]
    service.claim("alice", case_id)
    service.decide(case_id, "alice", "remove", explanation="not consensual", territorial_scope=["DE"])
    service.work()
    export = dsa_tdb.statements(store, *_period(), regimes=partial(regimes, store))
    puids = [s["puid"] for s in export.statements]
    # The item and the 4 copies with a platform id: the 4 without one cannot be notified, so
    # nothing was removed and no statement of reasons is owed for them.
    assert len(export.statements) == 5 and len(set(puids)) == len(puids)
    assert sum("-copy-" in p for p in puids) == len(puids) - 1
    assert all(s["territorial_scope"] == ["DE"] for s in export.statements)
