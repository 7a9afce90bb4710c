"""Settings: one module reads the environment; bad values are named; every value reaches its service."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from genguard.cases.settings import CaseSettings, ReportingOrg
from genguard.cases.webhooks import WebhookConfigError, WebhookSender
from genguard.config import ConfigError, Settings

SRC = Path(__file__).resolve().parents[2] / "src" / "genguard"


def test_only_config_reads_the_environment() -> None:
    readers = sorted(
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
        # Reads only: a scan hands its settings to the worker processes it spawns by writing them
        # into their environment (os.environ[...] = ...), where Settings reads them again.
        if re.search(r"os\.environ\.get|os\.getenv|os\.environ\[[^\]]+\](?!\s*=)", path.read_text(encoding="utf-8"))
    )
    assert readers == ["config.py"]


def test_a_number_that_is_not_one_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENGUARD_MAX_IMAGES", "eight")
    with pytest.raises(ConfigError, match="GENGUARD_MAX_IMAGES must be a whole number"):
        Settings()


def test_a_decimal_that_is_not_one_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENGUARD_CLOCK_CSAM_TARGET_H", "1h")
    with pytest.raises(ConfigError, match="GENGUARD_CLOCK_CSAM_TARGET_H must be a number"):
        Settings()


def test_unset_case_settings_keep_the_services_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("GENGUARD_CLAIM_LEASE_S", "GENGUARD_APPEAL_WINDOW_DAYS", "GENGUARD_ORG_NAME", "GENGUARD_ORG_EMAIL",
                 "GENGUARD_ORG_COUNTRY", "GENGUARD_CLOCK_DEFAULT_H", "GENGUARD_REPORT_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    built = CaseSettings.from_settings(Settings(home=tmp_path))
    assert built == CaseSettings(reports_dir=tmp_path / "reports")


def test_the_environment_reaches_the_reports_and_clocks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GENGUARD_ORG_NAME", "Pictures Ltd")
    monkeypatch.setenv("GENGUARD_ORG_EMAIL", "safety@pictures.example")
    monkeypatch.setenv("GENGUARD_ORG_COUNTRY", "IE")
    monkeypatch.setenv("GENGUARD_REPORT_ENVIRONMENT", "production")
    monkeypatch.setenv("GENGUARD_CLAIM_LEASE_S", "600")
    monkeypatch.setenv("GENGUARD_APPEAL_WINDOW_DAYS", "200")
    monkeypatch.setenv("GENGUARD_CLOCK_CSAM_TARGET_H", "0.5")
    built = CaseSettings.from_settings(Settings(home=tmp_path))
    assert built.org == ReportingOrg(name="Pictures Ltd", contact_email="safety@pictures.example", country="IE")
    assert built.report_environment == "production"
    assert built.claim_lease == timedelta(minutes=10) and built.appeal_window == timedelta(days=200)
    assert built.clocks.csam_target_h == 0.5 and built.clocks.take_it_down_h == 48.0


def test_secrets_stay_out_of_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENGUARD_WEBHOOK_URL", "https://platform.example/hooks")
    monkeypatch.setenv("GENGUARD_WEBHOOK_SECRET", "s3cr3t-s3cr3t-s3cr3t")
    monkeypatch.setenv("GENGUARD_CONSOLE_SECRET", "c0ns0le-c0ns0le-c0ns0le")
    settings = Settings()
    assert "s3cr3t" not in repr(settings) and "c0ns0le" not in repr(settings)
    assert WebhookSender.from_settings(settings).secret == b"s3cr3t-s3cr3t-s3cr3t"


def test_a_webhook_target_without_a_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENGUARD_WEBHOOK_URL", "https://platform.example/hooks")
    monkeypatch.delenv("GENGUARD_WEBHOOK_SECRET", raising=False)
    with pytest.raises(WebhookConfigError):
        WebhookSender.from_settings(Settings())
