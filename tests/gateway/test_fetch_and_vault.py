"""Upstream image URLs are fetched under genguard.net's SSRF rules (the shared fetcher, with the
gateway's policy), and the bounded store of served images."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from genguard.gateway import GatewayConfig
from genguard.gateway.vault import ImageVault
from genguard.net import fetch as fetch_module
from genguard.net.fetch import FetchRefused, MediaFetcher
from tests.gateway.conftest import Gateway
from tests.images import SHARED_IMAGES
from tests.media_server import MediaServer, media_server

SCENE = min((SHARED_IMAGES / "scenes").glob("*"))


@pytest.fixture(scope="module")
def storage() -> Iterator[MediaServer]:
    with media_server() as running:
        yield running


def _generate(gw: Gateway, image_url: str) -> httpx.Response:
    gw.upstream.outputs = [SCENE.read_bytes()]
    gw.upstream.image_url = image_url
    return httpx.post(f"{gw.url}/v1/images/generations", headers={"Authorization": f"Bearer {gw.key}"},
                      json={"prompt": "a lighthouse at dusk", "model": "dall-e-2"}, timeout=60)


UNSAFE = [
    ("http://example.com/a.png", "fetch_scheme_not_allowed"),  # plain http to a host not allow-listed
    ("https://127.0.0.1/a.png", "fetch_address_not_allowed"),
    ("https://10.1.2.3/a.png", "fetch_address_not_allowed"),
    ("https://169.254.169.254/latest/meta-data/", "fetch_address_not_allowed"),  # cloud metadata
    ("https://[::1]/a.png", "fetch_address_not_allowed"),
    ("https://[::ffff:127.0.0.1]/a.png", "fetch_address_not_allowed"),  # IPv4 inside IPv6
    ("https://[64:ff9b::a9fe:a9fe]/a.png", "fetch_address_not_allowed"),  # NAT64 of 169.254.169.254
    ("https://2130706433/a.png", "fetch_address_not_allowed"),  # 127.0.0.1 in decimal
    ("https://0177.0.0.1/a.png", "fetch_url_invalid"),  # ... in octal: httpx's parser refuses it first
    ("https://0x7f.1/a.png", "fetch_address_not_allowed"),  # ... in hex, short form
    ("https://user:secret@example.com/a.png", "fetch_url_invalid"),
    ("file:///etc/passwd", "fetch_scheme_not_allowed"),
    ("https:///a.png", "fetch_url_invalid"),
    ("https://[not-an-ip/a.png", "fetch_url_invalid"),
]


def test_unsafe_upstream_urls_are_refused_by_the_shared_rules_before_any_connection(
        start_gateway: Callable[..., Gateway], loopback_only: list[object]) -> None:
    # loopback_only lets the test reach the gateway; a fetch of 127.0.0.1 would be let through
    # too, but would then fail as fetch_unreachable, not fetch_address_not_allowed (raised only
    # before connecting).
    gw = start_gateway(allow_url_hosts=frozenset())
    for url, code in UNSAFE:
        response = _generate(gw, url)
        error = response.json()["error"]
        assert (response.status_code, error["code"], error["reason"]) == (502, "upstream_url_refused", code), url
        assert "data" not in response.json() and "secret" not in response.text, url
    assert loopback_only == []


def test_a_name_resolving_to_a_private_address_is_refused(start_gateway: Callable[..., Gateway],
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          loopback_only: list[object]) -> None:
    asked: list[tuple[str, int]] = []

    def private(host: str, port: int) -> list[ipaddress.IPv4Address]:
        asked.append((host, port))
        return [ipaddress.IPv4Address("93.184.215.14"), ipaddress.IPv4Address("10.0.0.5")]

    monkeypatch.setattr(fetch_module, "resolve", private)
    gw = start_gateway(allow_url_hosts=frozenset())
    response = _generate(gw, "https://images.upstream.example/a.png?sig=s3cr3t")
    error = response.json()["error"]
    assert (response.status_code, error["code"], error["reason"]) == (502, "upstream_url_refused",
                                                                      "fetch_address_not_allowed")
    assert "10.0.0.5" in error["message"] and "s3cr3t" not in response.text
    assert asked == [("images.upstream.example", 443)]
    assert loopback_only == []  # neither resolved address was reached


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/to//cup.png", 502, "upstream_url_refused"),  # redirects are not followed
    ("/gone", 502, "upstream_url_refused"),
    ("/html", 502, "upstream_invalid_image"),  # sniffed, whatever the server claims
    ("/lying", 502, "upstream_invalid_image"),  # a PNG declared as JPEG
    ("/slow", 504, "upstream_timeout"),
])
def test_hostile_storage_behind_an_allow_listed_host_fails_closed(start_gateway: Callable[..., Gateway],
                                                                  storage: MediaServer, path: str, status: int,
                                                                  code: str) -> None:
    gw = start_gateway(timeout_s=1.0)  # 127.0.0.1 allow-listed: http and loopback are fetched
    response = _generate(gw, f"{storage.url}{path}")
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


def test_the_gateway_policy_fetches_allow_listed_hosts_within_its_bounds(storage: MediaServer) -> None:
    policy = GatewayConfig(upstream_url="https://images.example/v1",
                           allow_url_hosts=frozenset({"127.0.0.1"})).url_fetch_policy(max_bytes=1_000_000)
    fetcher = MediaFetcher(policy)
    assert fetcher.fetch(f"{storage.url}/cup.png").format == "png"  # http, loopback: the allow-listed host
    for url, code in (
            (f"{storage.url}/big", "fetch_too_large"),  # the byte limit it was given
            (f"{storage.url}/to//cup.png", "fetch_too_many_redirects"),  # no redirect, even to itself
            # The exemption is for the host as named: the same address spelt another way is not exempt.
            (storage.url.replace("http://127.0.0.1", "https://[::ffff:127.0.0.1]") + "/cup.png",
             "fetch_address_not_allowed")):
        with pytest.raises(FetchRefused) as refused:
            fetcher.fetch(url)
        assert refused.value.code == code, url


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
