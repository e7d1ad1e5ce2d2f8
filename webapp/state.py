"""The browser session's state: every key of `st.session_state` the app sets is defined here,
with its default and a typed accessor. No other module touches `st.session_state` (a test
checks it).

Two kinds of keys:
- the app's own values (`DEFAULTS`), read and set with the functions below;
- widget values, whose key belongs to the page that draws the widget. A page may preset one
  (`preset`) or drop it (`forget`); a choice whose labels are translated is registered where it
  is drawn (`translated`), so that a language switch relabels it (`relabel_choices`).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from quiz.i18n import pick_language
from quiz.links import LinkErrorReason
from quiz.model import Lang

if TYPE_CHECKING:
    from quiz.sessions import NewSession
    from webapp.seat import Seat

# The language radio at the top of every page (drawn by app.py).
LANG = "lang"
# Every key of the app's own values, with its default: the one place they are set.
DEFAULTS: dict[str, object] = {
    "answers": {},  # question id -> 1..5
    "step": 0,  # the quiz step shown, 0-based, in `quiz_plan` (its length: the next one, not chosen yet)
    "quiz_plan": (),  # the steps asked so far, in order: a tuple of question ids each
    "quiz_about": None,  # (answers sent, "about N more") when the last step of the plan was chosen
    "every_statement": False,  # the person chose to answer every statement (no adaptive stop)
    "quiz_focus": False,  # a new step was just drawn: scroll to its first statement and focus it
    "link_token": None,  # the last ?answers= link loaded, so that it is loaded only once
    "link_error": None,  # why that link could not be read (a quiz.links.LinkError reason)
    "seat": None,  # the coach session this person joined (a webapp.seat.Seat), if any
    "seat_saved": False,  # whether their finished result is stored in that session
    "seat_failed": False,  # whether the last try to store it failed (then only Retry tries again)
    "next_lang": None,  # the language to switch to on the next run (joining a group)
    "client_id": None,  # a random id of this browser session, for counting wrong join codes
    "coach_session": None,  # the id of the coach session whose dashboard this browser opened
    "new_session": None,  # a session just created: its secret is shown once, then dropped
    "session_deleted": False,  # for the Coach page to confirm a deletion made on the dashboard
    "import_added": None,  # how many imported results the dashboard just added, said once
    "import_round": 0,  # bumped after each import: a fresh file uploader
    "translated_choices": set(),  # the keys of translated choice widgets drawn so far
}


def init() -> None:
    """Set the defaults once, and the language from the browser on the first run."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value.copy() if isinstance(value, dict | set) else value)
    if LANG not in st.session_state:
        st.session_state[LANG] = pick_language(st.context.locale)
    wanted = st.session_state["next_lang"]
    if wanted:  # asked for by the previous run (joining a group)
        st.session_state["next_lang"] = None
        st.session_state[LANG] = wanted
        relabel_choices()


def _get(key: str) -> Any:
    return st.session_state[key] if key in st.session_state else DEFAULTS[key]


def _set(key: str, value: object) -> None:
    if key not in DEFAULTS:  # a new key gets its default in DEFAULTS first
        raise KeyError(f"{key!r} is not a key of webapp.state.DEFAULTS")
    st.session_state[key] = value


# -- language and browser ---------------------------------------------------------------------


def lang() -> Lang:
    return "en" if st.session_state.get(LANG) == "en" else "fr"


def switch_language_next_run(value: Lang) -> None:
    """Switch to `value` from the next run on (the switch at the top is already drawn)."""
    _set("next_lang", value)


def browser_zone() -> ZoneInfo:
    """The browser's time zone (UTC when the browser does not say or names an unknown one)."""
    try:
        return ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def client_id() -> str:
    """A random id of this browser session, made on first use."""
    value = _get("client_id")
    if value is None:
        value = secrets.token_urlsafe(12)
        _set("client_id", value)
    return cast(str, value)


# -- the quiz ---------------------------------------------------------------------------------


def answers() -> dict[str, int]:
    """The answers given so far (question id -> 1..5); the page may add to this dict."""
    return cast(dict[str, int], _get("answers"))


def step() -> int:
    return cast(int, _get("step"))


def set_quiz(answers: dict[str, int], step: int) -> None:
    """New answers (from a link, or none to start again): the steps asked are recomputed from
    them by the quiz page; with no answers, the quiz starts again in its default (adaptive) mode."""
    _set("answers", answers)
    _set("step", step)
    set_plan((), None)
    if not answers:
        _set("every_statement", False)


def set_step(step: int) -> None:
    _set("step", step)


def plan() -> tuple[tuple[str, ...], ...]:
    """The steps asked so far, in the order they were asked (question ids)."""
    return cast("tuple[tuple[str, ...], ...]", _get("quiz_plan"))


