"""Who files mandatory reports and where: the part of the case settings the report writers read.

A small module of its own so ``cases.settings`` can build it without importing the report
writers (xmlschema, jsonschema), and so ``compliance`` never imports ``cases``: the arrow
points one way, cases → compliance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class ReportingOrg:
    """Who files mandatory reports (the platform), as NCMEC and the NCA need it."""

    name: str = "Example Platform Ltd"
    contact_email: str = "safety@example.invalid"
    contact_phone: str | None = None
    country: str = "GB"


class Filing(Protocol):
    """Where and as whom reports are filed. ``cases.settings.CaseSettings`` is one; a protocol
    rather than that class so compliance never imports cases (cases calls compliance)."""

    @property
    def report_environment(self) -> str: ...

    @property
    def reports_dir(self) -> Path: ...

    @property
    def org(self) -> ReportingOrg: ...
