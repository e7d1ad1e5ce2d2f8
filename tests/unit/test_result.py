"""One person's result, and many people's at once: the same figures either way, from the
statements actually answered."""

from __future__ import annotations

import random

import numpy as np
import pytest

from quiz.matching import match_matrix
from quiz.measurement import CALL_LEVEL, best_match_odds, estimate_profile
from quiz.model import Bank
from quiz.result import FLAT_REASONS, people_results, person_result
from quiz.scoring import AnswerError, quiz_order
from tests.support.personas import persona_answers

ROLES = ("cto", "cpo", "digital_pm", "ux_designer", "data_analyst")


def everyone(bank: Bank) -> list[dict[str, int]]:
    """A persona per role, then someone who agrees with everything."""
    return [persona_answers(bank, role) for role in ROLES] + [{q.id: 4 for q in bank.questions}]


def see_saw(bank: Bank) -> dict[str, int]:
    return {q.id: (1, 5)[i % 2] for i, q in enumerate(quiz_order(bank))}


def contradictory(bank: Bank) -> dict[str, int]:
    return {q.id: (4, 4, 5, 5)[i % 4] for i, q in enumerate(quiz_order(bank))}


def as_matrix(bank: Bank, people: list[dict[str, int]]) -> np.ndarray:
    return np.array([[person.get(q.id, np.nan) for q in bank.questions] for person in people], dtype=float)


