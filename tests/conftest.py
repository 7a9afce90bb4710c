"""Shared fixtures: a migrated database on every backend the machine offers.

``store`` runs each test on SQLite and, when ``GENGUARD_TEST_POSTGRES_URL`` is set (CI sets
it), on PostgreSQL too, in a schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text

from genguard.store.db import Store, open_store

POSTGRES_ENV = "GENGUARD_TEST_POSTGRES_URL"


def _postgres_schema_url(base: str, schema: str) -> str:
    """``base`` with every connection's search_path set to ``schema`` (libpq ``options``)."""
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables yet) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'genguard.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests skipped: set {POSTGRES_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A store migrated to head on each backend."""
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.close()


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run ``app`` on a real uvicorn server on a free loopback port; yields its base URL."""
    import uvicorn

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
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


# --- outbound connections, for the SSRF-safe fetcher's tests (tests/net, tests/gateway) --------

@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Fail any outbound connection: an SSRF refusal must happen before connect."""
    attempts: list[object] = []

    def refuse(address: object, *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        raise AssertionError(f"the fetcher tried to connect to {address}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Let connections reach 127.0.0.1 only; anything else is recorded and refused."""
    real = socket.create_connection
    elsewhere: list[object] = []

    def connect(address, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if address[0] != "127.0.0.1":
            elsewhere.append(address)
            raise AssertionError(f"the fetcher tried to connect to {address}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    return elsewhere


# --- real models and the licensed test images ------------------------------------------------

@pytest.fixture(scope="session")
def detectors():  # noqa: ANN201 - dict[str, Detector]
    """Every bundled detector, loaded once for the whole test session (real models)."""
    from genguard.detectors.registry import load_detectors

    return load_detectors()


@pytest.fixture
def guard(detectors, store: Store) -> Iterator[object]:  # noqa: ANN001
    """A Guard on real models whose audit trail goes to the per-test store."""
    from genguard.guard import Guard

    with Guard(detectors=detectors, store=store) as g:
        yield g
