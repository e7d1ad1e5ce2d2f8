"""The pages, run headless with Streamlit's AppTest: every page in both languages, the quiz flow
(validation, Back, language switch, finish), the results in their three states, the roles page
and its links, and a broken bank.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_args

import pytest
from streamlit.testing.v1 import AppTest

from quiz.adaptive import next_step, progress
from quiz.banks import DATA_DIR
from quiz.describe import chance
from quiz.i18n import strings
from quiz.links import LinkErrorReason, encode_answers
from quiz.model import Bank
from quiz.result import person_result
from quiz.scoring import score_answers
from quiz.whatif import rank_what_if
from tests.support.pages import (
    answer_shown,
    finish_quiz,
    markdown,
    no_exception,
    open_page,
    page,
    shown_questions,
    texts,
)
from tests.support.paths import ROOT
from webapp.links import LINK_PARAM
from webapp.routes import PageName

PAGES: dict[PageName, str] = {
    "home": "home.title",
    "quiz": "quiz.title",
    "results": "results.title",
    "explore": "explore.title",
    "roles": "roles.title",
    "join": "group.join_title",
    "coach": "coach.title",
    "dashboard": "nav.dashboard",  # without a session opened: the way to the Coach page
    "withdraw": "group.withdraw_title",
}
LOCALES = {"fr-FR": "fr", "en-GB": "en"}
EN, FR = strings("en"), strings("fr")
# A translation key shown as is (Strings.t returns the key when it is missing), e.g. "results.xyz".
UNTRANSLATED = re.compile(
    r"\b(?:nav|errors|home|quiz|scale|results|explain|chart|roles|section|family|level|links|explore|weight"
    r"|group|coach|dashboard|imports)"
    r"\.[a-z0-9_]+\b"
)

AppFactory = Callable[[], AppTest]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def untranslated(at: AppTest) -> list[str]:
    return sorted({m.group(0) for text in texts(at._tree) for m in UNTRANSLATED.finditer(text)})


def step_ids(bank: Bank, answers: dict[str, int], step: int) -> list[str]:
    """The question ids of the adaptive quiz's step (0-based) for someone answering `answers`,
    in the order shown."""
    given: dict[str, int] = {}
    for _ in range(step):
        given.update((q.id, answers[q.id]) for q in next_step(bank, given))
    return [q.id for q in next_step(bank, given)]


def question_radios(at: AppTest) -> list[str]:
    return [f"q_{i}" for i in shown_questions(at)]


def answer_step(at: AppTest, answers: dict[str, int]) -> None:
    """Set every question radio shown from `answers` (question id -> 1..5), without running."""
    answer_shown(at, answers)


def about_more(bank: Bank, answers: dict[str, int], steps: int) -> int:
    """ "About N more" as the adaptive quiz says it after `steps` steps of these answers."""
    given = {i: answers[i] for step in range(steps) for i in step_ids(bank, answers, step)}
    return progress(bank, given).about_more


def plotly_specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


# ---------------------------------------------------------------------------------------------
# Every page, both languages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", [*PAGES, "results_complete", "explore_complete"])
def test_every_page_runs_in_both_languages(
    app_test: AppFactory, cto_answers: dict[str, int], name: str, locale: str
) -> None:
    lang = LOCALES[locale]
    at = app_test()
    at.context["locale"] = locale  # what state.init reads on the first run
    if name.endswith("_complete"):
        at.session_state["answers"] = dict(cto_answers)
        name = name.removesuffix("_complete")
    open_page(at, name)

    no_exception(at)
    assert at.session_state["lang"] == lang
    assert at.title[0].value == strings(lang).t(PAGES[name])
    assert at.radio(key="lang").value == lang
    assert untranslated(at) == []


def test_explicit_language_wins_over_the_browser_locale(app_test: AppFactory) -> None:
    at = app_test()
    at.context["locale"] = "fr-FR"
    at.session_state["lang"] = "en"
    at.run()
    no_exception(at)
    assert at.title[0].value == EN.t("home.title")


def test_unknown_locale_falls_back_to_french(app_test: AppFactory) -> None:
    at = app_test()
    at.context["locale"] = "de-DE"
    at.run()
    assert at.session_state["lang"] == "fr"
    assert at.title[0].value == FR.t("home.title")


def test_language_radio_switches_the_page(app_test: AppFactory) -> None:
    at = app_test()
    at.context["locale"] = "fr-FR"
    at.run()
    at.radio(key="lang").set_value("en").run()
    no_exception(at)
    assert at.title[0].value == EN.t("home.title")
    assert at.button(key="start").label == EN.t("home.start")


# ---------------------------------------------------------------------------------------------
# Home
# ---------------------------------------------------------------------------------------------


def test_home_shows_title_and_start_button_that_opens_the_quiz(app_test: AppFactory, bank: Bank) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    at.run()
    no_exception(at)
    assert at.title[0].value == EN.t("home.title")
    start = at.button(key="start")
    assert start.label == EN.t("home.start")

    start.click().run()
    no_exception(at)
    assert at.title[0].value == EN.t("quiz.title")
    assert question_radios(at) == [f"q_{i}" for i in step_ids(bank, {}, 0)]


def test_home_spells_out_cto_and_cpo(app_test: AppFactory) -> None:
    for locale, words in {
        "en-GB": ["Chief Technology Officer", "Chief Product Officer"],
        "fr-FR": [
            "directeur ou directrice technique",
            "directeur ou directrice produit",
        ],
    }.items():
        at = app_test()
        at.context["locale"] = locale
        at.run()
        assert all(word in markdown(at) for word in words), markdown(at)


def test_home_offers_to_resume_a_started_quiz(app_test: AppFactory, bank: Bank) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    at.session_state["answers"] = {"tech_1": 4, "customer_1": 2}
    at.run()
    assert at.button(key="start").label == EN.t("home.resume", answered=2, total=len(bank.questions))


def test_home_explore_button_opens_the_roles(app_test: AppFactory) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    at.run()
    at.button(key="explore").click().run()
    no_exception(at)
    assert at.title[0].value == EN.t("roles.title")


# ---------------------------------------------------------------------------------------------
# Quiz
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def quiz(app_test: AppFactory) -> AppTest:
    """The quiz page in English, nothing answered."""
    at = app_test()
    at.context["locale"] = "en-GB"
    return open_page(at, "quiz")


def test_next_with_unanswered_items_names_them_and_stays(quiz: AppTest, bank: Bank) -> None:
    first = step_ids(bank, {}, 0)
    quiz.radio(key=f"q_{first[0]}").set_value(4)
    quiz.radio(key=f"q_{first[2]}").set_value(2)
    quiz.button(key="next").click().run()  # the step is a form: its choices travel with Next

    no_exception(quiz)
    assert [e.value for e in quiz.error] == [EN.t("quiz.missing", numbers="2, 4, 5")]
    assert quiz.session_state["step"] == 0
    assert question_radios(quiz) == [f"q_{i}" for i in first]
    # What was answered is kept.
    assert quiz.radio(key=f"q_{first[0]}").value == 4
    assert quiz.radio(key=f"q_{first[2]}").value == 2


def test_next_with_nothing_answered_names_every_item(quiz: AppTest) -> None:
    quiz.button(key="next").click().run()
    assert [e.value for e in quiz.error] == [EN.t("quiz.missing", numbers="1, 2, 3, 4, 5")]
    assert quiz.session_state["step"] == 0


def test_back_is_disabled_on_the_first_step(quiz: AppTest) -> None:
    assert quiz.button(key="back").disabled


def test_answering_a_step_and_next_moves_on(quiz: AppTest, bank: Bank, cto_answers: dict[str, int]) -> None:
    assert question_radios(quiz) == [f"q_{i}" for i in step_ids(bank, cto_answers, 0)]
    answer_step(quiz, cto_answers)
    quiz.button(key="next").click().run()

    no_exception(quiz)
    assert not quiz.error
    assert quiz.session_state["step"] == 1
    second = step_ids(bank, cto_answers, 1)
    assert question_radios(quiz) == [f"q_{i}" for i in second]
    # Step 2 is numbered on from step 1 and starts unanswered.
    assert quiz.radio(key=f"q_{second[0]}").label.startswith("6. ")
    assert all(quiz.radio(key=k).value is None for k in question_radios(quiz))
    # Adaptive: the progress says how many were answered and about how many are still to come.
    assert quiz.get("progress")[0].proto.text == EN.t(
        "quiz.progress_adaptive", answered=5, more=about_more(bank, cto_answers, 1)
    )


def test_progress_counts_the_answers_just_given(quiz: AppTest, bank: Bank, cto_answers: dict[str, int]) -> None:
    """The progress line must count the answers of the run it is shown in: the step's choices
    arrive with its Next (a form), and the line drawn in that run counts them, even when Next
    refuses to move on because some are missing."""
    first = step_ids(bank, cto_answers, 0)
    for question_id in first[:2]:
        quiz.radio(key=f"q_{question_id}").set_value(cto_answers[question_id])
    quiz.button(key="next").click().run()
    assert quiz.get("progress")[0].proto.text == EN.t(
        "quiz.progress_adaptive", answered=2, more=about_more(bank, cto_answers, 0) - 2
    )


def test_back_keeps_the_answers(quiz: AppTest, bank: Bank, cto_answers: dict[str, int]) -> None:
    answer_step(quiz, cto_answers)
    quiz.button(key="next").click().run()
    second = step_ids(bank, cto_answers, 1)
    quiz.radio(key=f"q_{second[0]}").set_value(1)  # half-way through step 2

    quiz.button(key="back").click().run()  # Back sends the step's choices too
    no_exception(quiz)
    assert quiz.session_state["step"] == 0
    assert {k: quiz.radio(key=k).value for k in question_radios(quiz)} == {
        f"q_{i}": cto_answers[i] for i in step_ids(bank, cto_answers, 0)
    }

    quiz.button(key="next").click().run()  # back to the step asked, not a new one
    assert question_radios(quiz) == [f"q_{i}" for i in second]
    assert quiz.radio(key=f"q_{second[0]}").value == 1
    assert quiz.session_state["answers"][second[0]] == 1


def test_switching_language_mid_quiz_keeps_answers_and_step(
    quiz: AppTest, bank: Bank, cto_answers: dict[str, int]
) -> None:
    answer_step(quiz, cto_answers)
    quiz.button(key="next").click().run()
    second = step_ids(bank, cto_answers, 1)
    quiz.radio(key=f"q_{second[0]}").set_value(5)
    quiz.radio(key=f"q_{second[1]}").set_value(2)
    # Sent with Next (which refuses to move on: three are missing). Choices not yet sent that
    # survive a language switch are the browser's part: tests/browser checks that.
    quiz.button(key="next").click().run()
    before = dict(quiz.session_state["answers"])

    quiz.radio(key="lang").set_value("fr").run()
    no_exception(quiz)
    assert quiz.title[0].value == FR.t("quiz.title")
    assert quiz.session_state["step"] == 1
    assert quiz.session_state["answers"] == before
    assert question_radios(quiz) == [f"q_{i}" for i in second]  # the step asked, not chosen anew
    assert quiz.radio(key=f"q_{second[0]}").label == f"6. {bank.question(second[0]).text('fr')}"
    assert quiz.radio(key=f"q_{second[0]}").value == 5
    assert quiz.radio(key=f"q_{second[1]}").value == 2
    assert quiz.radio(key=f"q_{second[2]}").value is None
    # The options are the scale's numbers; its words, in the page's language, are their captions.
    assert quiz.radio(key=f"q_{second[0]}").options == [str(v) for v in range(1, 6)]
    assert list(quiz.radio(key=f"q_{second[0]}").proto.captions) == [FR.t(f"scale.{v}") for v in range(1, 6)]

    quiz.button(key="back").click().run()
    assert {k: quiz.radio(key=k).value for k in question_radios(quiz)} == {
        f"q_{i}": cto_answers[i] for i in step_ids(bank, cto_answers, 0)
    }


def test_the_adaptive_quiz_reaches_the_results_once_it_is_sure(
    quiz: AppTest, bank: Bank, cto_answers: dict[str, int]
) -> None:
    asked = finish_quiz(quiz, cto_answers)

    assert quiz.title[0].value == EN.t("results.title")
    answered = [i for step in asked for i in step]
    assert len(answered) < len(bank.questions)  # it stopped before the end: sure enough
    assert quiz.session_state["answers"] == {i: cto_answers[i] for i in answered}
    assert progress(bank, quiz.session_state["answers"]).reason == "sure"
    assert bank.role("cto").name("en") in quiz.subheader[0].value


def test_answering_every_statement_asks_the_whole_bank(quiz: AppTest, bank: Bank, cto_answers: dict[str, int]) -> None:
    quiz.toggle(key="every_toggle").set_value(True).run()
    no_exception(quiz)
    assert quiz.session_state["every_statement"] is True
    steps = -(-len(bank.questions) // 5)
    assert quiz.get("progress")[0].proto.text == EN.t(
        "quiz.progress", step=1, steps=steps, answered=0, total=len(bank.questions)
    )
    finish_quiz(quiz, cto_answers)
    assert quiz.title[0].value == EN.t("results.title")
    assert quiz.session_state["answers"] == cto_answers


# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


def results_with(app_test: AppFactory, answers: dict[str, int], locale: str = "en-GB") -> AppTest:
    at = app_test()
    at.context["locale"] = locale
    at.session_state["answers"] = dict(answers)
    open_page(at, "results")
    no_exception(at)
    return at


def test_results_say_what_each_dimension_score_means(
    app_test: AppFactory, bank: Bank, cto_answers: dict[str, int]
) -> None:
    at = results_with(app_test, cto_answers, locale="fr-FR")
    expander = next(e for e in at.expander if e.label == FR.t("results.dimensions"))
    text = "\n".join(m.value for m in expander.markdown)
    tech, marketing = bank.dimension("tech"), bank.dimension("marketing")
    # The CTO persona is high on technical depth and low on marketing.
    assert tech.high("fr") in text and tech.low("fr") not in text
    assert marketing.low("fr") in text and marketing.high("fr") not in text


def test_results_show_top_match_radar_ranking_and_explanation(
    app_test: AppFactory, bank: Bank, cto_answers: dict[str, int]
) -> None:
    at = results_with(app_test, cto_answers)
    cto = bank.role("cto").name("en")

    assert at.subheader[0].value.startswith(EN.t("results.most_likely", role=cto, chance="").removesuffix("()"))
    assert not at.warning

    specs = plotly_specs(at)
    assert specs, "no radar on the results page"
    traces = specs[0]["data"]
    assert traces and all(trace["type"] == "scatterpolar" for trace in traces)
    names = [trace["name"] for trace in traces]
    assert cto in names and EN.t("chart.you") in names
    theta = [label.replace("<br>", " ") for label in traces[-1]["theta"]]  # long labels may wrap
    assert theta == [*(d.name("en") for d in bank.dimensions), bank.dimensions[0].name("en")]  # closed

    # Most likely first (not by match): each role with its level, and its chance in the
    # headline's words.
    ranking = next(table.value for table in at.table if EN.t("results.col_rank") in table.value.columns)
    expected = person_result(bank, cto_answers).ranking.matches
    roles = [bank.role(m.role_id) for m in expected]
    assert len(ranking) == len(bank.roles)
    assert ranking[EN.t("results.col_role")].iloc[0].startswith(cto)
    assert list(ranking[EN.t("results.col_role")]) == [f"{r.name('en')} · *{EN.t('level.' + r.level)}*" for r in roles]
    assert list(ranking[EN.t("results.col_rank")]) == [str(rank) for rank in range(1, len(bank.roles) + 1)]
    assert list(ranking[EN.t("results.col_chance")]) == [chance(m.probability or 0.0, EN) for m in expected]
    assert chance(expected[0].probability or 0.0, EN) in at.subheader[0].value  # as the headline rounds it
    matches = [int(value) for value in ranking[EN.t("results.col_score")]]
    assert matches == [round(m.match) for m in expected]

    text = markdown(at)
    assert EN.t("results.ranking") in text
    assert EN.t("results.strengths") in text
    assert EN.t("results.gaps") in text
    assert EN.t("results.why", role=cto, match=round(matches[0])) in text
    # The selected role (the top one by default) is described below, sections included.
    assert f"**{EN.t('section.responsibilities')}**" in text
    assert at.selectbox(key="selected_role").value == "cto"
    assert untranslated(at) == []


def test_results_in_french(app_test: AppFactory, bank: Bank, cto_answers: dict[str, int]) -> None:
    at = results_with(app_test, cto_answers, locale="fr-FR")
    assert bank.role("cto").name("fr") in at.subheader[0].value
    assert FR.t("results.strengths") in markdown(at)
    assert plotly_specs(at)[0]["data"][-1]["name"] == FR.t("chart.you")


def test_choosing_another_role_updates_the_explanation(
    app_test: AppFactory, bank: Bank, cto_answers: dict[str, int]
) -> None:
    at = results_with(app_test, cto_answers)
    at.selectbox(key="selected_role").set_value("cpo").run()
    no_exception(at)
    cpo = bank.role("cpo").name("en")
    assert any(
        h.startswith(f"### {EN.t('results.why', role=cpo, match=0).split('(')[0]}") for h in markdown(at).split("\n")
    )
    assert cpo in [trace["name"] for trace in plotly_specs(at)[0]["data"]]


def test_results_with_all_neutral_answers_warn_instead_of_ranking(app_test: AppFactory, bank: Bank) -> None:
    at = results_with(app_test, {q.id: 3 for q in bank.questions})
    assert [w.value for w in at.warning] == [EN.t("results.flat_same_answers")]
    assert not at.subheader  # no top match
    assert not any(EN.t("results.col_rank") in table.value.columns for table in at.table)
    assert EN.t("results.ranking") not in markdown(at)
    assert at.button(key="retake") and at.button(key="explore_roles")


def test_results_without_answers_point_to_the_quiz(app_test: AppFactory, bank: Bank) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    open_page(at, "results")
    no_exception(at)
    total = len(bank.questions)
    assert [i.value for i in at.info] == [EN.t("results.incomplete", missing=total, total=total)]
    assert not at.get("plotly_chart")

    at.button(key="to_quiz").click().run()
    no_exception(at)
    assert at.title[0].value == EN.t("quiz.title")


def test_retake_clears_the_answers(app_test: AppFactory, cto_answers: dict[str, int]) -> None:
    at = results_with(app_test, cto_answers)
    at.button(key="retake").click().run()
    no_exception(at)
    assert at.title[0].value == EN.t("quiz.title")
    assert at.session_state["answers"] == {}
    assert all(at.radio(key=k).value is None for k in question_radios(at))


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------


def roles_page(app_test: AppFactory, compare: str | None = None, locale: str = "en-GB") -> AppTest:
    at = app_test()
    at.context["locale"] = locale
    at.run()
    if compare is not None:
        at.query_params["compare"] = compare
    at.switch_page(page("roles")).run()
    no_exception(at)
    return at


def pair(at: AppTest) -> tuple[str, str]:
    return at.selectbox(key="compare_a").value, at.selectbox(key="compare_b").value


def test_pair_buttons_select_the_pair(app_test: AppFactory, bank: Bank) -> None:
    at = roles_page(app_test)
    cto, cpo = bank.role("cto").name("en"), bank.role("cpo").name("en")
    button = at.button(key="pair_cto_cpo")
    assert button.label == f"{cto} ↔ {cpo}"

    at.button(key="pair_digital_pm_marketing_pm").click().run()
    no_exception(at)
    assert pair(at) == ("digital_pm", "marketing_pm")
    at.selectbox(key="compare_a").set_value("ux_designer").run()
    assert pair(at) == ("ux_designer", "marketing_pm")

    at.button(key="pair_cto_cpo").click().run()
    no_exception(at)
    assert pair(at) == ("cto", "cpo")
    assert at.query_params["compare"] == "cto,cpo"  # the link to share
    assert [s.value for s in at.subheader][:2] == [cto, cpo]
    assert f"**{EN.t('section.frictions')}**" in markdown(at)
    names = [trace["name"] for trace in plotly_specs(at)[0]["data"]]
    assert names == [cto, cpo]  # no quiz taken: the roles alone


def test_compare_link_preselects_the_pair(app_test: AppFactory, bank: Bank) -> None:
    at = roles_page(app_test, compare="digital_pm,marketing_pm")
    assert not at.warning
    assert pair(at) == ("digital_pm", "marketing_pm")
    names = [bank.role("digital_pm").name("en"), bank.role("marketing_pm").name("en")]
    assert [s.value for s in at.subheader][:2] == names
    assert [trace["name"] for trace in plotly_specs(at)[0]["data"]] == names


@pytest.mark.parametrize("link", ["xyz", "cto", "cto,nobody", "cto,cpo,cto", ","])
def test_garbled_compare_link_warns_and_keeps_the_default(app_test: AppFactory, link: str) -> None:
    at = roles_page(app_test, compare=link)
    assert [w.value for w in at.warning] == [EN.t("roles.bad_link", link=link)]
    assert pair(at) == ("cto", "cpo")


def test_compare_link_with_an_extra_unknown_role_warns(app_test: AppFactory) -> None:
    """`?compare=cto,cpo,cfo` is not "two known roles" either: the page must say so rather than
    silently drop `cfo` (webapp/pages/roles.py counts only the known ids, so it sees a valid pair)."""
    at = roles_page(app_test, compare="cto,cpo,cfo")
    assert [w.value for w in at.warning] == [EN.t("roles.bad_link", link="cto,cpo,cfo")]


def test_roles_compare_overlays_a_finished_quiz(app_test: AppFactory, cto_answers: dict[str, int]) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    at.session_state["answers"] = dict(cto_answers)
    open_page(at, "roles")
    no_exception(at)
    assert plotly_specs(at)[0]["data"][-1]["name"] == EN.t("chart.you")


def test_browse_filters_by_family(app_test: AppFactory, bank: Bank) -> None:
    at = roles_page(app_test)
    everything = len(at.expander)
    assert everything == len(bank.roles)
    at.multiselect(key="browse_families").set_value(["marketing"]).run()
    no_exception(at)
    marketing = [r for r in bank.roles if r.family == "marketing"]
    assert len(at.expander) == len(marketing)
    assert {e.label.split(" · ")[0] for e in at.expander} == {r.name("en") for r in marketing}


# ---------------------------------------------------------------------------------------------
# A broken bank
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def broken_bank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ with a question on an unknown dimension and a role with a bad level,
    served through QUIZ_DATA_DIR (resources.bank() caches per folder)."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    questions = folder / "questions.csv"
    questions.write_text(
        questions.read_text(encoding="utf-8").replace("tech_1,tech,+", "tech_1,tehc,+", 1), encoding="utf-8"
    )
    roles = folder / "roles.csv"
    roles.write_text(roles.read_text(encoding="utf-8").replace("cto,tech,executive", "cto,tech,boss", 1), "utf-8")
    monkeypatch.setenv("QUIZ_DATA_DIR", str(folder))
    return folder


@pytest.mark.parametrize("name", [p for p in PAGES if p != "withdraw"])  # withdrawing needs no bank
def test_broken_bank_shows_the_problems_not_a_traceback(app_test: AppFactory, broken_bank: Path, name: str) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    open_page(at, name)
    no_exception(at)
    assert [e.value for e in at.error] == [EN.t("errors.bank")]
    problems = at.code[0].value
    assert "questions.csv" in problems and "tehc" in problems
    assert "roles.csv" in problems and "boss" in problems


def test_the_bank_served_is_the_real_one_by_default(app_test: AppFactory, bank: Bank) -> None:
    """After a broken-bank test, the default folder still gives a working app (per-folder cache)."""
    at = app_test()
    at.context["locale"] = "en-GB"
    at.run()
    no_exception(at)
    assert not at.error
    assert str(len(bank.questions)) in markdown(at)


# ---------------------------------------------------------------------------------------------
# Without the test-only navigation patch
# ---------------------------------------------------------------------------------------------


def test_page_runs_on_a_first_run_without_the_router() -> None:
    """A page opened by a fresh run must go through app.py's router.

    Streamlit treats a folder named `pages/` next to the main script as a legacy multipage app
    until `st.navigation` has run once in the process: a first request for a page would run that
    page alone, without app.py (no session defaults, KeyError 'answers'). That is why the page
    scripts live in `webapp/pages/`, inside the package, where that mode does not look; this test
    and test_browser.py::test_deep_link_on_a_fresh_server keep it so.
    """
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.context["locale"] = "en-GB"
    at.switch_page(page("quiz")).run()
    no_exception(at)
    assert at.title[0].value == EN.t("quiz.title")


# ---------------------------------------------------------------------------------------------
# Links and what if
# ---------------------------------------------------------------------------------------------


def test_a_result_link_loads_the_answers_and_shows_the_result(
    app_test: AppFactory, bank: Bank, cto_answers: dict[str, int]
) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    at.query_params[LINK_PARAM] = encode_answers(bank, cto_answers)
    open_page(at, "results")
    no_exception(at)
    assert at.session_state["answers"] == cto_answers
    assert bank.role("cto").name("en") in at.subheader[0].value
    link = next(c.value for c in at.code if f"?{LINK_PARAM}=" in c.value)
    assert link.endswith(f"/results?{LINK_PARAM}={encode_answers(bank, cto_answers)}")


def test_a_continue_link_resumes_at_the_first_unfinished_step(
    app_test: AppFactory, bank: Bank, cto_answers: dict[str, int]
) -> None:
    """The link carries which statements were answered; the adaptive quiz, replayed, gives the
    steps they were asked in, and the quiz opens at the one left half answered."""
    third_step = step_ids(bank, cto_answers, 2)
    given = [*step_ids(bank, cto_answers, 0), *step_ids(bank, cto_answers, 1), *third_step[:2]]
    at = app_test()
    at.context["locale"] = "en-GB"
    at.query_params[LINK_PARAM] = encode_answers(bank, {i: cto_answers[i] for i in given})
    open_page(at, "quiz")
    no_exception(at)
    assert at.session_state["step"] == 2
    assert question_radios(at) == [f"q_{i}" for i in third_step]
    assert [at.radio(key=f"q_{i}").value for i in third_step] == [cto_answers[i] for i in third_step[:2]] + [None] * 3
    assert at.radio(key=f"q_{third_step[0]}").label.startswith("11. ")


@pytest.mark.parametrize("token", ["garbage!!", "AAAA", ""])
def test_a_bad_link_says_so_and_changes_nothing(app_test: AppFactory, cto_answers: dict[str, int], token: str) -> None:
    at = app_test()
    at.context["locale"] = "en-GB"
    at.session_state["answers"] = dict(cto_answers)
    at.query_params[LINK_PARAM] = token
    open_page(at, "results")
    no_exception(at)
    assert at.session_state["answers"] == cto_answers
    messages = {EN.t(f"links.error_{reason}") for reason in get_args(LinkErrorReason)}
    errors = [e.value for e in at.error]
    if token:
        assert errors and set(errors) <= messages
    else:  # an empty parameter is no link at all
        assert errors == []


def test_the_what_if_page_reranks_when_a_slider_moves(
    app_test: AppFactory, bank: Bank, cto_answers: dict[str, int]
) -> None:
    at = results_with(app_test, cto_answers)
    at.switch_page(page("explore")).run()
    no_exception(at)
    # The role that comes first with these moves depends on the bank's profiles: ask the domain.
    moved = rank_what_if(bank, score_answers(bank, cto_answers), {"risk": 10, "leadership": 60}).top.role_id
    cto, other = bank.role("cto").name("en"), bank.role(moved).name("en")
    assert moved != "cto"
    assert cto in at.subheader[0].value
    at.slider(key="whatif_risk").set_value(10).run()
    at.slider(key="whatif_leadership").set_value(60).run()
    assert other in at.subheader[0].value
    # The real results are untouched.
    assert at.session_state["answers"] == cto_answers


def test_priorities_rerank_and_say_what_moved(app_test: AppFactory, cto_answers: dict[str, int]) -> None:
    at = results_with(app_test, cto_answers)
    at.switch_page(page("explore")).run()
    at.multiselect(key="priorities").set_value(["customer", "ux"]).run()
    no_exception(at)
    text = markdown(at)
    assert "moves up" in text or EN.t("explore.unchanged") in text
