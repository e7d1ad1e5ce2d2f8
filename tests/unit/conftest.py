"""Fixtures of the domain tests: a store on SQLite and on PostgreSQL in turn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.sessions import Store


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
