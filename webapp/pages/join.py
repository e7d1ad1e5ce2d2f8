"""Join a coach's group: a code read aloud or a join link, and an optional pseudonym. No
e-mail, no name, no account."""

import streamlit as st

from quiz.sessions import PSEUDONYM_MAX, JoinError, StorageError
from webapp import resources, routes, seat, state
from webapp.address import Param
from webapp.widgets import plain

CODE_MAX = 12  # 8 characters, with the dash and spaces people type
# A join link (`/join?code=…`) fills the code in; anything that cannot be a code is left out.
CODE = Param("code", longest=CODE_MAX, characters="[A-Za-z0-9 -]")

t = resources.text()
resources.bank()  # a broken bank stops here with its problems: no quiz to join, no results to show
st.title(t.t("group.join_title"))

current = state.seat()
if current is not None:
    who = plain(current.pseudonym) if current.pseudonym else t.t("group.anonymous")
    st.success(t.t("group.joined", title=plain(current.title), code=current.code, who=who))
    st.write(t.t("group.joined_next"))
    go, leave = st.columns(2)
    if go.button(t.t("group.to_quiz"), type="primary", key="seat_to_quiz", width="stretch"):
        routes.switch_to("quiz")
    if not state.seat_saved() and leave.button(t.t("group.leave"), key="seat_leave", width="stretch"):
        seat.leave_seat()
        st.rerun()
    st.stop()

st.write(t.t("group.join_intro"))
with st.form("join_form", enter_to_submit=True):
    code = st.text_input(t.t("group.code"), value=CODE.read_or_none() or "", max_chars=CODE_MAX, key="join_code")
    pseudonym = st.text_input(
        t.t("group.pseudonym"), max_chars=PSEUDONYM_MAX, help=t.t("group.pseudonym_help"), key="join_pseudonym"
    )
    joined = st.form_submit_button(t.t("group.join"), type="primary")
if joined:
    try:
        session = seat.join(code)
    except JoinError as error:
        st.error(t.t(f"group.join_{error.reason}", minutes=max(1, round(error.retry_after / 60))))
    except StorageError:
        st.error(t.t("group.unavailable"))
    else:
        seat.take_seat(session, pseudonym)
        routes.switch_to("quiz")
st.caption(t.t("group.privacy"))
