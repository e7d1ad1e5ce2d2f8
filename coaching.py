"""The Streamlit side of coach sessions: the store, a participant's seat in a session, saving
their result, and the coach's access to a dashboard. The rules live in `quiz/storage.py`; this
module turns them into messages and buttons.

A participant's seat travels in the address (`?group=CODE&seat=KEY&name=PSEUDONYM`), as the
answers do in a "continue later" link: a refresh or a lost connection brings the same seat back,
and the seat key makes the save idempotent, so one person is stored once whatever happens.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from typing import Any

import streamlit as st

import ui
from quiz.banks import LANGUAGES
from quiz.i18n import Strings, strings
from quiz.scoring import SCALE
from quiz.storage import CoachSession, JoinError, StorageError, Store, database_url

# Query parameters of a participant's seat; they survive a refresh, not a new visit.
SEAT_PARAMS = ("group", "seat", "name")
# Markdown's special characters, escaped wherever a pseudonym, a title or an imported text is
# shown inside markdown (a heading, a message), so that they show as typed and never as links,
# images or formatting. Streamlit already escapes HTML.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


@dataclass(frozen=True)
class Seat:
    """A participant's place in a coach session: the key is theirs alone (a random token made
    when they joined), used to save their result once and to withdraw it later."""

    session_id: int
    code: str
    title: str
    key: str
    pseudonym: str


def plain(text: str) -> str:
    """`text` made safe to put inside markdown: every markdown character backslash-escaped
    (CommonMark shows an escaped punctuation character as itself), so `**Ana** [x](http://e.vil)`
    shows as typed, neither bold nor a link."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


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
    """The process's store (one engine and pool per database), migrated on first use.

    Raises:
        StorageError: the database cannot be reached.
    """
    return _store(database_url(os.environ, _secrets_url()))


def join(code: str) -> CoachSession:
    """The open session with this code. Wrong codes count against this browser session and
    its network address when Streamlit knows it (see `Store.join` for why both).

    Raises:
        JoinError, StorageError: as `Store.join`.
    """
    st.session_state.setdefault("client_id", secrets.token_urlsafe(12))
    address = st.context.ip_address
    return store().join(code, st.session_state["client_id"], address=address if isinstance(address, str) else None)


def scale_words() -> dict[str, int]:
    """The scale's words in both languages ("Strongly agree": 5, "Tout à fait d'accord": 5...),
    for imported answers written as words."""
    return {strings(lang).t(f"scale.{value}"): value for lang in LANGUAGES for value in SCALE}


def login_configured() -> bool:
    """Whether the deployment configured Streamlit's login (an `[auth]` section in secrets):
    then coach pages ask for it instead of a coach secret."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file
        return False


def logged_in() -> bool:
    """Whether the person signed in with Streamlit's login."""
    return bool(st.user.get("is_logged_in"))


def coach_identity() -> str | None:
    """The logged-in coach's stable identity (OIDC subject, else e-mail), when login is used."""
    if not login_configured() or not logged_in():
        return None
    user: Any = st.user
    return str(user.get("sub") or user.get("email") or "") or None


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------


def seat() -> Seat | None:
    value = st.session_state.get("seat")
    return value if isinstance(value, Seat) else None


def take_seat(session: CoachSession, pseudonym: str) -> Seat:
    """Join `session`: a new seat with a fresh key, and a quiz started afresh for it."""
    new = Seat(session.id, session.code, session.title, secrets.token_urlsafe(24), pseudonym.strip())
    st.session_state["seat"] = new
    st.session_state["seat_saved"] = False
    st.session_state["seat_failed"] = False
    # The workshop's language, from the next run on (the switch at the top is already drawn);
    # the person can still switch back.
    st.session_state["next_lang"] = session.lang
    return new


def leave_seat() -> None:
    st.session_state["seat"] = None
    st.session_state["seat_saved"] = False
    for name in SEAT_PARAMS:
        st.query_params.pop(name, None)


def keep_seat_in_url() -> None:
    """Write the seat into the address on every run (page switches clear the query string), or
    bring it back after a refresh. A seat whose session is gone or closed is dropped quietly:
    the person keeps their quiz and result, without the group."""
    current = seat()
    if current is not None:
        st.query_params.update({"group": current.code, "seat": current.key, "name": current.pseudonym})
        return
    code, key = st.query_params.get("group"), st.query_params.get("seat")
    if not code or not key:
        return
    try:
        session = join(code)
    except (JoinError, StorageError):
        return
    st.session_state["seat"] = Seat(session.id, session.code, session.title, key, st.query_params.get("name", ""))


def save_result(answers: dict[str, int]) -> None:
    """Store a finished result in the person's session, once, and say so; on a failure, say
    the result is safe on screen and offer to try again."""
    current = seat()
    if current is None:
        return
    t = ui.text()
    if not st.session_state["seat_saved"]:
        # After a failure, only the Retry button tries again: an unreachable database takes
        # seconds to time out, and every click on the page would otherwise wait for it.
        if st.session_state["seat_failed"] and not st.session_state.get("seat_retry"):
            _save_failed(t, current)
            return
        try:
            store().submit(current.session_id, current.key, current.pseudonym, answers, ui.bank().version)
        except JoinError as error:
            st.warning(t.t(f"group.save_{error.reason}", title=plain(current.title)))
            return
        except StorageError:
            st.session_state["seat_failed"] = True
            _save_failed(t, current)
            return
        st.session_state["seat_saved"] = True
        st.session_state["seat_failed"] = False
    st.success(t.t("group.saved", title=plain(current.title)))
    with st.expander(t.t("group.withdraw_link")):
        st.write(t.t("group.withdraw_help"))
        st.code(ui.page_url("withdraw", {"seat": current.key}), language=None, wrap_lines=True)


def _save_failed(t: Strings, current: Seat) -> None:
    st.warning(t.t("group.save_failed", title=plain(current.title)))
    st.button(t.t("group.retry"), key="seat_retry", icon=":material/refresh:")
