"""Fixtures of the browser tests: live servers, Debian's Chromium, browser contexts.

Browser tests use Debian's Chromium at /usr/bin/chromium (never `playwright install`); without
it they fail with the command to install it, they are never skipped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright

from tests.support.browser import DESKTOP, TIMEOUT_MS
from tests.support.paths import SCREENSHOTS
from tests.support.servers import start_server, stop_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Start extra servers on demand (e.g. a fresh process for first-run behaviour); all are
    stopped at the end of the session. Each gets its own SQLite database in a temporary folder
    unless `env` names another `DATABASE_URL`: tests never touch the developer's var/."""
    started: list[subprocess.Popen[bytes]] = []
    logs: list[IO[bytes]] = []

    def start(env: dict[str, str] | None = None) -> str:
        folder = tmp_path_factory.mktemp("server")
        log = open(folder / "streamlit.log", "w+b")  # noqa: SIM115
        logs.append(log)
        process, base_url = start_server(log, {"DATABASE_URL": f"sqlite:///{folder / 'quiz.sqlite3'}", **(env or {})})
        started.append(process)
        return base_url

    yield start
    for process in started:
        stop_server(process)
    for log in logs:
        log.close()


@pytest.fixture(scope="session")
def app_url(server_factory: Callable[..., str]) -> str:
    """The base URL of one `streamlit run app.py` shared by the browser tests."""
    return server_factory()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright's sync API."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}. Install it with `apt-get install chromium` "
            "(as root on Debian, or `make test-tools`); never `playwright install`."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests save their screenshots (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """New browser contexts (one session each) with any Playwright option (a phone needs
    `has_touch`), closed after the test."""
    contexts: list[BrowserContext] = []

    def make(locale: str = "en-GB", viewport: dict[str, int] | None = None, **options: object) -> BrowserContext:
        context = browser.new_context(locale=locale, viewport=viewport or DESKTOP, **options)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
