"""A participant's seat in a coach's session: joining, keeping the seat in the address, saving
the finished result once. The rules live in `quiz.sessions`; this module turns every error they
can raise into a message or a button.

A seat travels in the address (`?group=CODE&seat=KEY&name=PSEUDONYM`), as the answers do in a
"continue later" link: a refresh or a lost connection brings the same seat back, and the seat
key makes the save idempotent, so one person is stored once whatever happens. Bringing a seat
back looks its session up by code (`Store.session_by_code`), which never counts as a wrong
guess: an old address cannot lock anyone out of joining.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import streamlit as st

from quiz.i18n import Strings
from quiz.sessions import CoachSession, JoinError, NotFoundError, StorageError, clean_pseudonym
from webapp import resources, routes, state
from webapp.address import AddressError, Param
from webapp.widgets import one_line, plain

# The seat's query parameters; they survive a refresh, not a new visit. A code is 8 characters
# (shown as two groups of 4), a key is `secrets.token_urlsafe(24)`: 32 characters; the
# pseudonym follows the store's rule (`clean_pseudonym`).
GROUP = Param("group", longest=16, characters="[A-Za-z0-9 -]")
SEAT = Param("seat", longest=64, characters="[A-Za-z0-9_-]")
NAME = "name"
_PARAMS = (GROUP.name, SEAT.name, NAME)
RETRY = "seat_retry"  # the button that tries a failed save again


@dataclass(frozen=True)
class Seat:
    """A participant's place in a coach session: the key is theirs alone (a random token made
    when they joined), used to save their result once and to withdraw it later."""

    session_id: int
    code: str
    title: str
    key: str
    pseudonym: str


@dataclass(frozen=True)
class SeatNotice:
    """Why the seat in the address was dropped: its session is gone (deleted, expired, or the
    address is not one the app writes) or closed."""

    reason: Literal["gone", "closed"]
    title: str = ""


def join(code: str) -> CoachSession:
    """The open session with this code. Wrong codes count against this browser session and
    its network address when Streamlit knows it (see `Store.join` for why both).

    Raises:
        JoinError, StorageError: as `Store.join`.
    """
    address = st.context.ip_address
    return resources.store().join(code, state.client_id(), address=address if isinstance(address, str) else None)


def take_seat(session: CoachSession, pseudonym: str) -> Seat:
    """Join `session`: a new seat with a fresh key, in the workshop's language from the next
    run on (the person can still switch back)."""
    new = Seat(session.id, session.code, session.title, secrets.token_urlsafe(24), one_line(pseudonym))
    state.set_seat(new)
    state.switch_language_next_run(session.lang)
    return new


def leave_seat() -> None:
    state.set_seat(None)
    _clear_address()


def _clear_address() -> None:
    for name in _PARAMS:
        st.query_params.pop(name, None)


def keep_seat_in_url() -> None:
    """Write the seat into the address on every run (page switches clear the query string), or
    bring it back after a refresh. A seat whose session is gone or closed, or an address that
    is not one the app writes, is removed from the address once, with a short message; the
    person keeps their quiz and result, without the group."""
    notice = _restore_seat() if state.seat() is None and st.query_params.get(GROUP.name) else None
    current = state.seat()
    if current is not None:
        st.query_params.update({GROUP.name: current.code, SEAT.name: current.key, NAME: current.pseudonym})
    if notice is not None:  # said once: the seat has left the address
        t = resources.text()
        if notice.reason == "closed":
            st.info(t.t("group.seat_closed", title=plain(notice.title)))
        else:
            st.info(t.t("group.seat_gone"))


def _restore_seat() -> SeatNotice | None:
    """Bring the address's seat back; or drop it and say why."""
    try:
        code, key = GROUP.read(), SEAT.read()
        if not code or not key:
            raise AddressError("a seat needs both its group and its key")
        session = resources.store().session_by_code(code)
    except StorageError:
        return None  # the database is down: try again on the next run, the address stays as it is
    except (AddressError, NotFoundError):
        return _drop_seat(SeatNotice("gone"))
    if not session.is_open(datetime.now(UTC)):
        return _drop_seat(SeatNotice("closed", session.title))
    try:
        pseudonym = clean_pseudonym(st.query_params.get(NAME, ""))
    except ValueError:  # not a pseudonym the app wrote: the seat comes back without it
        pseudonym = ""
    state.set_seat(Seat(session.id, session.code, session.title, key, pseudonym))
    return None


def _drop_seat(notice: SeatNotice) -> SeatNotice:
    _clear_address()
    return notice


def save_result(answers: dict[str, int]) -> None:
    """Store a finished result in the person's session, once, and say so; on a failure, say
    the result is safe on screen and offer to try again."""
    current = state.seat()
    if current is None:
        return
    t = resources.text()
    if not state.seat_saved():
        # After a failure, only the Retry button tries again: an unreachable database takes
        # seconds to time out, and every click on the page would otherwise wait for it.
        if state.seat_failed() and not state.widget_value(RETRY):
            _save_failed(t, current)
            return
        try:
            resources.store().submit(
                current.session_id, current.key, current.pseudonym, answers, resources.bank().version
            )
        except JoinError as error:
            st.warning(t.t(f"group.save_{error.reason}", title=plain(current.title)))
            return
        except StorageError:
            state.set_seat_save(saved=False, failed=True)
            _save_failed(t, current)
            return
        state.set_seat_save(saved=True, failed=False)
    st.success(t.t("group.saved", title=plain(current.title)))
    with st.expander(t.t("group.withdraw_link")):
        st.write(t.t("group.withdraw_help"))
        st.code(routes.page_url("withdraw", {SEAT.name: current.key}), language=None, wrap_lines=True)


def _save_failed(t: Strings, current: Seat) -> None:
    st.warning(t.t("group.save_failed", title=plain(current.title)))
    st.button(t.t("group.retry"), key=RETRY, icon=":material/refresh:")
