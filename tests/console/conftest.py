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
from genguard.auth.roles import Role
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


@pytest.fixture(scope="session")
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
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, console: Console, role: Role | str) -> None:  # noqa: ANN001
    page.goto(console.page_url("/login"))
    page.get_by_label("API key").fill(console.keys[role])  # type: ignore[index]
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(console.page_url("/"))


def shot(page, console: Console, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(console.shots / f"{name}.png"), full_page=True)
