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
from quiz.describe import chance, describe_role, ours_tag, profile_lines
from quiz.i18n import strings
from quiz.matching import Ranking, RoleMatch
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
    """The roles in ranking order, as a plain table whose cells wrap, narrow enough for a 390 px
    phone (every role name in full, no sideways scroll): rank, role, each role's chance of
    being the best match in the headline's words ("about 7 in 10", `chance`) when the ranking
    has probabilities, and the 0-100 match; the first `shown` (default: all).

    `details` adds each role's level after its name and, when more than one role is too close
    to call, the marker the results caption describes ("=") in a column of its own, their names
    in bold."""
    t = resources.text()
    lang = state.lang()
    matches = ranking.matches[:shown]
    roles = [bank.role(m.role_id) for m in matches]
    marked = details and len(ranking.tied_top) > 1

    def role_cell(match: RoleMatch, role: Role) -> str:
        name = f"**{role.name(lang)}**" if marked and match.tied_with_top else role.name(lang)
        return f"{name} · *{t.t('level.' + role.level)}*" if details else name

    columns: dict[str, Sequence[object]] = {
        t.t("results.col_rank"): [str(rank) for rank in range(1, len(matches) + 1)],
        t.t("results.col_role"): [role_cell(m, role) for m, role in zip(matches, roles, strict=True)],
    }
    if all(m.probability is not None for m in matches):
        columns[t.t("results.col_chance")] = [chance(m.probability or 0.0, t) for m in matches]
    columns[t.t("results.col_score")] = [str(round(m.match)) for m in matches]
    if marked:
        columns[t.t("results.col_marker")] = ["=" if m.tied_with_top else "" for m in matches]
    st.table(pd.DataFrame(columns), hide_index=True, border="horizontal")


def _tagged(text: str, tag: str) -> str:
    """A text of `describe_role` with its "our addition" tag drawn as a badge: a bracketed word
    at the end of a bullet is easily missed, above all on a phone."""
    if text.endswith(tag):
        return f"{text.removesuffix(tag)} :violet-badge[{tag.strip(' []')}]"
    return text


def show_role(bank: Bank, role: Role, heading: bool = True) -> None:
    """A role's summary, level, sections (impact and how the CTO and CPO work together
    included) and path, our additions tagged with a visible badge (`describe_role`)."""
    t = resources.text()
    tag = ours_tag(t)
    described = describe_role(bank, role, t)
    if heading:
        st.subheader(described.name)
    st.caption(described.kind)
    st.markdown(_tagged(described.summary, tag))
    for section in described.sections:
        st.markdown(f"**{section.title}**")
        st.markdown("\n".join(f"- {_tagged(item, tag)}" for item in section.items))
    if described.path:
        st.markdown(f"**{described.path_label}** {_tagged(described.path, tag)}")
    st.caption(described.sources)


def key_points(bank: Bank, role: Role, count: int = 3) -> None:
    """What the job is, in a few lines: its summary and its first `count` responsibilities (on a
    phone, right under the best match, before the long ranking)."""
    t = resources.text()
    tag = ours_tag(t)
    described = describe_role(bank, role, t)
    st.markdown(_tagged(described.summary, tag))
    responsibilities = next((s for s in described.sections if s.name == "responsibilities"), None)
    if responsibilities:
        st.markdown("\n".join(f"- {_tagged(item, tag)}" for item in responsibilities.items[:count]))


def show_profile(bank: Bank, role: Role) -> None:
    """The role's target on each dimension, its importance and the reason for it, in the
    language's typography, our estimates and rationales tagged (`profile_lines`)."""
    t = resources.text()
    tag = ours_tag(t)
    st.markdown(f"**{t.t('roles.profile')}**")
    st.markdown("\n".join(f"- {_tagged(line, tag)}" for line in profile_lines(bank, role, t)))


def quiz_first(message: str) -> NoReturn:
    """No finished quiz: say so, offer the way to the quiz, and stop the page."""
    st.info(message)
    if st.button(resources.text().t("results.to_quiz"), type="primary", key="to_quiz"):
        routes.switch_to("quiz")
    st.stop()
