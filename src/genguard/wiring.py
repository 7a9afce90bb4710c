"""The composition root: the one place that builds settings, store, services and detectors.

The API (and the console it serves), the CLI and Python callers all get their parts here, so
each is built once per process and shared: one database engine, one bank service (and so one
live PDQ index), one set of loaded detectors, one case service. Everything is built lazily, on
first use, so ``genguard keys create`` opens the database and never touches a model, while
``genguard screen`` loads the detectors and never starts the case clocks.

Modules below this one never import it (import-linter enforces that, see
docs/architecture.md): services receive what they need as arguments, which is also how tests
hand them a prepared store or mocked detectors.
"""

from __future__ import annotations

import threading
from functools import partial
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from genguard.config import Settings

if TYPE_CHECKING:
    from genguard.audit.service import AuditService
    from genguard.auth.keys import KeyService
    from genguard.banks.service import BankService
    from genguard.cases.item_media import ItemMediaRegistry
    from genguard.cases.service import CaseService
    from genguard.cases.take_it_down import PublicIntakePolicy
    from genguard.cases.webhooks import WebhookSender
    from genguard.compliance.reports import ReportService
    from genguard.auth.prefs import PrefStore
    from genguard.detectors.base import Detector
    from genguard.guard import Guard
    from genguard.likeness.registry import LikenessRegistry
    from genguard.receipts import ReceiptSigner
    from genguard.store.db import Store

T = TypeVar("T")
#: Parts that hold nothing of their own to close (the store they use is closed on its own).
_NOTHING_TO_CLOSE = frozenset({"banks", "audit", "keys", "prefs", "receipt_signer", "item_media", "public_intake",
                               "reports"})


@dataclass(frozen=True, slots=True)
class Readiness:
    """What ``/readyz`` reports: each detector slot loaded or not, and the database reachable."""

    models: Mapping[str, bool]
    database: bool

    @property
    def ready(self) -> bool:
        return self.database and all(self.models.values())


class Platform:
    """Settings plus every shared part, each built on first use and closed by :meth:`close`.

    Pass ``store``, ``guard`` or ``detectors`` to use parts built elsewhere (tests, an embedding
    application); parts passed in are not closed here, their owner closes them.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        store: Store | None = None,
        guard: Guard | None = None,
        detectors: Mapping[str, Detector[Any]] | None = None,
        webhooks: WebhookSender | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._parts: dict[str, Any] = {}
        if store is not None:
            self._parts["store"] = store
        if guard is not None:
            self._parts["guard"] = guard
        self._given = frozenset(self._parts)
        self._detectors = detectors
        self._webhooks = webhooks
        # Re-entrant: building the guard asks for the store and the banks.
        self._lock = threading.RLock()

    def _part(self, name: str, build: Callable[[], T]) -> T:
        """The part called ``name``, built once (thread-safe) on first use."""
        with self._lock:
            if name not in self._parts:
                self._parts[name] = build()
            part: T = self._parts[name]
            return part

    @property
    def store(self) -> Store:
        """The configured database, opened and migrated to the latest schema."""
        from genguard.store.db import open_store

        return self._part("store", lambda: open_store(self.settings.resolved_database_url()))

    @property
    def banks(self) -> BankService:
        """The hash banks: the one service (and live index) that screening and cases share."""

        def build() -> BankService:
            given = self._parts.get("guard")
            if given is not None and given.banks.service is not None:
                # A guard built elsewhere already opened the banks on this database: share it.
                service: BankService = given.banks.service
                return service
            from genguard.banks.service import BankService

            return BankService.for_home(self.store, self.settings.home)

        return self._part("banks", build)

    @property
    def guard(self) -> Guard:
        """The screening guard, on this platform's store and banks (detectors loaded lazily)."""

        def build() -> Guard:
            from genguard.guard import Guard

            return Guard(self.settings, detectors=self._detectors, store=self.store, banks=self.banks)

        return self._part("guard", build)

    @property
    def cases(self) -> CaseService:
        """The case service with its background clock (``GENGUARD_CASES_TICK_S``)."""

        def build() -> CaseService:
            from genguard.cases.service import CaseService

            return CaseService.for_app(self.settings, self.store, self.banks, self._webhooks)

        return self._part("cases", build)

    @property
    def receipt_signer(self) -> ReceiptSigner:
        """Signs verdict receipts (``GENGUARD_RECEIPT_KEY``, or a development key under home)."""

        def build() -> ReceiptSigner:
            from genguard.receipts import ReceiptSigner

            return ReceiptSigner.from_settings(self.settings)

        return self._part("receipt_signer", build)

    @property
    def item_media(self) -> ItemMediaRegistry:
        """Platforms' media URLs per item, fetched through the SSRF-safe fetch policy."""

        def build() -> ItemMediaRegistry:
            from genguard.cases.item_media import ItemMediaRegistry
            from genguard.net.fetch import FetchPolicy

            return ItemMediaRegistry(self.store, FetchPolicy.from_settings(self.settings))

        return self._part("item_media", build)

    @property
    def public_intake(self) -> PublicIntakePolicy:
        """Whether and how people without an account may file TAKE IT DOWN requests."""

        def build() -> PublicIntakePolicy:
            from genguard.cases.take_it_down import PublicIntakePolicy

            return PublicIntakePolicy.from_settings(self.settings)

        return self._part("public_intake", build)

    # -- domain services: what routes and console pages call (never the tables) ---------------

    @property
    def audit(self) -> AuditService:
        """The audit chain: record, read, verify, count verdicts."""
        from genguard.audit.service import AuditService

        return self._part("audit", lambda: AuditService(self.store))

    @property
    def keys(self) -> KeyService:
        """API keys: create, list, revoke, authenticate."""
        from genguard.auth.keys import KeyService

        return self._part("keys", lambda: KeyService(self.store))

    @property
    def likeness(self) -> LikenessRegistry | None:
        """The likeness registry screening matches against (the guard's, so a registration is
        seen by the next screen); None when the guard runs without a store."""
        memory = self.guard.memory
        return None if memory is None else memory.likeness

    @property
    def reports(self) -> ReportService:
        """Transparency reports and DSA statements (they read the case and audit tables)."""
        from genguard.cases.rows import regimes
        from genguard.compliance.reports import ReportService

        return self._part("reports", lambda: ReportService(self.store, regimes=partial(regimes, self.store)))

    @property
    def prefs(self) -> PrefStore:
        """Per-user console settings."""
        from genguard.auth.prefs import PrefStore

        return self._part("prefs", lambda: PrefStore(self.store))

    def readiness(self) -> Readiness:
        """Whether every detector is loaded and the database answers (loads nothing itself)."""
        guard = self.guard
        return Readiness({slot: d.loaded for slot, d in guard.detectors.items()}, self.store.ping())

    def close(self) -> None:
        """Close what this platform built, newest first; parts passed in stay open."""
        with self._lock:
            built = [(n, p) for n, p in self._parts.items() if n not in self._given]
            self._parts.clear()
        for name, part in reversed(built):
            if name not in _NOTHING_TO_CLOSE:
                part.close()

    def __enter__(self) -> Platform:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
