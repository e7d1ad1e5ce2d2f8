"""The store: coach sessions, their participants' results and the guess counters in one database
(SQLite or PostgreSQL).

Rules:
- A session has a join code (see `quiz.sessions.codes`) and a coach secret, shown once and
  stored only as an scrypt hash. A wrong secret (or an unknown code: the answer never tells
  which) counts against the code; wrong join codes count against the client (see
  `quiz.sessions.throttle`).
- A participant's result is saved once: their browser session's random key makes the save
  idempotent and is their withdraw token. Only its SHA-256 digest is stored.
- Everything in a session is deleted with it: by the coach, or automatically `retention` after
  it was created (90 days; `QUIZ_RETENTION_DAYS` changes it).
- Times are aware UTC datetimes in and out, whatever the database; every method that depends on
  the time takes `now=` for tests.
- Any database failure surfaces as `StorageError`, never as a SQLAlchemy or driver exception.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from quiz.model import LANGUAGES, Lang
from quiz.sessions import throttle
from quiz.sessions.codes import (
    decoy_hash,
    hash_secret,
    is_code,
    key_hash,
    new_join_code,
    new_secret,
    normalise_code,
    verify_secret,
)
from quiz.sessions.db import (
    MIGRATIONS_DIR,
    Base,
    SessionRow,
    SubmissionRow,
    insert_or_ignore,
    make_engine,
    retention_from_env,
)
from quiz.sessions.model import (
    BANK_VERSION_MAX,
    OWNER_MAX,
    TITLE_MAX,
    CoachSession,
    JoinError,
    NewSession,
    NotFoundError,
    SecretError,
    Source,
    StorageError,
    Submission,
    clean_pseudonym,
    clean_text,
)

__all__ = ["Store"]

# Five tries of new_join_code: a collision is already about one in a hundred million.
CODE_ATTEMPTS = 5

_MIGRATING = threading.Lock()


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
            self.engine = make_engine(parsed)
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
        advisory lock taken in quiz/migrations/env.py; SQLite: the write lock) and the later ones
        find nothing to do.

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
        clean_title = clean_text(title, "title", TITLE_MAX)
        if not clean_title:
            raise ValueError(f"The session needs a title (1 to {TITLE_MAX} characters).")
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
        closing = None if closes_at is None else _aware(closes_at, "closes_at")
        if closing is not None and closing <= moment:
            raise ValueError("The closing time has already passed: choose a time in the future.")
        if owner is not None and not 1 <= len(owner) <= OWNER_MAX:
            raise ValueError(f"the owner must be 1 to {OWNER_MAX} characters")
        secret = new_secret()
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
                    throttle.forget_secret_failures(orm, [row.code])
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
        if not is_code(key):  # cannot name a session: nothing to count
            verify_secret(secret, decoy_hash())
            raise _wrong_secret()
        with self._read() as orm:
            row = orm.scalar(select(SessionRow).where(SessionRow.code == key, SessionRow.expires_at > moment))
            session = None if row is None else _coach_session(row)
            throttle.check_secret_allowed(orm, key, moment)
        # Hashing happens outside any transaction: 50 ms of scrypt holds no lock.
        right = verify_secret(secret, row.secret_hash if row is not None else decoy_hash())
        with self._write() as orm:
            if right:
                throttle.forget_secret_failures(orm, [key])
            else:
                throttle.count_wrong_secret(orm, key, moment)
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
        """The session with this id, open or closed.

        Raises:
            NotFoundError: it was deleted, or it has expired (and is about to be purged).
            StorageError: the database failed.
        """
        moment = _now(now)
        with self._read() as orm:
            row = orm.get(SessionRow, session_id)
            if row is None or row.expires_at <= moment:
                raise _gone(session_id)
            return _coach_session(row)

    def session_by_code(self, code: str, now: datetime | None = None) -> CoachSession:
        """The session with this join code (typed in any case, with or without the dash), open or
        closed: check `is_open` before letting anyone save to it.

        A plain lookup, for a code the app itself kept (a participant's seat in the address), not
        for one a person types: it never counts as a wrong guess and is never rate-limited. Use
        `join` for typed codes.

        Raises:
            NotFoundError: no session has this code, or it has expired.
            StorageError: the database failed.
        """
        moment = _now(now)
        key = normalise_code(code)
        if is_code(key):
            with self._read() as orm:
                row = orm.scalar(select(SessionRow).where(SessionRow.code == key, SessionRow.expires_at > moment))
                if row is not None:
                    return _coach_session(row)
        raise NotFoundError(
            f"No session has the code {code.strip()!r} any more: the coach deleted it or it ended. "
            "Ask the coach for the current code."
        )

    def close_session(self, session_id: int) -> None:
        """Close the session by hand: nobody can join or save any more; the results stay.

        Raises:
            NotFoundError: no such session.
            StorageError: the database failed.
        """
        with self._write() as orm:
            result = orm.connection().execute(update(SessionRow).where(SessionRow.id == session_id).values(closed=True))
            if result.rowcount == 0:
                raise _gone(session_id)

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
            throttle.purge_stale(orm, moment)
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
        limits = throttle.join_limits(client, address)
        with self._read() as orm:
            row = orm.scalar(select(SessionRow).where(SessionRow.code == key)) if is_code(key) else None
            session = None if row is None else _coach_session(row)
            throttle.check_join_allowed(orm, limits, moment)
        if session is None:
            with self._write() as orm:
                throttle.count_wrong_code(orm, limits, moment)
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
        row = _submission_values(session_id, key_hash(key), pseudonym, answers, "quiz", bank_version, moment)
        upsert = insert_or_ignore(self._dialect, SubmissionRow)
        try:
            with self._write() as orm:
                if orm.scalar(select(SubmissionRow.id).where(SubmissionRow.key_hash == row["key_hash"])) is not None:
                    return False
                session = orm.get(SessionRow, session_id)
                if session is None:
                    raise _deleted()
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
                raise _deleted() from error
            raise

    def withdraw(self, key: str) -> bool:
        """Delete the participant's result saved with this key; False when there was none."""
        if not key:
            return False
        with self._write() as orm:
            result = orm.connection().execute(delete(SubmissionRow).where(SubmissionRow.key_hash == key_hash(key)))
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
            NotFoundError: the session is gone or expired.
            StorageError: the database failed.
        """
        moment = _now(now)
        values = [
            _submission_values(
                session_id, key_hash(secrets.token_urlsafe(24)), pseudonym, answers, "import", bank_version, moment
            )
            for pseudonym, answers in rows
        ]
        with self._write() as orm:
            session = orm.get(SessionRow, session_id)
            if session is None or session.expires_at <= moment:
                raise _gone(session_id)
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


def _now(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else _aware(now, "now")


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone), not {moment!r}")
    return moment.astimezone(UTC)


def _submission_values(
    session_id: int,
    stored_key: str,
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
        "key_hash": stored_key,
        "pseudonym": clean_pseudonym(pseudonym),
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


def _delete_sessions(orm: Session, sessions: Sequence[tuple[int, str]]) -> None:
    """Delete sessions with their results and wrong-secret counts. Results are deleted here, not
    only by ON DELETE CASCADE: SQLite enforces foreign keys only on connections that ask for it."""
    if not sessions:
        return
    ids = [session_id for session_id, _ in sessions]
    orm.execute(delete(SubmissionRow).where(SubmissionRow.session_id.in_(ids)))
    throttle.forget_secret_failures(orm, [code for _, code in sessions])
    orm.execute(delete(SessionRow).where(SessionRow.id.in_(ids)))


def _gone(session_id: int) -> NotFoundError:
    return NotFoundError(
        f"Session {session_id} no longer exists: the coach deleted it or it ended. Open a current session instead."
    )


def _deleted() -> JoinError:
    return JoinError("unknown", "This session no longer exists: the coach deleted it.")


def _wrong_secret() -> SecretError:
    return SecretError("wrong", "This code and coach secret do not open a session: check both.")
