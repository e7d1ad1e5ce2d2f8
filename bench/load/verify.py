"""After a run against the app: the database must hold exactly one result per participant who
was sent through, with exactly the answers the driver sent."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Check:
    """What the database holds against what was sent."""

    expected: int  # participants who reached the results page
    stored: int  # rows in the session
    missing: int  # participants who saw results but have no row
    duplicated: int  # pseudonyms stored more than once
    wrong_answers: int  # rows whose answers differ from those sent
    ok: bool
    note: str = ""


def _storage() -> Any:
    """The storage module: quiz.storage today; quiz.sessions if it has been renamed."""
    for name in ("quiz.storage", "quiz.sessions"):
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImportError("neither quiz.storage nor quiz.sessions can be imported")


def check_database(url: str, code: str, sent: Mapping[str, Mapping[str, int]], completed: set[str]) -> Check:
    """Compare the session with join `code` in the database at `url` with the answers `sent`
    (pseudonym -> question id -> 1..5) by the participants in `completed`."""
    storage = _storage()
    store = storage.Store(url)
    try:
        # Store.join is the public way from a code to its session (a right code counts nothing).
        session = store.join(code, "load-driver-check")
        rows = store.submissions(session.id)
    finally:
        store.dispose()
    names = Counter(str(row.pseudonym) for row in rows)
    duplicated = sum(1 for count in names.values() if count > 1)
    missing = sum(1 for who in completed if who not in names)
    wrong = sum(1 for row in rows if dict(row.answers) != dict(sent.get(str(row.pseudonym), {})))
    ok = len(rows) == len(completed) and not missing and not duplicated and not wrong
    return Check(len(completed), len(rows), missing, duplicated, wrong, ok)
