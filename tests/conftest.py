"""Fixtures every level of tests shares: the bank, answer sets, the in-process database, a
throwaway PostgreSQL, and Hypothesis's profiles.

Levels: `unit/` (the domain, no Streamlit), `app/` (pages under AppTest), `browser/` (the app in
Debian's Chromium); each has its own conftest.py. Helpers live in `support/`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from quiz.banks import load_bank
from quiz.model import Bank
from tests.support.personas import persona_answers
from tests.support.postgres import PostgresServer

# CI runs Hypothesis derandomized, so that a run is repeatable; locally it explores anew each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev")
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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


@pytest.fixture(scope="session")
def cto_answers(bank: Bank) -> dict[str, int]:
    """A complete answer set whose best match is clearly the CTO (no tie, not flat)."""
    return persona_answers(bank, "cto")


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
