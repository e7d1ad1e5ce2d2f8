"""Results: the most likely role with its chance, the roles too close to call with it, what
would make the result surer, what the job is and the buttons that matter; then the ranking of
every role, the radar, strengths and gaps (with their direction), and the selected role's
sections. A result that cannot be ranked (flat, careless or inconsistent answering) says what
was noticed and what to do instead.

Everything shown comes from `resources.result(answers)`, computed once per answer set (the
figures are cached too), so that choosing another role to compare reruns only what it shows.
"""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import streamlit as st

from quiz.describe import headline
from quiz.explain import explain, fit_lines, score_meaning, why_sentence
from quiz.export import CSV_ENCODING, answers_csv, matches_csv, my_data_json, scores_csv
from quiz.report import build_report
from quiz.scoring import AnswerError
from webapp import links, resources, routes, seat, state
from webapp.widgets import key_points, quiz_first, radar, ranking_table, show_role

t = resources.text()
lang = state.lang()
bank = resources.bank()
answers = state.answers()

st.title(t.t("results.title"))
try:
    result = resources.result(answers)
except AnswerError as error:
    quiz_first(t.t("results.incomplete", missing=len(error.missing), total=len(bank.questions)))
links.keep_in_address(answers)  # a refresh, back/forward or a lost connection keeps the result
scores, ranking = result.scores, result.ranking
seat.save_result(answers)  # for a participant in a coach's group; says how it went


def answer_more() -> None:
    """How many statements the result rests on, and the way to answer the others."""
    st.caption(t.t("results.answered", answered=sum(result.estimate.answered), total=len(bank.questions)))
    if st.button(t.t("results.more_statements"), key="more_statements", icon=":material/playlist_add:"):
        state.set_every_statement(True)
        routes.switch_to("quiz")


def report_button() -> None:
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
        width="stretch",
    )


def next_buttons() -> None:
    """The buttons that matter, right under the best match: the report, What if?, the roles."""
    report, what_if, explore = st.columns(3)
    with report:
        report_button()
    if what_if.button(t.t("results.what_if"), key="what_if", width="stretch"):
        routes.switch_to("explore")
    if explore.button(t.t("results.explore"), key="explore_roles", width="stretch"):
        routes.switch_to("roles")


def retake_button() -> None:
    if st.button(t.t("results.retake"), key="retake"):
        state.set_quiz({}, 0)
        routes.switch_to("quiz")


def dimension_meanings() -> None:
    lines = []
    for dimension in bank.dimensions:
        meaning = score_meaning(dimension, scores[dimension.id])
        score = t.t("results.score_line", dimension=dimension.name(lang), score=round(scores[dimension.id]))
        lines.append(
            f"- **{score}** {dimension.description(lang)} *{meaning(lang) if meaning else t.t('results.middle')}*"
        )
    with st.expander(t.t("results.dimensions")):
        st.markdown("\n".join(lines))


def keep() -> None:
    """The result link and the person's own data (the report is at the top)."""
    st.markdown(f"### {t.t('results.keep')}")
    st.write(t.t("links.result_help"))
    st.code(links.share_link("results", answers), language=None, wrap_lines=True)
    created = datetime.now().astimezone()
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


if result.flat:
    # What was noticed, kindly, and what to do: no ranking, it would be noise.
    st.warning(t.t(f"results.flat_{result.flat}"))
    st.write(t.t("results.flat_next"))
    if not result.complete and result.flat == "no_contrast":  # more statements may bring out a contrast
        answer_more()
    explore_roles = st.columns(2)
    with explore_roles[0]:
        report_button()
    if explore_roles[1].button(t.t("results.explore"), key="explore_roles", width="stretch"):
        routes.switch_to("roles")
    st.markdown(f"### {t.t('results.profile')}")
    radar(bank, [], scores, key="radar_flat")
    dimension_meanings()
    keep()
    st.divider()
    retake_button()
    st.stop()

head = headline(bank, result, t)
top = bank.role(head.role_id)
st.subheader(head.best)
if head.ties:
    st.info(head.ties)
if head.surer:
    st.write(head.surer)
st.write(head.why)
if not result.complete:
    answer_more()

# What the job is, right away (on a phone the ranking below is long), and the buttons that matter.
st.markdown(f"**{t.t('results.job', role=top.name(lang))}**")
key_points(bank, top)
next_buttons()

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
# A gap has a direction: below what the job asks is something to grow; above it is not a
# weakness (the job simply uses less of it), so it is listed apart and said so.
below = replace(explanation, gaps=tuple(f for f in explanation.gaps if f.gap < 0))
above = replace(explanation, gaps=tuple(f for f in explanation.gaps if f.gap > 0))
strength_lines, below_lines = fit_lines(bank, t, below)
_, above_lines = fit_lines(bank, t, above)
for column, heading, lines in zip(
    st.columns(2), ("results.strengths", "results.gaps"), (strength_lines, below_lines), strict=True
):
    with column:
        st.markdown(f"**{t.t(heading)}**")
        st.markdown("\n".join(f"- {line}" for line in lines) or t.t("results.none"))
if above_lines:
    st.markdown(f"**{t.t('results.gaps_above')}**")
    st.caption(t.t("results.above_note"))
    st.markdown("\n".join(f"- {line}" for line in above_lines))

keep()
st.divider()
show_role(bank, bank.role(selected))
st.divider()
retake_button()
