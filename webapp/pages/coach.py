"""For coaches: create a group session (a join code for the participants, a secret for the
dashboard), or open the dashboard of an existing one."""

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from quiz.model import Lang
from quiz.sessions import SecretError, StorageError
from webapp import login, resources, routes, state
from webapp.widgets import one_line, plain

LANGS: list[Lang] = ["fr", "en"]  # the session's language, French first as in the switch

t = resources.text()
resources.bank()  # a broken bank stops here with its problems: no quiz to join, no results to show
st.title(t.t("coach.title"))
st.write(t.t("coach.intro"))
if state.pop_session_deleted():  # just deleted from its dashboard
    st.success(t.t("dashboard.deleted"))

if login.login_configured() and not login.logged_in():
    st.info(t.t("coach.login_needed"))
    st.button(t.t("coach.login"), type="primary", key="coach_login", on_click=st.login)
    st.stop()
owner = login.coach_identity()

created = state.new_session()
if created is not None:
    # Shown once: the secret is never stored in clear, so it cannot be shown again.
    session = created.session
    st.success(t.t("coach.created", title=plain(session.title)))
    st.markdown(f"### {t.t('coach.code', code=session.display_code)}")
    st.write(t.t("coach.join_link"))
    with st.container(key="join_link"):
        st.code(routes.page_url("join", {"code": session.code}), language=None, wrap_lines=True)
    if owner is None:
        st.warning(t.t("coach.secret_once"))
        with st.container(key="coach_secret"):
            st.code(created.secret, language=None)
    if st.button(t.t("coach.open"), type="primary", key="coach_open_new"):
        state.set_new_session(None)
        state.set_coach_session(session.id)
        routes.switch_to("dashboard")
    st.stop()

new_tab, open_tab = st.tabs([t.t("coach.new"), t.t("coach.existing")])
with new_tab, st.form("create_form"):
    title = st.text_input(t.t("coach.session_title"), max_chars=120, key="session_title")
    lang = st.selectbox(
        t.t("coach.session_lang"),
        LANGS,
        index=0 if state.lang() == "fr" else 1,
        format_func=lambda code: {"fr": "Français", "en": "English"}[code],
        key="session_lang",
    )
    closing = st.checkbox(t.t("coach.closes"), key="session_closes")
    day = st.date_input(t.t("coach.close_day"), value=datetime.now().date() + timedelta(days=1), key="session_day")
    hour = st.time_input(t.t("coach.close_time"), value=time(18, 0), key="session_time")
    st.caption(t.t("coach.close_help"))
    create = st.form_submit_button(t.t("coach.create"), type="primary")
if create:
    title = one_line(title)
    closes_at = None
    if closing:
        # The coach types a local time; the browser's time zone says which instant it is.
        zone = state.browser_zone()
        closes_at = datetime.combine(day, hour, tzinfo=zone).astimezone(UTC)
    if not title:
        st.error(t.t("coach.title_missing"))
    elif closes_at is not None and closes_at <= datetime.now(UTC):
        st.error(t.t("coach.close_past"))
    else:
        try:
            state.set_new_session(resources.store().create_session(title, lang, closes_at, owner))
        except StorageError:
            st.error(t.t("group.unavailable"))
        else:
            st.rerun()

with open_tab:
    if owner is not None:
        try:
            mine = resources.store().sessions_owned_by(owner)
        except StorageError:
            st.error(t.t("group.unavailable"))
            mine = []
        if not mine:
            st.info(t.t("coach.none_yet"))
        for session in mine:
            label = f"{session.title} · {session.display_code}"
            if st.button(label, key=f"mine_{session.id}"):
                state.set_coach_session(session.id)
                routes.switch_to("dashboard")
    else:
        with st.form("open_form"):
            code = st.text_input(t.t("group.code"), max_chars=12, key="open_code")
            secret = st.text_input(t.t("coach.secret"), type="password", key="open_secret")
            opened = st.form_submit_button(t.t("coach.open"), type="primary")
        if opened:
            try:
                session = resources.store().open_dashboard(code, secret)
            except SecretError as error:
                st.error(t.t(f"coach.secret_{error.reason}", minutes=max(1, round(error.retry_after / 60))))
            except StorageError:
                st.error(t.t("group.unavailable"))
            else:
                state.set_coach_session(session.id)
                routes.switch_to("dashboard")
