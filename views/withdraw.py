"""Withdraw my result from a coach's group, with the personal link shown when it was saved."""

import streamlit as st

import coaching
import ui
from quiz.storage import StorageError

t = ui.text()
st.title(t.t("group.withdraw_title"))
key = st.query_params.get("seat", "")
if not key:
    st.info(t.t("group.withdraw_no_key"))
    st.stop()
st.write(t.t("group.withdraw_intro"))
if st.button(t.t("group.withdraw"), type="primary", key="withdraw", icon=":material/delete:"):
    try:
        removed = coaching.store().withdraw(key)
    except StorageError:
        st.error(t.t("group.unavailable"))
    else:
        current = coaching.seat()
        if current is not None and current.key == key:
            coaching.leave_seat()
        if removed:
            st.success(t.t("group.withdrawn"))
        else:
            st.info(t.t("group.withdraw_nothing"))
