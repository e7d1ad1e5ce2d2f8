"""Coach sessions in a database: a coach runs a workshop, participants join it with a code and
their answers are saved to it; the coach opens a dashboard with a secret.

One idea per module: `model` (values, errors, limits), `codes` (join codes and secrets), `db`
(configuration, tables, engines), `throttle` (counting wrong guesses), `store` (the `Store`).
The public names are re-exported here.
"""

from quiz.sessions.codes import CODE_ALPHABET, CODE_LENGTH, hash_secret, new_join_code, normalise_code, verify_secret
from quiz.sessions.db import MIGRATION_LOCK, Base, database_url, retention_from_env
from quiz.sessions.model import (
    PSEUDONYM_MAX,
    RETENTION,
    TITLE_MAX,
    CoachSession,
    JoinError,
    JoinErrorReason,
    NewSession,
    NotFoundError,
    SecretError,
    SecretErrorReason,
    StorageError,
    Submission,
    clean_pseudonym,
)
from quiz.sessions.store import Store
from quiz.sessions.throttle import ADDRESS_FAILURES, JOIN_FAILURES, JOIN_WINDOW, SECRET_FAILURES

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
    "NotFoundError",
    "SecretError",
    "SecretErrorReason",
    "StorageError",
    "Store",
    "Submission",
    "clean_pseudonym",
    "database_url",
    "hash_secret",
    "new_join_code",
    "normalise_code",
    "retention_from_env",
    "verify_secret",
]