class TestPersonResult:
    def test_the_scores_are_the_estimate_of_the_answers(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        result = person_result(bank, cto_answers)

        assert result.estimate == estimate_profile(bank, cto_answers)
        assert result.scores == result.estimate.as_scores()
        assert result.complete

    def test_every_role_is_ranked_most_likely_first_with_probabilities_summing_to_one(
        self, bank: Bank, cto_answers: dict[str, int]
    ) -> None:
        result = person_result(bank, cto_answers)
        probabilities = [m.probability for m in result.ranking.matches]

        assert sorted(m.role_id for m in result.ranking.matches) == sorted(r.id for r in bank.roles)
        assert all(p is not None and 0 <= p <= 1 for p in probabilities)
        assert sum(p or 0 for p in probabilities) == pytest.approx(1.0)
        assert probabilities == sorted(probabilities, key=lambda p: -(p or 0))
        assert (result.most_likely.role_id, result.flat, result.rankable) == ("cto", None, True)

    def test_the_too_close_set_is_the_smallest_that_reaches_the_call_level(
        self, bank: Bank, cto_answers: dict[str, int]
    ) -> None:
        result = person_result(bank, cto_answers)
        close = result.too_close_to_call

        assert close == tuple(m for m in result.ranking.matches if m.tied_with_top)
        assert close == result.ranking.matches[: len(close)]
        assert sum(m.probability or 0 for m in close) >= CALL_LEVEL - 1e-9
        assert sum(m.probability or 0 for m in close[:-1]) < CALL_LEVEL
        assert result.runners_up == close[1:]

    def test_the_match_figures_are_those_of_the_matching_rule(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        result = person_result(bank, cto_answers)
        match, closeness, shape = match_matrix(bank, result.scores.as_array()[None, :])
        index = {r.id: i for i, r in enumerate(bank.roles)}

        for m in result.ranking.matches:
            assert m.match == pytest.approx(match[0, index[m.role_id]], abs=0.051)
            assert (m.closeness, m.shape) == pytest.approx(
                (closeness[0, index[m.role_id]], shape[0, index[m.role_id]]), abs=0.051
            )

    def test_the_order_of_the_mapping_does_not_change_the_result(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        shuffled = list(cto_answers.items())
        random.Random(4).shuffle(shuffled)

        assert person_result(bank, dict(shuffled)) == person_result(bank, cto_answers)

    def test_priorities_change_the_odds_as_the_measurement_model_says(
        self, bank: Bank, cto_answers: dict[str, int]
    ) -> None:
        priorities = {"ux": 3.0}
        result = person_result(bank, cto_answers, priorities)

        odds = best_match_odds(bank, result.estimate, priorities)
        assert [(m.role_id, m.probability) for m in result.ranking.matches] == [
            (r.role_id, r.probability) for r in odds.roles
        ]

    def test_the_statements_actually_asked_are_enough(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        asked = {q: v for q, v in cto_answers.items() if q.endswith(("_1", "_2", "_5"))}

        result = person_result(bank, asked)

        assert not result.complete and sum(result.estimate.answered) == len(asked)
        assert result.most_likely.probability is not None
        assert result.deciding and set(result.deciding) <= set(bank.dimension_ids)

    def test_no_answer_at_all_is_refused_naming_every_statement(self, bank: Bank) -> None:
        with pytest.raises(AnswerError) as caught:
            person_result(bank, {})

        assert caught.value.missing == tuple(q.id for q in bank.questions)

    @pytest.mark.parametrize("bad", [{"tech_99": 3}, {"tech_1": 6}, {"tech_1": 0}])
    def test_unknown_statements_and_answers_off_the_scale_are_refused(
        self, bank: Bank, cto_answers: dict[str, int], bad: dict[str, int]
    ) -> None:
        with pytest.raises(AnswerError):
            person_result(bank, cto_answers | bad)


class TestWhyAResultIsNotRanked:
    def test_the_same_answer_to_everything_is_straight_lining(self, bank: Bank) -> None:
        result = person_result(bank, {q.id: 4 for q in bank.questions})

        assert (result.flat, result.rankable) == ("same_answers", False)

    def test_a_see_saw_is_careless(self, bank: Bank) -> None:
        assert person_result(bank, see_saw(bank)).flat == "careless"

    def test_agreeing_with_statements_and_their_opposites_is_inconsistent(self, bank: Bank) -> None:
        assert person_result(bank, contradictory(bank)).flat == "inconsistent"

    def test_scores_that_do_not_differ_beyond_noise_have_no_contrast(self, bank: Bank) -> None:
        answers = {q.id: 4 if q.keyed > 0 else 2 for q in bank.questions}

        assert person_result(bank, answers).flat == "no_contrast"

    def test_every_reason_has_its_words(self) -> None:
        assert FLAT_REASONS == ("same_answers", "careless", "inconsistent", "no_contrast")


class TestPeopleResults:
    def test_each_row_is_that_persons_result(self, bank: Bank) -> None:
        partial = {q: v for q, v in persona_answers(bank, "cpo").items() if not q.endswith(("_7", "_8"))}
        people = [*everyone(bank), see_saw(bank), contradictory(bank), partial]

        results = people_results(bank, as_matrix(bank, people))

        roles, match = results.ranked(0)
        tied = results.tied_roles()
        for row, person in enumerate(people):
            one = person_result(bank, person)
            assert results.scores[row] == pytest.approx(one.scores.values, abs=1e-6)
            assert results.errors[row] == pytest.approx(one.estimate.standard_errors)
            assert roles[row] == one.most_likely.role_id
            assert match[row] == pytest.approx(one.most_likely.match, abs=0.05)
            assert results.ranked_probability(0)[row] == pytest.approx(one.most_likely.probability)
            assert tied[row] == tuple(m.role_id for m in one.too_close_to_call)
            assert (results.flat[row] or None) == one.flat
            assert results.quality[row] == "|".join(one.quality.flags)

    def test_the_ranks_run_from_the_most_likely_down(self, bank: Bank) -> None:
        results = people_results(bank, as_matrix(bank, everyone(bank)))

        assert results.probability is not None
        probabilities = np.stack([results.ranked_probability(k) for k in range(len(bank.roles))], axis=1)
        assert (np.diff(probabilities, axis=1) <= 1e-12).all()
        assert probabilities.sum(axis=1) == pytest.approx(1.0)
        assert results.match.shape == (len(everyone(bank)), len(bank.roles))

    def test_without_probabilities_the_ranks_follow_the_match_and_nothing_is_called(self, bank: Bank) -> None:
        results = people_results(bank, as_matrix(bank, everyone(bank)), probabilities=False)

        figures = np.stack([results.ranked(k)[1] for k in range(len(bank.roles))], axis=1)
        assert (np.diff(figures, axis=1) <= 0).all()
        assert results.probability is None and results.tied is None
        with pytest.raises(ValueError, match="without probabilities"):
            results.tied_roles()
        assert list(results.flat) == list(people_results(bank, as_matrix(bank, everyone(bank))).flat)
