"""The typed client against a real genguard server on loopback (real models, SQLite)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from genguard.vocabulary import Role
from genguard.cli.main import app as cli
from genguard.client import (
    AsyncClient,
    Client,
    ConnectionFailed,
    Forbidden,
    IdempotencyKeyReused,
    InvalidRequest,
    NotFound,
    RetryPolicy,
    ServerBusy,
    Unauthenticated,
)
from genguard.client.errors import from_response, retry_after
from genguard.verdict import Decision, Verdict
from tests.api.conftest import LiveServer, live_server  # noqa: F401 - the live HTTP server fixture
from tests.cases.helpers import take_it_down
from tests.images import ADULT_PORTRAIT

FAST = RetryPolicy(attempts=3, base_s=0.01, cap_s=0.05)


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[Client]:  # noqa: F811
    with Client(live_server.url, live_server.keys[Role.SERVICE], retry=FAST) as c:
        yield c


def test_screen_returns_the_apis_verdict_model_with_a_verifiable_receipt(client: Client) -> None:
    verdict = client.screen("edit", prompt="put her in a bikini", sources=[ADULT_PORTRAIT], id="c-1")
    assert isinstance(verdict, Verdict) and verdict.decision is Decision.BLOCK
    assert "INTIMATE_EDIT_REAL_PERSON" in verdict.reasons and verdict.id == "c-1"
    payload = client.verify_receipt(verdict.receipt)
    assert payload["vid"] == "c-1" and payload["seq"] == verdict.audit_seq and payload["decision"] == "block"
    assert client.jwks()["keys"][0]["kty"] == "OKP"


def test_async_client_screens_the_same(live_server: LiveServer) -> None:  # noqa: F811
    async def run() -> Verdict:
        async with AsyncClient(live_server.url, live_server.keys[Role.SERVICE], retry=FAST) as c:
            verdict = await c.screen("edit", prompt="put a hat on her", sources=[ADULT_PORTRAIT.read_bytes()])
            assert (await c.verify_receipt(verdict.receipt))["decision"] == "allow"
            return verdict

    assert asyncio.run(run()).decision is Decision.ALLOW


def test_error_codes_become_typed_exceptions(live_server: LiveServer, client: Client) -> None:  # noqa: F811
    with Client(live_server.url, "gg_0123456789ab_forged", retry=FAST) as anonymous:
        with pytest.raises(Unauthenticated):
            anonymous.screen("generate", prompt="a lighthouse")
    with Client(live_server.url, live_server.keys[Role.AUDITOR], retry=FAST) as auditor:
        with pytest.raises(Forbidden):
            auditor.screen("generate", prompt="a lighthouse")
    with pytest.raises(InvalidRequest) as caught:
        client.screen("edit", prompt="put a hat on her", sources=[b"not an image"])
    assert caught.value.status == 422 and caught.value.code.startswith("media_")
    with pytest.raises(InvalidRequest) as caught:
        client.screen("edit", prompt="put a hat on her")
    assert caught.value.code == "source_required"
    with pytest.raises(NotFound):
        client.notice_status("no-such-notice")


def test_notices_carry_an_idempotency_key_and_a_retry_is_replayed(client: Client) -> None:
    first = client.submit_notice(take_it_down("post-9"), idempotency_key="k-1")
    again = client.submit_notice(take_it_down("post-9"), idempotency_key="k-1")
    assert not first.replayed and again.replayed and again.body == first.body
    with pytest.raises(IdempotencyKeyReused):
        client.submit_notice(take_it_down("post-10"), idempotency_key="k-1")
    generated = client.submit_notice(take_it_down("post-11"))  # a key of its own, generated
    assert client.notice_status(generated.body["notice_id"])["notice_id"] == generated.body["notice_id"]


def test_a_busy_server_is_retried_after_its_retry_after(live_server: LiveServer) -> None:  # noqa: F811
    heavy = live_server.app.state.heavy
    for _ in range(heavy.slots):
        heavy._free.acquire()  # every screening slot taken, as by other requests
    heavy.wait_s, heavy.retry_after_s = 0.0, 1
    release = threading.Timer(0.5, lambda: [heavy._free.release() for _ in range(heavy.slots)])
    with Client(live_server.url, live_server.keys[Role.SERVICE], retry=RetryPolicy(attempts=1)) as once:
        with pytest.raises(ServerBusy) as caught:
            once.screen("generate", prompt="a lighthouse at dusk")
        assert caught.value.retry_after_s == 1.0
    started = time.monotonic()
    release.start()
    with Client(live_server.url, live_server.keys[Role.SERVICE]) as patient:
        verdict = patient.screen("generate", prompt="a lighthouse at dusk")
    assert verdict.decision is Decision.ALLOW and time.monotonic() - started >= 1.0


def test_no_server_is_a_connection_error_after_the_retries() -> None:
    with Client("http://127.0.0.1:9", "gg_x", retry=FAST) as client:
        with pytest.raises(ConnectionFailed) as caught:
            client.screen("generate", prompt="a lighthouse")
    assert caught.value.status == 0


def test_retry_after_in_seconds_or_a_date_and_a_non_json_error() -> None:
    request = httpx.Request("GET", "http://x/")
    assert retry_after(httpx.Response(503, headers={"Retry-After": "7"}, request=request)) == 7.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after(httpx.Response(503, headers={"Retry-After": later}, request=request)) <= 31
    assert retry_after(httpx.Response(503, headers={"Retry-After": "soon"}, request=request)) is None
    proxy = from_response(httpx.Response(502, text="<html>bad gateway</html>", request=request))
    assert proxy.status == 502 and proxy.code == "http_502"
    policy = RetryPolicy(base_s=1.0, cap_s=4.0)
    assert all(0.0 <= policy.backoff(a) <= min(4.0, 2**a) for a in range(8) for _ in range(20))


def test_cli_screens_on_a_remote_server(live_server: LiveServer, tmp_path: Path) -> None:  # noqa: F811
    runner = CliRunner()
    args = ["screen", "--server", live_server.url, "-p", "put her in a bikini", "-s", str(ADULT_PORTRAIT), "--json"]
    result = runner.invoke(cli, [*args, "--api-key", live_server.keys[Role.SERVICE]])
    assert result.exit_code == 0, result.output
    assert '"decision": "block"' in result.stdout
    refused = runner.invoke(cli, [*args, "--api-key", "gg_0123456789ab_forged"])
    assert refused.exit_code == 2 and "unauthenticated" in refused.stderr
