"""The case page fetches the item from the media URL the platform registered, server-side and
through the SSRF-safe fetcher, and shows it blurred; a reviewer's reveal is audited, an auditor
cannot reveal; a URL that redirects into a private range or names one is refused with a clear
message; the browser itself never contacts the media host, and the signed query never reaches
the page."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.guard import Guard
from genguard.store.db import open_store
from genguard.audit.tables import AuditRecordRow
from tests.conftest import serve
from tests.console.conftest import SHOTS, Console, shot, sign_in
from tests.media_server import CUP, MediaServer, media_server

SIGNATURE = "X-Amz-Signature=0123456789abcdef"


@pytest.fixture(scope="module")
def media() -> Iterator[MediaServer]:
    with media_server() as running:
        yield running


@pytest.fixture(scope="module")
def console(detectors, media: MediaServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:  # noqa: ANN001
    """The console with a fetch policy that allows the loopback media server (tests only)."""
    home = tmp_path_factory.mktemp("console-media-home")
    settings = Settings(database_url=f"sqlite:///{home / 'genguard.db'}", home=home,
                        media_hosts=frozenset({"127.0.0.1", "10.0.0.1"}), media_allow_http=True,
                        media_fetch_exempt=("127.0.0.1/32",), media_fetch_timeout_s=5.0)
    store = open_store(settings.database_url)
    guard = Guard(settings, detectors=detectors, store=store)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with serve(create_app(settings, guard=guard)) as url:
            keys = {role: create_key(store, role, f"{role.value}-media").secret for role in Role}
            yield Console(url=url, store=store, keys=keys, shots=SHOTS, guard=guard)  # type: ignore[arg-type]
    finally:
        guard.close()
        store.close()


def _api(console: Console) -> httpx.Client:
    return httpx.Client(base_url=console.url, headers={"Authorization": f"Bearer {console.keys[Role.SERVICE]}"})


def _case_with_media(console: Console, platform_id: str, media_url: str) -> int:
    notice = {
        "regime": "take_it_down", "reporter_type": "victim", "category": "intimate_image_abuse",
        "items": [{"platform_id": platform_id, "sha256": hashlib.sha256(CUP.read_bytes()).hexdigest()}],
        "reporter": {"name": "A. Person", "email": "person@example.org"},
        "signature": "/s/ A. Person", "good_faith_statement": True,
    }
    with _api(console) as api:
        receipt = api.post("/v1/notices", json=notice)
        assert receipt.status_code == 201, receipt.text
        registered = api.put(f"/v1/items/{platform_id}/media", json={"url": media_url})
        assert registered.status_code == 200, registered.text
        assert "Signature" not in registered.text and registered.json()["url"] == media_url.split("?")[0]
    return receipt.json()["cases"][0]["case_id"]


def _records(console: Console, kind: str, subject: str) -> list[AuditRecordRow]:
    with console.store.transaction() as session:
        return list(session.scalars(select(AuditRecordRow).where(AuditRecordRow.kind == kind,
                                                                 AuditRecordRow.subject == subject)))


def test_the_case_page_shows_the_fetched_item_blurred_and_audits_a_reveal(console: Console, media: MediaServer,
                                                                         new_page) -> None:  # noqa: ANN001
    case_id = _case_with_media(console, "post-media-cup", f"{media.url}/cup.png?{SIGNATURE}")
    media.requests.clear()

    auditor = new_page()
    sign_in(auditor, console, Role.AUDITOR)
    auditor.goto(console.page_url(f"/cases/{case_id}"))
    image = auditor.locator("#item-media-image")
    assert image.get_attribute("data-state") == "blurred"
    assert image.get_attribute("src").startswith("data:image/png;base64,")
    assert "SHA-256 matches" in auditor.locator("#item-media-facts").inner_text()
    assert auditor.locator("#item-media-reveal").count() == 0  # auditors do not reveal
    assert "Only reviewers may reveal" in auditor.locator("#item-media").inner_text()
    assert SIGNATURE not in auditor.content()
    forbidden = auditor.request.post(console.page_url(f"/cases/{case_id}/media/reveal"), form={"csrf": "any"})
    assert forbidden.status == 403
    assert _records(console, "case.media_viewed", f"case:{case_id}") == []

    reviewer = new_page()
    sign_in(reviewer, console, Role.REVIEWER)
    reviewer.goto(console.page_url(f"/cases/{case_id}"))
    blurred = reviewer.locator("#item-media-image").get_attribute("src")
    shot(reviewer, console, "40-case-item-media-blurred")
    reviewer.locator("#item-media-reveal").click()
    reviewer.wait_for_selector("#item-media-image[data-state=revealed]")
    clear = reviewer.locator("#item-media-image").get_attribute("src")
    assert clear.startswith("data:image/png;base64,") and clear != blurred
    [revealed] = _records(console, "case.media_viewed", f"case:{case_id}")
    assert revealed.actor.startswith("key:") and revealed.payload["sha256"] == hashlib.sha256(CUP.read_bytes()).hexdigest()
    assert "Signature" not in str(revealed.payload)
    assert "case.media_viewed" in reviewer.locator("#timeline").inner_text()
    shot(reviewer, console, "41-case-item-media-revealed")
    # The server fetched the item (with its signed query) for each page; the browser never did
    # (new_page asserts no request left the console's origin).
    assert media.requests and all(path == f"/cup.png?{SIGNATURE}" for path, _ in media.requests)


def test_ssrf_through_a_media_url_is_refused_with_a_clear_message(console: Console, media: MediaServer,
                                                                 new_page) -> None:  # noqa: ANN001
    redirected = _case_with_media(console, "post-media-redirect", f"{media.url}/to/http://10.0.0.1/internal.png")
    private = _case_with_media(console, "post-media-private", "http://10.0.0.1/internal.png")
    reviewer = new_page()
    sign_in(reviewer, console, Role.REVIEWER)
    for case_id in (redirected, private):
        reviewer.goto(console.page_url(f"/cases/{case_id}"))
        message = reviewer.locator("#item-media-error").inner_text()
        assert "fetch_address_not_allowed" in message and "10.0.0.1" in message
        assert reviewer.locator("#item-media-image").count() == 0
    shot(reviewer, console, "42-case-item-media-refused")
    csrf = reviewer.locator("input[name=csrf]").first.get_attribute("value")
    refused = reviewer.request.post(console.page_url(f"/cases/{private}/media/reveal"), form={"csrf": csrf})
    assert refused.status == 422 and "fetch_address_not_allowed" in refused.text()
    assert _records(console, "case.media_viewed", f"case:{private}") == []

    with _api(console) as api:  # off the allowlist: refused when registered, not when a reviewer looks
        metadata = api.put("/v1/items/post-media-meta/media", json={"url": "http://169.254.169.254/latest/meta-data/"})
        assert metadata.status_code == 422 and metadata.json()["error"]["code"] == "fetch_host_not_allowed"
