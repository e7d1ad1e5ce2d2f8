"""The coach-session pages, run headless with AppTest against a temporary SQLite database (see
conftest's `test_database`): joining, saving a finished result once, the database being down,
the coach's access, and text from coaches and participants shown as typed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from quiz.i18n import strings
from quiz.model import Bank
from quiz.sessions import Store
from tests.support.pages import markdown, no_exception, open_page, page, texts
from webapp.seat import Seat
from webapp.widgets import plain

EN = strings("en")
DOWN = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1

AppFactory = Callable[[], AppTest]


@pytest.fixture
def store(test_database: str) -> Iterator[Store]:
    """The same database the in-process app uses."""
    store = Store(test_database)
    store.migrate()
    yield store
    store.dispose()


def english(app_test: AppFactory) -> AppTest:
    at = app_test()
    at.session_state["lang"] = "en"
    return at


def shown(at: AppTest) -> str:
    return "\n".join(texts(at._tree))


def messages(at: AppTest, kind: str) -> list[str]:
    return [str(element.value) for element in at.get(kind)]


# ---------------------------------------------------------------------------------------------
# Participants
# ---------------------------------------------------------------------------------------------


def test_joining_with_a_code_takes_a_seat_and_opens_the_quiz(app_test: AppFactory, store: Store) -> None:
    created = store.create_session("Workshop", "en")
    at = open_page(english(app_test), "join")
    at.text_input(key="join_code").set_value(created.session.display_code.lower())
    at.text_input(key="join_pseudonym").set_value("  Ana  ")
    at.button[0].click().run()  # the form's submit button

    no_exception(at)
    seat: Any = at.session_state["seat"]
    assert isinstance(seat, Seat)
    assert (seat.session_id, seat.pseudonym) == (created.session.id, "Ana")
    assert at.title[0].value == EN.t("quiz.title")
    assert at.query_params["seat"] == seat.key


def test_joining_switches_to_the_sessions_language(app_test: AppFactory, store: Store) -> None:
    created = store.create_session("Atelier", "fr")
    at = open_page(english(app_test), "join")
    at.text_input(key="join_code").set_value(created.session.code)
    at.button[0].click().run()

    no_exception(at)
    assert at.session_state["lang"] == "fr"
    assert at.title[0].value == strings("fr").t("quiz.title")


@pytest.mark.parametrize(("code", "reason"), [("ZZZZZZZZ", "unknown"), ("closed", "closed")], ids=["unknown", "closed"])
def test_a_bad_code_says_why_and_takes_no_seat(app_test: AppFactory, store: Store, code: str, reason: str) -> None:
    if code == "closed":
        session = store.create_session("Old", "en").session
        store.close_session(session.id)
        code = session.code
    at = open_page(english(app_test), "join")
    at.text_input(key="join_code").set_value(code)
    at.button[0].click().run()

    no_exception(at)
    assert messages(at, "error") == [EN.t(f"group.join_{reason}", minutes=1)]
    assert at.session_state["seat"] is None


def finished_in_group(
    app_test: AppFactory, store: Store, answers: dict[str, int], title: str = "Workshop"
) -> tuple[AppTest, int]:
    """The results page of someone who joined a new session and finished; and the session id."""
    session = store.create_session(title, "en").session
    at = english(app_test)
    at.session_state["answers"] = dict(answers)
    at.session_state["seat"] = Seat(session.id, session.code, title, secrets.token_urlsafe(24), "Ana")
    return open_page(at, "results"), session.id


def test_a_finished_result_is_saved_once_however_often_the_page_runs(
    app_test: AppFactory, store: Store, cto_answers: dict[str, int]
) -> None:
    at, session_id = finished_in_group(app_test, store, cto_answers)
    at.run()
    at.session_state["seat_saved"] = False  # as after a lost connection: the page saves again
    at.run()

    no_exception(at)
    assert messages(at, "success") == [EN.t("group.saved", title="Workshop")]
    (stored,) = store.submissions(session_id)
    assert dict(stored.answers) == cto_answers
    assert stored.pseudonym == "Ana"


def test_with_the_database_down_the_result_still_shows_with_a_retry(
    app_test: AppFactory, store: Store, test_database: str, cto_answers: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = english(app_test)
    at.session_state["answers"] = dict(cto_answers)
    session = store.create_session("Workshop", "en").session
    at.session_state["seat"] = Seat(session.id, session.code, "Workshop", secrets.token_urlsafe(24), "")
    monkeypatch.setenv("DATABASE_URL", DOWN)
    open_page(at, "results")

    no_exception(at)
    assert messages(at, "warning") == [EN.t("group.save_failed", title="Workshop")]
    assert at.button(key="seat_retry").label == EN.t("group.retry")
    assert EN.t("results.keep") in markdown(at)  # the result and its downloads are all there
    assert at.session_state["seat_saved"] is False
    # Back up: the page waits for Retry rather than trying again on every click.
    monkeypatch.setenv("DATABASE_URL", test_database)
    at.run()
    assert at.session_state["seat_saved"] is False
    at.button(key="seat_retry").click().run()
    assert at.session_state["seat_saved"] is True
    assert messages(at, "success") == [EN.t("group.saved", title="Workshop")]


def test_with_the_database_down_joining_says_so(app_test: AppFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DOWN)
    at = open_page(english(app_test), "join")
    at.text_input(key="join_code").set_value("ACDEFGHJ")
    at.button[0].click().run()

    no_exception(at)
    assert messages(at, "error") == [EN.t("group.unavailable")]


def test_titles_and_pseudonyms_are_shown_as_typed(
    app_test: AppFactory, store: Store, cto_answers: dict[str, int]
) -> None:
    title = "**Bold** [click](http://e.vil) <img src=x onerror=alert(1)>"
    at, _ = finished_in_group(app_test, store, cto_answers, title)

    no_exception(at)
    (saved,) = messages(at, "success")
    assert plain(title) in saved  # every markdown character escaped: shown, not interpreted
    assert "<img" not in shown(at).replace(plain("<img"), "")


# ---------------------------------------------------------------------------------------------
# Coaches
# ---------------------------------------------------------------------------------------------


def test_creating_a_session_shows_the_code_the_link_and_the_secret_once(app_test: AppFactory, store: Store) -> None:
    at = open_page(english(app_test), "coach")
    at.text_input(key="session_title").set_value("Workshop 12 March")
    at.button[0].click().run()

    no_exception(at)
    created: Any = at.session_state["new_session"]
    assert created.secret in [c.value for c in at.code]
    assert any(f"code={created.session.code}" in c.value for c in at.code)
    at.button(key="coach_open_new").click().run()
    assert at.session_state["new_session"] is None
    assert at.session_state["coach_session"] == created.session.id
    assert at.title[0].value == plain("Workshop 12 March")
    assert created.secret not in [c.value for c in at.code]


def test_a_session_needs_a_title(app_test: AppFactory) -> None:
    at = open_page(english(app_test), "coach")
    at.button[0].click().run()

    assert messages(at, "error") == [EN.t("coach.title_missing")]
    assert at.session_state["new_session"] is None


def test_the_dashboard_needs_the_secret(app_test: AppFactory, store: Store) -> None:
    created = store.create_session("Workshop", "en")
    at = open_page(english(app_test), "dashboard")
    assert EN.t("dashboard.no_access") in messages(at, "info")

    at = open_page(english(app_test), "coach")
    at.text_input(key="open_code").set_value(created.session.code)
    at.text_input(key="open_secret").set_value("not-the-secret")
    at.button[1].click().run()
    assert messages(at, "error") == [EN.t("coach.secret_wrong")]
    assert at.session_state["coach_session"] is None

    at.text_input(key="open_secret").set_value(created.secret)
    at.button[1].click().run()
    no_exception(at)
    assert at.session_state["coach_session"] == created.session.id
    assert at.title[0].value == "Workshop"


def test_the_dashboard_shows_the_group(
    app_test: AppFactory, store: Store, bank: Bank, cto_answers: dict[str, int]
) -> None:
    created = store.create_session("Workshop", "en")
    assert store.submit(created.session.id, "a" * 32, "=Ana", cto_answers, bank.version)
    at = english(app_test)
    at.session_state["coach_session"] = created.session.id
    open_page(at, "dashboard")

    no_exception(at)
    assert at.metric[0].value == "1"
    table = next(df.value for df in at.dataframe if "=Ana" in df.value.to_string())
    assert table.iloc[0].tolist()[:2] == ["=Ana", bank.role("cto").name("en")]
    # The comparison starts from the group's most frequent top match.
    assert at.selectbox(key="group_a").value == "cto"
    assert at.selectbox(key="group_b").value != "cto"


def test_with_streamlit_login_configured_coaches_sign_in_instead_of_a_secret(app_test: AppFactory) -> None:
    at = english(app_test)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}
    open_page(at, "coach")

    no_exception(at)
    assert EN.t("coach.login_needed") in messages(at, "info")
    assert at.button(key="coach_login").label == EN.t("coach.login")
    assert not at.text_input  # no form: neither a new session nor a secret to type


def test_a_result_saved_with_other_questions_is_set_apart_not_a_crash(
    app_test: AppFactory, store: Store, bank: Bank, cto_answers: dict[str, int]
) -> None:
    created = store.create_session("Workshop", "en")
    # Keys are unique across the database (the shared test database holds other tests' rows).
    assert store.submit(created.session.id, "c" * 32, "Ana", cto_answers, bank.version)
    assert store.submit(
        created.session.id, "d" * 32, "Old", {"tech_old_1": 5}, "older-bank"
    )  # a question id this bank does not have
    at = english(app_test)
    at.session_state["coach_session"] = created.session.id
    open_page(at, "dashboard")

    no_exception(at)
    assert messages(at, "warning") == [EN.t("dashboard.stale", count=1)]
    assert at.metric[0].value == "1"


# ---------------------------------------------------------------------------------------------
# A seat in the address
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["deleted", "closed"])
def test_a_seat_in_the_address_whose_session_ended_is_dropped_once_and_never_counts_as_a_wrong_code(
    app_test: AppFactory, store: Store, ending: str
) -> None:
    """Bug: restoring such a seat called the rate-limited `Store.join` on every rerun, so after
    about ten answer clicks joining a live session with the right code said "too many wrong
    codes"."""
    old = store.create_session("Old", "en").session
    if ending == "deleted":
        store.delete_session(old.id)
        notice = EN.t("group.seat_gone")
    else:
        store.close_session(old.id)
        notice = EN.t("group.seat_closed", title="Old")
    at = english(app_test)
    at.switch_page(page("quiz"))
    at.query_params.update({"group": old.code, "seat": secrets.token_urlsafe(24), "name": "Ana"})
    at.run()

    no_exception(at)
    assert messages(at, "info") == [notice]
    assert not {"group", "seat", "name"} & set(at.query_params)
    assert at.session_state["seat"] is None
    for _ in range(12):  # answer clicks: each one a rerun
        at.run()
    no_exception(at)
    assert notice not in messages(at, "info")  # said once

    live = store.create_session("Live", "en").session
    at.switch_page(page("join")).run()
    at.text_input(key="join_code").set_value(live.code)
    at.button[0].click().run()
    no_exception(at)
    assert messages(at, "error") == []
    seat: Any = at.session_state["seat"]
    assert seat.session_id == live.id


