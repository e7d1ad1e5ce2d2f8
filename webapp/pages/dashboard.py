"""A coach's dashboard: who finished (live), the group's top matches and profile, each
participant's result, two roles compared for the group, exports, import, close and delete.

Reachable only from the Coach page, after the coach secret (or the coach's login) opened the
session in this browser session.
"""

import hashlib
from datetime import UTC, datetime
from typing import NoReturn

import pandas as pd
import streamlit as st

from quiz.charts import counts_figure, group_radar_figure
from quiz.describe import headline
from quiz.export import CSV_ENCODING, session_csv, session_xlsx
from quiz.group import (
    FLAT,
    Participant,
    compare_roles,
    group_frame,
    group_profile,
    participant_result,
    split_scorable,
    top_match_counts,
)
from quiz.i18n import strings
from quiz.imports import ImportFileError, read_import
from quiz.model import LANGUAGES
from quiz.scoring import SCALE
from quiz.sessions import NotFoundError, StorageError
from webapp import login, resources, routes, state
from webapp.widgets import plain, radar

REFRESH_SECONDS = 5

t = resources.text()
lang = state.lang()
bank = resources.bank()
store = resources.store


def leave(message: str) -> NoReturn:
    """No dashboard to show: say why and point to the Coach page."""
    state.set_coach_session(None)
    st.title(t.t("nav.dashboard"))
    st.info(message)
    if st.button(t.t("dashboard.to_coach"), type="primary", key="to_coach"):
        routes.switch_to("coach")
    st.stop()


def scale_words() -> dict[str, int]:
    """The scale's words in both languages ("Strongly agree": 5, "Tout à fait d'accord": 5...),
    for imported answers written as words."""
    return {strings(language).t(f"scale.{value}"): value for language in LANGUAGES for value in SCALE}


session_id = state.coach_session()
if session_id is None:
    leave(t.t("dashboard.no_access"))
try:
    session = store().session(session_id)
except NotFoundError:
    leave(t.t("dashboard.gone"))
except StorageError:
    st.error(t.t("group.unavailable"))
    st.stop()
if session.owner is not None and session.owner != login.coach_identity():
    leave(t.t("dashboard.not_yours"))

st.title(plain(session.title))
zone = state.browser_zone()
if not session.is_open(datetime.now(UTC)):
    status = t.t("dashboard.status_closed")
elif session.closes_at is not None:
    status = t.t("dashboard.status_closes", when=f"{session.closes_at.astimezone(zone):%Y-%m-%d %H:%M}")
else:
    status = t.t("dashboard.status_open")
st.markdown(f"**{t.t('dashboard.code', code=session.display_code)}** · {status}")
st.code(routes.page_url("join", {"code": session.code}), language=None, wrap_lines=True)


def participants() -> list[Participant]:
    """The results that can be scored with the current questions (see `stale`)."""
    return split_scorable(bank, stored())[0]


def stored() -> list[Participant]:
    return [Participant(s.id, s.pseudonym, s.answers, s.submitted_at) for s in store().submissions(session.id)]


def name_of(role_id: str) -> str:
    return bank.role(role_id).name(lang)


def overview(frame: pd.DataFrame) -> None:
    st.markdown(f"#### {t.t('dashboard.top_matches')}")
    counts = top_match_counts(frame)
    st.plotly_chart(
        counts_figure(
            [t.t("dashboard.flat") if r == FLAT else name_of(r) for r in counts.index],
            counts.round(2).tolist(),
            t.t("dashboard.count"),
        ),
        key="top_matches",
        config={"displayModeBar": False},
    )
    st.caption(t.t("dashboard.top_matches_help"))
    st.markdown(f"#### {t.t('dashboard.profile')}")
    profile = group_profile(bank, frame)
    chart, table = st.tabs([t.t("chart.tab_chart"), t.t("chart.tab_table")])
    with chart:
        st.plotly_chart(
            group_radar_figure(bank, t, profile.mean, profile.spread),
            key="group_radar",
            config={"displayModeBar": False},
        )
    with table:
        labels = {
            "mean": t.t("dashboard.mean"),
            "spread": t.t("dashboard.spread"),
            "low": t.t("dashboard.low"),
            "high": t.t("dashboard.high"),
        }
        st.dataframe(profile.table(bank, lang, labels))
    st.caption(t.t("dashboard.profile_help"))


