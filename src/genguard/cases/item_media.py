"""Media URLs per platform item: where a reviewer's console can fetch the reported image.

A case names its item by platform id and hashes, but genguard keeps no media, so reviewers used
to upload each item themselves. A platform now registers a (typically signed, short-lived) URL
per item; the console fetches it server-side through the SSRF-safe :class:`MediaFetcher`, hashes
it against the case and shows it blurred. The URL is checked against the fetch policy when it is
registered (scheme, form, host allowlist; no network use), so a bad one is refused at once
rather than when a reviewer opens the case. A signed URL is a credential while it lives: the
audit trail and every view name it only by :func:`~genguard.net.fetch.redact` and a SHA-256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from genguard.audit.chain import AuditLog
from genguard.errors import GenguardError, NotFound, RequestError
from genguard.net.fetch import FetchedMedia, FetchPolicy, MediaFetcher, redact
from genguard.store.db import Store
from genguard.cases.tables import ItemMediaRow
from genguard.store.base import utcnow

MAX_URL = 2000


@dataclass(frozen=True)
class ItemMedia:
    """A registered media URL as it may be shown: redacted, with its fingerprint."""

    platform_id: str
    url: str
    url_sha256: str
    registered_by: str
    registered_at: datetime
    expires_at: datetime | None

    def public(self) -> dict[str, object]:
        return {"platform_id": self.platform_id, "url": self.url, "url_sha256": self.url_sha256,
                "registered_by": self.registered_by, "registered_at": self.registered_at.isoformat(),
                "expires_at": self.expires_at.isoformat() if self.expires_at else None}


def _view(row: ItemMediaRow) -> ItemMedia:
    return ItemMedia(row.platform_id, redact(row.url), hashlib.sha256(row.url.encode("utf-8")).hexdigest(),
                     row.registered_by, row.registered_at, row.expires_at)


class ItemMediaRegistry:
    """Register, read and fetch item media URLs (one per platform id; a new one replaces it)."""

    def __init__(self, store: Store, policy: FetchPolicy, *, fetcher: MediaFetcher | None = None) -> None:
        self.store = store
        self.policy = policy
        self.fetcher = fetcher or MediaFetcher(policy)
        self.audit = AuditLog(store)

    def register(self, platform_id: str, url: str, *, actor: str, expires_at: datetime | None = None) -> ItemMedia:
        """Store ``url`` for ``platform_id`` after checking it against the fetch policy."""
        if not platform_id or len(platform_id) > 200:
            raise RequestError("platform_id must be 1-200 characters", code="platform_id_invalid")
        if len(url) > MAX_URL:
            raise RequestError(f"the media URL is over {MAX_URL} characters", code="media_url_invalid")
        now = utcnow()
        if expires_at is not None and expires_at.tzinfo is None:
            raise RequestError("expires_at needs a time zone (e.g. 2026-12-07T10:00:00Z)", code="media_url_invalid")
        if expires_at is not None and expires_at <= now:
            raise RequestError("expires_at is in the past: the URL has expired already", code="media_url_expired")
        self.policy.check_url(url)  # FetchRefused (422) names the rule it breaks
        try:
            return self._store(platform_id, url, actor, now, expires_at)
        except IntegrityError:  # a concurrent first registration of the same item won the insert
            return self._store(platform_id, url, actor, now, expires_at)

    def _store(self, platform_id: str, url: str, actor: str, now: datetime, expires_at: datetime | None) -> ItemMedia:
        with self.store.transaction(write_lock=True) as session:
            row = session.get(ItemMediaRow, platform_id)
            if row is None:
                row = ItemMediaRow(platform_id=platform_id, url=url, registered_by=actor, registered_at=now,
                                   expires_at=expires_at)
                session.add(row)
            else:
                row.url, row.registered_by, row.registered_at, row.expires_at = url, actor, now, expires_at
            session.flush()
            view = _view(row)
            self.audit.append("item.media_registered", {"platform_id": platform_id, "url": view.url,
                                                        "url_sha256": view.url_sha256,
                                                        "expires_at": view.public()["expires_at"],
                                                        "at": now.isoformat()},
                              actor=actor, subject=f"item:{platform_id}"[:200], session=session)
        return view

    def get(self, platform_id: str) -> ItemMedia:
        with self.store.transaction() as session:
            row = session.get(ItemMediaRow, platform_id)
            if row is None:
                raise NotFound(f"no media URL is registered for item {platform_id!r}", code="item_media_not_found")
            return _view(row)

    def fetch(self, platform_id: str | None) -> FetchedMedia:
        """The item's image, fetched now under the policy. Errors say what a reviewer can do."""
        if not platform_id:
            raise NotFound("the case names no platform item, so there is no media URL to fetch",
                           code="item_media_not_found")
        with self.store.transaction() as session:
            row = session.get(ItemMediaRow, platform_id)
            if row is None:
                raise NotFound(f"the platform registered no media URL for item {platform_id!r}",
                               code="item_media_not_found")
            url, expires_at = row.url, row.expires_at
        if expires_at is not None and expires_at <= utcnow():
            raise GenguardError(f"the media URL for item {platform_id!r} expired at {expires_at.isoformat()}; "
                                "ask the platform to register a fresh one", code="item_media_expired", status=410)
        return self.fetcher.fetch(url)