def seat_in_address(at: AppTest, session_code: str, name: str) -> str:
    """Put a participant's seat in the address, as a refresh finds it; returns its key."""
    key = secrets.token_urlsafe(24)
    at.query_params.update({"group": session_code, "seat": key, "name": name})
    return key


@pytest.mark.parametrize(
    "name", ["x" * 41, "Ana\tB", "Ana\x07", "Ana\nB", "\x00"], ids=["too_long", "tab", "bell", "newline", "nul"]
)
def test_a_pseudonym_in_the_address_that_storage_refuses_is_dropped_not_a_crash(
    app_test: AppFactory, store: Store, cto_answers: dict[str, int], name: str
) -> None:
    """Bug: such a `?name=` reached `Store.submit`, and the results page showed a ValueError."""
    session = store.create_session("Workshop", "en").session
    at = english(app_test)
    at.session_state["answers"] = dict(cto_answers)
    at.switch_page(page("results"))
    seat_in_address(at, session.code, name)
    at.run()

    no_exception(at)
    assert messages(at, "success") == [EN.t("group.saved", title="Workshop")]
    (stored,) = store.submissions(session.id)
    assert stored.pseudonym == ""  # the seat comes back without a name the app never wrote
    assert at.query_params["name"] == ""  # and the address no longer holds it


