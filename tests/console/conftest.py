"""A real server with the console and a real headless Chromium (Debian's package) driven by
Playwright. Screenshots of every page go to ``bench/out/console-screenshots/`` (not committed)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.guard import Guard
from genguard.store.db import Store, open_store
from tests.conftest import serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "console-screenshots"


@dataclass
class Console:
    url: str
    store: Store
    keys: dict[Role, str]
    shots: Path
    guard: Guard

    def page_url(self, path: str) -> str:
        return f"{self.url}/console{path}"


@pytest.fixture(scope="module")
def console(detectors, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:  # noqa: ANN001
    home = tmp_path_factory.mktemp("console-home")
    settings = Settings(database_url=f"sqlite:///{home / 'genguard.db'}", home=home)
    store = open_store(settings.database_url)
    guard = Guard(settings, detectors=detectors, store=store)
    SHOTS.mkdir(parents=True, exist_ok=True)
    print(f"\nconsole screenshots: {SHOTS}")
    try:
        with serve(create_app(settings, guard=guard)) as url:
            keys = {role: create_key(store, role, f"{role.value}-one").secret for role in Role}
            keys_b = create_key(store, Role.REVIEWER, "reviewer-two").secret
            yield Console(url=url, store=store, keys={**keys, "reviewer-b": keys_b}, shots=SHOTS,  # type: ignore[dict-item]
                          guard=guard)
    finally:
        guard.close()
        store.close()


# Package scope, not session: Playwright's sync API keeps an event loop running in this thread
# while it is open, and later test packages (gateway, client) run their own with asyncio.run().
@pytest.fixture(scope="package")
def browser():  # noqa: ANN201 - playwright Browser
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.fail("Chromium is missing: `make test` installs it (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(browser, console: Console):  # noqa: ANN001, ANN201
    """A fresh browser context per role (own cookies); collects console errors and CSP reports."""
    contexts = []

    def make():  # noqa: ANN202
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
        context.on("request", lambda r: requested.append(r.url))
        return page

    requested: list[str] = []
    yield make
    for context in contexts:
        context.close()
    outside = [u for u in requested if not (u.startswith(console.url + "/") or u.startswith("data:"))]
    assert outside == [], f"the console made requests to other origins: {outside}"


def sign_in(page, console: Console, role: Role | str) -> None:  # noqa: ANN001
    page.goto(console.page_url("/login"))
    page.get_by_label("API key").fill(console.keys[role])  # type: ignore[index]
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(console.page_url("/"))


#: Form controls a user can reach that have no accessible name (label, aria-label, labelledby).
_UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
               && !e.getAttribute('aria-labelledby'))
  .map(e => e.outerHTML)"""


def shot(page, console: Console, name: str) -> None:  # noqa: ANN001
    """Screenshot the page, after checking the basics every page must meet: one h1, a main
    landmark, a label on every form control, a skip link as the first focus stop, no tabindex
    that reorders focus, nothing wider than the window."""
    assert page.locator("h1").count() == 1 and page.locator("main#main").count() == 1
    assert page.evaluate(_UNLABELLED) == []
    first = "() => document.querySelector('a[href], button, input:not([type=hidden]), select, textarea').className"
    assert page.evaluate(first) == "skip"
    assert page.locator("[tabindex]:not([tabindex='-1']):not([tabindex='0'])").count() == 0  # DOM order is focus order
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.screenshot(path=str(console.shots / f"{name}.png"), full_page=True)
