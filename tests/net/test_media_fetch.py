"""The SSRF-safe media fetcher: every private/special address form is refused before any
connection, redirects are re-checked hop by hop, bodies are bounded in size and time, and an
allowed fetch of a real loopback server works (with loopback exempted explicitly, as only tests do)."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator

import pytest

from genguard.errors import MediaError
from genguard.net import fetch as fetch_module
from genguard.net.fetch import FetchError, FetchPolicy, FetchRefused, MediaFetcher, redact
from tests.media_server import CUP, MediaServer, media_server

LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


@pytest.fixture(scope="module")
def server() -> Iterator[MediaServer]:
    with media_server() as running:
        yield running


def _port(server: MediaServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def loopback_policy(**changes: object) -> FetchPolicy:
    base = {"allowed_hosts": frozenset({"127.0.0.1", "media.test"}), "allow_http": True,
            "exempt_networks": LOOPBACK, "timeout_s": 5.0}
    return FetchPolicy(**{**base, **changes})  # type: ignore[arg-type]


BLOCKED_HOSTS = [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("10.0.0.5", "private"), ("192.168.1.1", "private"),
    ("172.16.0.1", "private"), ("169.254.169.254", "link-local"), ("100.64.0.1", "carrier-grade NAT"),
    ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"),
    ("[::1]", "loopback"), ("[::ffff:127.0.0.1]", "loopback (IPv4 inside IPv6)"),
    ("[::ffff:169.254.169.254]", "link-local (IPv4 inside IPv6)"), ("[64:ff9b::a00:1]", "private (IPv4 inside IPv6)"),
    ("[fe80::1]", "link-local"), ("[fc00::1]", "private"), ("[ff02::1]", "multicast"),
]


@pytest.mark.parametrize(("host", "why"), BLOCKED_HOSTS)
def test_private_and_special_addresses_are_refused_before_connecting(host: str, why: str,
                                                                     no_connect: list[object]) -> None:
    # The host is on the allowlist, so it is the address rule that refuses it.
    fetcher = MediaFetcher(FetchPolicy(allowed_hosts=frozenset({host.strip("[]")}), allow_http=True))
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(f"http://{host}/item.png?X-Signature=secret")
    assert refused.value.code == "fetch_address_not_allowed"
    assert why in refused.value.message
    assert "secret" not in refused.value.message
    assert no_connect == []


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "017700000001"])
def test_decimal_octal_and_hex_ip_forms_are_refused(host: str, no_connect: list[object]) -> None:
    fetcher = MediaFetcher(FetchPolicy(allowed_hosts=frozenset({host}), allow_http=True))
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(f"http://{host}/item.png")
    # httpx's URL parser already rejects some spellings (a dotted form with a leading zero);
    # the fetcher refuses the rest as non-canonical numbers, never handing them to a resolver.
    assert refused.value.code in ("fetch_address_not_allowed", "fetch_url_invalid")
    assert no_connect == []


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                          no_connect: list[object]) -> None:
    looked_up: list[str] = []

    def private(host: str, port: int) -> list[ipaddress.IPv4Address]:
        looked_up.append(host)
        return [ipaddress.ip_address("10.20.30.40")]

    monkeypatch.setattr(fetch_module, "resolve", private)
    fetcher = MediaFetcher(FetchPolicy(allowed_hosts=frozenset({"cdn.platform.example"})))
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch("https://cdn.platform.example/item.png")
    assert refused.value.code == "fetch_address_not_allowed" and "10.20.30.40" in refused.value.message
    assert looked_up == ["cdn.platform.example"] and no_connect == []


def test_one_private_address_among_public_ones_refuses_the_host(monkeypatch: pytest.MonkeyPatch,
                                                                no_connect: list[object]) -> None:
    monkeypatch.setattr(fetch_module, "resolve",
                        lambda host, port: [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("127.0.0.1")])
    fetcher = MediaFetcher(FetchPolicy(allowed_hosts=frozenset({"cdn.platform.example"})))
    with pytest.raises(FetchRefused, match="loopback"):
        fetcher.fetch("https://cdn.platform.example/item.png")
    assert no_connect == []


def test_hosts_off_the_allowlist_are_refused_before_resolving(monkeypatch: pytest.MonkeyPatch,
                                                              no_connect: list[object]) -> None:
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: pytest.fail("resolved a host not allowed"))
    fetcher = MediaFetcher(FetchPolicy(allowed_hosts=frozenset({"*.cdn.example", "media.example"})))
    for url in ("https://evil.example/x.png", "https://cdn.example.evil.example/x.png", "https://xcdn.example/x.png",
                "https://media.example.attacker.test/x.png"):
        with pytest.raises(FetchRefused) as refused:
            fetcher.fetch(url)
        assert refused.value.code == "fetch_host_not_allowed", url
    assert fetcher.policy.host_allowed("img.cdn.example") and fetcher.policy.host_allowed("MEDIA.example.")
    assert no_connect == []


@pytest.mark.parametrize(("url", "code"), [
    ("http://media.example/x.png", "fetch_scheme_not_allowed"),
    ("ftp://media.example/x.png", "fetch_scheme_not_allowed"),
    ("file:///etc/passwd", "fetch_scheme_not_allowed"),
    ("https://user:pw@media.example/x.png", "fetch_url_invalid"),
    ("https:///x.png", "fetch_url_invalid"),
    ("not a url at all", "fetch_scheme_not_allowed"),
    ("https://[media.example/x.png", "fetch_url_invalid"),  # httpx keeps these percent-encoded
    ("https://%31%32%37.0.0.1/x.png", "fetch_url_invalid"),
    ("https://media..example/x.png", "fetch_url_invalid"),
])
def test_schemes_and_url_forms(url: str, code: str, no_connect: list[object]) -> None:
    fetcher = MediaFetcher(FetchPolicy(allowed_hosts=frozenset({"media.example"})))
    with pytest.raises(FetchRefused) as refused:
        fetcher.fetch(url)
    assert refused.value.code == code
    assert no_connect == []


def test_an_allowed_fetch_from_a_real_loopback_server(server: MediaServer) -> None:
    got = MediaFetcher(loopback_policy()).fetch(f"{server.url}/cup.png?X-Amz-Signature=abc123")
    assert got.data == CUP.read_bytes() and got.format == "png" and got.redirects == 0
    assert got.url == f"{server.url}/cup.png"  # the signed query is not kept


def test_a_name_is_resolved_once_and_the_connection_goes_to_the_checked_address(
        server: MediaServer, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([[ipaddress.ip_address("127.0.0.1")], [ipaddress.ip_address("10.0.0.1")]])  # a rebinding DNS
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[ipaddress.IPv4Address]:
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(fetch_module, "resolve", rebinding)
    server.requests.clear()
    got = MediaFetcher(loopback_policy()).fetch(f"http://media.test:{_port(server)}/cup.png")
    assert got.format == "png" and calls == ["media.test"]
    assert server.requests == [("/cup.png", f"media.test:{_port(server)}")]  # the name travels as Host


def test_a_redirect_to_a_private_range_is_refused(server: MediaServer, loopback_only: list[object]) -> None:
    # The first hop is the allowed loopback test server; the target is on the host allowlist,
    # so it is the address rule, re-applied to the redirect, that refuses it.
    policy = loopback_policy(allowed_hosts=frozenset({"127.0.0.1", "10.0.0.1", "169.254.169.254", "::ffff:10.0.0.1"}))
    for target in ("http://10.0.0.1/internal.png", "http://169.254.169.254/latest/meta-data/",
                   "http://[::ffff:10.0.0.1]/x.png"):
        with pytest.raises(FetchRefused) as refused:
            MediaFetcher(policy).fetch(f"{server.url}/to/{target}")
        assert refused.value.code == "fetch_address_not_allowed", target
    assert loopback_only == []


def test_redirects_off_the_allowlist_and_loops_are_refused(server: MediaServer) -> None:
    fetcher = MediaFetcher(loopback_policy(max_redirects=3))
    with pytest.raises(FetchRefused) as off_list:
        fetcher.fetch(f"{server.url}/to/https://elsewhere.example/x.png")
    assert off_list.value.code == "fetch_host_not_allowed"
    with pytest.raises(FetchRefused) as looped:
        fetcher.fetch(f"{server.url}/loop")
    assert looped.value.code == "fetch_too_many_redirects"
    followed = fetcher.fetch(f"{server.url}/to//cup.png")
    assert followed.format == "png" and followed.redirects == 1


def test_any_host_lifts_the_allowlist_but_not_the_address_or_scheme_rules(monkeypatch: pytest.MonkeyPatch,
                                                                          no_connect: list[object]) -> None:
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [ipaddress.ip_address("10.0.0.5")])
    fetcher = MediaFetcher(FetchPolicy(any_host=True))
    for url, code in (("https://anything.example/x.png", "fetch_address_not_allowed"),
                      ("https://2130706433/x.png", "fetch_address_not_allowed"),
                      ("http://anything.example/x.png", "fetch_scheme_not_allowed")):
        with pytest.raises(FetchRefused) as refused:
            fetcher.fetch(url)
        assert refused.value.code == code, url
    assert no_connect == []


def test_a_trusted_host_is_exempt_by_name_and_its_redirects_are_checked_again(
        server: MediaServer, loopback_only: list[object]) -> None:
    fetcher = MediaFetcher(FetchPolicy(any_host=True, trusted_hosts=frozenset({"127.0.0.1"}), timeout_s=5.0))
    assert fetcher.fetch(f"{server.url}/cup.png").format == "png"  # http and loopback: the operator's own host
    for target, code in (("https://10.0.0.1/x.png", "fetch_address_not_allowed"),
                         ("http://media.example/x.png", "fetch_scheme_not_allowed"),
                         (f"https://[::ffff:127.0.0.1]:{_port(server)}/cup.png", "fetch_address_not_allowed")):
        with pytest.raises(FetchRefused) as refused:
            fetcher.fetch(f"{server.url}/to/{target}")
        assert refused.value.code == code, target
    assert loopback_only == []


def test_bodies_over_the_size_limit_are_abandoned(server: MediaServer) -> None:
    fetcher = MediaFetcher(loopback_policy(max_bytes=100_000))
    for path in ("/big", "/big-declared"):
        with pytest.raises(FetchRefused) as refused:
            fetcher.fetch(f"{server.url}{path}")
        assert refused.value.code == "fetch_too_large", path


def test_a_slow_body_is_cut_off_at_the_deadline(server: MediaServer) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as slow:
        MediaFetcher(loopback_policy(timeout_s=1.0)).fetch(f"{server.url}/slow")
    assert slow.value.code == "fetch_timeout"
    assert time.monotonic() - started < 3.0


def test_content_is_sniffed_not_trusted(server: MediaServer) -> None:
    fetcher = MediaFetcher(loopback_policy())
    with pytest.raises(MediaError) as compressed:  # never decompressed: no bomb can expand
        fetcher.fetch(f"{server.url}/gzip")
    assert compressed.value.code == "media_unsupported_type"
    with pytest.raises(MediaError) as html:
        fetcher.fetch(f"{server.url}/html")
    assert html.value.code == "media_unsupported_type"
    with pytest.raises(MediaError) as lying:
        fetcher.fetch(f"{server.url}/lying")
    assert lying.value.code == "media_type_mismatch"
    with pytest.raises(FetchError) as gone:
        fetcher.fetch(f"{server.url}/gone")
    assert gone.value.code == "fetch_http_status"


def test_redact_drops_query_and_credentials() -> None:
    assert redact("https://u:p@cdn.example/a/b.png?sig=1#f") == "https://cdn.example/a/b.png"
    assert redact("http://[::1]:8080/x?y") == "http://[::1]:8080/x"


def test_https_is_verified_against_the_name_while_connecting_to_the_pinned_address(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import ssl

    import trustme

    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    for cert_name, trusted, ok in (("media.test", True, True), ("other.test", True, False),
                                   ("media.test", False, False)):
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(cert_name).configure_cert(context)
        with media_server(tls=context) as server:
            policy = loopback_policy(allow_http=False, ca_bundle=str(ca_file) if trusted else None)
            url = f"https://media.test:{_port(server)}/cup.png"
            if ok:
                assert MediaFetcher(policy).fetch(url).data == CUP.read_bytes()
                assert server.requests[-1][1] == f"media.test:{_port(server)}"
            else:  # a certificate for another name, or from a CA not trusted: no body is read
                with pytest.raises(FetchError) as refused:
                    MediaFetcher(policy).fetch(url)
                assert refused.value.code == "fetch_unreachable"
                assert server.requests == []
