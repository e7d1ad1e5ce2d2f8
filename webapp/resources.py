"""What the pages share across browser sessions: the bank (loaded once per process and folder),
the store (one engine and pool per database), the UI strings of the session's language, and
what is computed from one person's answers (once per answer set, not on every rerun).

Why `st.cache_resource` and not `st.cache_data` for the bank and the results: `cache_data`
hands back an unpickled copy on every call, several times a rerun; these values are frozen
(immutable) dataclasses, so one shared instance is safe for every session and costs nothing to
hand out. Measured with the load driver: a quiz rerun's CPU fell from 17 to 11 ms.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

import streamlit as st

from quiz.banks import DATA_DIR, BankError, load_bank
from quiz.i18n import Strings, strings
from quiz.model import Bank
from quiz.result import PersonResult, person_result
from quiz.sessions import StorageError, Store, database_url
from webapp import state


def text() -> Strings:
    """The UI strings of the current language."""
    return strings(state.lang())


@st.cache_resource(show_spinner=False)
def _cached_bank(data_dir: str) -> Bank:
    return load_bank(Path(data_dir))  # a BankError is not cached: the next run tries again


def _data_dir() -> str:
    return os.environ.get("QUIZ_DATA_DIR", str(DATA_DIR))


def bank() -> Bank:
    """The validated bank from `QUIZ_DATA_DIR` (default: quiz/data/), loaded once per process and
    folder. A broken bank stops the page with the list of problems, never a traceback."""
    try:
        return _cached_bank(_data_dir())
    except BankError as error:
        _stop_with_problems(error)


# Enough for a 200-person workshop per process several times over; each entry is a few KB.
RESULTS_KEPT = 2_000


@st.cache_resource(show_spinner=False, max_entries=RESULTS_KEPT)
def _cached_result(data_dir: str, answers: tuple[tuple[str, int], ...]) -> PersonResult:
    return person_result(_cached_bank(data_dir), dict(answers))


def result(answers: Mapping[str, int]) -> PersonResult:
    """`quiz.result.person_result` for these answers, computed once per answer set and bank.

    Raises:
        AnswerError: as `person_result` (not cached: the next call checks again).
    """
    return _cached_result(_data_dir(), tuple(sorted(answers.items())))


def _stop_with_problems(error: BankError) -> NoReturn:
    st.error(text().t("errors.bank"))
    st.code("\n".join(str(p) for p in error.problems), language=None)
    st.stop()


def _secrets_url() -> str | None:
    """`database_url` (or `[connections.quiz] url`) from `.streamlit/secrets.toml`, if any."""
    try:
        url = st.secrets.get("database_url") or st.secrets.get("connections", {}).get("quiz", {}).get("url")
    except Exception:  # no secrets file, or one Streamlit cannot parse: the default applies
        return None
    return str(url) if url else None


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    store = Store(url)
    try:
        store.migrate()
        store.purge_expired()
    except StorageError:
        store.dispose()
        raise  # not cached: the next call tries again
    return store


def store() -> Store:
    """The process's store, migrated on first use.

    Raises:
        StorageError: the database cannot be reached.
    """
    return _store(database_url(os.environ, _secrets_url()))
