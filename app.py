"""The app's router: session state, language, and the pages. Run with `make run`."""

import streamlit as st

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

page = st.navigation(
    [
        st.Page("views/home.py", title=t.t("nav.home"), icon=":material/home:", default=True),
        st.Page("views/quiz.py", title=t.t("nav.quiz"), icon=":material/edit_note:"),
        st.Page("views/results.py", title=t.t("nav.results"), icon=":material/radar:"),
        st.Page("views/explore.py", title=t.t("nav.explore"), icon=":material/tune:"),
        st.Page("views/roles.py", title=t.t("nav.roles"), icon=":material/work:"),
    ],
    position="top",
)
page.run()
