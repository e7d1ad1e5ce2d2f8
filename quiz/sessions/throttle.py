"""The counting of wrong guesses and the locks it leads to, as steps the store runs inside its
own transactions.

- Wrong join codes count against the browser session (JOIN_FAILURES within JOIN_WINDOW) and
  against its network address (ADDRESS_FAILURES: a classroom behind one router shares it, and a
  few typos there must not lock everyone out), each kept only as a SHA-256 digest; past either
  limit every attempt from it is refused for JOIN_WINDOW. A right code does not reset them.
- Wrong coach secrets count against the session's code; from the SECRET_FAILURES-th the
  dashboard is locked for SECRET_FIRST_LOCK, doubling with each further failure up to
  SECRET_MAX_LOCK. The right secret resets the count.
- The counts live in the database, so every app server sharing it shares them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from quiz.sessions.codes import key_hash
from quiz.sessions.db import SessionRow, ThrottleRow, insert_or_ignore
from quiz.sessions.model import JoinError, SecretError

__all__ = [
    "ADDRESS_FAILURES",
    "JOIN_FAILURES",
    "JOIN_WINDOW",
    "SECRET_FAILURES",
    "SECRET_FIRST_LOCK",
    "SECRET_MAX_LOCK",
    "check_join_allowed",
    "check_secret_allowed",
    "count_wrong_code",
    "count_wrong_secret",
    "forget_secret_failures",
    "join_limits",
    "purge_stale",
    "secret_lock",
]

JOIN_FAILURES = 10
ADDRESS_FAILURES = 100
JOIN_WINDOW = timedelta(minutes=10)
SECRET_FAILURES = 5
SECRET_FIRST_LOCK = timedelta(seconds=30)
SECRET_MAX_LOCK = timedelta(hours=1)

SCOPE_JOIN = "join"
SCOPE_SECRET = "secret"


def join_limits(client: str, address: str | None) -> dict[str, int]:
    """The counters a wrong code from this client adds to, by their stored key, with their limit:
    the browser session's, and its network address's when known."""
    limits = {key_hash(client): JOIN_FAILURES}
    if address:
        limits[key_hash("address:" + address)] = ADDRESS_FAILURES
    return limits


def check_join_allowed(orm: Session, limits: Mapping[str, int], moment: datetime) -> None:
    """Raises JoinError "rate_limited" (with `retry_after`) while any of these counters blocks."""
    blocks = [orm.get(ThrottleRow, (SCOPE_JOIN, key)) for key in limits]
    blocked_until = max((t.blocked_until for t in blocks if t and t.blocked_until), default=None)
    if blocked_until is not None and blocked_until > moment:
        seconds = _seconds(blocked_until - moment)
        raise JoinError(
            "rate_limited", f"Too many wrong codes from here: try again in {seconds} seconds.", retry_after=seconds
        )


def count_wrong_code(orm: Session, limits: Mapping[str, int], moment: datetime) -> None:
    """Count one wrong code against each counter; one reaching its limit blocks for JOIN_WINDOW.
    A counter whose window has passed starts again from zero."""
    for client_key, limit in limits.items():
        throttle = _locked_throttle(orm, SCOPE_JOIN, client_key, moment)
        if throttle.first_failure_at <= moment - JOIN_WINDOW:  # a new window
            throttle.failures, throttle.first_failure_at, throttle.blocked_until = 0, moment, None
        throttle.failures += 1
        if throttle.failures >= limit:
            throttle.blocked_until = moment + JOIN_WINDOW


def check_secret_allowed(orm: Session, code: str, moment: datetime) -> None:
    """Raises SecretError "locked" (with `retry_after`) while wrong secrets lock this code."""
    throttle = orm.get(ThrottleRow, (SCOPE_SECRET, code))
    blocked_until = None if throttle is None else throttle.blocked_until
    if blocked_until is not None and blocked_until > moment:
        seconds = _seconds(blocked_until - moment)
        raise SecretError(
            "locked", f"Too many wrong secrets for this code: try again in {seconds} seconds.", retry_after=seconds
        )


def count_wrong_secret(orm: Session, code: str, moment: datetime) -> None:
    """Count one wrong secret against the code; from SECRET_FAILURES on, lock it (`secret_lock`)."""
    throttle = _locked_throttle(orm, SCOPE_SECRET, code, moment)
    throttle.failures += 1
    if throttle.failures >= SECRET_FAILURES:
        throttle.blocked_until = moment + secret_lock(throttle.failures)


def forget_secret_failures(orm: Session, codes: Sequence[str]) -> None:
    """Drop the wrong-secret counts of these codes: the right secret was given, the session was
    deleted, or a new session takes a code that may have collected some."""
    orm.execute(delete(ThrottleRow).where(_secret_counters(codes)))


def purge_stale(orm: Session, moment: datetime) -> None:
    """Delete the counters that no longer hold anything back: wrong codes whose window has passed,
    wrong secrets for codes no session has; never one that still blocks."""
    not_blocked = (ThrottleRow.blocked_until.is_(None)) | (ThrottleRow.blocked_until <= moment)
    orm.execute(
        delete(ThrottleRow).where(
            ThrottleRow.scope == SCOPE_JOIN, ThrottleRow.first_failure_at <= moment - JOIN_WINDOW, not_blocked
        )
    )
    orm.execute(
        delete(ThrottleRow).where(
            ThrottleRow.scope == SCOPE_SECRET, ThrottleRow.key.not_in(select(SessionRow.code)), not_blocked
        )
    )


def secret_lock(failures: int) -> timedelta:
    """How long the dashboard stays locked after `failures` wrong secrets (5 or more): 30 s,
    doubling with each failure, at most an hour."""
    doublings = min(failures - SECRET_FAILURES, 12)  # 30 s x 2**12 is already far past the cap
    return min(SECRET_FIRST_LOCK * (1 << doublings), SECRET_MAX_LOCK)


def _secret_counters(codes: Sequence[str]) -> ColumnElement[bool]:
    return (ThrottleRow.scope == SCOPE_SECRET) & ThrottleRow.key.in_(codes)


def _locked_throttle(orm: Session, scope: str, key: str, moment: datetime) -> ThrottleRow:
    """The failure count for (scope, key), made if missing, locked until the transaction ends so
    that two servers counting at once both count (PostgreSQL: the row lock; SQLite: the write
    lock taken at BEGIN IMMEDIATE)."""
    orm.execute(
        insert_or_ignore(orm.get_bind().dialect.name, ThrottleRow)
        .values(scope=scope, key=key, failures=0, first_failure_at=moment, blocked_until=None)
        .on_conflict_do_nothing(index_elements=["scope", "key"])
    )
    return orm.scalars(
        select(ThrottleRow).where(ThrottleRow.scope == scope, ThrottleRow.key == key).with_for_update()
    ).one()


def _seconds(delay: timedelta) -> int:
    return max(1, math.ceil(delay.total_seconds()))