def test_a_seat_in_the_address_of_a_live_session_comes_back_with_its_pseudonym(
    app_test: AppFactory, store: Store, cto_answers: dict[str, int]
) -> None:
    session = store.create_session("Workshop", "en").session
    at = english(app_test)
    at.session_state["answers"] = dict(cto_answers)
    at.switch_page(page("results"))
    key = seat_in_address(at, session.code, "Ana")
    at.run()

    no_exception(at)
    seat: Any = at.session_state["seat"]
    assert (seat.session_id, seat.key, seat.pseudonym) == (session.id, key, "Ana")
    (stored,) = store.submissions(session.id)
    assert stored.pseudonym == "Ana"


def test_a_pseudonym_typed_with_a_tab_is_saved_on_one_line(
    app_test: AppFactory, store: Store, cto_answers: dict[str, int]
) -> None:
    created = store.create_session("Workshop", "en")
    at = open_page(english(app_test), "join")
    at.text_input(key="join_code").set_value(created.session.code)
    at.text_input(key="join_pseudonym").set_value("Ana\tB\x07")
    at.button[0].click().run()
    at.session_state["answers"] = dict(cto_answers)
    at.switch_page(page("results")).run()

    no_exception(at)
    (stored,) = store.submissions(created.session.id)
    assert stored.pseudonym == "Ana B"
