"""Join a coach's group: a code read aloud or a join link, and an optional pseudonym. No
e-mail, no name, no account."""

import streamlit as st

import coaching
import ui
from quiz.storage import PSEUDONYM_MAX, JoinError, StorageError

t = ui.text()
ui.bank()  # a broken bank stops here with its problems: no quiz to join, no results to show
st.title(t.t("group.join_title"))

current = coaching.seat()
if current is not None:
    who = coaching.plain(current.pseudonym) if current.pseudonym else t.t("group.anonymous")
    st.success(t.t("group.joined", title=coaching.plain(current.title), code=current.code, who=who))
    st.write(t.t("group.joined_next"))
    go, leave = st.columns(2)
    if go.button(t.t("group.to_quiz"), type="primary", key="seat_to_quiz", width="stretch"):
        st.switch_page("views/quiz.py")
    if not st.session_state["seat_saved"] and leave.button(t.t("group.leave"), key="seat_leave", width="stretch"):
        coaching.leave_seat()
        st.rerun()
    st.stop()

st.write(t.t("group.join_intro"))
with st.form("join_form", enter_to_submit=True):
    code = st.text_input(t.t("group.code"), value=st.query_params.get("code", ""), max_chars=12, key="join_code")
    pseudonym = st.text_input(
        t.t("group.pseudonym"), max_chars=PSEUDONYM_MAX, help=t.t("group.pseudonym_help"), key="join_pseudonym"
    )
    joined = st.form_submit_button(t.t("group.join"), type="primary")
if joined:
    try:
        session = coaching.join(code)
    except JoinError as error:
        st.error(t.t(f"group.join_{error.reason}", minutes=max(1, round(error.retry_after / 60))))
    except StorageError:
        st.error(t.t("group.unavailable"))
    else:
        coaching.take_seat(session, pseudonym)
        st.switch_page("views/quiz.py")
st.caption(t.t("group.privacy"))
