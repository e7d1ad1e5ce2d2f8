"""What if: priorities that re-weight the ranking, and sliders over one's own scores.

It works from the scores of the statements answered so far (`resources.result`, cached per
answer set), so a person who stopped early or is still answering can play with them too. Under
each slider moved away from the person's own score, its effect is said right there (the best
match now), so that on a phone it is seen without scrolling past the other sliders."""

import streamlit as st

from quiz.explain import name_in_sentence
from quiz.matching import TIE_MARGIN, rank_roles
from quiz.scoring import AnswerError
from quiz.whatif import apply_overrides, priorities_for, rank_what_if, ranking_changes, smallest_change, why_moved
from webapp import resources, state
from webapp.widgets import quiz_first, radar, ranking_table

SHOWN_ROLES = 5
MOST_PRIORITIES = 3

t = resources.text()
lang = state.lang()
bank = resources.bank()
names = {r.id: r.name(lang) for r in bank.roles}
dimension_names = {d.id: d.name(lang) for d in bank.dimensions}

st.title(t.t("explore.title"))
try:
    scores = resources.result(state.answers()).scores
except AnswerError:  # nothing answered yet
    quiz_first(t.t("explore.incomplete"))


# Priorities: what matters most to the person re-weights every role.
st.markdown(f"### {t.t('explore.priorities')}")
important = st.multiselect(
    t.t("explore.priorities_label"),
    bank.dimension_ids,
    format_func=dimension_names.__getitem__,
    max_selections=MOST_PRIORITIES,
    key=state.translated("priorities"),
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
        up = movement.direction == "up"
        key = "explore.moved_up" if up else "explore.moved_down"
        line = t.t(key, role=names[change.role_id], old=change.old_rank, new=change.new_rank)
        if movement.fits:
            because = "explore.because_close" if up else "explore.because_far"
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
        state.forget(f"whatif_{dimension}")


overrides: dict[str, float] = {}
effects = {}
for d in bank.dimensions:
    overrides[d.id] = float(st.slider(d.name(lang), 0, 100, value=round(scores[d.id]), step=5, key=f"whatif_{d.id}"))
    effects[d.id] = st.empty()  # filled below, once the ranking with every slider is known
st.button(t.t("explore.reset"), key="reset_whatif", on_click=reset_sliders)
moved = apply_overrides(scores, overrides)
what_if = rank_what_if(bank, scores, overrides, priorities)
now = names[what_if.top.role_id]
for dimension, value in overrides.items():
    if round(value) != round(scores[dimension]):
        effects[dimension].caption(
            t.t(
                "explore.slider_effect",
                score=round(value),
                real=round(scores[dimension]),
                role=now,
                match=round(what_if.top.match),
            )
        )
st.subheader(t.t("explore.top_now", role=now, match=round(what_if.top.match)))
if what_if.top.role_id != real.top.role_id:
    st.write(t.t("explore.top_was", role=names[real.top.role_id]))
ranking_table(bank, what_if, shown=SHOWN_ROLES)
radar(bank, [what_if.top.role_id], moved, key="radar_whatif")

# The smallest single change that would put each runner-up clearly first (beyond a tie). A
# change that lowers a score says so (`explore.change_down`): it is never advice to lose a strength.
st.markdown(f"### {t.t('explore.closest')}")
lines = []
for match in what_if.matches[1 : 1 + 3]:
    smallest = smallest_change(bank, moved, match.role_id, priorities, lead=TIE_MARGIN)
    if smallest is None:
        lines.append(t.t("explore.no_change", role=names[match.role_id]))
    else:
        key = "explore.change_up" if smallest.delta > 0 else "explore.change_down"
        lines.append(
            t.t(
                key,
                points=round(abs(smallest.delta)),
                dimension=name_in_sentence(dimension_names[smallest.dimension]),
                role=names[match.role_id],
                score=round(smallest.new_score),
            )
        )
st.markdown("\n".join(f"- {line}" for line in lines))
