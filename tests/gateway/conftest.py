"""A real gateway (uvicorn, loopback) in front of a real local images API that enforces OpenAI's
schema; the Guard runs the real face, age, identity, hash and intent models, and only the nudity
detector's regions are injected (``tests/screening/injected.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.gateway import GatewayConfig, create_gateway
from genguard.guard import Guard
from genguard.receipts import ReceiptSigner
from genguard.store.db import Store
from tests.conftest import serve
from tests.gateway.upstream_server import API_KEY, FakeImagesAPI
from tests.screening.injected import InjectedNudity


@dataclass
class Gateway:
    url: str
    key: str
    upstream: FakeImagesAPI
    guard: Guard
    store: Store

    @property
    def nudity(self) -> dict[str, Any]:
        """``gateway.nudity[sha256] = [regions]``: what the mocked nudity detector answers."""
        return self.guard.nudity_regions  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def fake_api() -> Iterator[FakeImagesAPI]:
    api = FakeImagesAPI()
    with serve(api.app()) as url:
        api.base_url = url
        yield api


@pytest.fixture
def injected_guard(detectors, store: Store, tmp_path: Path) -> Iterator[Guard]:  # noqa: ANN001
    nudity = InjectedNudity()
    settings = Settings(home=tmp_path)
    with Guard(settings, detectors={**detectors, "nudity": nudity}, store=store,
               signer=ReceiptSigner.from_settings(settings)) as guard:
        guard.nudity_regions = nudity.by_sha256  # type: ignore[attr-defined]
        yield guard


@pytest.fixture
def start_gateway(fake_api: FakeImagesAPI, injected_guard: Guard, store: Store,
                  tmp_path: Path) -> Iterator[Callable[..., Gateway]]:
    """``start_gateway(stamper=None, **config)``: a gateway to ``fake_api`` (or ``upstream_url``)
    on a free port."""
    key = create_key(store, Role.SERVICE, "gateway-test").secret
    with ExitStack() as stack:
        def start(*, stamper: Any = None, **config: Any) -> Gateway:
            config.setdefault("upstream_url", f"{fake_api.base_url}/v1")
            config.setdefault("upstream_api_key", API_KEY)
            config.setdefault("allow_url_hosts", frozenset({"127.0.0.1"}))
            app = create_gateway(GatewayConfig(**config), Settings(home=tmp_path), guard=injected_guard, stamper=stamper)
            url = stack.enter_context(serve(app))
            return Gateway(url, key, fake_api, injected_guard, store)

        yield start
