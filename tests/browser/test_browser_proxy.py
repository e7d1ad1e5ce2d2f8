"""The deployment for a workshop, in Chromium: two app processes behind Debian's nginx with the
repository's rules (`deploy/`), sharing one PostgreSQL, as `make serve` runs them.

Each browser gets the proxy's `quiz_route` cookie on its first request, and every request after
it (the page, then the websocket that carries the session) reaches the same process: two
people take the whole quiz through the proxy at the same time and each gets their own result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from deploy.proxy import ROUTE_COOKIE
from deploy.stack import HOST, Stack, StartError, start_nginx, start_streamlit
from quiz.i18n import strings
from quiz.model import Bank
from tests.support.browser import button, open_app, take_quiz, top_match
from tests.support.paths import ROOT
from tests.support.personas import persona_answers

pytestmark = pytest.mark.browser

EN = strings("en")


@pytest.fixture
def proxied_url(tmp_path: Path, postgres_url: str) -> Iterator[str]:
    """nginx in front of two app processes sharing a fresh PostgreSQL database."""
    stack = Stack(tmp_path)
    try:
        env = {**os.environ, "DATABASE_URL": postgres_url, "PYTHONUNBUFFERED": "1"}
        ports = [start_streamlit(stack, "app.py", ROOT, env, [], i) for i in range(2)]
        yield f"http://{HOST}:{start_nginx(stack, ports)}"
    except StartError as error:
        pytest.fail(f"the deployment did not start: {error}")
    finally:
        stack.close()


def test_two_people_take_the_quiz_through_nginx_in_front_of_two_processes(
    proxied_url: str, new_context: Callable[..., BrowserContext], bank: Bank
) -> None:
    people = {"cto": new_context(), "cpo": new_context()}
    pages = {role: open_app(context, proxied_url) for role, context in people.items()}
    for page in pages.values():
        button(page, "start").click()

    for role, page in pages.items():
        take_quiz(page, bank, persona_answers(bank, role), EN)

    for role, page in pages.items():
        assert top_match(page, EN)[0] == bank.role(role).name("en")
    for context in people.values():
        assert [c["name"] for c in context.cookies() if c["name"] == ROUTE_COOKIE] == [ROUTE_COOKIE]
