"""The composition root builds each part once, lazily, and shares it."""

from __future__ import annotations

from pathlib import Path

from genguard.config import Settings
from genguard.store.db import Store
from genguard.wiring import Platform


def test_parts_are_built_once_and_shared(database_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=database_url, home=tmp_path)
    with Platform(settings, detectors={}) as platform:
        assert "store" not in platform._parts  # nothing is built before it is asked for
        guard = platform.guard
        assert platform.guard is guard and platform.store is platform.store
        # The guard and the case service screen and act on the same bank service (one live index).
        assert guard.banks.service is platform.banks
        assert platform.cases.banks is platform.banks
        assert guard.actions is not None and guard.actions.store is platform.store


def test_given_parts_are_shared_and_left_open(store: Store, tmp_path: Path) -> None:
    from genguard.guard import Guard

    settings = Settings(home=tmp_path)
    guard = Guard(settings, detectors={}, store=store)
    try:
        with Platform(settings, store=store, guard=guard) as platform:
            assert platform.guard is guard and platform.store is store
            assert platform.banks is guard.banks.service
        assert store.ping()  # the platform did not close what it was given
    finally:
        guard.close()
