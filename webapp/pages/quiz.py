"""Quiz: a step of statements as one form (the choices travel with Next or Back: one rerun per
step, not one per click), the progress, and the "continue later" link.

The quiz is adaptive by default: each step is chosen from the answers so far
(`quiz.adaptive.progress`), and the quiz ends when the result is sure enough or the bank is
exhausted. A person may choose to answer every statement instead. The steps asked are kept in
order (`state.plan`), so that Back shows what was answered; the answers' code is kept in the
address, so that a refresh or the browser's back and forward bring the person back to them.
"""

import math
import secrets

import streamlit as st

from quiz.adaptive import progress
from quiz.scoring import QUESTIONS_PER_STEP, SCALE
from webapp import links, resources, routes, state
from webapp.widgets import plain

# On a phone the scale's five options stack in order, each a touch target of at least 44 px;
# every option shows where the keyboard focus is, in a colour with at least 3:1 contrast on
# the page (#1d4ed8 on white: 6.7:1). A statement Next finds unanswered is outlined.
STYLE = """<style>
.st-key-quiz_focus { display: none; }
[class*="st-key-q_"] { scroll-margin-top: 4.5rem; }
[class*="st-key-q_"] [data-testid="stRadioOption"] { min-height: 44px; min-width: 44px; align-items: center; }
[class*="st-key-q_"] [data-testid="stRadioOption"]:has(input:focus-visible) {
  outline: 3px solid #1d4ed8; outline-offset: 2px; border-radius: 6px;
}
@media (max-width: 640px) {
  [class*="st-key-q_"] [data-testid="stRadioGroup"] { flex-direction: column; align-items: stretch; gap: 0; }
  [class*="st-key-q_"] [data-testid="stRadioGroup"] > div {
    display: flex; flex-direction: row; align-items: center; justify-content: flex-start;
    gap: 0.75rem; width: 100%; margin: 0;
  }
  [class*="st-key-q_"] [data-testid="stRadioCaption"] { margin: 0; padding: 0; text-align: left; }
}
</style>"""
# Run in the page (not an iframe): scroll a statement to the top and give its chosen option
# (or its first) the focus, once the new step's widgets exist. Our own constant code, never
# a value from the address or a person.
FOCUS = """<script>(() => {{
  let tries = 0;
  const go = () => {{
    const box = document.querySelector(".st-key-{key}");
    const input = box && (box.querySelector("input:checked") || box.querySelector("input"));
    if (!input) {{ if (tries++ < 100) setTimeout(go, 50); return; }}
    if ({scroll}) box.scrollIntoView({{block: "start"}});
    input.focus({{preventScroll: true}});
  }};
  go();
}})(); /* {nonce} */</script>"""


def focus(key: str, scroll: bool) -> None:
    """Scroll to the statement with this widget key and give it the keyboard focus."""
    body = FOCUS.format(key=key, scroll="true" if scroll else "false", nonce=secrets.token_hex(4))
    with st.container(key="quiz_focus"):
        st.html(body, unsafe_allow_javascript=True)


t = resources.text()
lang = state.lang()
bank = resources.bank()
total = len(bank.questions)

# The steps asked so far. New answers (a link, a refresh, a test) without their steps: replay
# the adaptive quiz to find them (it is deterministic) and go back where the person was.
if not set(state.answers()) <= {i for step_ids in state.plan() for i in step_ids}:
    resumed = links.resume(bank, state.answers())
    state.set_quiz(resumed.answers, resumed.step)
    state.set_plan(resumed.steps, None)
answers = state.answers()
plan = state.plan()
step = min(state.step(), len(plan))
sure = False  # the answers are enough for a sure result: the quiz offers to see it
if step == len(plan):  # the next step is not chosen yet: choose it from the answers so far
    chosen_step = progress(bank, answers, every_statement=state.every_statement())
    if chosen_step.done and plan:
        step, sure = len(plan) - 1, True
    elif not chosen_step.done:
        plan = (*plan, tuple(q.id for q in chosen_step.next_questions))
        state.set_plan(plan, (len(answers), chosen_step.about_more))
    state.set_step(step)
