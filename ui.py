"""The Streamlit side shared by the pages: session state, the cached bank, language, and the
rendering of a role. Business rules stay in `quiz/`; this module only shows what it computes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from quiz.banks import DATA_DIR, SECTIONS, Bank, BankError, Lang, Role, load_bank
from quiz.charts import profile_table, radar_figure
from quiz.i18n import Strings, pick_language, strings
from quiz.links import LinkError, decode_answers, encode_answers
from quiz.scoring import DimensionScores, resume_step

# Every session-state key the app uses, with its default: the one place they are set.
DEFAULTS: dict[str, object] = {
    "answers": {},  # question id -> 1..5
    "step": 0,  # the quiz step shown, 0-based
    "link_token": None,  # the last ?answers= link loaded, so that it is loaded only once
    "link_error": None,  # why that link could not be read (a quiz.links.LinkError reason)
    "seat": None,  # the coach session this person joined (a Seat), if any
    "seat_saved": False,  # whether their finished result is stored in that session
    "seat_failed": False,  # whether the last try to store it failed (then only Retry tries again)
    "coach_session": None,  # the id of the coach session whose dashboard this browser opened
    "new_session": None,  # a session just created: its secret is shown once, then dropped
    "session_deleted": False,  # for the Coach page to confirm a deletion made on the dashboard
}
# The query parameter that carries answers in result and "continue later" links.
LINK_PARAM = "answers"
# The url paths of the pages after the home page (st.Page derives them from the file names).
PAGE_PATHS = ("quiz", "results", "roles", "explore", "join", "withdraw", "coach", "dashboard")


def init_state() -> None:
    """Set the session defaults once, and the language from the browser on the first run."""
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value.copy() if isinstance(value, dict) else value)
    if "lang" not in st.session_state:
        st.session_state["lang"] = pick_language(st.context.locale)
    if st.session_state.get("next_lang"):  # asked for by the previous run (joining a group)
        st.session_state["lang"] = st.session_state.pop("next_lang")
        relabel_choices()


# Choice widgets whose labels are translated: the quiz's radios (keys q_<question id>) and these.
# Streamlit keeps showing a choice as it was labelled when made, or drops it when the label
# changes, so a language switch hands each its value back to have it shown anew.
TRANSLATED_CHOICES = (
    "selected_role",
    "overlay_roles",
    "compare_a",
    "compare_b",
    "browse_families",
    "browse_levels",
    "priorities",
    "group_a",
    "group_b",
)


def relabel_choices() -> None:
    """On a language switch: re-set the translated choice widgets to their own values."""
    for key in list(st.session_state):
        if key in TRANSLATED_CHOICES or str(key).startswith("q_"):
            st.session_state[key] = st.session_state[key]


def apply_link() -> None:
    """Load the answers carried by a `?answers=` link (a result link or a "continue later"
    link), once per link. A link that cannot be read leaves the session as it was and records
    why, for `show_link_error`."""
    token = st.query_params.get(LINK_PARAM)
    if not token:
        # The person has left the link's page: its error, if any, no longer applies.
        st.session_state["link_error"] = None
        return
    if st.session_state.get("link_token") == token:
        return
    st.session_state["link_token"] = token
    try:
        answers = decode_answers(bank(), token)
    except LinkError as error:
        st.session_state["link_error"] = error.reason
        return
    st.session_state["link_error"] = None
    st.session_state["answers"] = answers
    st.session_state["step"] = resume_step(bank(), answers)


def show_link_error() -> None:
    """Say why a link could not be opened, with a way to start again."""
    reason = st.session_state.get("link_error")
    if not reason:
        return
    t = text()
    st.error(t.t(f"links.error_{reason}"))
    if st.button(t.t("links.start_again"), key="link_start_again", type="primary"):
        for key in ("answers", "step", "link_error"):
            st.session_state.pop(key, None)
        st.query_params.clear()
        st.switch_page("views/home.py")


def page_url(page: str, params: dict[str, str]) -> str:
    """The address of one of the app's pages with these query parameters."""
    url = (st.context.url or "").rstrip("/")
    base, _, last = url.rpartition("/")
    if last not in PAGE_PATHS:  # the home page has no path of its own
        base = url
    return f"{base}/{page}?{urlencode(params)}" if params else f"{base}/{page}"


def share_link(page: str, answers: dict[str, int]) -> str:
    """The address of `page` carrying these answers, to keep or open on another device."""
    return page_url(page, {LINK_PARAM: encode_answers(bank(), answers)})


def browser_zone() -> ZoneInfo:
    """The browser's time zone (UTC when the browser does not say or names an unknown one)."""
    try:
        return ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def lang() -> Lang:
    return "en" if st.session_state.get("lang") == "en" else "fr"


def text() -> Strings:
    """The UI strings of the current language."""
    return strings(lang())


@st.cache_data(show_spinner=False)
def _cached_bank(data_dir: str) -> Bank:
    return load_bank(Path(data_dir))


def bank() -> Bank:
    """The validated bank from `QUIZ_DATA_DIR` (default: quiz/data/), loaded once per process and
    folder. A broken bank stops the page with the list of problems, never a traceback."""
    try:
        return _cached_bank(os.environ.get("QUIZ_DATA_DIR", str(DATA_DIR)))
    except BankError as error:
        t = text()
        st.error(t.t("errors.bank"))
        st.code("\n".join(str(p) for p in error.problems), language=None)
        st.stop()
        raise  # st.stop() raises; this line keeps type checkers informed


def radar(bank: Bank, role_ids: Sequence[str], scores: DimensionScores | None, key: str) -> None:
    """The radar and its table twin, in two tabs."""
    t = text()
    chart_tab, table_tab = st.tabs([t.t("chart.tab_chart"), t.t("chart.tab_table")])
    with chart_tab:
        st.plotly_chart(
            radar_figure(bank, t, role_ids, scores),
            key=key,
            config={"displayModeBar": False},
        )
    with table_tab:
        st.dataframe(profile_table(bank, t, role_ids, scores))


def show_role(bank: Bank, role: Role, heading: bool = True) -> None:
    """A role's summary, level, sections and path, with our additions marked."""
    t = text()
    lg = lang()
    if heading:
        st.subheader(role.name(lg))
    st.caption(f"{t.t('family.' + role.family)} · {t.t('level.' + role.level)}")
    st.write(role.summary(lg))
    # On a seed role, mark what is ours so that the seeds' own statements stay recognisable.
    ours = " †" if role.source != "ours" else ""
    for section in SECTIONS:
        items = role.section(section)
        if items:
            st.markdown(f"**{t.t('section.' + section)}**")
            st.markdown("\n".join(f"- {item.text(lg)}{ours if item.source == 'ours' else ''}" for item in items))
    if role.leads_from:  # paths are always ours, even on seed roles
        names = ", ".join(bank.role(r).name(lg) for r in role.leads_from)
        st.markdown(f"**{t.t('section.path')}** {t.t('roles.path', roles=names)}{ours}")
    if role.source == "ours":
        st.caption(t.t("roles.sources_ours"))
    else:
        st.caption(t.t("roles.sources_seed"))


def show_profile(bank: Bank, role: Role) -> None:
    """The role's target on each dimension, its importance and the reason for it."""
    t = text()
    lg = lang()
    st.markdown(f"**{t.t('roles.profile')}**")
    st.markdown(
        "\n".join(
            f"- {bank.dimension(x.dimension).name(lg)}: {x.level} ({t.t(f'weight.{x.weight}')}). {x.rationale(lg)}"
            for x in role.profile
        )
    )