def people(frame: pd.DataFrame, everyone: list[Participant]) -> None:
    shown = pd.DataFrame(
        {
            t.t("dashboard.col_name"): frame["name"],
            t.t("dashboard.col_top"): [name_of(r) for r in frame["top_1"]],
            t.t("dashboard.col_match"): frame["top_1_match"],
            **{bank.dimension(d).name(lang): frame[d] for d in bank.dimension_ids},
            t.t("dashboard.col_when"): [p.submitted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") for p in everyone],
        }
    )
    st.caption(t.t("dashboard.people_help"))
    # A selection is a row number: keyed by who is in the table, it is dropped when someone
    # finishes or withdraws, rather than silently pointing at another participant.
    who = ".".join(str(p.id) for p in everyone)
    with st.container(key="people"):
        picked = st.dataframe(
            shown,
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key=f"people_{hashlib.sha256(who.encode()).hexdigest()[:12]}",
        )
    rows = picked.selection.rows
    if not rows or rows[0] >= len(everyone):
        return
    person = everyone[rows[0]]
    result = participant_result(bank, person)  # scorable: `everyone` holds only those
    scores, ranking = result.scores, result.ranking
    st.markdown(f"#### {t.t('dashboard.person', name=plain(frame['name'].iloc[rows[0]]))}")
    if ranking.flat:
        st.warning(t.t(f"results.flat_{ranking.flat}"))
    else:
        top = bank.role(ranking.top.role_id)
        st.write(t.t("dashboard.best", role=top.name(lang), match=round(ranking.top.match)))
        st.write(headline(bank, result, t).why)
    radar(bank, [] if ranking.flat else [ranking.top.role_id], scores, key="person_radar")
    st.dataframe(
        pd.DataFrame(
            {
                t.t("results.col_role"): [name_of(m.role_id) for m in ranking.matches],
                t.t("results.col_match"): [round(m.match, 1) for m in ranking.matches],
            }
        ),
        hide_index=True,
        height=(len(ranking.matches) + 1) * 35 + 3,  # every role in view, no scrolling inside
    )


def compare(frame: pd.DataFrame) -> None:
    ids = [r.id for r in bank.roles]
    # By default, the group's two most frequent top matches: the comparison a coach wants first.
    common = [r for r in top_match_counts(frame).index if r != FLAT]
    first, second = [*common, *[r for r in ids if r not in common]][:2]
    left, right = st.columns(2)
    a = left.selectbox(
        t.t("dashboard.compare_a"), ids, index=ids.index(first), format_func=name_of, key=state.translated("group_a")
    )
    b = right.selectbox(
        t.t("dashboard.compare_b"), ids, index=ids.index(second), format_func=name_of, key=state.translated("group_b")
    )
    result = compare_roles(bank, frame, a, b)
    st.write(
        t.t(
            "dashboard.compare_means",
            a=name_of(a),
            b=name_of(b),
            match_a=round(result.mean_a),
            match_b=round(result.mean_b),
        )
    )
    st.write(
        t.t(
            "dashboard.compare_counts",
            a=name_of(a),
            b=name_of(b),
            n_a=result.better_a,
            n_b=result.better_b,
            n_equal=result.equal,
        )
    )
    st.caption(t.t("dashboard.compare_gaps"))
    st.dataframe(
        pd.DataFrame(
            {name_of(a): result.gaps_a, name_of(b): result.gaps_b},
            index=[bank.dimension(d).name(lang) for d in bank.dimension_ids],
        ).round(1)
    )


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    """Everything computed from the results, refreshed by itself while the coach watches."""
    try:
        everyone, stale = split_scorable(bank, stored())
    except StorageError:
        st.error(t.t("group.unavailable"))
        return
    if stale:
        st.warning(t.t("dashboard.stale", count=len(stale)))
    st.metric(t.t("dashboard.finished"), len(everyone))
    if not everyone:
        st.info(t.t("dashboard.waiting", seconds=REFRESH_SECONDS))
        return
    st.caption(t.t("dashboard.refreshing", seconds=REFRESH_SECONDS))
    frame = group_frame(bank, everyone)
    group_tab, people_tab, compare_tab = st.tabs(
        [t.t("dashboard.tab_overview"), t.t("dashboard.tab_people"), t.t("dashboard.tab_compare")]
    )
    with group_tab:
        overview(frame)
    with people_tab:
        people(frame, everyone)
    with compare_tab:
        compare(frame)


live()

st.markdown(f"### {t.t('dashboard.manage')}")
stem = f"session-{session.code}"
csv_col, xlsx_col = st.columns(2)
csv_col.download_button(
    t.t("dashboard.export_csv"),
    data=lambda: session_csv(bank, participants()).encode(CSV_ENCODING),
    file_name=f"{stem}.csv",
    mime="text/csv",
    key="export_csv",
    on_click="ignore",
    icon=":material/download:",
    width="stretch",
)
xlsx_col.download_button(
    t.t("dashboard.export_xlsx"),
    data=lambda: session_xlsx(bank, participants(), lang, datetime.now(UTC)),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="export_xlsx",
    on_click="ignore",
    icon=":material/table:",
    width="stretch",
)

with st.expander(t.t("dashboard.import_title")):
    st.write(t.t("dashboard.import_help"))
    added = state.pop_import_added()
    if added is not None:
        st.success(t.t("dashboard.import_added", count=added))
    # A new uploader after each import, so that the same file cannot be added twice by mistake.
    upload = st.file_uploader(
        t.t("dashboard.import_file"), type=["csv", "txt"], key=f"import_file_{state.import_round()}"
    )
    if upload is not None:
        try:
            report = read_import(bank, upload.getvalue(), upload.name, scale_words())
        except ImportFileError as error:
            st.error(t.t(f"imports.{error.reason}", detail=error.detail))
        else:
            st.write(t.t("dashboard.import_ready", accepted=len(report.accepted), rejected=len(report.rejected)))
            if report.rejected:
                st.markdown(f"**{t.t('dashboard.import_rejected')}**")
                st.dataframe(
                    pd.DataFrame(
                        {
                            t.t("dashboard.col_line"): [r.line for r in report.rejected],
                            t.t("dashboard.col_problem"): [
                                t.t(f"imports.{r.reason}", detail=r.detail) for r in report.rejected
                            ],
                        }
                    ),
                    hide_index=True,
                )
            if report.ignored_columns:
                st.caption(t.t("dashboard.import_ignored", columns=", ".join(report.ignored_columns)))
            if report.accepted and st.button(
                t.t("dashboard.import_add", count=len(report.accepted)), type="primary", key="import_add"
            ):
                try:
                    count = store().add_imported(
                        session.id, [(row.pseudonym, row.answers) for row in report.accepted], bank.version
                    )
                except NotFoundError:
                    leave(t.t("dashboard.gone"))
                except StorageError:
                    st.error(t.t("group.unavailable"))
                else:
                    state.imported(count)
                    st.rerun()

close_col, delete_col = st.columns(2)
if not session.closed and close_col.button(t.t("dashboard.close"), key="close_session", icon=":material/lock:"):
    try:
        store().close_session(session.id)
    except NotFoundError:
        leave(t.t("dashboard.gone"))
    except StorageError:
        st.error(t.t("group.unavailable"))
    else:
        st.rerun()
with delete_col.expander(t.t("dashboard.delete"), icon=":material/delete_forever:"):
    sure = st.checkbox(t.t("dashboard.delete_confirm"), key="delete_sure")
    if st.button(t.t("dashboard.delete"), type="primary", disabled=not sure, key="delete_session"):
        try:
            store().delete_session(session.id)
        except StorageError:
            st.error(t.t("group.unavailable"))
        else:
            state.set_coach_session(None)
            state.set_session_deleted()
            routes.switch_to("coach")
