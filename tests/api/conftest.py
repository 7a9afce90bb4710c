"""A real uvicorn server on a free loopback port, on each database backend, with real models."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.guard import Guard
from genguard.store.db import Store
from tests.conftest import serve


@dataclass
class LiveServer:
    url: str
    store: Store
    keys: dict[Role, str]
    app: Any = None

    def client(self, role: Role | None = Role.SERVICE, *, secret: str | None = None) -> httpx.Client:
        """An HTTP client that sends the API key of ``role``, or ``secret``, or no key at all."""
        secret = secret or (self.keys[role] if role is not None else None)
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120.0)


@pytest.fixture
def live_server(database_url: str, store: Store, detectors, tmp_path: Path) -> Iterator[LiveServer]:  # noqa: ANN001
    settings = Settings(database_url=database_url, home=tmp_path)
    guard = Guard(settings, detectors=detectors, store=store)
    try:
        app = create_app(settings, guard=guard)
        with serve(app) as url:
            keys = {role: create_key(store, role, f"test-{role.value}").secret for role in Role}
            yield LiveServer(url=url, store=store, keys=keys, app=app)
    finally:
        guard.close()
