"""Answer links: a result link (`/results?answers=…`) and a "continue later" link
(`/quiz?answers=…`) carry the answers themselves (`quiz.links`), so nothing is stored on the
server. Opening one loads its answers once; a link that cannot be read is explained.

The code says which statements were answered (0 = not asked), not in which order: the adaptive
quiz is deterministic, so the steps a person was asked are recomputed from their answers
(`resume`), and a continue-later link (or a refresh: the quiz keeps its code in the address)
brings them back to the step where they were. `?every=1` says the person chose to answer every
statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from quiz.adaptive import next_step
from quiz.links import MAX_TOKEN_CHARS, LinkError, decode_answers, encode_answers
from quiz.model import Bank
from quiz.scoring import QUESTIONS_PER_STEP, quiz_order
from webapp import resources, routes, state
from webapp.address import AddressError, Param
from webapp.routes import PageName

# The query parameter that carries the answers; the decoder checks the characters and the rest.
ANSWERS = Param("answers", longest=MAX_TOKEN_CHARS)
LINK_PARAM = ANSWERS.name
# "Answer every statement" chosen: the quiz does not stop when the result is sure.
EVERY = Param("every", longest=1, characters="[01]")


@dataclass(frozen=True)
class Resume:
    """Where a quiz stands, recomputed from its answers: the steps asked in order, the step to
    show (`len(steps)`: the next one, not chosen yet) and the answers in the order asked."""

    steps: tuple[tuple[str, ...], ...]
    step: int
    answers: dict[str, int]


def resume(bank: Bank, answers: Mapping[str, int]) -> Resume:
    """The steps the adaptive quiz asked to reach these answers, by replaying it (it is
    deterministic), and the step to go back to.

    Answers it would not have asked (the person chose "answer every statement", or answered a
    paper form) follow as steps of `QUESTIONS_PER_STEP`, in quiz order; a step the adaptive quiz
    asked but that was left half answered is the one to go back to.
    """
    replayed: dict[str, int] = {}
    steps: list[tuple[str, ...]] = []
    while True:
        following = tuple(q.id for q in next_step(bank, replayed))
        if not following or any(i not in answers for i in following):
            break
        steps.append(following)
        replayed.update((i, answers[i]) for i in following)
    rest = [q.id for q in quiz_order(bank) if q.id in answers and q.id not in replayed]
    if rest and set(rest) <= set(following):  # a step left half answered: back to it
        steps.append(following)
        return Resume(tuple(steps), len(steps) - 1, {**replayed, **{i: answers[i] for i in following if i in answers}})
    for first in range(0, len(rest), QUESTIONS_PER_STEP):
        steps.append(tuple(rest[first : first + QUESTIONS_PER_STEP]))
    return Resume(tuple(steps), len(steps), {**replayed, **{i: answers[i] for i in rest}})


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
    state.set_quiz(answers, 0)  # the quiz page recomputes its steps (`resume`)
    state.set_every_statement(EVERY.read_or_none() == "1")


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


def link_params(answers: Mapping[str, int]) -> dict[str, str]:
    """The query parameters that carry these answers (and the "every statement" choice)."""
    params = {ANSWERS.name: encode_answers(resources.bank(), answers)}
    if state.every_statement():
        params[EVERY.name] = "1"
    return params


def keep_in_address(answers: Mapping[str, int]) -> None:
    """Write the answers' code into this page's address, so that a refresh, the browser's
    back and forward, or a lost connection brings the person back to them. The code is
    recorded as loaded: this session does not load it again."""
    params = link_params(answers)
    if not answers:
        params = {}
    for name in (ANSWERS.name, EVERY.name):
        if name not in params and name in st.query_params:
            del st.query_params[name]
    changed = {k: v for k, v in params.items() if st.query_params.get(k) != v}
    if changed:
        st.query_params.update(changed)
    state.set_link(params.get(ANSWERS.name), None)


def share_link(page: PageName, answers: dict[str, int]) -> str:
    """The address of `page` carrying these answers, to keep or open on another device."""
    return routes.page_url(page, link_params(answers))
