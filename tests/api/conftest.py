"""A real uvicorn server on a free loopback port, on each database backend, with real models."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.auth.roles import Role
from genguard.config import Settings
from genguard.guard import Guard
from genguard.store.db import Store


@dataclass
class LiveServer:
    url: str
    store: Store
    keys: dict[Role, str]

    def client(self, role: Role | None = Role.SERVICE, *, secret: str | None = None) -> httpx.Client:
        """An HTTP client that sends the API key of ``role``, or ``secret``, or no key at all."""
        secret = secret or (self.keys[role] if role is not None else None)
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120.0)


@pytest.fixture
def live_server(database_url: str, store: Store, detectors, tmp_path: Path) -> Iterator[LiveServer]:  # noqa: ANN001
    settings = Settings(database_url=database_url, home=tmp_path)
    guard = Guard(settings, detectors=detectors, store=store)
    app = create_app(settings, guard=guard)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    keys = {role: create_key(store, role, f"test-{role.value}").secret for role in Role}
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", store=store, keys=keys)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        guard.close()
        sock.close()
