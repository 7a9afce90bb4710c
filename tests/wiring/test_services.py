"""The composition root hands out one of each domain service, on its one store."""

from __future__ import annotations

from pathlib import Path

from genguard.config import Settings
from genguard.wiring import Platform


def test_domain_services_are_built_once_on_the_platform_store(database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, home=tmp_path)
    with Platform(settings, detectors={}) as platform:
        audit, keys, prefs = platform.audit, platform.keys, platform.prefs
        assert (platform.audit, platform.keys, platform.prefs) == (audit, keys, prefs)
        assert audit.store is keys.store is prefs.store is platform.store
        # Registrations must be seen by screening: the registry is the guard's own.
        assert platform.guard.memory is not None and platform.likeness is platform.guard.memory.likeness
        # A key made through one service is read back through the other parts of the same root.
        new = keys.create("reviewer", "alice", actor="test")
        assert keys.authenticate(new.secret) is not None
        assert [r.kind for r in audit.recent(None)] == ["key.created"]
    assert "audit" not in platform._parts  # closed: a later use builds afresh


def test_readiness_names_each_detector_and_the_database(database_url: str, tmp_path: Path) -> None:
    from genguard.detectors.hashes import PdqHashDetector

    settings = Settings(database_url=database_url, home=tmp_path)
    hashes = PdqHashDetector()  # a real detector, not loaded yet
    with Platform(settings, detectors={"hashes": hashes}) as platform:
        state = platform.readiness()
        assert dict(state.models) == {"hashes": False} and state.database is True and not state.ready
        hashes.load()
        assert platform.readiness().ready


def test_the_report_service_reads_the_platform_store(database_url: str, tmp_path: Path) -> None:
    """Routes and pages get reports from ``Platform.reports`` (never the store): built once, on
    the platform's store, and the same report the compliance functions build from that store."""
    from datetime import UTC, datetime, timedelta

    from genguard.compliance import transparency

    settings = Settings(database_url=database_url, home=tmp_path, cases_tick_s=0)
    with Platform(settings, detectors={}) as platform:
        reports = platform.reports
        assert platform.reports is reports and reports.store is platform.store
        end = datetime.now(UTC) + timedelta(days=1)
        start = end - timedelta(days=30)
        assert reports.transparency(start, end) == transparency.build(platform.store, start, end)
        assert reports.dsa_statements(start, end).statements == []
