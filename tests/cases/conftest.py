"""A real webhook receiver and a real API server whose case service sends to it."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.banks.service import BankService
from genguard.cases.service import CaseService
from genguard.cases.webhooks import SIGNATURE_HEADER, WebhookSender, verify
from genguard.config import Settings
from genguard.guard import Guard
from genguard.store.db import Store
from tests.conftest import serve

SECRET = b"test-webhook-secret"


@dataclass
class Hit:
    event: str
    key: str
    body: dict[str, Any]
    signed: bool
    status: int


@dataclass
class Receiver:
    """The platform's webhook endpoint: answers 503 to the first ``fail_first`` attempts of
    every idempotency key, then 200; records every attempt and whether its signature held."""

    fail_first: int = 0
    #: Answer 400 (a refusal the sender must not retry) instead of 503 while failing.
    refuse: bool = False
    hits: list[Hit] = field(default_factory=list)
    url: str = ""

    def delivered(self, event: str | None = None) -> list[Hit]:
        return [h for h in self.hits if h.status == 200 and (event is None or h.event == event)]

    def attempts(self) -> Counter[str]:
        return Counter(h.key for h in self.hits)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            key = self.headers["Idempotency-Key"]
            with lock:
                seen = sum(1 for h in state.hits if h.key == key)
                status = (400 if state.refuse else 503) if seen < state.fail_first else 200
                state.hits.append(Hit(self.headers["Genguard-Event"], key, json.loads(body),
                                      verify(SECRET, self.headers[SIGNATURE_HEADER], body), status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class CaseServer:
    url: str
    store: Store
    app: Any
    keys: dict[str, str]
    key_ids: dict[str, int] = field(default_factory=dict)

    def client(self, who: str) -> httpx.Client:
        """A client with the key named ``who`` (service, admin, auditor, reviewer-a, reviewer-b...)."""
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.keys[who]}"}, timeout=120.0)

    def add_reviewer(self, name: str) -> None:
        self.key_ids[name], self.keys[name] = create_key(self.store, Role.REVIEWER, name)


@pytest.fixture
def case_server(database_url: str, store: Store, detectors, tmp_path: Path, receiver: Receiver,  # noqa: ANN001
                monkeypatch: pytest.MonkeyPatch) -> Iterator[CaseServer]:
    monkeypatch.setenv("GENGUARD_CASES_TICK_S", "0")  # tests tick explicitly
    settings = Settings(database_url=database_url, home=tmp_path)
    guard = Guard(settings, detectors=detectors, store=store)
    sender = WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0.01)
    app = create_app(settings, guard=guard, webhooks=sender)
    try:
        with serve(app) as url:
            keys = {role.value: create_key(store, role, f"test-{role.value}").secret
                    for role in (Role.ADMIN, Role.SERVICE, Role.AUDITOR)}
            server = CaseServer(url, store, app, keys)
            server.add_reviewer("reviewer-a")
            server.add_reviewer("reviewer-b")
            yield server
    finally:
        guard.close()


@pytest.fixture
def banks(store: Store, tmp_path: Path) -> BankService:
    """A bank service whose PDQ snapshot lives in the test's folder."""
    return BankService(store, snapshot_path=tmp_path / "pdq.idx")


@pytest.fixture
def service(store: Store, banks: BankService, receiver: Receiver) -> CaseService:
    """A case service that sweeps copies through ``banks`` and notifies the receiver at once."""
    return CaseService(store, banks=banks, sender=WebhookSender(url=receiver.url, secret=SECRET, backoff_s=0))

