"""The app's entry point: the language switch at the top, the state links and seats bring, and
the pages of `webapp.routes`. Run with `make run`."""

import streamlit as st

from webapp import links, resources, routes, seat, state

st.set_page_config(page_title="Career quiz", page_icon=":material/explore:", layout="centered")
state.init()
st.radio(
    resources.text().t("nav.language"),
    options=["fr", "en"],
    format_func=lambda code: {"fr": "Français", "en": "English"}[code],
    key=state.LANG,
    on_change=state.relabel_choices,
    horizontal=True,
    label_visibility="collapsed",
)
# The page's language for screen readers and the browser (`<html lang>`), set from the
# language switch; the container is hidden, only its script matters.
st.html("<style>.st-key-page_lang { display: none; }</style>")
with st.container(key="page_lang"):
    st.html(f"<script>document.documentElement.lang = '{state.lang()}';</script>", unsafe_allow_javascript=True)
links.apply_link()
links.show_link_error()
seat.keep_seat_in_url()
routes.navigation(resources.text()).run()  # the text again: the radio may just have changed it
