"""Fetch media from a URL a platform registered, without letting that URL reach inside.

A media URL comes from outside (a platform's item registration), so fetching it is the classic
server-side request forgery opening: a URL naming ``127.0.0.1``, ``169.254.169.254`` (cloud
metadata), an intranet host, or a public name that resolves, or *re*-resolves, to one of those.
:class:`MediaFetcher` closes it in layers:

1. **Host allowlist.** Only hosts the operator listed (``GENGUARD_MEDIA_HOSTS``: exact names or
   ``*.suffix``) are fetched; anything else is refused before any DNS lookup. (A caller whose
   hosts cannot be listed, the images gateway, sets ``any_host`` and relies on step 3.)
2. **Scheme.** ``https`` only, unless the operator allows ``http``; no ``user:pass@`` in URLs;
   numbers that are not canonical IP addresses (``2130706433``, ``0177.0.0.1``) and hosts that
   are neither a DNS name nor an IP literal are refused.
3. **Resolve once, connect to what was checked.** The transport resolves the host itself, refuses
   if *any* address is not public (see :mod:`genguard.net.addresses`), then connects to that
   address, sending the original ``Host`` header and TLS server name, so a DNS answer that
   changes between check and connect (rebinding) cannot redirect the connection.
4. **Redirects by hand.** Each ``Location`` goes through steps 1-3 again; at most
   ``max_redirects`` hops.
5. **Bounds.** The body is streamed raw (``Accept-Encoding: identity``; nothing is decompressed,
   so no compression bomb) and abandoned past ``max_bytes`` (a declared ``Content-Length`` over
   it is refused before reading); the whole fetch, every hop included, has one deadline;
   environment proxies are ignored (``trust_env=False``).
6. **Content.** The body's first bytes must be an accepted image format (``media/sniff.py``),
   whatever the server's ``Content-Type`` says; a declared type that contradicts them is refused.

Signed URLs carry credentials in their query string, so errors and logs name a URL only
through :func:`redact` (scheme, host, path).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from genguard.errors import GenguardError
from genguard.media.sniff import check_declared_type, sniff_format
from genguard.net.addresses import (IPAddress, IPNetwork, ambiguous_numeric, exempt, host_name_or_literal, literal,
                                    refusal)

if TYPE_CHECKING:
    from genguard.config import Settings

#: ``(host, port) -> addresses``; the default asks the system resolver.
Resolver = Callable[[str, int], Sequence[IPAddress]]


class FetchError(GenguardError):
    """A media fetch that was refused or failed; ``code`` says which rule or failure."""

    code = "fetch_failed"
    status = 502


class FetchRefused(FetchError):
    """Refused by policy, before any connection to the refused address was made."""

    code = "fetch_refused"
    status = 422


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for ``host`` (tests replace this function)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"the media host {host!r} does not resolve", code="fetch_unresolvable") from exc
    # The address is a str for AF_INET/AF_INET6 (an int only for families we never ask for).
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def redact(url: str | httpx.URL) -> str:
    """``url`` without its query, fragment or credentials: safe to log and show."""
    try:
        parsed = httpx.URL(str(url))
    except (httpx.InvalidURL, TypeError):
        return "<invalid URL>"
    port = f":{parsed.port}" if parsed.port else ""
    host = f"[{parsed.host}]" if ":" in parsed.host else parsed.host
    return f"{parsed.scheme}://{host}{port}{parsed.path[:200]}"


@dataclass(frozen=True)
class FetchPolicy:
    """What a media fetch may reach and how much it may take.

    ``exempt_networks`` lifts the address rule for the listed networks. It exists so tests can
    fetch from a loopback server; it is never read from the environment, and a deployment
    leaves it empty.

    ``any_host`` and ``trusted_hosts`` exist for the images gateway, whose URLs come from an
    image service's answers: their hosts (a CDN's) cannot be listed in advance, so every host is
    allowed and the address rules are the guard; and the operator may name hosts it runs itself
    (``--allow-url-host``) to be fetched over ``http`` and at private addresses. Neither is read
    from the environment: item media keeps its allowlist and public addresses only.
    """

    allowed_hosts: frozenset[str] = frozenset()
    allow_http: bool = False
    max_bytes: int = 25 * 1024 * 1024
    timeout_s: float = 10.0
    max_redirects: int = 3
    #: A PEM file of CAs to trust instead of the system's (storage behind a private CA).
    ca_bundle: str | None = None
    exempt_networks: tuple[IPNetwork, ...] = field(default=())
    #: Fetch from any host, not only ``allowed_hosts`` (the address rules still apply).
    any_host: bool = False
    #: Hosts (exact or ``*.suffix``) fetched over ``http`` too and at any address: the operator's own.
    trusted_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """``GENGUARD_MEDIA_HOSTS`` (comma-separated, ``*.suffix`` allowed),
        ``GENGUARD_MEDIA_ALLOW_HTTP`` (``1``), ``GENGUARD_MEDIA_FETCH_MAX_BYTES``,
        ``GENGUARD_MEDIA_FETCH_TIMEOUT_S``, ``GENGUARD_MEDIA_FETCH_MAX_REDIRECTS``,
        ``GENGUARD_MEDIA_CA_BUNDLE``, as :class:`~genguard.config.Settings` read them."""
        return cls(
            allowed_hosts=settings.media_hosts,
            allow_http=settings.media_allow_http,
            max_bytes=settings.media_fetch_max_bytes,
            timeout_s=settings.media_fetch_timeout_s,
            max_redirects=settings.media_fetch_max_redirects,
            ca_bundle=settings.media_ca_bundle,
            exempt_networks=tuple(ipaddress.ip_network(n) for n in settings.media_fetch_exempt),
        )

    def host_allowed(self, host: str) -> bool:
        return self.any_host or _host_matches(host, self.allowed_hosts) or self.host_trusted(host)

    def host_trusted(self, host: str) -> bool:
        return _host_matches(host, self.trusted_hosts)

    def check_url(self, url: str | httpx.URL) -> httpx.URL:
        """``url`` parsed, if its scheme, form and host pass the policy (no network use)."""
        try:
            parsed = httpx.URL(str(url))
        except (httpx.InvalidURL, TypeError) as exc:
            raise FetchRefused("the media URL is not a valid URL", code="fetch_url_invalid") from exc
        schemes = ("https", "http") if self.allow_http or self.host_trusted(parsed.host) else ("https",)
        if parsed.scheme not in schemes:
            raise FetchRefused(f"the media URL must use {' or '.join(schemes)} (got {parsed.scheme or 'none'!r})",
                               code="fetch_scheme_not_allowed")
        if not parsed.host:
            raise FetchRefused("the media URL has no host", code="fetch_url_invalid")
        if parsed.userinfo:
            raise FetchRefused("the media URL may not carry user credentials before the host",
                               code="fetch_url_invalid")
        if ambiguous_numeric(parsed.host):
            raise FetchRefused(f"the media host {parsed.host!r} is a number but not a canonical IP address",
                               code="fetch_address_not_allowed")
        if not host_name_or_literal(parsed.host, parsed.raw_host.decode("ascii", "replace")):
            raise FetchRefused("the media URL's host is neither a host name nor an IP address",
                               code="fetch_url_invalid")
        if not self.host_allowed(parsed.host):
            raise FetchRefused(f"the media host {parsed.host!r} is not on the operator's allowlist "
                               "(GENGUARD_MEDIA_HOSTS)", code="fetch_host_not_allowed")
        return parsed

    def check_addresses(self, host: str, addresses: Iterable[IPAddress]) -> IPAddress:
        """The address to connect to, if every address of ``host`` may be reached."""
        found = list(addresses)
        if not found:
            raise FetchError(f"the media host {host!r} does not resolve", code="fetch_unresolvable")
        if self.host_trusted(host):
            return found[0]
        for ip in found:
            why = refusal(ip)
            if why and not exempt(ip, self.exempt_networks):
                raise FetchRefused(f"the media host {host!r} resolves to a {why} address ({ip}); refused",
                                   code="fetch_address_not_allowed")
        return found[0]


def _host_matches(host: str, patterns: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``patterns``: an exact name, or ``*.suffix`` for any sub-domain."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern.startswith("*.") and host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
            return True
        if host == pattern.strip("[]"):
            return True
    return False


@dataclass(frozen=True)
class FetchedMedia:
    """An image fetched and sniffed; ``url`` is redacted (no query string)."""

    data: bytes
    format: str
    content_type: str | None
    url: str
    redirects: int


class _PinnedTransport(httpx.HTTPTransport):
    """Resolves and checks the host itself, then connects to the checked address only."""

    def __init__(self, pin: Callable[[str, int], IPAddress], tls: ssl.SSLContext) -> None:
        super().__init__(verify=tls, trust_env=False, retries=0)
        self._pin = pin

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        ip = self._pin(host, port)
        # The Host header was fixed when the request was built; SNI and certificate checks use
        # the name, the socket uses the checked address.
        request.url = request.url.copy_with(host=str(ip))
        request.extensions = {**request.extensions, "sni_hostname": host}
        return super().handle_request(request)


class MediaFetcher:
    """Fetches one image per call under a :class:`FetchPolicy` (see module doc)."""

    def __init__(self, policy: FetchPolicy, *, resolver: Resolver | None = None) -> None:
        self.policy = policy
        self._resolver = resolver
        # Certificates are always verified, against the host *name* (see _PinnedTransport). The
        # context is built once: loading a CA store costs tens of milliseconds per fetch otherwise.
        self._tls = ssl.create_default_context(cafile=policy.ca_bundle)

    def _pin(self, host: str, port: int) -> IPAddress:
        found = literal(host)
        addresses = [found] if found is not None else (self._resolver or resolve)(host, port)
        return self.policy.check_addresses(host, addresses)

    def fetch(self, url: str) -> FetchedMedia:
        """The image at ``url``; :class:`FetchRefused` or :class:`FetchError` (or the
        sniffer's ``MediaError``) otherwise, with a message that never contains the query."""
        policy = self.policy
        deadline = time.monotonic() + policy.timeout_s
        current = policy.check_url(url)
        transport = _PinnedTransport(self._pin, self._tls)
        with httpx.Client(transport=transport, follow_redirects=False, trust_env=False,
                          headers={"Accept": "image/*", "Accept-Encoding": "identity",
                                   "User-Agent": "genguard-media-fetch"}) as client:
            for hop in range(policy.max_redirects + 1):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FetchError(f"fetching {redact(current)} took over {policy.timeout_s:g} s",
                                     code="fetch_timeout")
                try:
                    with client.stream("GET", current, timeout=remaining) as response:
                        if response.is_redirect:
                            location = response.headers.get("location", "")
                            current = policy.check_url(current.join(location))
                            continue
                        if response.status_code != 200:
                            raise FetchError(f"{redact(current)} answered HTTP {response.status_code}",
                                             code="fetch_http_status")
                        data = self._read(response, deadline, current)
                        declared = response.headers.get("content-type")
                except httpx.TimeoutException as exc:
                    raise FetchError(f"fetching {redact(current)} took over {policy.timeout_s:g} s",
                                     code="fetch_timeout") from exc
                except httpx.HTTPError as exc:
                    raise FetchError(f"could not fetch {redact(current)}: {type(exc).__name__}",
                                     code="fetch_unreachable") from exc
                found = sniff_format(data, declared)
                check_declared_type(declared, found)
                return FetchedMedia(data, found, declared, redact(current), hop)
        raise FetchRefused(f"more than {policy.max_redirects} redirects" if policy.max_redirects
                           else "a redirect, and this policy follows none", code="fetch_too_many_redirects")

    def _read(self, response: httpx.Response, deadline: float, url: httpx.URL) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchRefused(f"{redact(url)} declares {declared} bytes, over the {limit}-byte limit",
                               code="fetch_too_large")
        chunks: list[bytes] = []
        size = 0
        # Raw bytes as sent: nothing is decompressed (identity was asked for), so a small
        # compressed body cannot expand past the limit before it is counted.
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limit:
                raise FetchRefused(f"{redact(url)} sent over the {limit}-byte limit", code="fetch_too_large")
            if time.monotonic() > deadline:
                raise FetchError(f"fetching {redact(url)} took over {self.policy.timeout_s:g} s",
                                 code="fetch_timeout")
            chunks.append(chunk)
        return b"".join(chunks)
