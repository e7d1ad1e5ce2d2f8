"""Roles: browse every role by family and level, and compare any two side by side."""

import pandas as pd
import streamlit as st

import ui
from quiz.banks import FAMILIES, LEVELS
from quiz.scoring import AnswerError, score_answers

# The seeds' own comparisons, one click away.
SEED_PAIRS = (("cto", "cpo"), ("digital_pm", "marketing_pm"))

t = ui.text()
lang = ui.lang()
bank = ui.bank()
role_ids = [r.id for r in bank.roles]
names = {r.id: r.name(lang) for r in bank.roles}

# A link such as ?compare=cto,cpo opens that comparison; a garbled one is said and ignored.
link = st.query_params.get("compare", "")
pair = link.split(",")
if link and (len(pair) != 2 or not all(r in names for r in pair)):
    st.warning(t.t("roles.bad_link", link=link))
elif link and "compare_a" not in st.session_state:
    st.session_state["compare_a"], st.session_state["compare_b"] = pair
st.session_state.setdefault("compare_a", SEED_PAIRS[0][0])
st.session_state.setdefault("compare_b", SEED_PAIRS[0][1])


def choose(a: str, b: str) -> None:
    st.session_state["compare_a"], st.session_state["compare_b"] = a, b


st.title(t.t("roles.title"))
compare_tab, browse_tab = st.tabs([t.t("roles.compare"), t.t("roles.browse")])

with compare_tab:
    st.caption(t.t("roles.seed_pairs"))
    for a, b in SEED_PAIRS:  # one per line: the full role names do not fit side by side
        st.button(f"{names[a]} ↔ {names[b]}", key=f"pair_{a}_{b}", on_click=choose, args=(a, b))
    pick_a, pick_b = st.columns(2)
    a = pick_a.selectbox(t.t("roles.role_a"), role_ids, format_func=names.__getitem__, key="compare_a")
    b = pick_b.selectbox(t.t("roles.role_b"), role_ids, format_func=names.__getitem__, key="compare_b")
    st.query_params["compare"] = f"{a},{b}"
    try:
        scores = score_answers(bank, st.session_state["answers"])
    except AnswerError:
        scores = None  # no finished quiz: compare the roles alone
    if a == b:
        st.info(t.t("roles.same_role"))
    ui.radar(bank, list(dict.fromkeys([a, b])), scores, key="radar_compare")

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
            ui.show_role(bank, role)
            ui.show_profile(bank, role)

with browse_tab:
    family_filter = st.multiselect(
        t.t("roles.family"), FAMILIES, format_func=lambda f: t.t("family." + f), key="browse_families"
    )
    level_filter = st.multiselect(
        t.t("roles.level"), LEVELS, format_func=lambda v: t.t("level." + v), key="browse_levels"
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
                ui.show_role(bank, role, heading=False)
