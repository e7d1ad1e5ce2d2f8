"""Coach sessions in a database: a coach runs a workshop, participants join it with a code and
their answers are saved to it; the coach opens a dashboard with a secret.

Rules:
- A session has a join code of 8 characters from an alphabet without look-alike characters,
  shown as two groups of 4 (`ACDE-FG34`) and typed in any case, with or without the dash.
- The coach secret is shown once and stored only as an scrypt hash. A wrong secret (or an
  unknown code: the answer never tells which) counts against the code; after 5 failures the
  dashboard is locked for 30 s, doubling with each further failure up to an hour. The right
  secret resets the count.
- Wrong join codes count against the browser session (10 within 10 minutes) and against its
  network address (100: a classroom shares one), each stored only as a SHA-256 digest; past
  either limit every attempt from it is refused for 10 minutes. The counts live in the
  database, so every app server sharing it shares them.
- A participant's result is saved once: their browser session's random key makes the save
  idempotent and is their withdraw token. Only its SHA-256 digest is stored.
- Everything in a session is deleted with it: by the coach, or automatically `RETENTION` after
  it was created (90 days; `QUIZ_RETENTION_DAYS` changes it).
- Times are aware UTC datetimes in and out, whatever the database; every method that depends on
  the time takes `now=` for tests.
- Any database failure surfaces as `StorageError`, never as a SQLAlchemy or driver exception.

The schema is created and upgraded by Alembic (`quiz/migrations/`), never by `create_all`:
`Store.migrate()` runs it, safely when several servers start at once.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import threading
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

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
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.types import TypeDecorator

from quiz.banks import LANGUAGES, Lang

__all__ = [
    "ADDRESS_FAILURES",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "JOIN_FAILURES",
    "JOIN_WINDOW",
    "MIGRATION_LOCK",
    "PSEUDONYM_MAX",
    "RETENTION",
    "SECRET_FAILURES",
    "TITLE_MAX",
    "Base",
    "CoachSession",
    "JoinError",
    "JoinErrorReason",
    "NewSession",
    "SecretError",
    "SecretErrorReason",
    "StorageError",
    "Store",
    "Submission",
    "database_url",
    "hash_secret",
    "new_join_code",
    "normalise_code",
    "retention_from_env",
    "verify_secret",
]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = ROOT / "var" / "quiz.sqlite3"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: a code read aloud or copied from a projector survives.
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 8
TITLE_MAX = 120
PSEUDONYM_MAX = 40
# Long enough for an OIDC subject (the spec allows 255 ASCII characters).
OWNER_MAX = 255
BANK_VERSION_MAX = 64

RETENTION = timedelta(days=90)
JOIN_FAILURES = 10
ADDRESS_FAILURES = 100
JOIN_WINDOW = timedelta(minutes=10)
SECRET_FAILURES = 5
SECRET_FIRST_LOCK = timedelta(seconds=30)
SECRET_MAX_LOCK = timedelta(hours=1)
# Key of the PostgreSQL advisory lock held while migrating ("quiz" in ASCII).
MIGRATION_LOCK = 0x7175697A
# Five tries of new_join_code: a collision is already about one in a hundred million.
CODE_ATTEMPTS = 5
CONNECT_TIMEOUT_SECONDS = 5

# scrypt's cost: 2**14 x 8 x 128 bytes = 16 MiB and ~50 ms a hash, the interactive-login
# parameters of the scrypt paper (Percival 2009), within hashlib's default 32 MiB limit.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_SALT_BYTES = 16
SCRYPT_HASH_BYTES = 32

Source = Literal["quiz", "import"]
JoinErrorReason = Literal["unknown", "closed", "expired", "rate_limited"]
SecretErrorReason = Literal["wrong", "locked"]

_MIGRATING = threading.Lock()
_SCOPE_JOIN = "join"
_SCOPE_SECRET = "secret"
_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------


class StorageError(RuntimeError):
    """The database cannot be reached, or it failed: nothing was changed; trying again later may
    work. The message names the database (without its password) and the driver's reason."""


