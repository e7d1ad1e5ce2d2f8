"""Withdraw my result from a coach's group, with the personal link shown when it was saved."""

import streamlit as st

from quiz.sessions import StorageError
from webapp import resources, seat, state
from webapp.address import AddressError

t = resources.text()
st.title(t.t("group.withdraw_title"))
try:
    key = seat.SEAT.read()
except AddressError:
    st.warning(t.t("group.withdraw_bad_key"))
    st.stop()
if not key:
    st.info(t.t("group.withdraw_no_key"))
    st.stop()
st.write(t.t("group.withdraw_intro"))
if st.button(t.t("group.withdraw"), type="primary", key="withdraw", icon=":material/delete:"):
    try:
        removed = resources.store().withdraw(key)
    except StorageError:
        st.error(t.t("group.unavailable"))
    else:
        current = state.seat()
        if current is not None and current.key == key:
            seat.leave_seat()
        if removed:
            st.success(t.t("group.withdrawn"))
        else:
            st.info(t.t("group.withdraw_nothing"))
