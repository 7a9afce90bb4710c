"""The report service: what routes and console pages call for regulatory reports.

``transparency.build`` and ``dsa_tdb.statements`` read the case, notice and audit tables for a
period; this service holds the store for them, so a route or page names the report it wants and
never holds the store (the ``pages-and-routes-use-services`` contract). The CLI and tests that
own a store keep calling the two functions directly.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from genguard.compliance import dsa_schema, dsa_tdb, transparency
from genguard.store.db import Store


class ReportService:
    """Transparency reports and DSA Transparency Database statements over one store."""

    def __init__(self, store: Store, *, regimes: dsa_tdb.Regimes) -> None:
        self.store = store
        self.regimes = regimes

    def transparency(self, start: datetime, end: datetime) -> dict[str, Any]:
        """The transparency report for ``[start, end)`` (``transparency.build``; its JSON shape is
        the published report format, rendered as JSON, CSV or HTML by ``compliance.render``)."""
        return transparency.build(self.store, start, end)

    def dsa_statements(self, start: datetime, end: datetime, *,
                       version: dsa_schema.Version = dsa_schema.LATEST) -> dsa_tdb.Export:
        """The period's statements of reasons, validated against the Transparency Database's
        submission schema ``version``."""
        return dsa_tdb.statements(self.store, start, end, regimes=self.regimes, version=version)
