"""``genguard cases`` and ``genguard reports`` against a real database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from genguard.cases.service import CaseService
from genguard.cli.main import app
from genguard.store.db import Store
from tests.cases.helpers import take_it_down, uk


@pytest.fixture
def cli(database_url: str, store: Store, tmp_path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:  # noqa: ANN001
    monkeypatch.setenv("GENGUARD_DATABASE_URL", database_url)
    monkeypatch.setenv("GENGUARD_HOME", str(tmp_path))
    monkeypatch.delenv("GENGUARD_WEBHOOK_URL", raising=False)
    return CliRunner()


def test_cases_and_reports_commands(cli: CliRunner, store: Store) -> None:
    svc = CaseService(store)
    tid = svc.submit_notice(take_it_down(), actor="t")["cases"][0]["case_id"]
    other = svc.submit_notice(uk("other", platform_id="p2"), actor="t")["cases"][0]["case_id"]
    svc.claim("alice", other)
    svc.decide(other, "alice", "restrict", explanation="adult content without age gate")

    listed = cli.invoke(app, ["cases", "list"])
    assert listed.exit_code == 0 and listed.stdout.split()[0] == str(tid) and "take_it_down_48h" in listed.stdout
    shown = json.loads(cli.invoke(app, ["cases", "show", str(other)]).stdout)
    assert shown["decision"] == "restrict" and shown["clock_state"] == "stopped"
    # The restriction's step (its webhook and notices) waits for the worker: the tick runs it once.
    assert ("opened 0 case(s), sent 0 alert(s), ran 1 job(s), redelivered 0 webhook(s), sent 0 request outcome(s)"
            in cli.invoke(app, ["cases", "tick"]).stdout)
    assert "ran 0 job(s)" in cli.invoke(app, ["cases", "tick"]).stdout
    assert 'genguard_cases_open{clock="take_it_down_48h"} 1' in cli.invoke(app, ["cases", "metrics"]).stdout

    period = ["--start", (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
              "--end", (datetime.now(UTC) + timedelta(seconds=1)).isoformat()]
    csv = cli.invoke(app, ["reports", "transparency", *period, "--format", "csv"])
    assert csv.exit_code == 0 and "actions.by_action.restrict,1" in csv.stdout
    [line] = cli.invoke(app, ["reports", "dsa", *period]).stdout.splitlines()
    assert json.loads(line)["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED"]
    naive = cli.invoke(app, ["reports", "transparency", "--start", "2026-01-01", "--end", "2026-02-01"])
    assert naive.exit_code == 2 and "time zone" in naive.output


def test_worker_refuses_a_busy_loop_interval(cli: CliRunner) -> None:
    result = cli.invoke(app, ["worker", "--interval", "0"])
    assert result.exit_code == 2 and "interval" in result.output
