"""What if: priorities that re-weight the ranking, and sliders over one's own scores."""

import pandas as pd
import streamlit as st

import ui
from quiz.explain import name_in_sentence
from quiz.matching import TIE_MARGIN, Ranking, rank_roles
from quiz.scoring import AnswerError, score_answers
from quiz.whatif import apply_overrides, priorities_for, rank_what_if, ranking_changes, smallest_change, why_moved

SHOWN_ROLES = 5
MOST_PRIORITIES = 3

t = ui.text()
lang = ui.lang()
bank = ui.bank()
names = {r.id: r.name(lang) for r in bank.roles}
dimension_names = {d.id: d.name(lang) for d in bank.dimensions}

st.title(t.t("explore.title"))
try:
    scores = score_answers(bank, st.session_state["answers"])
except AnswerError:
    st.info(t.t("explore.incomplete"))
    if st.button(t.t("results.to_quiz"), type="primary", key="to_quiz"):
        st.switch_page("views/quiz.py")
    st.stop()


def ranking_table(ranking: Ranking) -> None:
    top = ranking.matches[:SHOWN_ROLES]
    st.dataframe(
        pd.DataFrame(
            {
                t.t("results.col_rank"): range(1, len(top) + 1),
                t.t("results.col_match"): [m.match for m in top],
                t.t("results.col_role"): [names[m.role_id] for m in top],
            }
        ),
        hide_index=True,
        column_config={
            t.t("results.col_match"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f")
        },
    )


# Priorities: what matters most to the person re-weights every role.
st.markdown(f"### {t.t('explore.priorities')}")
important = st.multiselect(
    t.t("explore.priorities_label"),
    bank.dimension_ids,
    format_func=dimension_names.__getitem__,
    max_selections=MOST_PRIORITIES,
    key="priorities",
    placeholder=t.t("explore.priorities_placeholder"),
)
priorities = priorities_for(bank, important) if important else None
real = rank_roles(bank, scores, priorities=priorities)
if important:
    changes = ranking_changes(rank_roles(bank, scores), real)
    if not changes:
        st.write(t.t("explore.unchanged"))
    lines = []
    for change in changes[:SHOWN_ROLES]:
        movement = why_moved(bank, scores, change.role_id, important)
        key = "explore.moved_up" if change.new_rank < change.old_rank else "explore.moved_down"
        line = t.t(key, role=names[change.role_id], old=change.old_rank, new=change.new_rank)
        if movement.fits:
            because = "explore.because_close" if change.new_rank < change.old_rank else "explore.because_far"
            dims = ", ".join(name_in_sentence(dimension_names[f.dimension]) for f in movement.fits)
            line = f"{line} {t.t(because, dimensions=dims)}"
        else:
            line = f"{line}."
        lines.append(f"- {line}")
    st.markdown("\n".join(lines))

# What if: the person moves their own scores; the real results stay as they are.
st.markdown(f"### {t.t('explore.whatif')}")
st.caption(t.t("explore.whatif_help"))


def reset_sliders() -> None:
    for dimension in bank.dimension_ids:
        st.session_state.pop(f"whatif_{dimension}", None)


overrides = {
    d.id: float(st.slider(d.name(lang), 0, 100, value=round(scores[d.id]), step=5, key=f"whatif_{d.id}"))
    for d in bank.dimensions
}
st.button(t.t("explore.reset"), key="reset_whatif", on_click=reset_sliders)
moved = apply_overrides(scores, overrides)
what_if = rank_what_if(bank, scores, overrides, priorities)
st.subheader(t.t("explore.top_now", role=names[what_if.top.role_id], match=round(what_if.top.match)))
if what_if.top.role_id != real.top.role_id:
    st.write(t.t("explore.top_was", role=names[real.top.role_id]))
ranking_table(what_if)
ui.radar(bank, [what_if.top.role_id], moved, key="radar_whatif")

# The smallest single change that would put each runner-up clearly first (beyond a tie).
st.markdown(f"### {t.t('explore.closest')}")
lines = []
for match in what_if.matches[1 : 1 + 3]:
    change = smallest_change(bank, moved, match.role_id, priorities, lead=TIE_MARGIN)
    if change is None:
        lines.append(t.t("explore.no_change", role=names[match.role_id]))
    else:
        key = "explore.change_up" if change.delta > 0 else "explore.change_down"
        lines.append(
            t.t(
                key,
                points=round(abs(change.delta)),
                dimension=name_in_sentence(dimension_names[change.dimension]),
                role=names[match.role_id],
                score=round(change.new_score),
            )
        )
st.markdown("\n".join(f"- {line}" for line in lines))
