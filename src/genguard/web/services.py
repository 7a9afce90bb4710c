"""The domain services a route or console page may call, typed, from the app's composition root.

``create_app`` keeps one :class:`~genguard.wiring.Platform` on ``app.state``; these accessors are
the only way routes and pages reach it, so a handler names the service it uses (and mypy checks
the calls) instead of fishing an untyped attribute off ``app.state``, and no handler ever holds
the store or a table class (import-linter forbids every ``genguard.*.tables`` here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

from genguard.errors import GenguardError

if TYPE_CHECKING:
    from genguard.audit.service import AuditService
    from genguard.auth.keys import KeyService
    from genguard.banks.service import BankService
    from genguard.cases.service import CaseService
    from genguard.compliance.reports import ReportService
    from genguard.auth.prefs import PrefStore
    from genguard.likeness.registry import LikenessRegistry
    from genguard.wiring import Platform


def platform(conn: HTTPConnection) -> Platform:
    """The app's composition root (set by ``create_app``'s lifespan)."""
    root: Platform = conn.app.state.platform
    return root


def audit(conn: HTTPConnection) -> AuditService:
    return platform(conn).audit


def keys(conn: HTTPConnection) -> KeyService:
    return platform(conn).keys


def banks(conn: HTTPConnection) -> BankService:
    return platform(conn).banks


def cases(conn: HTTPConnection) -> CaseService:
    """Notices, cases, clocks, review, takedown and appeals (typed views, ``cases/views.py``)."""
    return platform(conn).cases


def reports(conn: HTTPConnection) -> ReportService:
    """The transparency report and the DSA Transparency Database statements."""
    return platform(conn).reports


def prefs(conn: HTTPConnection) -> PrefStore:
    return platform(conn).prefs


def likeness(conn: HTTPConnection) -> LikenessRegistry:
    """The likeness registry; 503 when the guard was built without a store to keep it in."""
    registry = platform(conn).likeness
    if registry is None:
        raise GenguardError("the likeness registry needs a store", code="likeness_unavailable", status=503)
    return registry
