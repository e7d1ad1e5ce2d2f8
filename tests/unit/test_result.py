"""One person's result, and many people's at once: the same figures either way."""

from __future__ import annotations

import numpy as np
import pytest

from quiz.matching import rank_roles
from quiz.model import Bank
from quiz.result import people_results, person_result
from quiz.scoring import AnswerError, quiz_order, score_answers
from tests.support.personas import persona_answers

ROLES = ("cto", "cpo", "digital_pm", "ux_designer", "data_analyst")


def everyone(bank: Bank) -> list[dict[str, int]]:
    """A persona per role, then someone who agrees with everything."""
    return [persona_answers(bank, role) for role in ROLES] + [{q.id: 4 for q in bank.questions}]


class TestPersonResult:
    def test_it_is_the_scores_and_the_ranking_of_the_answers_in_quiz_order(
        self, bank: Bank, cto_answers: dict[str, int]
    ) -> None:
        result = person_result(bank, cto_answers)

        scores = score_answers(bank, cto_answers)
        assert result.scores == scores
        assert result.ranking == rank_roles(bank, scores, [cto_answers[q.id] for q in quiz_order(bank)])
        assert (result.top.role_id, result.flat) == ("cto", None)

    def test_the_same_answer_to_everything_is_flat(self, bank: Bank) -> None:
        assert person_result(bank, {q.id: 4 for q in bank.questions}).flat == "same_answers"

    def test_priorities_change_the_ranking_as_rank_roles_does(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        priorities = {"ux": 3.0}
        result = person_result(bank, cto_answers, priorities)

        assert result.ranking == rank_roles(
            bank, result.scores, [cto_answers[q.id] for q in quiz_order(bank)], priorities
        )

    def test_incomplete_answers_are_refused_with_the_missing_ids(self, bank: Bank, cto_answers: dict[str, int]) -> None:
        missing = bank.questions[0].id
        with pytest.raises(AnswerError) as caught:
            person_result(bank, {k: v for k, v in cto_answers.items() if k != missing})

        assert caught.value.missing == (missing,)


class TestPeopleResults:
    def test_each_row_is_that_persons_result(self, bank: Bank) -> None:
        people = everyone(bank)
        answers = np.array([[person[q.id] for q in bank.questions] for person in people], dtype=float)

        results = people_results(bank, answers)

        for row, person in enumerate(people):
            one = person_result(bank, person)
            assert results.scores[row] == pytest.approx(one.scores.values, abs=1e-6)
            roles, match = results.ranked(0)
            assert roles[row] == one.top.role_id
            assert match[row] == pytest.approx(one.top.match, abs=0.05)
            assert results.tied_roles()[row] == tuple(m.role_id for m in one.ranking.tied_top)
            assert (results.flat[row] or None) == one.flat

    def test_the_ranks_run_from_the_best_match_down(self, bank: Bank) -> None:
        answers = np.array([[person[q.id] for q in bank.questions] for person in everyone(bank)], dtype=float)
        results = people_results(bank, answers)

        figures = np.stack([results.ranked(k)[1] for k in range(len(bank.roles))], axis=1)

        assert (np.diff(figures, axis=1) <= 0).all()
        assert results.match.shape == (len(answers), len(bank.roles))