def about() -> tuple[int, int] | None:
    """(answers sent, "about N more") as they were when the plan's last step was chosen."""
    return cast("tuple[int, int] | None", _get("quiz_about"))


def set_plan(steps: tuple[tuple[str, ...], ...], about: tuple[int, int] | None) -> None:
    _set("quiz_plan", steps)
    _set("quiz_about", about)


def every_statement() -> bool:
    """Whether the person chose to answer every statement rather than stop once the result is sure."""
    return bool(_get("every_statement"))


def set_every_statement(value: bool) -> None:
    """Answer every statement (True) or let the quiz stop when sure (False). Called before
    `routes.switch_to("quiz")`, the quiz goes on with the statements not answered yet."""
    _set("every_statement", value)


def pop_quiz_focus() -> bool:
    """Whether a new step was just drawn (said once): its first statement gets the focus."""
    wanted = bool(_get("quiz_focus"))
    _set("quiz_focus", False)
    return wanted


def set_quiz_focus() -> None:
    _set("quiz_focus", True)


# -- links ------------------------------------------------------------------------------------


def link_token() -> str | None:
    return cast("str | None", _get("link_token"))


def set_link(token: str | None, error: LinkErrorReason | None) -> None:
    """The last link loaded, and why it could not be read (None: it could)."""
    _set("link_token", token)
    _set("link_error", error)


def link_error() -> LinkErrorReason | None:
    return cast("LinkErrorReason | None", _get("link_error"))


def forget_link_and_answers() -> None:
    """Start again: no answers, the first step, no link error."""
    set_quiz({}, 0)
    _set("link_error", None)


# -- a participant's seat ---------------------------------------------------------------------


def seat() -> Seat | None:
    return cast("Seat | None", _get("seat"))


def set_seat(value: Seat | None) -> None:
    """Take or leave a seat: its result is not saved yet."""
    _set("seat", value)
    _set("seat_saved", False)
    _set("seat_failed", False)


def seat_saved() -> bool:
    return bool(_get("seat_saved"))


def seat_failed() -> bool:
    return bool(_get("seat_failed"))


def set_seat_save(saved: bool, failed: bool) -> None:
    _set("seat_saved", saved)
    _set("seat_failed", failed)


# -- coaches ----------------------------------------------------------------------------------


def coach_session() -> int | None:
    """The id of the session whose dashboard this browser session opened."""
    return cast("int | None", _get("coach_session"))


def set_coach_session(session_id: int | None) -> None:
    _set("coach_session", session_id)


def new_session() -> NewSession | None:
    return cast("NewSession | None", _get("new_session"))


def set_new_session(created: NewSession | None) -> None:
    _set("new_session", created)


def pop_session_deleted() -> bool:
    """Whether a session was just deleted from its dashboard (said once)."""
    deleted = bool(_get("session_deleted"))
    _set("session_deleted", False)
    return deleted


def set_session_deleted() -> None:
    _set("session_deleted", True)


def pop_import_added() -> int | None:
    """How many imported results were just added (said once)."""
    added = cast("int | None", _get("import_added"))
    _set("import_added", None)
    return added


def import_round() -> int:
    return cast(int, _get("import_round"))


def imported(count: int) -> None:
    """An import was added: say how many once, and give the next one a fresh uploader."""
    _set("import_added", count)
    _set("import_round", import_round() + 1)


# -- widget values ----------------------------------------------------------------------------


def has(key: str) -> bool:
    return key in st.session_state


def widget_value(key: str) -> Any:
    """The value of the widget with this key (None before it is drawn)."""
    return st.session_state.get(key)


def preset(key: str, value: object) -> None:
    """Give a widget its value before it is drawn (the page that draws it owns the key)."""
    _widget_key(key)
    st.session_state[key] = value


def forget(key: str) -> None:
    """Drop a widget's value: drawn next, it shows its default."""
    _widget_key(key)
    st.session_state.pop(key, None)


def _widget_key(key: str) -> None:
    if key in DEFAULTS:  # the app's own values have their setters above
        raise KeyError(f"{key!r} is one of the app's own values, not a widget's")


def translated(key: str) -> str:
    """Register the key of a choice widget whose labels are translated, where it is drawn:
    `key=state.translated("selected_role")`. Returns the key."""
    registered = cast(set[str], _get("translated_choices"))
    if key not in registered:
        registered.add(key)
        _set("translated_choices", registered)
    return key


def relabel_choices() -> None:
    """On a language switch: re-set each registered choice to its own value. Streamlit keeps
    showing a choice as it was labelled when made, or drops it when the label changes, so each
    is handed its value back to be shown anew."""
    for key in cast(set[str], _get("translated_choices")):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
