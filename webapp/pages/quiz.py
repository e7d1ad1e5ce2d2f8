"""Quiz: a step of statements as one form (the choices travel with Next or Back: one rerun per
step, not one per click), the progress, and the "continue later" link."""

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
last = step == steps - 1

st.title(t.t("quiz.title"))
seat = state.seat()
if seat is not None:
    st.caption(t.t("group.in_group", title=plain(seat.title)))
progress = st.empty()  # filled once the form below has given this step's answers
st.caption(t.t("quiz.instructions"))

# The options are the scale's numbers with its words as captions: a choice is stored as its
# number, so a choice not yet sent survives a language switch (Streamlit keeps a pending form
# value by its label, and the words change with the language).
words = [t.t(f"scale.{value}") for value in SCALE]
chosen: dict[str, int | None] = {}
with st.form("quiz_step", border=False, enter_to_submit=False):
    for number, question in enumerate(shown, start=first + 1):
        key = f"q_{question.id}"
        if not state.has(key) and question.id in answers:
            state.preset(key, answers[question.id])  # back on this step: show the answer given
        chosen[question.id] = st.radio(
            f"{number}. {question.text(lang)}",
            options=SCALE,
            index=None,
            format_func=str,
            captions=words,
            key=key,
            horizontal=True,
        )
    back, forward = st.columns(2)
    went_back = back.form_submit_button(t.t("quiz.back"), key="back", disabled=step == 0, width="stretch")
    went_on = forward.form_submit_button(
        t.t("quiz.finish" if last else "quiz.next"), key="next", type="primary", width="stretch"
    )
answers.update({question_id: value for question_id, value in chosen.items() if value is not None})

progress.progress(
    len(answers) / len(questions),
    text=t.t("quiz.progress", step=step + 1, steps=steps, answered=len(answers), total=len(questions)),
)

if went_back:
    state.set_step(step - 1)
    st.rerun()
if went_on:
    # Next checks this step; Finish checks the whole quiz (a person may have skipped ahead by link).
    checked = enumerate(questions, start=1) if last else enumerate(shown, start=first + 1)
    missing = [n for n, q in checked if q.id not in answers]
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
