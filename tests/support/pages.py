"""Helpers for the AppTest page tests: open a page through the router, check for exceptions,
read every text a person can see."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from webapp.routes import PageName, route


def page(name: PageName) -> str:
    """A page's script as AppTest's `switch_page` wants it (relative to app.py)."""
    return route(name).file


def open_page(at: AppTest, name: PageName) -> AppTest:
    """Run the router once (as a browser's first visit does), then switch to the page."""
    at.run()
    return at.switch_page(page(name)).run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, "\n\n".join(str(e.value) + "\n" + "\n".join(e.stack_trace) for e in at.exception)


def texts(node: Any) -> Iterator[str]:
    """Every string a person can read in the element tree: values, labels, options, table cells."""
    for attribute in ("value", "label", "body", "placeholder"):
        try:
            value = getattr(node, attribute, None)
        except Exception:  # some elements compute their value from protos they lack
            continue
        if isinstance(value, str):
            yield value
        elif isinstance(value, pd.DataFrame):
            yield from map(str, value.columns)
            yield from (cell for column in value.columns for cell in value[column] if isinstance(cell, str))
    options = getattr(node, "options", None)
    if isinstance(options, list):
        yield from (o for o in options if isinstance(o, str))
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from texts(child)


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def shown_questions(at: AppTest) -> list[str]:
    """The question ids of the quiz step on screen, in the order shown."""
    return [r.key.removeprefix("q_") for r in at.radio if r.key and r.key.startswith("q_")]


def answer_shown(at: AppTest, answers: Mapping[str, int]) -> list[str]:
    """Set every statement on screen from `answers` (question id -> 1..5), without running;
    returns their ids. The adaptive quiz picks the statements: answer whatever it shows."""
    shown = shown_questions(at)
    for question_id in shown:
        at.radio(key=f"q_{question_id}").set_value(answers[question_id])
    return shown


def finish_quiz(at: AppTest, answers: Mapping[str, int], limit: int = 20) -> list[list[str]]:
    """From the quiz step on screen to the results page, answering from `answers` whatever
    each step shows; returns the steps asked."""
    asked: list[list[str]] = []
    while shown_questions(at):
        assert len(asked) < limit, f"the quiz never ended: {asked}"
        asked.append(answer_shown(at, answers))
        at.button(key="next").click().run()
        no_exception(at)
        assert not at.error, [e.value for e in at.error]
    return asked
