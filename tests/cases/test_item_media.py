"""Item media URLs over the API: a platform registers one per item, checked against the fetch
policy when registered (scheme, host allowlist, form, expiry), shown and audited without its
signed query; the registry refuses to fetch an expired URL or one never registered."""

from __future__ import annotations

import hashlib
import ipaddress
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from genguard.cases.item_media import ItemMediaRegistry
from genguard.errors import GenguardError, NotFound
from genguard.net.fetch import FetchPolicy
from genguard.store.db import Store
from genguard.audit.tables import AuditRecordRow
from genguard.cases.tables import ItemMediaRow
from genguard.store.base import utcnow
from tests.cases.conftest import CaseServer
from tests.media_server import CUP, media_server

SIGNED = "https://cdn.platform.example/items/9.jpg?X-Amz-Signature=feedface&X-Amz-Expires=600"


@pytest.fixture
def media_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The operator's allowlist (read when ``case_server`` builds its settings)."""
    monkeypatch.setenv("GENGUARD_MEDIA_HOSTS", "cdn.platform.example,*.media.platform.example")


def test_register_and_read_a_media_url(media_hosts: None, case_server: CaseServer) -> None:
    with case_server.client("service") as platform:
        registered = platform.put("/v1/items/post-9/media", json={"url": SIGNED})
        assert registered.status_code == 200, registered.text
        body = registered.json()
        assert body["url"] == "https://cdn.platform.example/items/9.jpg"
        assert body["url_sha256"] == hashlib.sha256(SIGNED.encode()).hexdigest() and "feedface" not in registered.text
        later = (utcnow() + timedelta(minutes=10)).isoformat()
        replaced = platform.put("/v1/items/post-9/media",
                                json={"url": "https://img.media.platform.example/9.png", "expires_at": later})
        assert replaced.json()["url"] == "https://img.media.platform.example/9.png" and replaced.json()["expires_at"]
    with case_server.client("reviewer-a") as reviewer:
        assert reviewer.get("/v1/items/post-9/media").json()["url"] == "https://img.media.platform.example/9.png"
        assert reviewer.put("/v1/items/post-9/media", json={"url": SIGNED}).status_code == 403
        missing = reviewer.get("/v1/items/never-registered/media")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "item_media_not_found"
    with case_server.store.transaction() as session:
        records = session.scalars(select(AuditRecordRow).where(AuditRecordRow.kind == "item.media_registered")).all()
    assert [r.subject for r in records] == ["item:post-9", "item:post-9"]
    assert all("Signature" not in str(r.payload) for r in records)


@pytest.mark.parametrize(("url", "extra", "code"), [
    ("http://cdn.platform.example/9.jpg", {}, "fetch_scheme_not_allowed"),
    ("https://evil.example/9.jpg", {}, "fetch_host_not_allowed"),
    ("https://169.254.169.254/latest/meta-data/", {}, "fetch_host_not_allowed"),
    ("https://127.0.0.1/9.jpg", {}, "fetch_host_not_allowed"),
    ("https://user:pw@cdn.platform.example/9.jpg", {}, "fetch_url_invalid"),
    ("https://2130706433/9.jpg", {}, "fetch_address_not_allowed"),
    ("https://cdn.platform.example/9.jpg", {"expires_at": "2020-01-01T00:00:00Z"}, "media_url_expired"),
    ("https://cdn.platform.example/9.jpg", {"expires_at": "2030-01-01T00:00:00"}, "media_url_invalid"),
    ("https://cdn.platform.example/" + "a" * 2000, {}, "request_invalid"),
])
def test_bad_media_urls_are_refused_when_registered(media_hosts: None, case_server: CaseServer, url: str,
                                                    extra: dict, code: str) -> None:
    with case_server.client("service") as platform:
        refused = platform.put("/v1/items/post-bad/media", json={"url": url, **extra})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == code, refused.text
        assert platform.get("/v1/items/post-bad/media").status_code == 404  # nothing was stored


def test_the_registry_fetches_only_live_registered_urls(store: Store) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), allow_http=True,
                         exempt_networks=(ipaddress.ip_network("127.0.0.1/32"),))
    registry = ItemMediaRegistry(store, policy)
    with media_server() as server:
        registry.register("post-1", f"{server.url}/cup.png?sig=1", actor="key:1")
        assert registry.fetch("post-1").data == CUP.read_bytes()
        with store.transaction() as session:  # the platform's signature has since expired
            session.execute(update(ItemMediaRow).values(expires_at=utcnow() - timedelta(seconds=1)))
        with pytest.raises(GenguardError) as expired:
            registry.fetch("post-1")
        assert expired.value.code == "item_media_expired" and expired.value.status == 410
    for platform_id in ("never-registered", None):
        with pytest.raises(NotFound):
            registry.fetch(platform_id)


def test_concurrent_first_registrations_of_one_item_all_succeed(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    registry = ItemMediaRegistry(store, FetchPolicy(allowed_hosts=frozenset({"cdn.platform.example"})))
    urls = [f"https://cdn.platform.example/race/{i}.png?sig={i}" for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(lambda u: registry.register("post-race", u, actor="key:1"), urls))
    assert len(done) == 8
    with store.transaction() as session:
        rows = session.scalars(select(ItemMediaRow)).all()
        audited = session.scalars(select(AuditRecordRow).where(AuditRecordRow.kind == "item.media_registered")).all()
    assert len(rows) == 1 and rows[0].url in urls and len(audited) == 8
