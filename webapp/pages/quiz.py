"""Quiz: a few statements per step, a progress bar, Back and Next."""

import streamlit as st

from quiz.scoring import QUESTIONS_PER_STEP, SCALE, quiz_order, quiz_steps
from webapp import links, resources, routes, state
from webapp.widgets import plain

t = resources.text()
lang = state.lang()
bank = resources.bank()
answers = state.answers()
questions = quiz_order(bank)
steps = len(quiz_steps(bank))
step = min(state.step(), steps - 1)
first = step * QUESTIONS_PER_STEP
shown = quiz_steps(bank)[step]

st.title(t.t("quiz.title"))
seat = state.seat()
if seat is not None:
    st.caption(t.t("group.in_group", title=plain(seat.title)))
progress = st.empty()  # filled once the radios below have given this run's answers
st.caption(t.t("quiz.instructions"))

for number, question in enumerate(shown, start=first + 1):
    key = state.translated(f"q_{question.id}")  # the scale's words are translated
    if not state.has(key) and question.id in answers:
        state.preset(key, answers[question.id])  # back on this step: show the answer given
    value = st.radio(
        f"{number}. {question.text(lang)}",
        options=SCALE,
        index=None,
        format_func=lambda v: t.t(f"scale.{v}"),
        key=key,
        horizontal=True,
    )
    if value is not None:
        answers[question.id] = value

progress.progress(
    len(answers) / len(questions),
    text=t.t("quiz.progress", step=step + 1, steps=steps, answered=len(answers), total=len(questions)),
)

last = step == steps - 1
# Next checks this step; Finish checks the whole quiz (a person may have skipped ahead by link).
checked = enumerate(questions, start=1) if last else enumerate(shown, start=first + 1)
missing = [n for n, q in checked if q.id not in answers]
back, forward = st.columns(2)
if back.button(t.t("quiz.back"), key="back", disabled=step == 0, width="stretch"):
    state.set_step(step - 1)
    st.rerun()
if forward.button(t.t("quiz.finish" if last else "quiz.next"), key="next", type="primary", width="stretch"):
    if missing:
        st.error(t.t("quiz.missing", numbers=", ".join(map(str, missing))))
    elif last:
        routes.switch_to("results")
    else:
        state.set_step(step + 1)
        st.rerun()

with st.expander(t.t("links.continue_later")):
    st.write(t.t("links.continue_help"))
    st.code(links.share_link("quiz", answers), language=None, wrap_lines=True)
