"""A coach's dashboard: who finished (live), the group's top matches and profile, each
participant's result, two roles compared for the group, how reliable the quiz was for the group,
exports, import, close and delete.

Reachable only from the Coach page, after the coach secret (or the coach's login) opened the
session in this browser session.

The live part refreshes every 5 seconds with one database read; the group's figures (200
people's Monte Carlo, the reliability report) are computed once per set of results and bank
(`group_view`), since a stored result never changes: a refresh with nobody new recomputes nothing.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NoReturn

import pandas as pd
import streamlit as st

from quiz.charts import counts_figure, group_radar_figure
from quiz.describe import headline, percent
from quiz.explain import join_names
from quiz.export import CSV_ENCODING, session_csv, session_xlsx
from quiz.group import (
    FLAT,
    Participant,
    compare_roles,
    group_frame,
    group_profile,
    group_reliability,
    split_scorable,
    top_match_counts,
)
from quiz.i18n import Strings, strings
from quiz.imports import ImportFileError, read_import
from quiz.model import LANGUAGES, Bank, Lang
from quiz.reliability import READINGS, Figure, ReliabilityReport, Undetermined, interpret, word_key
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


# Groups kept computed per process: a few sessions' latest results, each a few hundred KB.
GROUPS_KEPT = 16


@dataclass(frozen=True)
class GroupView:
    """What the live part shows, computed once per set of results: `frame` is
    `quiz.group.group_frame` (shared by every browser session showing this group: read, never
    changed) and `reliability` the group's reliability report, in the same order."""

    frame: pd.DataFrame
    reliability: ReliabilityReport


@st.cache_resource(show_spinner=False, max_entries=GROUPS_KEPT)
def group_view(
    version: str, database: str, submission_ids: tuple[int, ...], _bank: Bank, _everyone: tuple[Participant, ...]
) -> GroupView:
    """The group's figures, keyed by the bank's version, the database and the ids of the stored
    results: a stored result's answers never change, so the same ids mean the same figures. A new
    result, a withdrawal or an import makes a new key. `_bank` and `_everyone` are not hashed."""
    return GroupView(group_frame(_bank, _everyone), group_reliability(_bank, _everyone))


