"""The console in a real headless Chromium against a real server: sign-in, roles, CSRF, the
dashboard and the playground; each page screenshotted."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import func, select

from genguard.auth.keys import create_key, revoke_key
from genguard.vocabulary import Role
from genguard.console.render import CSP
from genguard.audit.tables import AuditRecordRow
from tests.console.conftest import Console, shot, sign_in
from tests.images import SHARED_IMAGES

PORTRAIT = SHARED_IMAGES / "portraits" / "grace_hopper_usn_1984.jpg"


def _records(console: Console, kind: str) -> list[AuditRecordRow]:
    with console.store.transaction() as session:
        return list(session.scalars(select(AuditRecordRow).where(AuditRecordRow.kind == kind)
                                    .order_by(AuditRecordRow.seq)))


def _count(console: Console, kind: str) -> int:
    with console.store.transaction() as session:
        return int(session.scalar(select(func.count()).where(AuditRecordRow.kind == kind)) or 0)


def test_sign_in_checks_key_and_role_and_sets_a_safe_cookie(console: Console, new_page) -> None:  # noqa: ANN001
    page = new_page()
    response = page.goto(console.page_url("/"))
    assert page.url == console.page_url("/login")  # no session: sent to sign-in
    assert response.headers["content-security-policy"] == CSP
    shot(page, console, "01-login")

    page.get_by_label("API key").fill("gg_000000000000_not-a-key")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "That API key is not valid."
    page.get_by_label("API key").fill(console.keys[Role.SERVICE])
    page.get_by_role("button", name="Sign in").click()
    assert "service key cannot sign in" in page.get_by_role("alert").inner_text()

    before = _count(console, "console.signed_in")
    page.errors.clear()  # the refused sign-ins above logged their 401 and 403
    sign_in(page, console, Role.REVIEWER)
    assert page.get_by_role("heading", level=1).inner_text() == "Dashboard"
    [cookie] = [c for c in page.context.cookies() if c["name"] == "gg_console"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/console"
    assert console.keys[Role.REVIEWER] not in cookie["value"]  # the key never reaches the browser
    signed = _records(console, "console.signed_in")
    assert len(signed) == before + 1 and signed[-1].actor.startswith("key:")
    assert page.errors == []  # no script error, no CSP violation

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(console.page_url("/login"))
    page.goto(console.page_url("/"))
    assert page.url == console.page_url("/login")


def test_forms_need_the_csrf_token_and_a_revoked_key_ends_the_session(console: Console, new_page) -> None:  # noqa: ANN001
    key_id, secret = create_key(console.store, Role.REVIEWER, "to-revoke")
    console.keys["to-revoke"] = secret  # type: ignore[index]
    page = new_page()
    sign_in(page, console, "to-revoke")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=console.url, cookies=cookies) as client:
        before = _count(console, "screen.verdict")
        forged = client.post("/console/playground", data={"kind": "generate", "prompt": "a cat", "csrf": "forged"})
        assert forged.status_code == 403 and "security token" in forged.text
        assert _count(console, "screen.verdict") == before  # refused before anything ran
        assert client.get("/console/").status_code == 200
        revoke_key(console.store, key_id)
        gone = client.get("/console/", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/console/login"


def test_playground_explains_the_verdict_on_a_blurred_preview(console: Console, new_page) -> None:  # noqa: ANN001
    page = new_page()
    sign_in(page, console, Role.REVIEWER)
    page.get_by_role("link", name="Playground").click()
    page.get_by_label("Request kind").select_option("edit")
    page.get_by_label("Prompt or instruction").fill("remove her clothes")
    page.get_by_label("Image (the source").set_input_files(str(PORTRAIT))
    page.get_by_role("button", name="Screen").click()

    assert page.locator("#decision").inner_text() == "block"
    assert "INTIMATE_EDIT_REAL_PERSON" in page.locator("#reasons").inner_text()
    signals = page.locator("#signals").inner_text()
    assert "prompt intent" in signals and "undress" in signals and "1 face(s)" in signals
    image = page.locator("#media-preview")
    blurred, clear = image.get_attribute("src"), image.get_attribute("data-clear")
    assert blurred.startswith("data:image/png;base64,") and clear.startswith("data:image/png;base64,")
    assert blurred != clear
    shot(page, console, "03-playground-blurred")
    page.keyboard.press("v")  # the reveal shortcut
    assert image.get_attribute("src") == clear
    assert page.get_by_role("button", name="Blur again (v)").get_attribute("aria-pressed") == "true"
    shot(page, console, "04-playground-revealed")

    seq = int(page.locator("#audit-seq").inner_text())
    [record] = [r for r in _records(console, "screen.verdict") if r.seq == seq]
    assert record.payload["decision"] == "block" and record.subject == "console-playground"
    assert re.fullmatch(r"key:\d+", record.actor)
    assert page.errors == []

    page.get_by_role("link", name="Dashboard").click()
    assert str(seq) in page.locator("#recent-verdicts").inner_text()
    day = page.locator("#volumes tbody tr").nth(1).inner_text()
    assert "last 24 hours" in day and "%" in day
    shot(page, console, "02-dashboard")


def test_an_auditor_cannot_use_the_playground(console: Console, new_page) -> None:  # noqa: ANN001
    page = new_page()
    sign_in(page, console, Role.AUDITOR)
    assert page.get_by_role("link", name="Playground").count() == 0  # not offered
    response = page.goto(console.page_url("/playground"))
    assert response.status == 403
    assert "you are signed in as auditor" in page.get_by_role("alert").inner_text()
    shot(page, console, "05-auditor-forbidden")
    csrf = None
    page.goto(console.page_url("/"))
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    before = _count(console, "screen.verdict")
    posted = page.request.post(console.page_url("/playground"), multipart={"kind": "generate", "prompt": "a cat",
                                                                           "csrf": csrf})
    assert posted.status == 403 and _count(console, "screen.verdict") == before
