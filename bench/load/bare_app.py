"""The bare twin of the app: the same pages and widgets (same keys), no logic, no database.

The load driver measures it the same way as the app, so that the report can give ratios
(app / bare) that hold on a noisy machine: what Streamlit itself costs for these widgets is
in both. Run by the driver as `streamlit run bench/load/bare_app.py`; it learns the quiz's
shape from the environment, so that it needs nothing from the app:

- `LOAD_BARE_STEPS`: the question ids per step, steps separated by `;`, ids by `,`.
- `LOAD_BARE_ROLES`: how many roles the results' ranking lists.
- `LOAD_BARE_FORMS`: "1" to put each quiz step in a form (as the app does once its steps are
  forms), with the step's submit button keyed `next`.
"""

from __future__ import annotations

import os
import threading

import streamlit as st

STEPS = [step.split(",") for step in os.environ.get("LOAD_BARE_STEPS", "a,b,c,d,e").split(";") if step]
ROLES = int(os.environ.get("LOAD_BARE_ROLES", "14"))
FORMS = os.environ.get("LOAD_BARE_FORMS") == "1"
SCALE = (1, 2, 3, 4, 5)
LABELS = {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree"}
CODE = "BARE0001"
REFRESH_SECONDS = 5


@st.cache_resource
def finished() -> dict[str, int]:
    """How many reached the results, for the dashboard's count (one counter per process)."""
    return {"count": 0}


_LOCK = threading.Lock()


def home() -> None:
    st.title("Bare twin")


def join() -> None:
    st.title("Join")
    with st.form("join_form", enter_to_submit=True):
        st.text_input("Code", value=st.query_params.get("code", ""), max_chars=12, key="join_code")
        st.text_input("Pseudonym", max_chars=40, key="join_pseudonym")
        joined = st.form_submit_button("Join", type="primary")
    if joined:
        st.session_state["step"] = 0
        st.switch_page(quiz_page)


def _radios(step: list[str]) -> None:
    for number, qid in enumerate(step, start=1):
        st.radio(
            f"{number}. Statement {qid}",
            options=SCALE,
            index=None,
            format_func=LABELS.__getitem__,
            key=f"q_{qid}",
            horizontal=True,
        )


def quiz() -> None:
    step = min(st.session_state.get("step", 0), len(STEPS) - 1)
    last = step == len(STEPS) - 1
    st.title("Quiz")
    st.progress(step / len(STEPS), text=f"Step {step + 1} of {len(STEPS)}")
    if FORMS:
        with st.form(f"step_{step}"):
            _radios(STEPS[step])
            forward = st.form_submit_button("Finish" if last else "Next", key="next", type="primary")
    else:
        _radios(STEPS[step])
    back, ahead = st.columns(2)
    if back.button("Back", key="back", disabled=step == 0):
        st.session_state["step"] = step - 1
        st.rerun()
    if not FORMS:
        forward = ahead.button("Finish" if last else "Next", key="next", type="primary")
    if forward:
        if last:
            st.switch_page(results_page)
        st.session_state["step"] = step + 1
        st.rerun()


def results() -> None:
    if not st.session_state.get("counted"):
        st.session_state["counted"] = True
        with _LOCK:
            finished()["count"] += 1
    st.title("Results")
    st.subheader("Best match: Role 1")
    st.markdown("### Ranking")
    st.dataframe(
        {"Rank": list(range(1, ROLES + 1)), "Match": [100 - 5 * i for i in range(ROLES)]},
        hide_index=True,
    )


def coach() -> None:
    st.title("Coach a group")
    if st.session_state.get("created"):
        st.markdown(f"### Code: {CODE[:4]}-{CODE[4:]}")
        with st.container(key="join_link"):
            st.code(f"http://127.0.0.1/join?code={CODE}", language=None)
        if st.button("Open the dashboard", type="primary", key="coach_open_new"):
            st.switch_page(dashboard_page)
        st.stop()
    with st.form("create_form"):
        st.text_input("Title", max_chars=120, key="session_title")
        create = st.form_submit_button("Create the session", type="primary")
    if create:
        st.session_state["created"] = True
        st.rerun()


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    st.metric("Finished", finished()["count"])


def dashboard() -> None:
    st.title("Load test")
    live()


quiz_page = st.Page(quiz, title="Quiz", url_path="quiz")
results_page = st.Page(results, title="Results", url_path="results")
dashboard_page = st.Page(dashboard, title="Dashboard", url_path="dashboard", visibility="hidden")
st.radio("Language", options=["fr", "en"], key="lang", horizontal=True, label_visibility="collapsed")
st.navigation(
    [
        st.Page(home, title="Home", default=True),
        quiz_page,
        results_page,
        st.Page(join, title="Join", url_path="join"),
        st.Page(coach, title="Coach", url_path="coach"),
        dashboard_page,
    ],
    position="top",
).run()
