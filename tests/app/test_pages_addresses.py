"""Anyone can type an address: every page, opened with any value in every query parameter the
app reads, shows a page and never a traceback (hypothesis over text, mixed with the values the
app itself writes, so that the paths behind a valid value run too)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from quiz.links import encode_answers
from quiz.model import Bank
from quiz.scoring import quiz_order
from quiz.sessions import CoachSession, Store
from tests.support.pages import no_exception, page
from webapp.routes import ROUTES, PageName

AppFactory = Callable[[], AppTest]
# Text a browser can send (anything but lone surrogates, which no URL can carry), and values
# known to have hurt: too long, control characters, markdown.
ANY_TEXT = st.one_of(
    st.sampled_from(["\t", "\x00", "a\tb", "a\nb", "x" * 41, "x" * 2000, "**x** [y](http://e.vil)"]),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=80),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=500, max_size=700),
)


@pytest.fixture(scope="module")
def sessions(test_database: str) -> Iterator[tuple[CoachSession, CoachSession]]:
    """A live session and a closed one, in the database the in-process app uses."""
    store = Store(test_database)
    store.migrate()
    live = store.create_session("Live", "en").session
    closed = store.create_session("Closed", "en").session
    store.close_session(closed.id)
    yield live, closed
    store.dispose()


def written(bank: Bank, cto_answers: dict[str, int], live: CoachSession, closed: CoachSession) -> dict[str, list[str]]:
    """Every query parameter the app reads, with values the app itself puts there (the first:
    a finished quiz in a live session's seat, the way to the deepest code paths)."""
    half = {q.id: cto_answers[q.id] for q in quiz_order(bank)[:12]}
    return {
        "answers": [encode_answers(bank, cto_answers), encode_answers(bank, half)],
        "group": [live.code, live.display_code, closed.code],
        "seat": [secrets.token_urlsafe(24)],
        "name": ["Ana", ""],
        "code": [live.code, live.display_code.lower()],
        "compare": ["cto,cpo", "digital_pm,marketing_pm"],
        "every": ["1", "0"],
    }


PARAMS = ("answers", "group", "seat", "name", "code", "compare", "every")


@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.parametrize("name", [route.name for route in ROUTES])
def test_no_value_in_the_address_makes_a_page_fail(
    app_test: AppFactory,
    bank: Bank,
    cto_answers: dict[str, int],
    sessions: tuple[CoachSession, CoachSession],
    name: PageName,
    param: str,
) -> None:
    """An address the app writes, with one parameter replaced by any text."""
    values = written(bank, cto_answers, *sessions)
    assert set(values) == set(PARAMS)

    @settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(value=ANY_TEXT, others=st.fixed_dictionaries({k: st.sampled_from(v) for k, v in values.items()}))
    def opened_with(value: str, others: dict[str, str]) -> None:
        at = app_test()
        at.session_state["lang"] = "en"
        at.switch_page(page(name))
        at.query_params.update({**others, param: value})
        at.run()
        no_exception(at)

    opened_with()
