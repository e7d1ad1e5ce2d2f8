"""Roles: browse every role by family and level, and compare any two side by side: radar, target
levels and both full descriptions (impact and how the CTO and CPO work together included), our
additions tagged with a visible badge. The person's own profile is drawn once they have
answered (from the statements answered so far, `resources.result`)."""

import pandas as pd
import streamlit as st

from quiz.model import FAMILIES, LEVELS
from quiz.scoring import AnswerError, DimensionScores
from webapp import resources, state
from webapp.address import Param
from webapp.widgets import plain, radar, show_profile, show_role

# The seeds' own comparisons, one click away.
SEED_PAIRS = (("cto", "cpo"), ("digital_pm", "marketing_pm"))
# ?compare=ROLE_A,ROLE_B: two role ids.
COMPARE = Param("compare", longest=100)
# The two role pickers; their labels are translated.
ROLE_A, ROLE_B = state.translated("compare_a"), state.translated("compare_b")

t = resources.text()
lang = state.lang()
bank = resources.bank()
role_ids = [r.id for r in bank.roles]
names = {r.id: r.name(lang) for r in bank.roles}


def choose(a: str, b: str) -> None:
    state.preset(ROLE_A, a)
    state.preset(ROLE_B, b)


# A link such as ?compare=cto,cpo opens that comparison; a garbled one is said (as typed, cut
# to the longest a link can be) and ignored.
raw = st.query_params.get(COMPARE.name, "")
link = COMPARE.read_or_none()
pair = (link or "").split(",")
if raw and (link is None or len(pair) != 2 or not all(r in names for r in pair)):
    st.warning(t.t("roles.bad_link", link=plain(raw[: COMPARE.longest])))
elif link and not state.has(ROLE_A):
    choose(*pair)
for key, default in zip((ROLE_A, ROLE_B), SEED_PAIRS[0], strict=True):
    if not state.has(key):
        state.preset(key, default)

st.title(t.t("roles.title"))
compare_tab, browse_tab = st.tabs([t.t("roles.compare"), t.t("roles.browse")])

with compare_tab:
    st.caption(t.t("roles.seed_pairs"))
    for a, b in SEED_PAIRS:  # one per line: the full role names do not fit side by side
        st.button(f"{names[a]} ↔ {names[b]}", key=f"pair_{a}_{b}", on_click=choose, args=(a, b))
    pick_a, pick_b = st.columns(2)
    a = pick_a.selectbox(t.t("roles.role_a"), role_ids, format_func=names.__getitem__, key=ROLE_A)
    b = pick_b.selectbox(t.t("roles.role_b"), role_ids, format_func=names.__getitem__, key=ROLE_B)
    st.query_params[COMPARE.name] = f"{a},{b}"
    scores: DimensionScores | None
    try:
        scores = resources.result(state.answers()).scores
    except AnswerError:
        scores = None  # nothing answered yet: compare the roles alone
    if a == b:
        st.info(t.t("roles.same_role"))
    radar(bank, list(dict.fromkeys([a, b])), scores, key="radar_compare")

    role_a, role_b = bank.role(a), bank.role(b)
    st.markdown(f"**{t.t('roles.differences')}**")
    st.dataframe(
        pd.DataFrame(
            {
                t.t("chart.dimension"): [d.name(lang) for d in bank.dimensions],
                names[a]: [x.level for x in role_a.profile],
                names[b]: [x.level for x in role_b.profile],
                t.t("roles.difference"): [
                    x.level - y.level for x, y in zip(role_a.profile, role_b.profile, strict=True)
                ],
            }
        ),
        hide_index=True,
    )
    left, right = st.columns(2)
    for column, role in ((left, role_a), (right, role_b)):
        with column:
            show_role(bank, role)
            show_profile(bank, role)

with browse_tab:
    family_filter = st.multiselect(
        t.t("roles.family"), FAMILIES, format_func=lambda f: t.t("family." + f), key=state.translated("browse_families")
    )
    level_filter = st.multiselect(
        t.t("roles.level"), LEVELS, format_func=lambda v: t.t("level." + v), key=state.translated("browse_levels")
    )
    for family in FAMILIES:
        if family_filter and family not in family_filter:
            continue
        shown = [
            r
            for r in sorted(bank.roles, key=lambda r: LEVELS.index(r.level))
            if r.family == family and (not level_filter or r.level in level_filter)
        ]
        if not shown:
            continue
        st.markdown(f"### {t.t('family.' + family)}")
        for role in shown:
            with st.expander(f"{role.name(lang)} · {t.t('level.' + role.level)}"):
                show_role(bank, role, heading=False)
