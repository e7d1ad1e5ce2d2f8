"""The one table of the app's pages: script, address, title, icon, whether the menu shows it.

`app.py` builds the navigation from it, links are made from it (`page_url`) and every page
switch goes through it (`switch_to("quiz")`): no other file names a page script.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NoReturn
from urllib.parse import urlencode

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from quiz.i18n import Strings

PageName = Literal["home", "quiz", "results", "explore", "roles", "join", "coach", "dashboard", "withdraw"]


@dataclass(frozen=True)
class Route:
    """One page: `name` is its url path (the home page has none) and its script's file name."""

    name: PageName
    title_key: str
    icon: str
    hidden: bool = False  # reached by a button or a personal link, not from the menu

    @property
    def file(self) -> str:
        """The page script, relative to the entry script (as Streamlit wants it)."""
        return f"webapp/pages/{self.name}.py"

    @property
    def url_path(self) -> str:
        return "" if self is HOME else self.name


HOME = Route("home", "nav.home", ":material/home:")
ROUTES: tuple[Route, ...] = (
    HOME,
    Route("quiz", "nav.quiz", ":material/edit_note:"),
    Route("results", "nav.results", ":material/radar:"),
    Route("explore", "nav.explore", ":material/tune:"),
    Route("roles", "nav.roles", ":material/work:"),
    Route("join", "nav.join", ":material/group_add:"),
    Route("coach", "nav.coach", ":material/co_present:"),
    Route("dashboard", "nav.dashboard", ":material/monitoring:", hidden=True),
    Route("withdraw", "nav.withdraw", ":material/delete:", hidden=True),
)
_BY_NAME = {route.name: route for route in ROUTES}


def route(name: PageName) -> Route:
    return _BY_NAME[name]


def navigation(t: Strings) -> StreamlitPage:
    """The menu at the top, over every page of `ROUTES`; returns the page to run."""
    return st.navigation(
        [
            st.Page(
                route.file,
                title=t.t(route.title_key),
                icon=route.icon,
                url_path=route.url_path or None,
                default=route is HOME,
                visibility="hidden" if route.hidden else "visible",
            )
            for route in ROUTES
        ],
        position="top",
    )


def switch_to(name: PageName) -> NoReturn:
    """Show another page (ends this run)."""
    st.switch_page(route(name).file)
    raise AssertionError("st.switch_page returned")  # it raises to end the run


def page_url(name: PageName, params: dict[str, str]) -> str:
    """The full address of a page with these query parameters, from the address of this one."""
    url = (st.context.url or "").rstrip("/")
    base, _, last = url.rpartition("/")
    if last not in {route.url_path for route in ROUTES if route.url_path}:  # on the home page
        base = url
    path = f"{base}/{route(name).url_path}"
    return f"{path}?{urlencode(params)}" if params else path
