"""Case-handling settings: clocks, claim lease, appeal window, report files and the re-upload bank."""

from __future__ import annotations

from typing import Any
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from genguard.cases.clocks import ClockPolicy
from genguard.compliance.filing import ReportingOrg
from genguard.config import Settings, default_home
from genguard.errors import GenguardError

#: DSA Art. 20(1): complaints are possible for at least six months after the decision.
MIN_APPEAL_WINDOW = timedelta(days=182)
REUPLOAD_BANK = "genguard-case-removals"


class CaseSettingsError(GenguardError):
    code = "case_settings_invalid"
    status = 500


@dataclass(frozen=True)
class CaseSettings:
    clocks: ClockPolicy = field(default_factory=ClockPolicy)
    #: How long a claim holds a case before another reviewer may take it.
    claim_lease: timedelta = timedelta(minutes=30)
    #: How long a worker holds a job or a webhook it is sending; a crashed worker's hold expires
    #: after this and another run takes the work up (longer than one step takes).
    job_lease: timedelta = timedelta(minutes=5)
    appeal_window: timedelta = timedelta(days=183)
    reports_dir: Path = field(default_factory=lambda: default_home() / "reports")
    #: ``test`` or ``production``: written into every NCMEC/NCA file and its name.
    report_environment: str = "test"
    reupload_bank: str = REUPLOAD_BANK
    org: ReportingOrg = field(default_factory=ReportingOrg)

    def __post_init__(self) -> None:
        if self.appeal_window < MIN_APPEAL_WINDOW:
            raise CaseSettingsError("the appeal window must be at least six months (182 days)")
        if self.report_environment not in ("test", "production"):
            raise CaseSettingsError("report_environment must be 'test' or 'production'")

    @classmethod
    def from_settings(cls, settings: Settings) -> CaseSettings:
        """The case settings that ``settings`` (the environment, see docs/configuration.md) ask
        for; what they leave unset keeps the defaults above."""
        given: dict[str, Any] = {
            "claim_lease": None if settings.claim_lease_s is None else timedelta(seconds=settings.claim_lease_s),
            "job_lease": None if settings.job_lease_s is None else timedelta(seconds=settings.job_lease_s),
            "appeal_window": None if settings.appeal_window_days is None else timedelta(days=settings.appeal_window_days),
        }
        org = {"name": settings.org_name, "contact_email": settings.org_email, "country": settings.org_country}
        built = cls(
            clocks=ClockPolicy.from_settings(settings),
            reports_dir=settings.home / "reports",
            report_environment=settings.report_environment,
            org=replace(ReportingOrg(), **{k: v for k, v in org.items() if v is not None}),
        )
        return replace(built, **{k: v for k, v in given.items() if v is not None})
