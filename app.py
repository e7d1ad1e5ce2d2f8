"""The app's router: session state, language, and the pages. Run with `make run`."""

import streamlit as st

import coaching
import ui

st.set_page_config(page_title="Career quiz", page_icon=":material/explore:", layout="centered")
ui.init_state()
t = ui.text()

st.radio(
    t.t("nav.language"),
    options=["fr", "en"],
    format_func=lambda code: {"fr": "Français", "en": "English"}[code],
    key="lang",
    on_change=ui.relabel_choices,
    horizontal=True,
    label_visibility="collapsed",
)
t = ui.text()  # the radio may just have changed the language
ui.apply_link()
ui.show_link_error()
coaching.keep_seat_in_url()

page = st.navigation(
    [
        st.Page("views/home.py", title=t.t("nav.home"), icon=":material/home:", default=True),
        st.Page("views/quiz.py", title=t.t("nav.quiz"), icon=":material/edit_note:"),
        st.Page("views/results.py", title=t.t("nav.results"), icon=":material/radar:"),
        st.Page("views/explore.py", title=t.t("nav.explore"), icon=":material/tune:"),
        st.Page("views/roles.py", title=t.t("nav.roles"), icon=":material/work:"),
        st.Page("views/join.py", title=t.t("nav.join"), icon=":material/group_add:"),
        st.Page("views/coach.py", title=t.t("nav.coach"), icon=":material/co_present:"),
        # Reached from the Coach page and from a personal link, not from the menu.
        st.Page("views/dashboard.py", title=t.t("nav.dashboard"), icon=":material/monitoring:", visibility="hidden"),
        st.Page("views/withdraw.py", title=t.t("nav.withdraw"), icon=":material/delete:", visibility="hidden"),
    ],
    position="top",
)
page.run()
