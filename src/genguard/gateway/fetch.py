"""Fetching an image the upstream answered with as a URL, without becoming an SSRF proxy.

An upstream (or whoever controls its answers) can name any URL. The rules:

* ``https`` only; ``http`` only for a host the operator allow-listed (a loopback test server,
  an internal generator);
* the name is resolved once, and every address it resolves to must be globally routable
  (no loopback, private, link-local — cloud metadata —, multicast or reserved ranges) unless
  the host is allow-listed; the connection then goes to that resolved address (the Host header
  and TLS SNI keep the name), so a second DNS answer cannot swap in an internal address;
* no redirects, a timeout, and a byte limit counted while reading.

Anything else is refused with 502 ``upstream_url_refused``: no image is better than one the
gateway could not fetch safely.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection
from urllib.parse import urlsplit, urlunsplit

import anyio
import httpx
from starlette.concurrency import run_in_threadpool

from genguard.gateway.errors import GatewayError


def _refused(message: str) -> GatewayError:
    return GatewayError(502, "upstream_url_refused", message)


async def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = await run_in_threadpool(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise _refused(f"the upstream's image host does not resolve: {exc.strerror or exc}") from exc
    return sorted({str(info[4][0]) for info in infos})


async def fetch_image(url: str, *, client: httpx.AsyncClient, allow_hosts: Collection[str],
                      max_bytes: int, timeout_s: float) -> bytes:
    """The bytes behind ``url`` under the rules above, or :class:`GatewayError`."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise _refused("the upstream's image URL is not a valid URL") from exc
    if not host or parts.username or parts.password:
        raise _refused("the upstream's image URL has no host, or carries credentials")
    allowed = host.lower() in {h.lower() for h in allow_hosts}
    if parts.scheme != "https" and not (parts.scheme == "http" and allowed):
        raise _refused(f"the upstream's image URL scheme {parts.scheme!r} is not fetched (https only)")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = await _resolve(host, port)
    if not allowed:
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise _refused(f"the upstream's image URL resolves to a non-public address ({address})")
    pinned = addresses[0]
    netloc = f"[{pinned}]:{port}" if ":" in pinned else f"{pinned}:{port}"
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    try:
        with anyio.fail_after(timeout_s):  # the whole fetch, not each read
            async with client.stream("GET", target, headers={"Host": host_header}, extensions=extensions,
                                     follow_redirects=False, timeout=timeout_s) as response:
                if response.status_code != 200:
                    raise _refused(f"the upstream's image URL answered {response.status_code} "
                                   "(redirects are not followed)")
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        raise _refused(f"the upstream's image is over {max_bytes} bytes")
    except (httpx.TimeoutException, TimeoutError) as exc:
        raise GatewayError(504, "upstream_timeout", "fetching the upstream's image timed out") from exc
    except httpx.HTTPError as exc:
        raise _refused(f"fetching the upstream's image failed ({type(exc).__name__})") from exc
    return bytes(data)
