"""Where sessions are stored: the database URL and retention from the environment, the tables,
and an engine tuned for SQLite or PostgreSQL.

Times are aware UTC datetimes in and out, whatever the database. The schema is created and
upgraded by Alembic (`quiz/migrations/`), never by `create_all`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from quiz.sessions.codes import CODE_LENGTH
from quiz.sessions.model import BANK_VERSION_MAX, OWNER_MAX, PSEUDONYM_MAX, RETENTION, TITLE_MAX, StorageError

__all__ = [
    "MIGRATIONS_DIR",
    "MIGRATION_LOCK",
    "Base",
    "SessionRow",
    "SubmissionRow",
    "ThrottleRow",
    "database_url",
    "default_database",
    "insert_or_ignore",
    "make_engine",
    "retention_from_env",
]

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# Key of the PostgreSQL advisory lock held while migrating ("quiz" in ASCII).
MIGRATION_LOCK = 0x7175697A
CONNECT_TIMEOUT_SECONDS = 5
# How long a SQLite connection waits for another one's write lock before giving up: 20 threads
# making 200 commits each lost nothing with it.
SQLITE_BUSY_SECONDS = 30


def default_database() -> Path:
    """The SQLite file used when no URL is given: `var/quiz.sqlite3` under the current working
    folder (where `make run` starts the app), never inside the installed package."""
    return Path.cwd() / "var" / "quiz.sqlite3"


def database_url(environ: Mapping[str, str] = os.environ, secrets_url: str | None = None) -> str:
    """The database to use: `DATABASE_URL` from the environment, else `secrets_url` (the app
    passes the one in `.streamlit/secrets.toml`), else the SQLite file `default_database()`
    (git-ignored; its folder is made on first use).

    Heroku-style `postgres://` and plain `postgresql://` URLs are rewritten to
    `postgresql+psycopg://`, the driver installed.
    """
    url = (environ.get("DATABASE_URL") or secrets_url or "").strip()
    if not url:
        return f"sqlite:///{default_database()}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def retention_from_env(environ: Mapping[str, str] = os.environ) -> timedelta:
    """How long a session is kept: `QUIZ_RETENTION_DAYS` (a whole number of days, at least 1),
    else `RETENTION`.

    Raises:
        ValueError: the variable is set to something else.
    """
    text = environ.get("QUIZ_RETENTION_DAYS", "").strip()
    if not text:
        return RETENTION
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"QUIZ_RETENTION_DAYS must be a whole number of days, at least 1; it is {text!r}")
    return timedelta(days=int(text))


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC. PostgreSQL keeps the zone (timestamptz);
    SQLite keeps text without one, so values are written in UTC and read back as aware UTC,
    which also keeps SQLite's text comparisons in time order."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: storage takes aware datetimes only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # Named constraints, so that migrations can refer to them on every database.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class SessionRow(Base):
    """coach_sessions: one row per workshop."""

    __tablename__ = "coach_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    lang: Mapped[str] = mapped_column(String(2))
    secret_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    owner: Mapped[str | None] = mapped_column(String(OWNER_MAX), index=True)


class SubmissionRow(Base):
    """submissions: one row per participant's result; `key_hash` is SHA-256 of their key."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("coach_sessions.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM_MAX))
    answers: Mapped[str] = mapped_column(Text)  # JSON object: question id -> 1..5
    source: Mapped[str] = mapped_column(String(10))
    bank_version: Mapped[str] = mapped_column(String(BANK_VERSION_MAX))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ThrottleRow(Base):
    """throttles: failure counts. scope "join": key is SHA-256 of the client, counting wrong codes
    in a window; scope "secret": key is the session code, counting wrong secrets until a right one."""

    __tablename__ = "throttles"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    first_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


# ---------------------------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------------------------


def insert_or_ignore(dialect: str, table: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for `table` in the database's own dialect, which alone can say ON CONFLICT DO
    NOTHING: a row that is there already is left as it is, without an error."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def make_engine(url: URL) -> Engine:
    """An engine tuned for this app: SQLite in WAL mode, waiting up to SQLITE_BUSY_SECONDS for
    another connection's write lock; PostgreSQL failing fast when down and checking pooled
    connections before use (a restarted server leaves dead ones).

    An execution option `sqlite_begin="IMMEDIATE"` makes a SQLite transaction take the write
    lock when it begins.

    Raises:
        StorageError: the folder of a SQLite file cannot be made.
    """
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            try:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(f"The folder of the database {url.database} cannot be made: {error}") from error
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling skips BEGIN before SELECTs; SQLAlchemy's recipe
    # takes BEGIN over (see _sqlite_begin), which also makes DDL transactional for Alembic.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first, so that every later statement waits for other connections.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        _switch_to_wal(cursor)
        for pragma in ("synchronous=NORMAL", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """Put the file in WAL mode, waiting up to SQLITE_BUSY_SECONDS for another connection doing
    the same.

    Only the first connection to a new file changes anything, but while it does it holds the
    write lock, and SQLite then refuses a second connection's switch at once ("database is
    locked") instead of waiting its busy timeout: it would otherwise have to wait for a lock
    while holding a read lock, a deadlock it avoids. Two servers starting together on a new
    file hit that whenever they connect within the same moment, so the switch is retried with
    a growing pause until the deadline.
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    pause = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())
