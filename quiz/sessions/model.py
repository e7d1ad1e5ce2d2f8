"""The values and errors of coach sessions, and the limits on what a session holds: what the
store takes and gives back, without the database.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from quiz.model import Lang

__all__ = [
    "BANK_VERSION_MAX",
    "OWNER_MAX",
    "PSEUDONYM_MAX",
    "RETENTION",
    "TITLE_MAX",
    "CoachSession",
    "JoinError",
    "JoinErrorReason",
    "NewSession",
    "NotFoundError",
    "SecretError",
    "SecretErrorReason",
    "Source",
    "StorageError",
    "Submission",
    "clean_pseudonym",
    "clean_text",
]

TITLE_MAX = 120
PSEUDONYM_MAX = 40
# Long enough for an OIDC subject (the spec allows 255 ASCII characters).
OWNER_MAX = 255
BANK_VERSION_MAX = 64
RETENTION = timedelta(days=90)

Source = Literal["quiz", "import"]
JoinErrorReason = Literal["unknown", "closed", "expired", "rate_limited"]
SecretErrorReason = Literal["wrong", "locked"]


class StorageError(RuntimeError):
    """The database cannot be reached, or it failed: nothing was changed; trying again later may
    work. The message names the database (without its password) and the driver's reason."""


class NotFoundError(LookupError):
    """The session asked for is not there (any more): the coach deleted it, it expired, or no
    session has the code. Trying again will not help; the message says what to do instead."""


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


def clean_text(text: str, name: str, limit: int) -> str:
    """`text` without surrounding spaces.

    Raises:
        ValueError: longer than `limit`, or holding control characters (a NUL byte, which
            PostgreSQL refuses, or a tab or line break in a one-line name); the message names
            the field as `name`.
    """
    clean = text.strip()
    if len(clean) > limit:
        raise ValueError(f"The {name} is {len(clean)} characters long; at most {limit} are allowed.")
    if any(unicodedata.category(char) == "Cc" for char in clean):
        raise ValueError(f"The {name} holds control characters (such as line breaks); type it on one line.")
    return clean


def clean_pseudonym(text: str) -> str:
    """A pseudonym as the store saves it: stripped, at most PSEUDONYM_MAX characters, one line.

    Raises:
        ValueError: too long, or holding control characters.
    """
    return clean_text(text, "pseudonym", PSEUDONYM_MAX)
