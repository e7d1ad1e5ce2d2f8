"""Results: the top match and why, the ranking of all roles, the radar, strengths and gaps,
and the selected role's sections."""

from collections.abc import Callable
from datetime import datetime

import streamlit as st

from quiz.describe import headline
from quiz.explain import explain, fit_lines, score_meaning, why_sentence
from quiz.export import CSV_ENCODING, answers_csv, matches_csv, my_data_json, scores_csv
from quiz.report import build_report
from quiz.scoring import AnswerError
from webapp import links, resources, routes, seat, state
from webapp.widgets import quiz_first, radar, ranking_table, show_role

t = resources.text()
lang = state.lang()
bank = resources.bank()
answers = state.answers()

st.title(t.t("results.title"))
try:
    result = resources.result(answers)
except AnswerError as error:
    quiz_first(t.t("results.incomplete", missing=len(error.missing), total=len(bank.questions)))
scores, ranking = result.scores, result.ranking
seat.save_result(answers)  # for a participant in a coach's group; says how it went


def restart_buttons() -> None:
    retake, what_if, explore = st.columns(3)
    if retake.button(t.t("results.retake"), key="retake", width="stretch"):
        state.set_quiz({}, 0)
        routes.switch_to("quiz")
    if what_if.button(t.t("results.what_if"), key="what_if", width="stretch"):
        routes.switch_to("explore")
    if explore.button(t.t("results.explore"), key="explore_roles", width="stretch"):
        routes.switch_to("roles")


def dimension_meanings() -> None:
    lines = []
    for dimension in bank.dimensions:
        meaning = score_meaning(dimension, scores[dimension.id])
        lines.append(
            f"- **{dimension.name(lang)}: {round(scores[dimension.id])}/100.** {dimension.description(lang)} "
            f"*{meaning(lang) if meaning else t.t('results.middle')}*"
        )
    with st.expander(t.t("results.dimensions")):
        st.markdown("\n".join(lines))


def keep_buttons() -> None:
    """The report, the result link and the person's own data."""
    st.markdown(f"### {t.t('results.keep')}")
    created = datetime.now().astimezone()
    st.download_button(
        t.t("results.report"),
        data=lambda: build_report(bank, t, answers, created),
        file_name=f"career-quiz-{created:%Y-%m-%d}.pdf",
        mime="application/pdf",
        key="download_report",
        type="primary",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
    )
    st.write(t.t("links.result_help"))
    st.code(links.share_link("results", answers), language=None, wrap_lines=True)
    with st.expander(t.t("results.my_data")):
        st.write(t.t("results.my_data_help"))
        # Made when clicked, not on every rerun; CSV with a byte-order mark, so that Excel reads
        # the accents right.
        downloads: tuple[tuple[str, str, Callable[[], bytes]], ...] = (
            ("answers.csv", "text/csv", lambda: answers_csv(bank, answers, lang).encode(CSV_ENCODING)),
            ("scores.csv", "text/csv", lambda: scores_csv(bank, scores, lang).encode(CSV_ENCODING)),
            ("matches.csv", "text/csv", lambda: matches_csv(bank, ranking, lang).encode(CSV_ENCODING)),
            (
                "my-data.json",
                "application/json",
                lambda: my_data_json(bank, answers, scores, ranking, lang, created).encode(),
            ),
        )
        for name, mime, content in downloads:
            st.download_button(name, data=content, file_name=name, mime=mime, key=f"download_{name}", on_click="ignore")


if ranking.flat:
    st.warning(t.t(f"results.flat_{ranking.flat}"))
    st.write(t.t("results.flat_next"))
    radar(bank, [], scores, key="radar_flat")
    dimension_meanings()
    keep_buttons()
    restart_buttons()
    st.stop()

top = bank.role(ranking.top.role_id)
head = headline(bank, result, t)
st.subheader(head.best)
if head.ties:
    st.info(head.ties)
st.write(head.why)

st.markdown(f"### {t.t('results.ranking')}")
ranking_table(bank, ranking, details=True)
st.caption(t.t("results.how_to_read"))

st.markdown(f"### {t.t('results.profile')}")
role_names = {m.role_id: bank.role(m.role_id).name(lang) for m in ranking.matches}
selected = st.selectbox(
    t.t("results.select_role"),
    options=list(role_names),
    format_func=role_names.__getitem__,
    key=state.translated("selected_role"),
)
overlay = st.multiselect(
    t.t("results.overlay"),
    options=list(role_names),
    format_func=role_names.__getitem__,
    key=state.translated("overlay_roles"),
    max_selections=3,
    placeholder=t.t("results.overlay_placeholder"),
)
radar(bank, [selected, *(r for r in overlay if r != selected)], scores, key="radar_results")
dimension_meanings()

explanation = explain(bank, scores, selected)
match = next(m.match for m in ranking.matches if m.role_id == selected)
st.markdown(f"### {t.t('results.why', role=role_names[selected], match=round(match))}")
if selected != top.id:  # the top match's sentence is already at the top of the page
    st.write(why_sentence(bank, explanation, t))
strength_lines, gap_lines = fit_lines(bank, t, explanation)
for column, heading, lines in zip(
    st.columns(2), ("results.strengths", "results.gaps"), (strength_lines, gap_lines), strict=True
):
    with column:
        st.markdown(f"**{t.t(heading)}**")
        st.markdown("\n".join(f"- {line}" for line in lines) or t.t("results.none"))

keep_buttons()
st.divider()
show_role(bank, bank.role(selected))
st.divider()
restart_buttons()
