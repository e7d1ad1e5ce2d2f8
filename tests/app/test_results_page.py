"""The results and What if? pages under AppTest: a result as sure as it says (the chance in the
headline's words, the runners-up too close to call with the marker the caption describes, what
would make it surer and the way to answer more), a result that cannot be ranked explained
instead, what the job is right under the best match, gaps said with their direction, one
computation per answer set, and What if? on partial answers, with each slider's effect beside
it and a lowering never offered as if it were a gain.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from quiz.describe import chance, describe_role, headline
from quiz.explain import explain, fit_lines, name_in_sentence
from quiz.i18n import strings
from quiz.matching import TIE_MARGIN
from quiz.model import Bank
from quiz.result import person_result
from quiz.scoring import quiz_order
from quiz.whatif import rank_what_if, smallest_change
from tests.support.pages import markdown, no_exception, open_page, page
from tests.support.personas import persona_answers
from webapp import resources

AppFactory = Callable[[], AppTest]
EN, FR = strings("en"), strings("fr")


def results_with(app_test: AppFactory, answers: dict[str, int], locale: str = "en-GB") -> AppTest:
    at = app_test()
    at.context["locale"] = locale
    at.session_state["answers"] = dict(answers)
    open_page(at, "results")
    no_exception(at)
    return at


def ranking_of(at: AppTest) -> list[dict[str, str]]:
    tables = [table.value for table in at.table if EN.t("results.col_rank") in table.value.columns]
    assert len(tables) == 1, "one ranking table"
    return [{str(k): str(v) for k, v in row.items()} for row in tables[0].to_dict("records")]


def first_statements(bank: Bank, answers: dict[str, int], count: int) -> dict[str, int]:
    return {q.id: answers[q.id] for q in quiz_order(bank)[:count]}


class TestTheHeadline:
    def test_a_clear_first_says_its_chance_and_no_runner_up(self, app_test: AppFactory, bank: Bank) -> None:
        answers = persona_answers(bank, "cto")
        at = results_with(app_test, answers)
        head = headline(bank, person_result(bank, answers), EN)

        assert at.subheader[0].value == head.best
        assert head.ties is None and not at.info
        assert EN.t("results.col_marker") not in ranking_of(at)[0]  # no marker when nothing is tied

    def test_runners_up_too_close_to_call_are_named_and_marked_as_the_caption_says(
        self, app_test: AppFactory, bank: Bank
    ) -> None:
        answers = persona_answers(bank, "cpo")
        result = person_result(bank, answers)
        assert len(result.too_close_to_call) > 1, "the CPO persona ties with its neighbour"
        at = results_with(app_test, answers)
        head = headline(bank, result, EN)

        assert [i.value for i in at.info] == [head.ties]
        assert head.surer and head.surer in markdown(at)
        rows = ranking_of(at)
        tied = {f"**{bank.role(m.role_id).name('en')}**" for m in result.too_close_to_call}
        marked = {
            row[EN.t("results.col_role")].split(" · ")[0] for row in rows if row[EN.t("results.col_marker")] == "="
        }
        assert marked == tied  # in bold, and marked
        assert [row[EN.t("results.col_marker")] for row in rows[len(tied) :]] == [""] * (len(rows) - len(tied))
        # The caption describes that very marker.
        assert "'='" in next(c.value for c in at.caption if c.value == EN.t("results.how_to_read"))

    def test_the_chance_is_rounded_as_the_headline_rounds_it_in_french_too(
        self, app_test: AppFactory, bank: Bank
    ) -> None:
        answers = persona_answers(bank, "cto")
        at = results_with(app_test, answers, locale="fr-FR")
        result = person_result(bank, answers)
        table = next(t.value for t in at.table if FR.t("results.col_rank") in t.value.columns)

        chances = list(table[FR.t("results.col_chance")])
        assert chances == [chance(m.probability or 0.0, FR) for m in result.ranking.matches]
        assert chances[0] in at.subheader[0].value
        assert at.subheader[0].value == headline(bank, result, FR).best


class TestPartialAnswers:
    def test_a_partial_result_shows_with_the_way_to_answer_more(self, app_test: AppFactory, bank: Bank) -> None:
        answers = first_statements(bank, persona_answers(bank, "cto"), 17)
        at = results_with(app_test, answers)

        assert at.subheader[0].value == headline(bank, person_result(bank, answers), EN).best
        assert EN.t("results.answered", answered=17, total=len(bank.questions)) in [c.value for c in at.caption]
        at.button(key="more_statements").click().run()
        no_exception(at)
        assert at.title[0].value == EN.t("quiz.title")
        assert at.session_state["every_statement"] is True
        assert at.session_state["answers"] == answers

    def test_a_complete_result_offers_no_more_statements(self, app_test: AppFactory, bank: Bank) -> None:
        at = results_with(app_test, persona_answers(bank, "cto"))
        assert not [b for b in at.button if b.key == "more_statements"]

    def test_the_result_is_computed_once_per_answer_set(
        self, app_test: AppFactory, bank: Bank, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        calls = []
        real = person_result  # what webapp.resources calls

        def counted(*args: object, **kwargs: object) -> object:
            calls.append(1)
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(resources, "person_result", counted)
        answers = first_statements(bank, persona_answers(bank, "digital_pm"), 23)  # used by no other test
        at = results_with(app_test, answers)
        at.selectbox(key="selected_role").set_value("cpo").run()
        at.selectbox(key="selected_role").set_value("cto").run()
        no_exception(at)
        assert len(calls) == 1


class TestAResultThatCannotBeRanked:
    @pytest.mark.parametrize(
        ("reason", "answers_of"),
        [
            ("same_answers", lambda bank: {q.id: 3 for q in bank.questions}),
            ("careless", lambda bank: {q.id: 1 if i % 2 else 5 for i, q in enumerate(quiz_order(bank))}),
        ],
    )
    def test_says_what_was_noticed_and_what_to_do_instead_of_ranking(
        self, app_test: AppFactory, bank: Bank, reason: str, answers_of: Callable[[Bank], dict[str, int]]
    ) -> None:
        answers = answers_of(bank)
        assert person_result(bank, answers).flat == reason
        at = results_with(app_test, answers, locale="fr-FR")

        assert [w.value for w in at.warning] == [FR.t(f"results.flat_{reason}")]
        assert FR.t("results.flat_next") in markdown(at)
        assert not at.subheader and not at.table
        assert at.button(key="explore_roles") and at.button(key="retake")
        assert at.get("plotly_chart"), "the profile is still drawn"


class TestUnderTheBestMatch:
    def test_what_the_job_is_and_the_buttons_that_matter_come_before_the_ranking(
        self, app_test: AppFactory, bank: Bank
    ) -> None:
        at = results_with(app_test, persona_answers(bank, "cto"))
        described = describe_role(bank, bank.role("cto"), EN)
        texts = [m.value for m in at.markdown]
        ranking_at = texts.index(f"### {EN.t('results.ranking')}")
        summary_at = next(i for i, text in enumerate(texts) if described.summary in text)
        points = next(i for i, text in enumerate(texts) if described.sections[0].items[0] in text)

        assert summary_at < ranking_at and points < ranking_at
        three = texts[points].split("\n")
        assert len(three) == 3 and all(line.startswith("- ") for line in three)
        assert at.button(key="what_if") and at.button(key="explore_roles")
        report = [d for d in at.get("download_button") if d.proto.id.endswith("-download_report")]
        assert len(report) == 1


class TestGapsHaveADirection:
    def test_being_above_what_a_job_asks_is_listed_apart_and_not_called_a_weakness(
        self, app_test: AppFactory, bank: Bank
    ) -> None:
        answers = persona_answers(bank, "cto")
        at = results_with(app_test, answers)
        at.selectbox(key="selected_role").set_value("marketing_pm").run()
        no_exception(at)
        explanation = explain(bank, person_result(bank, answers).scores, "marketing_pm")
        above = [f for f in explanation.gaps if f.gap > 0]
        below = [f for f in explanation.gaps if f.gap < 0]
        assert above and below, "the CTO persona is above the marketing PM on technical depth, below on marketing"
        _, lines = fit_lines(bank, EN, explanation)
        text = markdown(at)

        assert f"**{EN.t('results.gaps_above')}**" in text
        assert EN.t("results.above_note") in [c.value for c in at.caption]
        gaps_column = next(
            m.value for m in at.markdown if m.value.startswith("- ") and "below what this job" in m.value
        )
        above_list = next(m.value for m in at.markdown if m.value.startswith("- ") and "above what this job" in m.value)
        assert all("below what this job asks" in line for line in gaps_column.split("\n"))
        assert all("not a weakness" in line for line in above_list.split("\n"))
        assert len(gaps_column.split("\n")) == len(below) and len(above_list.split("\n")) == len(above)
        assert set(lines) == {line.removeprefix("- ") for line in [*gaps_column.split("\n"), *above_list.split("\n")]}


class TestWhatIf:
    def test_works_from_partial_answers(self, app_test: AppFactory, bank: Bank) -> None:
        answers = first_statements(bank, persona_answers(bank, "cto"), 17)
        at = results_with(app_test, answers)
        at.switch_page(page("explore")).run()
        no_exception(at)
        scores = person_result(bank, answers).scores
        assert at.title[0].value == EN.t("explore.title")
        assert [at.slider(key=f"whatif_{d.id}").value for d in bank.dimensions] == [
            round(scores[d.id]) for d in bank.dimensions
        ]

    def test_nothing_answered_points_to_the_quiz(self, app_test: AppFactory) -> None:
        at = app_test()
        at.context["locale"] = "en-GB"
        open_page(at, "explore")
        no_exception(at)
        assert [i.value for i in at.info] == [EN.t("explore.incomplete")]

    def test_a_moved_slider_says_its_effect_right_under_it(self, app_test: AppFactory, bank: Bank) -> None:
        answers = persona_answers(bank, "cto")
        scores = person_result(bank, answers).scores
        at = results_with(app_test, answers)
        at.switch_page(page("explore")).run()
        assert not [c for c in at.caption if c.value.startswith("10 ")]
        at.slider(key="whatif_risk").set_value(10).run()
        no_exception(at)
        now = rank_what_if(bank, scores, {"risk": 10}).top
        effect = EN.t(
            "explore.slider_effect",
            score=10,
            real=round(scores["risk"]),
            role=bank.role(now.role_id).name("en"),
            match=round(now.match),
        )
        # Right under the risk slider, before the next one.
        main = list(at.main)
        where = next(i for i, e in enumerate(main) if getattr(e, "key", None) == "whatif_risk")
        assert getattr(main[where + 1], "value", None) == effect
        assert [c.value for c in at.caption].count(effect) == 1

    def test_a_change_that_lowers_a_score_says_so(self, app_test: AppFactory, bank: Bank) -> None:
        answers = persona_answers(bank, "cto")
        scores = person_result(bank, answers).scores
        at = results_with(app_test, answers)
        at.switch_page(page("explore")).run()
        no_exception(at)
        runner_up = rank_what_if(bank, scores, {}).matches[1]
        change = smallest_change(bank, scores, runner_up.role_id, lead=TIE_MARGIN)
        assert change is not None and change.delta < 0, "the CTO persona's runner-up asks for less risk"
        sentence = EN.t(
            "explore.change_down",
            points=round(-change.delta),
            dimension=name_in_sentence(bank.dimension(change.dimension).name("en")),
            role=bank.role(runner_up.role_id).name("en"),
            score=round(change.new_score),
        )
        assert f"- {sentence}" in markdown(at).split("\n")
        assert sentence.startswith("By being lower, not higher")
