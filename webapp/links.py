"""Answer links: a result link (`/results?answers=…`) and a "continue later" link
(`/quiz?answers=…`) carry the answers themselves (`quiz.links`), so nothing is stored on the
server. Opening one loads its answers once; a link that cannot be read is explained."""

from __future__ import annotations

import streamlit as st

from quiz.links import MAX_TOKEN_CHARS, LinkError, decode_answers, encode_answers
from quiz.scoring import resume_step
from webapp import resources, routes, state
from webapp.address import AddressError, Param
from webapp.routes import PageName

# The query parameter that carries the answers; the decoder checks the characters and the rest.
ANSWERS = Param("answers", longest=MAX_TOKEN_CHARS)
LINK_PARAM = ANSWERS.name


def apply_link() -> None:
    """Load the answers carried by a `?answers=` link, once per link. A link that cannot be read
    leaves the session as it was and records why, for `show_link_error`."""
    raw = st.query_params.get(ANSWERS.name)
    if not raw:
        # The person has left the link's page: its error, if any, no longer applies.
        state.set_link(state.link_token(), None)
        return
    if state.link_token() == raw:
        return
    try:
        token = ANSWERS.read() or ""
        answers = decode_answers(resources.bank(), token)
    except (AddressError, LinkError) as error:
        state.set_link(raw, error.reason if isinstance(error, LinkError) else "garbled")
        return
    state.set_link(raw, None)
    state.set_quiz(answers, resume_step(resources.bank(), answers))


def show_link_error() -> None:
    """Say why a link could not be opened, with a way to start again."""
    reason = state.link_error()
    if not reason:
        return
    t = resources.text()
    st.error(t.t(f"links.error_{reason}"))
    if st.button(t.t("links.start_again"), key="link_start_again", type="primary"):
        state.forget_link_and_answers()
        st.query_params.clear()
        routes.switch_to("home")


def share_link(page: PageName, answers: dict[str, int]) -> str:
    """The address of `page` carrying these answers, to keep or open on another device."""
    return routes.page_url(page, {ANSWERS.name: encode_answers(resources.bank(), answers)})
