"""Shared fixtures: the project root, AppTest factories, a live Streamlit server and Chromium.

Browser tests use Debian's Chromium at /usr/bin/chromium (never `playwright install`); without
it they fail with the command to install it, they are never skipped.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pytest
from postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `pytest` run from anywhere, not only `python -m pytest` in ROOT
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from quiz.banks import Bank, load_bank  # noqa: E402
from quiz.storage import Store  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
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
SERVER_START_TIMEOUT = 60.0


# ---------------------------------------------------------------------------------------------
# Answer sets
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def test_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The in-process app (AppTest) stores coach sessions in a temporary SQLite file, never in
    the developer's var/ nor in a `DATABASE_URL` set for their own use."""
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'quiz.sqlite3'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        yield url


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


def persona_answers(bank: Bank, role_id: str) -> dict[str, int]:
    """The answers of someone whose profile is the role's target profile: on each item, the
    scale point nearest the role's target level (1 + target/25), flipped on reverse-keyed items
    (agreeing with "I would rather just use an app than learn how it is built" lowers `tech`)."""
    role = bank.role(role_id)
    answers = {}
    for question in bank.questions:
        point = round(1 + role.target(question.dimension).level / 25)
        answers[question.id] = point if question.keyed > 0 else 6 - point
    return answers


@pytest.fixture(scope="session")
def cto_answers(bank: Bank) -> dict[str, int]:
    """A complete answer set whose best match is clearly the CTO (no tie, not flat)."""
    return persona_answers(bank, "cto")


# ---------------------------------------------------------------------------------------------
# AppTest
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def app_test() -> Callable[[], AppTest]:
    """A factory of fresh AppTests of the whole app (router included)."""

    def make() -> AppTest:
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)

    return make


# ---------------------------------------------------------------------------------------------
# Live server and browser
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(log: IO[bytes], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run app.py` on a free port with these environment variables added;
    return the process and its base URL once /_stcore/health answers 200. Fails the test (with
    the server's log) otherwise."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, base_url
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    stop_server(process)
    log.flush()
    log.seek(0)
    pytest.fail(f"Streamlit did not answer on {base_url}/_stcore/health:\n{log.read().decode(errors='replace')}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests save their screenshots (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# ---------------------------------------------------------------------------------------------
# Storage: SQLite and a throwaway PostgreSQL
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of our own for the whole test session (started on first use, stopped
    at the end); `postgres_server.url(postgres_server.create_database())` is a fresh database.
    Fails, never skips, when PostgreSQL is not installed."""
    server = PostgresServer.start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test (connections still
    open to it, such as a Streamlit server's, are cut). Give it to two app servers to have them
    share one database: `server_factory({"DATABASE_URL": postgres_url})`."""
    name = postgres_server.create_database()
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database, once a SQLite file and once PostgreSQL: a test using it (or
    `store`) runs on both. PostgreSQL starts only when a test asks for it."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'quiz.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated `Store` on an empty database, SQLite and PostgreSQL in turn (see `store_url`;
    a second `Store(store_url)` shares the same database)."""
    opened = Store(store_url)
    opened.migrate()
    yield opened
    opened.dispose()
