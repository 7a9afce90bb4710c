"""The gateway's settings: where the image service is, how callers authenticate, the bounds."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from genguard.config import Settings

from genguard.net.fetch import FetchPolicy


class AuthMode(StrEnum):
    """How the gateway knows its callers.

    ``keys`` (the default): callers present a genguard API key with the ``service`` (or
    ``admin``) role, checked before any body is read; the gateway calls the upstream with its
    own key (``GENGUARD_UPSTREAM_API_KEY``). Callers never hold the upstream key.

    ``passthrough``: the gateway checks no key of its own; the caller's bearer is sent to the
    upstream, which accepts or refuses it. Screening still runs first, so an anonymous caller
    can spend screening time: put the gateway behind something that authenticates.
    """

    KEYS = "keys"
    PASSTHROUGH = "passthrough"


@dataclass(frozen=True)
class GatewayConfig:
    #: The image service's base URL including its version prefix, as an OpenAI client's
    #: ``base_url`` (``https://api.openai.com/v1``); the gateway appends ``/images/...``.
    upstream_url: str
    auth: AuthMode = AuthMode.KEYS
    #: The gateway's own key for the upstream (``keys`` mode). Never logged.
    upstream_api_key: str | None = field(default=None, repr=False)
    timeout_s: float = 120.0
    #: The largest upstream answer read: ``n`` base64 images of a few MB each, with room.
    max_response_bytes: int = 96 * 1024 * 1024
    #: Hosts whose image URLs may be fetched over http or at non-public addresses.
    allow_url_hosts: frozenset[str] = frozenset()
    #: Largest ``n`` forwarded (the OpenAI API's own bound).
    max_n: int = 10
    #: Base of the URLs the gateway serves images at (``response_format=url``); default: the
    #: URL the caller reached the gateway at.
    public_url: str | None = None
    #: The generator a C2PA manifest names (default: the upstream's host name).
    generator: str | None = None

    @property
    def generator_name(self) -> str:
        from urllib.parse import urlsplit

        return self.generator or urlsplit(self.upstream_url).hostname or "image service"

    def url_fetch_policy(self, max_bytes: int) -> FetchPolicy:
        """genguard.net's rules as the gateway applies them to ``response_format=url`` images:
        any host (the image service's storage cannot be listed in advance) at public addresses
        only, https only, except the ``allow_url_hosts`` the operator runs itself; the image
        byte limit and the upstream timeout. No redirects, as before the fetchers were one: an
        image service answers with its storage URL itself, so a redirect is unexpected and refused
        (the shared fetcher would re-check every hop, but there is no need to follow one)."""
        return FetchPolicy(any_host=True, trusted_hosts=self.allow_url_hosts, max_bytes=max_bytes,
                           timeout_s=self.timeout_s, max_redirects=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "auth", AuthMode(self.auth))  # "passthrough" from a caller is the enum

    @classmethod
    def from_settings(cls, settings: Settings, upstream_url: str, **overrides: object) -> GatewayConfig:
        """``GENGUARD_UPSTREAM_API_KEY`` and ``GENGUARD_GATEWAY_TIMEOUT_S`` as ``settings`` read them."""
        values: dict[str, object] = {
            "upstream_api_key": settings.upstream_api_key,
            "timeout_s": settings.gateway_timeout_s,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(upstream_url=upstream_url, **values)  # type: ignore[arg-type]
