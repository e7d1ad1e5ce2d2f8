"""What several pages draw: the radar with its table twin, a role's description and target
profile, the ranking table, and text from people shown as typed. Business rules stay in
`quiz/`; this module only shows what it computes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NoReturn

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from quiz.charts import profile_table, radar_figure
from quiz.describe import describe_role
from quiz.i18n import strings
from quiz.matching import Ranking
from quiz.model import Bank, Lang, Role
from quiz.scoring import DimensionScores
from webapp import resources, routes, state

# Markdown's special characters, escaped wherever a pseudonym, a title or an imported text is
# shown inside markdown (a heading, a message), so that they show as typed and never as links,
# images or formatting. Streamlit already escapes HTML.
# Radars kept drawn: a person's profile against a few role choices, for many people.
RADARS_KEPT = 2_000

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: str) -> str:
    """`text` made safe to put inside markdown: every markdown character backslash-escaped
    (CommonMark shows an escaped punctuation character as itself), so `**Ana** [x](http://e.vil)`
    shows as typed, neither bold nor a link."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def one_line(text: str) -> str:
    """What a person typed in a one-line field, as the store takes it: white space (a pasted tab
    or line break included) folded to single spaces, other control characters dropped."""
    return "".join(c for c in " ".join(text.split()) if unicodedata.category(c) != "Cc")


@st.cache_resource(show_spinner=False, max_entries=RADARS_KEPT)
def _radar_figure(
    _bank: Bank, version: str, lang: Lang, role_ids: tuple[str, ...], scores: DimensionScores | None
) -> go.Figure:
    """The radar for one set of roles and scores, drawn once (building a plotly figure is the
    dearest part of a results rerun, ~6 ms). `_bank` is not hashed: its `version` stands for it.
    Streamlit's plotly_chart copies the figure into its message and never changes it, so one
    shared instance serves every session."""
    return radar_figure(_bank, strings(lang), role_ids, scores)


def radar(bank: Bank, role_ids: Sequence[str], scores: DimensionScores | None, key: str) -> None:
    """The radar and its table twin, in two tabs."""
    t = resources.text()
    chart_tab, table_tab = st.tabs([t.t("chart.tab_chart"), t.t("chart.tab_table")])
    with chart_tab:
        st.plotly_chart(
            _radar_figure(bank, bank.version, t.lang, tuple(role_ids), scores),
            key=key,
            config={"displayModeBar": False},
        )
    with table_tab:
        st.dataframe(profile_table(bank, t, role_ids, scores))


def ranking_table(bank: Bank, ranking: Ranking, shown: int | None = None, details: bool = False) -> None:
    """The roles in ranking order with their match as a bar: the first `shown` (default: all,
    each in view without scrolling inside the table); `details` adds each role's level and
    marks the roles tied with the first."""
    t = resources.text()
    lang = state.lang()
    matches = ranking.matches[:shown]
    roles = [bank.role(m.role_id) for m in matches]
    columns: dict[str, Sequence[object]] = {
        t.t("results.col_rank"): range(1, len(matches) + 1),
        # The match before the long role names, so that it stays in view on a phone.
        t.t("results.col_match"): [m.match for m in matches],
        t.t("results.col_role"): [role.name(lang) for role in roles],
    }
    if details:
        columns[t.t("results.col_level")] = [t.t("level." + role.level) for role in roles]
        tied = len(ranking.tied_top) > 1
        # The word itself in the cell, so that the column is as wide as its header.
        columns[t.t("results.col_tie")] = [t.t("results.col_tie") if m.tied_with_top and tied else "" for m in matches]
    st.dataframe(
        pd.DataFrame(columns),
        hide_index=True,
        height=(len(matches) + 1) * 35 + 3 if shown is None else "auto",
        column_config={
            t.t("results.col_match"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f")
        },
    )


def show_role(bank: Bank, role: Role, heading: bool = True) -> None:
    """A role's summary, level, sections and path, with our additions marked (`describe_role`)."""
    described = describe_role(bank, role, resources.text())
    if heading:
        st.subheader(described.name)
    st.caption(described.kind)
    st.write(described.summary)
    for section in described.sections:
        st.markdown(f"**{section.title}**")
        st.markdown("\n".join(f"- {item}" for item in section.items))
    if described.path:
        st.markdown(f"**{described.path_label}** {described.path}")
    st.caption(described.sources)


def show_profile(bank: Bank, role: Role) -> None:
    """The role's target on each dimension, its importance and the reason for it."""
    t = resources.text()
    lg = state.lang()
    st.markdown(f"**{t.t('roles.profile')}**")
    st.markdown(
        "\n".join(
            f"- {bank.dimension(x.dimension).name(lg)}: {x.level} ({t.t(f'weight.{x.weight}')}). {x.rationale(lg)}"
            for x in role.profile
        )
    )


def quiz_first(message: str) -> NoReturn:
    """No finished quiz: say so, offer the way to the quiz, and stop the page."""
    st.info(message)
    if st.button(resources.text().t("results.to_quiz"), type="primary", key="to_quiz"):
        routes.switch_to("quiz")
    st.stop()