class JoinError(ValueError):
    """A participant cannot join (or save to) a session. `reason` says why, for the app to word it:

    - "unknown": no session has this code;
    - "closed": the coach closed the session, or its closing time has passed;
    - "expired": the session is past its retention time and about to be deleted;
    - "rate_limited": too many wrong codes from this client; `retry_after` seconds to wait.
    """

    def __init__(self, reason: JoinErrorReason, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.reason: JoinErrorReason = reason
        self.retry_after = retry_after


class SecretError(ValueError):
    """A coach cannot open a dashboard. `reason` is "wrong" (a wrong secret, or a code that names
    no session: deliberately the same answer) or "locked" (too many wrong secrets for this code;
    `retry_after` seconds to wait)."""

    def __init__(self, reason: SecretErrorReason, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.reason: SecretErrorReason = reason
        self.retry_after = retry_after


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoachSession:
    """A workshop: its join code (normalised, 8 characters), title, language and lifetime."""

    id: int
    code: str
    title: str
    lang: Lang
    created_at: datetime
    closes_at: datetime | None
    closed: bool
    expires_at: datetime
    owner: str | None

    def is_open(self, now: datetime) -> bool:
        """Whether participants can join and save: not closed by hand, before its closing time
        (if any) and before it expires."""
        return not self.closed and (self.closes_at is None or now < self.closes_at) and now < self.expires_at

    @property
    def display_code(self) -> str:
        """The code as two groups of 4, to read aloud: "ACDE-FG34"."""
        return f"{self.code[:4]}-{self.code[4:]}"


@dataclass(frozen=True)
class NewSession:
    """A session just created, with its coach secret in clear: returned once, never stored."""

    session: CoachSession
    secret: str


@dataclass(frozen=True)
class Submission:
    """One participant's answers (question id -> 1..5) saved to a session, from the quiz or
    imported by the coach."""

    id: int
    session_id: int
    pseudonym: str
    answers: Mapping[str, int]
    source: str
    bank_version: str
    submitted_at: datetime


# ---------------------------------------------------------------------------------------------
# Codes, secrets, configuration
# ---------------------------------------------------------------------------------------------


def new_join_code() -> str:
    """A random join code: 8 characters drawn with `secrets.choice` from `CODE_ALPHABET`.

    Entropy: 23**8 = 7.8e10 codes, 36.2 bits. Guessing: one client is allowed 10 wrong codes per
    10 minutes, 1,440 a day; with 1,000 sessions alive at once each guess hits one with
    probability 1,000 / 7.8e10 = 1.3e-8, so a client finds a session about once in 150 years,
    and a thousand addresses together about once in two months. A hit only lets someone add a
    result to a workshop; the answers stay behind the coach secret (128 bits).
    """
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A typed code as stored: upper case, spaces and dashes dropped; nothing else is mapped
    (an `O` typed for a `0` stays wrong, and the alphabet has neither)."""
    return re.sub(r"[\s-]+", "", text).upper()


def hash_secret(secret: str) -> str:
    """The stored form of a coach secret: `scrypt$N$r$p$<salt>$<hash>` with a fresh 16-byte salt,
    salt and hash in standard base64. Self-describing, so the cost can be raised later without
    breaking the hashes already stored."""
    salt = secrets.token_bytes(SCRYPT_SALT_BYTES)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_HASH_BYTES)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)],
    )


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` is the one `stored` (from `hash_secret`) was made from. The digests are
    compared in constant time; a malformed `stored` is simply not a match."""
    try:
        scheme, n, r, p, salt_text, digest_text = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_text, validate=True), base64.b64decode(digest_text, validate=True)
        digest = _scrypt(secret, salt, int(n), int(r), int(p), len(expected))
    except ValueError:  # wrong field count, bad base64 or numbers, parameters scrypt refuses
        return False
    return hmac.compare_digest(digest, expected)


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.cache
def _decoy_hash() -> str:
    """A hash no secret matches, verified for unknown codes so that they take as long to refuse
    as a wrong secret does."""
    return hash_secret(secrets.token_urlsafe(16))


def database_url(environ: Mapping[str, str] = os.environ, secrets_url: str | None = None) -> str:
    """The database to use: `DATABASE_URL` from the environment, else `secrets_url` (the app
    passes the one in `.streamlit/secrets.toml`), else the SQLite file `var/quiz.sqlite3` in the
    project (git-ignored; its folder is made on first use).

    Heroku-style `postgres://` and plain `postgresql://` URLs are rewritten to
    `postgresql+psycopg://`, the driver installed.
    """
    url = (environ.get("DATABASE_URL") or secrets_url or "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_DATABASE}"
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
# The store
# ---------------------------------------------------------------------------------------------


class Store:
    """Coach sessions in one database (SQLite or PostgreSQL). Thread-safe: one per process is
    enough, and several processes may share the database."""

    def __init__(self, url: str, retention: timedelta | None = None) -> None:
        """An engine for `url` (see `database_url`); nothing is connected yet.

        `retention` defaults to `retention_from_env()`.

        Raises:
            StorageError: the folder of a SQLite file cannot be made.
            ValueError: the URL cannot be parsed, or QUIZ_RETENTION_DAYS is not a number of days.
        """
        self.retention = retention if retention is not None else retention_from_env()
        try:
            parsed = make_url(url)
            self.engine = _make_engine(parsed)
        except ArgumentError as error:  # not a URL, or a database without a driver installed
            raise ValueError(f"Not a database URL this app can use: {error}") from error
        self._where = parsed.render_as_string(hide_password=True)
        # Writes on SQLite take the write lock when they begin (BEGIN IMMEDIATE): a transaction
        # that reads and then writes would otherwise fail at once, without waiting, when another
        # connection wrote in between.
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._dialect = self.engine.dialect.name

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # -- schema --------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest Alembic revision. Idempotent; when several
        servers start at once on one database, they upgrade one after the other (PostgreSQL: an
        advisory lock taken in quiz/migrations/env.py; SQLite: the write lock) and the later ones find
        nothing to do.

        Raises:
            StorageError: the database cannot be reached, or holds a revision this code lacks.
        """
        from alembic import command
        from alembic.config import Config
        from alembic.util import CommandError

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
        try:
            # Alembic runs env.py through a process-wide `context`: two threads migrating at once
            # would swap connections, so within a process they take turns.
            with _MIGRATING, self._writer.connect() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except CommandError as error:
            raise StorageError(f"The database {self._where} cannot be upgraded: {error}") from error
        except SQLAlchemyError as error:
            raise self._storage_error(error) from error

    def row_counts(self) -> dict[str, int]:
        """Rows per table, every table of the schema (for tests and the README's "what is stored")."""
        with self._read() as orm:
            return {
                table.name: int(orm.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables
            }

    # -- coach ---------------------------------------------------------------------------------

    def create_session(
        self,
        title: str,
        lang: Lang,
        closes_at: datetime | None = None,
        owner: str | None = None,
        now: datetime | None = None,
    ) -> NewSession:
        """A new session with a fresh join code and coach secret, expiring `retention` from now.
        Sessions already past their expiry are purged on the way: a server that runs for months
        still keeps the retention promise.

        Raises:
            ValueError: the title is empty or longer than TITLE_MAX, the language unknown, the
                closing time naive or not in the future, or the owner too long.
            StorageError: the database failed.
        """
        moment = _now(now)
        clean_title = _clean_text(title, "title", TITLE_MAX)
        if not clean_title:
            raise ValueError("The session needs a title (1 to 120 characters).")
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
        closing = None if closes_at is None else _aware(closes_at, "closes_at")
        if closing is not None and closing <= moment:
            raise ValueError("The closing time has already passed: choose a time in the future.")
        if owner is not None and not 1 <= len(owner) <= OWNER_MAX:
            raise ValueError(f"the owner must be 1 to {OWNER_MAX} characters")
        secret = secrets.token_urlsafe(16)
        secret_hash = hash_secret(secret)
        self.purge_expired(moment)
        attempt = 1
        while True:
            row = SessionRow(
                code=new_join_code(),
                title=clean_title,
                lang=lang,
                secret_hash=secret_hash,
                created_at=moment,
                closes_at=closing,
                closed=False,
                expires_at=moment + self.retention,
                owner=owner,
            )
            try:
                with self._write() as orm:
                    # A code that names no session may have collected wrong-secret counts.
                    orm.execute(delete(ThrottleRow).where(_secret_throttle(row.code)))
                    orm.add(row)
                    orm.flush()
                    return NewSession(_coach_session(row), secret)
            except StorageError as error:
                # Another session drew the same code (about one chance in 10**8 with 1,000
                # sessions alive): draw again.
                if attempt == CODE_ATTEMPTS or not isinstance(error.__cause__, IntegrityError):
                    raise
                attempt += 1

    def open_dashboard(self, code: str, secret: str, now: datetime | None = None) -> CoachSession:
        """The session whose code and coach secret these are.

        Each wrong secret for a code counts; from the 5th, the code is locked for 30 s, doubling
        with each further failure, at most an hour; the right secret resets the count. An
        unknown code answers exactly as a wrong secret does, in about the same time.

        Raises:
            SecretError: "wrong" or "locked" (with `retry_after` seconds).
            StorageError: the database failed.
        """
        moment = _now(now)
        key = normalise_code(code)
        if not _CODE.fullmatch(key):  # cannot name a session: nothing to count
            verify_secret(secret, _decoy_hash())
            raise _wrong_secret()
        with self._read() as orm:
            throttle = orm.get(ThrottleRow, (_SCOPE_SECRET, key))
            row = orm.scalar(select(SessionRow).where(SessionRow.code == key, SessionRow.expires_at > moment))
            session = None if row is None else _coach_session(row)
            blocked_until = None if throttle is None else throttle.blocked_until
        if blocked_until is not None and blocked_until > moment:
            raise _locked(_seconds(blocked_until - moment))
        # Hashing happens outside any transaction: 50 ms of scrypt holds no lock.
        right = verify_secret(secret, row.secret_hash if row is not None else _decoy_hash())
        with self._write() as orm:
            if right:
                orm.execute(delete(ThrottleRow).where(_secret_throttle(key)))
            else:
                throttle = _locked_throttle(orm, self._dialect, _SCOPE_SECRET, key, moment)
                throttle.failures += 1
                if throttle.failures >= SECRET_FAILURES:
                    throttle.blocked_until = moment + _secret_lock(throttle.failures)
        if not right or session is None:
            raise _wrong_secret()
        return session

    def sessions_owned_by(self, owner: str, now: datetime | None = None) -> list[CoachSession]:
        """The sessions of a logged-in coach that have not expired, newest first."""
        moment = _now(now)
        with self._read() as orm:
            rows = orm.scalars(
                select(SessionRow)
                .where(SessionRow.owner == owner, SessionRow.expires_at > moment)
                .order_by(SessionRow.created_at.desc(), SessionRow.id.desc())
            )
            return [_coach_session(row) for row in rows]

    def session(self, session_id: int, now: datetime | None = None) -> CoachSession:
        """The session with this id.

        Raises:
            KeyError: it was deleted, or it has expired (and is about to be purged).
            StorageError: the database failed.
        """
        moment = _now(now)
        with self._read() as orm:
            row = orm.get(SessionRow, session_id)
            if row is None or row.expires_at <= moment:
                raise KeyError(session_id)
            return _coach_session(row)

    def close_session(self, session_id: int) -> None:
        """Close the session by hand: nobody can join or save any more; the results stay.

        Raises:
            KeyError: no such session.
            StorageError: the database failed.
        """
        with self._write() as orm:
            result = orm.connection().execute(update(SessionRow).where(SessionRow.id == session_id).values(closed=True))
            if result.rowcount == 0:
                raise KeyError(session_id)

    def delete_session(self, session_id: int) -> None:
        """Delete the session with all its results and wrong-secret counts; nothing of it is left.
        Deleting a session already gone does nothing."""
        with self._write() as orm:
            code = orm.scalar(select(SessionRow.code).where(SessionRow.id == session_id))
            if code is None:
                return
            _delete_sessions(orm, [(session_id, code)])

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete every session past its expiry, with everything in it, and the failure counts
        that no longer hold anything back. Returns how many sessions were deleted."""
        moment = _now(now)
        with self._write() as orm:
            expired = orm.execute(select(SessionRow.id, SessionRow.code).where(SessionRow.expires_at <= moment)).all()
            _delete_sessions(orm, [(row.id, row.code) for row in expired])
            not_blocked = (ThrottleRow.blocked_until.is_(None)) | (ThrottleRow.blocked_until <= moment)
            orm.execute(
                delete(ThrottleRow).where(
                    ThrottleRow.scope == _SCOPE_JOIN, ThrottleRow.first_failure_at <= moment - JOIN_WINDOW, not_blocked
                )
            )
            orm.execute(
                delete(ThrottleRow).where(
                    ThrottleRow.scope == _SCOPE_SECRET,
                    ThrottleRow.key.not_in(select(SessionRow.code)),
                    not_blocked,
                )
            )
            return len(expired)

    # -- participants --------------------------------------------------------------------------

    def join(self, code: str, client: str, now: datetime | None = None, address: str | None = None) -> CoachSession:
        """The open session with this code, for a participant to join.

        A code that names no session counts against `client` (a browser session) and against
        its network `address` if known. After JOIN_FAILURES wrong codes from one client, or
        ADDRESS_FAILURES from one address, within JOIN_WINDOW, every attempt from it is refused
        for JOIN_WINDOW. The address has the larger allowance because a whole classroom behind
        one router shares it, and a few typos there must not lock everyone out; it is what
        stops a script that opens a new browser session for every guess. A right code does not
        reset the counts.

        Raises:
            JoinError: "unknown", "closed", "expired" or "rate_limited" (with `retry_after`).
            StorageError: the database failed.
        """
        moment = _now(now)
        key = normalise_code(code)
        limits = {_key_hash(client): JOIN_FAILURES}
        if address:
            limits[_key_hash("address:" + address)] = ADDRESS_FAILURES
        with self._read() as orm:
            blocks = [orm.get(ThrottleRow, (_SCOPE_JOIN, k)) for k in limits]
            blocked_until = max((t.blocked_until for t in blocks if t and t.blocked_until), default=None)
            row = orm.scalar(select(SessionRow).where(SessionRow.code == key)) if _CODE.fullmatch(key) else None
            session = None if row is None else _coach_session(row)
        if blocked_until is not None and blocked_until > moment:
            raise _rate_limited(_seconds(blocked_until - moment))
        if session is None:
            with self._write() as orm:
                for client_key, limit in limits.items():
                    throttle = _locked_throttle(orm, self._dialect, _SCOPE_JOIN, client_key, moment)
                    if throttle.first_failure_at <= moment - JOIN_WINDOW:  # a new window
                        throttle.failures, throttle.first_failure_at, throttle.blocked_until = 0, moment, None
                    throttle.failures += 1
                    if throttle.failures >= limit:
                        throttle.blocked_until = moment + JOIN_WINDOW
            raise JoinError("unknown", f"No session has the code {key!r}: check it with the coach.")
        _check_open(session, moment)
        return session

    def submit(
        self,
        session_id: int,
        key: str,
        pseudonym: str,
        answers: Mapping[str, int],
        bank_version: str,
        now: datetime | None = None,
    ) -> bool:
        """Save a participant's answers to a session, once: True when a row was added, False when
        this `key` (the participant's own random token) has saved already, even if the session
        closed since. Only SHA-256 of the key is stored.

        Raises:
            ValueError: an empty key, a pseudonym over PSEUDONYM_MAX characters, answers that are
                not question ids with whole numbers 1..5, or a bank version over 64 characters.
            JoinError: "unknown" (the session is gone), "closed" or "expired".
            StorageError: the database failed.
        """
        moment = _now(now)
        if not key:
            raise ValueError("a submission needs the participant's key")
        row = _submission_values(session_id, _key_hash(key), pseudonym, answers, "quiz", bank_version, moment)
        upsert = (postgresql.insert if self._dialect == "postgresql" else sqlite.insert)(SubmissionRow)
        try:
            with self._write() as orm:
                if orm.scalar(select(SubmissionRow.id).where(SubmissionRow.key_hash == row["key_hash"])) is not None:
                    return False
                session = orm.get(SessionRow, session_id)
                if session is None:
                    raise JoinError("unknown", "This session no longer exists: the coach deleted it.")
                _check_open(_coach_session(session), moment)
                # Two saves with the same key racing on PostgreSQL: the later one waits for the
                # first to commit, then inserts nothing and gets no id back. (Not `rowcount`:
                # SQLAlchemy adds RETURNING to single-row inserts there, which leaves it at -1.)
                added = orm.connection().scalar(
                    upsert.values(row).on_conflict_do_nothing(index_elements=["key_hash"]).returning(SubmissionRow.id)
                )
                return added is not None
        except StorageError as error:
            # The session was deleted between the check and the insert (PostgreSQL).
            if isinstance(error.__cause__, IntegrityError):
                raise JoinError("unknown", "This session no longer exists: the coach deleted it.") from error
            raise

    def withdraw(self, key: str) -> bool:
        """Delete the participant's result saved with this key; False when there was none."""
        if not key:
            return False
        with self._write() as orm:
            result = orm.connection().execute(delete(SubmissionRow).where(SubmissionRow.key_hash == _key_hash(key)))
            return result.rowcount > 0

    def add_imported(
        self,
        session_id: int,
        rows: Sequence[tuple[str, Mapping[str, int]]],
        bank_version: str,
        now: datetime | None = None,
    ) -> int:
        """Add results the coach imported, as (pseudonym, answers) pairs, all or none; each gets a
        random key of its own (nobody holds it). Closed sessions take imports too. Returns how
        many were added.

        Raises:
            ValueError: a pseudonym or answers as `submit` refuses them.
            KeyError: the session is gone or expired.
            StorageError: the database failed.
        """
        moment = _now(now)
        values = [
            _submission_values(
                session_id, _key_hash(secrets.token_urlsafe(24)), pseudonym, answers, "import", bank_version, moment
            )
            for pseudonym, answers in rows
        ]
        with self._write() as orm:
            session = orm.get(SessionRow, session_id)
            if session is None or session.expires_at <= moment:
                raise KeyError(session_id)
            if values:
                orm.execute(insert(SubmissionRow), values)
        return len(values)

    def submissions(self, session_id: int) -> list[Submission]:
        """The results saved to a session, oldest first."""
        with self._read() as orm:
            rows = orm.scalars(
                select(SubmissionRow)
                .where(SubmissionRow.session_id == session_id)
                .order_by(SubmissionRow.submitted_at, SubmissionRow.id)
            )
            return [_submission(row) for row in rows]

    def count_submissions(self, session_id: int) -> int:
        """How many results a session holds."""
        with self._read() as orm:
            count = orm.scalar(
                select(func.count()).select_from(SubmissionRow).where(SubmissionRow.session_id == session_id)
            )
            return int(count or 0)

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._transaction(self.engine) as orm:
            yield orm

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._transaction(self._writer) as orm:
            yield orm

    @contextmanager
    def _transaction(self, engine: Engine) -> Iterator[Session]:
        """One transaction, committed at the end of the block, rolled back on an exception;
        database errors come out as StorageError (the driver's error as its cause)."""
        try:
            with Session(engine, expire_on_commit=False) as orm, orm.begin():
                yield orm
        except SQLAlchemyError as error:
            raise self._storage_error(error) from error

    def _storage_error(self, error: SQLAlchemyError) -> StorageError:
        original = error.orig if isinstance(error, DBAPIError) else error
        reason = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
        return StorageError(f"The database {self._where} cannot be reached or failed: {reason}")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _make_engine(url: URL) -> Engine:
    """An engine tuned for this app: SQLite in WAL mode with a 30 s wait for the write lock
    (20 threads x 200 commits lost nothing, RECIPES.md); PostgreSQL failing fast when down and
    checking pooled connections before use (a restarted server leaves dead ones)."""
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            try:
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(f"The folder of the database {url.database} cannot be made: {error}") from error
        engine = create_engine(url, connect_args={"timeout": 30})
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
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _now(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else _aware(now, "now")


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone), not {moment!r}")
    return moment.astimezone(UTC)


def _seconds(delay: timedelta) -> int:
    return max(1, math.ceil(delay.total_seconds()))


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _clean_text(text: str, name: str, limit: int) -> str:
    """`text` without surrounding spaces; ValueError if longer than `limit` or holding control
    characters (a NUL byte, which PostgreSQL refuses, or line breaks in a one-line name)."""
    clean = text.strip()
    if len(clean) > limit:
        raise ValueError(f"The {name} is {len(clean)} characters long; at most {limit} are allowed.")
    if any(unicodedata.category(char) == "Cc" for char in clean):
        raise ValueError(f"The {name} holds control characters (such as line breaks); type it on one line.")
    return clean


def _submission_values(
    session_id: int,
    key_hash: str,
    pseudonym: str,
    answers: Mapping[str, int],
    source: Source,
    bank_version: str,
    moment: datetime,
) -> dict[str, Any]:
    """The row for one submission, after checking what storage can check without the bank."""
    if not all(isinstance(qid, str) and qid for qid in answers):
        raise ValueError("answers must be keyed by question ids")
    # `True == 1` in Python: only genuine whole numbers count as answers.
    if not all(type(value) is int and 1 <= value <= 5 for value in answers.values()):
        raise ValueError("answers must be whole numbers from 1 to 5")
    if not 1 <= len(bank_version) <= BANK_VERSION_MAX:
        raise ValueError(f"the bank version must be 1 to {BANK_VERSION_MAX} characters")
    return {
        "session_id": session_id,
        "key_hash": key_hash,
        "pseudonym": _clean_text(pseudonym, "pseudonym", PSEUDONYM_MAX),
        "answers": json.dumps(dict(answers), sort_keys=True, separators=(",", ":")),
        "source": source,
        "bank_version": bank_version,
        "submitted_at": moment,
    }


def _coach_session(row: SessionRow) -> CoachSession:
    lang: Lang = "fr" if row.lang == "fr" else "en"
    return CoachSession(
        id=row.id,
        code=row.code,
        title=row.title,
        lang=lang,
        created_at=row.created_at,
        closes_at=row.closes_at,
        closed=row.closed,
        expires_at=row.expires_at,
        owner=row.owner,
    )


def _submission(row: SubmissionRow) -> Submission:
    answers = json.loads(row.answers)
    return Submission(
        id=row.id,
        session_id=row.session_id,
        pseudonym=row.pseudonym,
        answers={str(qid): int(value) for qid, value in answers.items()},
        source=row.source,
        bank_version=row.bank_version,
        submitted_at=row.submitted_at,
    )


def _check_open(session: CoachSession, moment: datetime) -> None:
    if moment >= session.expires_at:
        raise JoinError("expired", "This session has ended and its results are being deleted.")
    if not session.is_open(moment):
        raise JoinError("closed", "The coach has closed this session: it takes no new participants or results.")


def _secret_throttle(code: str) -> Any:
    return (ThrottleRow.scope == _SCOPE_SECRET) & (ThrottleRow.key == code)


def _locked_throttle(orm: Session, dialect: str, scope: str, key: str, moment: datetime) -> ThrottleRow:
    """The failure count for (scope, key), made if missing, locked until the transaction ends so
    that two servers counting at once both count (PostgreSQL: the row lock; SQLite: the write
    lock taken at BEGIN IMMEDIATE)."""
    upsert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(ThrottleRow)
    orm.execute(
        upsert.values(
            scope=scope, key=key, failures=0, first_failure_at=moment, blocked_until=None
        ).on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    throttle = orm.scalars(
        select(ThrottleRow).where(ThrottleRow.scope == scope, ThrottleRow.key == key).with_for_update()
    ).one()
    return throttle


def _secret_lock(failures: int) -> timedelta:
    """How long the dashboard stays locked after `failures` wrong secrets (5 or more): 30 s,
    doubling with each failure, at most an hour."""
    doublings = min(failures - SECRET_FAILURES, 12)  # 30 s x 2**12 is already far past the cap
    return min(SECRET_FIRST_LOCK * (1 << doublings), SECRET_MAX_LOCK)


def _delete_sessions(orm: Session, sessions: Sequence[tuple[int, str]]) -> None:
    """Delete sessions with their results and wrong-secret counts. Results are deleted here, not
    only by ON DELETE CASCADE: SQLite enforces foreign keys only on connections that ask for it."""
    if not sessions:
        return
    ids = [session_id for session_id, _ in sessions]
    codes = [code for _, code in sessions]
    orm.execute(delete(SubmissionRow).where(SubmissionRow.session_id.in_(ids)))
    orm.execute(delete(ThrottleRow).where(ThrottleRow.scope == _SCOPE_SECRET, ThrottleRow.key.in_(codes)))
    orm.execute(delete(SessionRow).where(SessionRow.id.in_(ids)))


def _wrong_secret() -> SecretError:
    return SecretError("wrong", "This code and coach secret do not open a session: check both.")


def _locked(seconds: int) -> SecretError:
    return SecretError(
        "locked", f"Too many wrong secrets for this code: try again in {seconds} seconds.", retry_after=seconds
    )


def _rate_limited(seconds: int) -> JoinError:
    return JoinError(
        "rate_limited", f"Too many wrong codes from here: try again in {seconds} seconds.", retry_after=seconds
    )
