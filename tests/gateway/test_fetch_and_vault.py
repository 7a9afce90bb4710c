"""SSRF-safe fetching of upstream image URLs, and the bounded store of served images."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from genguard.gateway.errors import GatewayError
from genguard.gateway.fetch import fetch_image
from genguard.gateway.vault import ImageVault
from tests.gateway.upstream_server import FakeImagesAPI


def _fetch(url: str, *, allow: frozenset[str] = frozenset(), max_bytes: int = 10_000_000) -> bytes:
    async def run() -> bytes:
        async with httpx.AsyncClient() as client:
            return await fetch_image(url, client=client, allow_hosts=allow, max_bytes=max_bytes, timeout_s=5)

    return asyncio.run(run())


@pytest.mark.parametrize(("url", "why"), [
    ("http://example.com/a.png", "plain http to a host not allow-listed"),
    ("https://127.0.0.1/a.png", "loopback"),
    ("https://10.1.2.3/a.png", "private"),
    ("https://169.254.169.254/latest/meta-data/", "link-local (cloud metadata)"),
    ("https://[::1]/a.png", "IPv6 loopback"),
    ("https://user:secret@example.com/a.png", "credentials in the URL"),
    ("file:///etc/passwd", "another scheme"),
    ("https:///a.png", "no host"),
    ("https://[not-an-ip/a.png", "not a URL"),
])
def test_unsafe_urls_are_refused_before_any_connection(url: str, why: str) -> None:
    with pytest.raises(GatewayError) as caught:
        _fetch(url)
    assert caught.value.status == 502 and caught.value.code == "upstream_url_refused", why


def test_allow_listed_loopback_host_is_fetched_but_not_redirected_or_unbounded(fake_api: FakeImagesAPI) -> None:
    fake_api.files["a.png"] = b"\x89PNG\r\n\x1a\n" + b"\x00" * 1000
    url = f"{fake_api.base_url}/files/a.png"
    assert _fetch(url, allow=frozenset({"127.0.0.1"})) == fake_api.files["a.png"]
    with pytest.raises(GatewayError, match="over 100 bytes"):
        _fetch(url, allow=frozenset({"127.0.0.1"}), max_bytes=100)
    with pytest.raises(GatewayError, match="answered 404"):
        _fetch(f"{fake_api.base_url}/files/missing.png", allow=frozenset({"127.0.0.1"}))


def test_the_vault_expires_and_stays_within_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    vault = ImageVault(ttl_s=60, max_bytes=10)
    first = vault.put(b"12345", "image/png")
    second = vault.put(b"67890", "image/png")
    assert vault.get(first).data == b"12345" and len(first) >= 40 and first != second
    third = vault.put(b"abc", "image/png")  # over 10 bytes in all: the oldest goes
    assert vault.get(first) is None and vault.get(second) is not None and vault.get(third) is not None
    later = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert vault.get(second) is None and vault.get("forged") is None