if not plan:  # every statement answered (a link of a complete quiz): nothing left to ask
    routes.switch_to("results")
shown = [bank.question(i) for i in plan[step]]
first = sum(len(s) for s in plan[:step]) + 1
frontier = step == len(plan) - 1
left_unplanned = total - len({i for s in plan for i in s} | set(answers))
last = frontier and (sure or not left_unplanned)

st.title(t.t("quiz.title"))
seat = state.seat()
if seat is not None:
    st.caption(t.t("group.in_group", title=plain(seat.title)))
bar = st.empty()  # filled once the form below has given this step's answers
st.caption(t.t("quiz.instructions"))

key_every = "every_toggle"
state.preset(key_every, state.every_statement())
st.toggle(
    t.t("quiz.every_statement"),
    key=key_every,
    help=t.t("quiz.every_statement_help"),
    on_change=lambda: state.set_every_statement(bool(state.widget_value(key_every))),
)
if sure:
    st.success(t.t("quiz.sure"))
st.html(STYLE)

# The options are the scale's numbers with its words as captions: a choice is stored as its
# number, so a choice not yet sent survives a language switch (Streamlit keeps a pending form
# value by its label, and the words change with the language).
words = [t.t(f"scale.{value}") for value in SCALE]
chosen: dict[str, int | None] = {}
marks = {}  # where a statement Next finds unanswered says so, on the statement itself
with st.form("quiz_step", border=False, enter_to_submit=False):
    for number, question in enumerate(shown, start=first):
        key = f"q_{question.id}"
        if not state.has(key) and question.id in answers:
            state.preset(key, answers[question.id])  # back on this step: show the answer given
        marks[question.id] = st.empty()
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
links.keep_in_address(answers)

# Honest progress: adaptive, "about N more" (the quiz does not know yet where it will stop);
# answering every statement, the fixed count of steps.
if state.every_statement():
    steps = len(plan) + math.ceil(left_unplanned / QUESTIONS_PER_STEP)
    bar.progress(
        len(answers) / total,
        text=t.t("quiz.progress", step=step + 1, steps=steps, answered=len(answers), total=total),
    )
else:
    sent, about = state.about() or (len(answers), total - len(answers))
    more = 0 if sure else max(about - (len(answers) - sent), 0)
    bar.progress(
        len(answers) / max(len(answers) + more, 1),
        text=t.t("quiz.progress_adaptive", answered=len(answers), more=more),
    )

if went_back:
    state.set_step(step - 1)
    state.set_quiz_focus()
    st.rerun()
if went_on:
    missing = [(n, q) for n, q in enumerate(shown, start=first) if q.id not in answers]
    if not missing and not frontier:
        state.set_step(step + 1)
        state.set_quiz_focus()
        st.rerun()
    if not missing:
        following = progress(bank, answers, every_statement=state.every_statement())
        if following.done:
            state.set_step(len(plan))
            routes.switch_to("results")
        state.set_plan((*plan, tuple(q.id for q in following.next_questions)), (len(answers), following.about_more))
        state.set_step(step + 1)
        state.set_quiz_focus()
        st.rerun()
    for number, question in missing:
        marks[question.id].markdown(f":red[**{t.t('quiz.unanswered', number=number)}**]")
    st.error(t.t("quiz.missing", numbers=", ".join(str(n) for n, _ in missing)))
    focus(f"q_{missing[0][1].id}", scroll=True)
elif state.pop_quiz_focus():
    focus(f"q_{shown[0].id}", scroll=True)

with st.expander(t.t("links.continue_later")):
    st.write(t.t("links.continue_help"))
    st.code(links.share_link("quiz", answers), language=None, wrap_lines=True)
