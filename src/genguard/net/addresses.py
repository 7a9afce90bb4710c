"""Which IP addresses a fetch of a caller-supplied URL may connect to.

Only globally routable unicast addresses are allowed. Everything an attacker could use to
reach the operator's own network is refused: loopback, RFC 1918 private ranges, link-local
(169.254.0.0/16 holds the cloud metadata services), carrier-grade NAT (100.64.0.0/10),
multicast, reserved and unspecified addresses, and IPv6 forms that embed an IPv4 address
(IPv4-mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4 and Teredo), which are judged by
the IPv4 address inside them. ``ipaddress``'s ``is_global`` alone misses some of these on older
Pythons, so each rule is spelled out.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# Hosts that inet_aton() would read as an IPv4 address in a non-canonical spelling: decimal
# (2130706433), octal (0177.0.0.1), hex (0x7f.1) or short forms (127.1). Resolvers disagree
# on these, so they are refused outright rather than interpreted.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*\.?$", re.IGNORECASE)
# A DNS name (IDNA-encoded labels of letters, digits, "_" and inner "-"). httpx keeps hosts such
# as ``[not-an-ip`` or ``%31%32%37.0.0.1`` percent-encoded rather than refusing them.
_HOST_NAME = re.compile(r"^([a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?\.?$", re.IGNORECASE)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is one of the translation forms."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64 or ip in _NAT64_LOCAL:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client's address
    return None


def refusal(ip: IPAddress) -> str | None:
    """Why a connection to ``ip`` is refused (``"loopback"``, ``"private"``...), None if allowed."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            why = refusal(inner)
            return f"{why} (IPv4 inside IPv6)" if why else None
    for name, test in (("loopback", ip.is_loopback), ("unspecified", ip.is_unspecified),
                       ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                       ("reserved", ip.is_reserved), ("private", ip.is_private),
                       ("carrier-grade NAT", isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT),
                       ("site-local", isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local)):
        if test:
            return name
    if not ip.is_global:
        return "not globally routable"
    return None


def literal(host: str) -> IPAddress | None:
    """``host`` as an IP address when it is written as one in canonical form (``[::1]`` too)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def ambiguous_numeric(host: str) -> bool:
    """True for a host that is a number but not a canonical dotted-quad IPv4 address."""
    return literal(host) is None and _NUMERIC_HOST.match(host) is not None


def host_name_or_literal(host: str, encoded: str) -> bool:
    """Whether ``host`` (``encoded``: its IDNA form) is an IP literal or a well-formed DNS name:
    anything else is never handed to a resolver, whose reading of it nobody checked."""
    return literal(host) is not None or _HOST_NAME.match(encoded) is not None


def exempt(ip: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    """Whether ``ip`` is inside one of the explicitly exempted networks (tests, see FetchPolicy)."""
    return any(ip.version == n.version and ip in n for n in networks)
