"""A genguard server without detector models (exports, reports and banks need none)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.guard import Guard
from genguard.store.db import Store
from tests.conftest import serve


@pytest.fixture
def light_server(store: Store, tmp_path: Path) -> Iterator[tuple[str, dict[Role, str]]]:
    """A real uvicorn server on loopback and one API key per role."""
    settings = Settings(database_url=store.engine.url.render_as_string(hide_password=False), home=tmp_path)
    guard = Guard(settings, detectors={}, store=store)  # screening would fail closed; nothing here screens
    try:
        with serve(create_app(settings, guard=guard)) as url:
            yield url, {role: create_key(store, role, f"light-{role.value}").secret for role in Role}
    finally:
        guard.close()