def view_of(everyone: Sequence[Participant]) -> GroupView:
    database = store().engine.url.render_as_string(hide_password=True)
    return group_view(bank.version, database, tuple(p.id for p in everyone), bank, tuple(everyone))


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
    ranked = [not flat for flat in frame["flat"]]
    shown = pd.DataFrame(
        {
            t.t("dashboard.col_name"): frame["name"],
            t.t("dashboard.col_top"): [
                name_of(r) if ok else t.t("dashboard.flat") for r, ok in zip(frame["top_1"], ranked, strict=True)
            ],
            t.t("dashboard.col_chance"): [
                percent(p, t) if ok else "" for p, ok in zip(frame["top_1_probability"], ranked, strict=True)
            ],
            t.t("dashboard.col_close"): [
                ", ".join(name_of(r) for r in tied.split("|")[1:]) if ok else ""
                for tied, ok in zip(frame["tied_roles"], ranked, strict=True)
            ],
            t.t("dashboard.col_match"): [m if ok else None for m, ok in zip(frame["top_1_match"], ranked, strict=True)],
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
    result = resources.result(person.answers)  # scorable: `everyone` holds only those
    scores, ranking = result.scores, result.ranking
    st.markdown(f"#### {t.t('dashboard.person', name=plain(frame['name'].iloc[rows[0]]))}")
    if ranking.flat:
        st.warning(t.t(f"results.flat_{ranking.flat}"))
    else:
        said = headline(bank, result, t)
        st.markdown(f"**{said.best}** · {round(ranking.top.match)}/100")
        for sentence in (said.ties, said.surer, said.why):
            if sentence:
                st.write(sentence)
    radar(bank, [] if ranking.flat else [ranking.top.role_id], scores, key="person_radar")
    close = len(ranking.tied_top) > 1 and not ranking.flat
    st.dataframe(
        pd.DataFrame(
            {
                t.t("results.col_role"): [name_of(m.role_id) for m in ranking.matches],
                t.t("results.col_match"): [round(m.match, 1) for m in ranking.matches],
                t.t("results.col_probability"): [percent(m.probability or 0.0, t) for m in ranking.matches],
                t.t("results.col_close"): ["=" if close and m.tied_with_top else "" for m in ranking.matches],
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


def figure(value: Figure, digits: int, words: Strings) -> str:
    """A reliability figure as the tab shows it, with the language's decimal sign; "" for none."""
    if isinstance(value, Undetermined):
        return ""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if words.lang == "fr" else text


def words(r: Strings, kind: str, code: str) -> str:
    """The plain words of a reliability code (`quiz.reliability.word_key`)."""
    return r.t(word_key(kind, code))


def why_blank(*values: Figure) -> str | None:
    return next((v.reason for v in values if isinstance(v, Undetermined)), None)


def reliability(report: ReliabilityReport, names: Sequence[str], language: Lang) -> None:
    """The Reliability tab, in the session's language: per dimension in plain words, what that
    means for reading the group's results, the statements to look at, and the participants whose
    answers to read with care (the coach alone sees this page)."""
    r = strings(language)
    st.caption(r.t("reliability.intro"))
    st.markdown(f"#### {r.t('reliability.dimensions')}")
    readings: dict[str, list[str]] = {}
    rows = []
    for d in report.dimensions:
        verdict = interpret(d)
        name = bank.dimension(d.dimension).name(language)
        readings.setdefault(verdict.reading, []).append(name)
        blank = why_blank(d.alpha, d.omega, d.sem)
        interval = (
            f"{figure(d.alpha_low, 2, r)} – {figure(d.alpha_high, 2, r)}"
            if isinstance(d.alpha_low, float) and isinstance(d.alpha_high, float)
            else ""
        )
        rows.append(
            {
                r.t("reliability.col_dimension"): name,
                r.t("reliability.col_level"): words(r, "level", verdict.level),
                r.t("reliability.col_sure"): "" if verdict.reason else words(r, "level", verdict.sure_level),
                r.t("reliability.col_alpha"): figure(d.alpha, 2, r),
                r.t("reliability.col_interval"): interval,
                r.t("reliability.col_omega"): figure(d.omega, 2, r),
                r.t("reliability.col_sem"): figure(d.sem, 1, r),
                r.t("reliability.col_people"): d.n,
                r.t("reliability.col_reason"): words(r, "reason", blank) if blank else "",
            }
        )
    table = pd.DataFrame(rows)
    if not table[r.t("reliability.col_reason")].any():  # every figure given: no column of blanks
        table = table.drop(columns=r.t("reliability.col_reason"))
    with st.container(key="reliability_dimensions"):
        st.dataframe(table, hide_index=True)
    st.caption(r.t("reliability.sem_help"))
    st.markdown(f"#### {r.t('reliability.meaning')}")
    order = [code for code, _ in READINGS] + ["cannot_say"]
    st.markdown(
        "\n".join(
            "- "
            + r.t(
                "reliability.meaning_line",
                dimensions=join_names(readings[code], r),
                reading=words(r, "reading", code),
            )
            for code in order
            if code in readings
        )
    )
    st.markdown(f"#### {r.t('reliability.items')}")
    st.caption(r.t("reliability.items_help"))
    texts = {q.id: q.text(language) for q in bank.questions}
    looked = [item for d in report.dimensions for item in d.items if item.flags]
    if looked:
        with st.container(key="reliability_items"):
            st.dataframe(
                pd.DataFrame(
                    {
                        r.t("reliability.col_statement"): [texts[i.question] for i in looked],
                        r.t("reliability.col_dimension"): [bank.dimension(i.dimension).name(language) for i in looked],
                        r.t("reliability.col_item_total"): [figure(i.item_total, 2, r) for i in looked],
                        r.t("reliability.col_alpha_without"): [figure(i.alpha_if_deleted, 2, r) for i in looked],
                        r.t("reliability.col_why"): ["; ".join(words(r, "item", f) for f in i.flags) for i in looked],
                    }
                ),
                hide_index=True,
            )
    else:
        st.write(r.t("reliability.items_none"))
    st.markdown(f"#### {r.t('reliability.people')}")
    st.caption(r.t("reliability.people_help"))
    flagged = [(name, person) for name, person in zip(names, report.persons, strict=True) if person.flags]
    if flagged:
        with st.container(key="reliability_people"):
            st.dataframe(
                pd.DataFrame(
                    {
                        r.t("reliability.col_person"): [name for name, _ in flagged],
                        r.t("reliability.col_flags"): [
                            "; ".join(words(r, "person", f) for f in person.flags) for _, person in flagged
                        ],
                    }
                ),
                hide_index=True,
            )
    else:
        st.write(r.t("reliability.people_none"))
    no_distance = why_blank(*(person.distance for person in report.persons))
    if no_distance and all(isinstance(person.distance, Undetermined) for person in report.persons):
        st.caption(r.t("reliability.people_no_distance", reason=words(r, "reason", no_distance)))


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
    view = view_of(everyone)
    frame = view.frame
    group_tab, people_tab, compare_tab, reliability_tab = st.tabs(
        [
            t.t("dashboard.tab_overview"),
            t.t("dashboard.tab_people"),
            t.t("dashboard.tab_compare"),
            t.t("reliability.tab"),
        ]
    )
    with group_tab:
        overview(frame)
    with people_tab:
        people(frame, everyone)
    with compare_tab:
        compare(frame)
    with reliability_tab:
        reliability(view.reliability, list(frame["name"]), session.lang)


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
    data=lambda: session_xlsx(bank, participants(), session.lang, datetime.now(UTC)),
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
