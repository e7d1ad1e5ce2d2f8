"""Scoring: from 1-5 answers to 0-100 dimension scores, with reverse keys and strict checks."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np
import pytest

from quiz.banks import load_bank
from quiz.model import Bank
from quiz.scoring import SCALE, AnswerError, quiz_order, score_answers, score_matrix

BANK: Bank = load_bank()


def neutral_answers(bank: Bank = BANK) -> dict[str, int]:
    """Every question answered 3 (neutral): a complete, valid starting point to change."""
    return {q.id: 3 for q in bank.questions}


def agreeing_with_dimension(bank: Bank, dimension: str, high: bool) -> dict[str, int]:
    """Answers that push `dimension` to its top (high=True) or bottom, every other item neutral."""
    answers = neutral_answers(bank)
    for question in bank.questions:
        if question.dimension == dimension:
            agrees = (question.keyed > 0) == high
            answers[question.id] = 5 if agrees else 1
    return answers


class TestScoreAnswers:
    def test_a_reverse_keyed_answer_counts_as_six_minus_the_answer(self) -> None:
        # tech_3, tech_4, tech_7 and tech_8 are the reverse-keyed tech items: answered 1, 2, 2, 2
        # they count 5, 4, 4, 4. Keyed values 5, 4, 5, 4, 4, 5, 4, 4 -> mean 4.375 -> 84.375.
        assert [q.id for q in BANK.questions if q.dimension == "tech" and q.keyed < 0] == [
            "tech_3",
            "tech_4",
            "tech_7",
            "tech_8",
        ]
        answers = neutral_answers() | {
            "tech_1": 5,
            "tech_2": 4,
            "tech_3": 1,
            "tech_4": 2,
            "tech_5": 4,
            "tech_6": 5,
            "tech_7": 2,
            "tech_8": 2,
        }

        scores = score_answers(BANK, answers)

        assert scores["tech"] == pytest.approx(84.375)

    def test_agreeing_with_a_reverse_keyed_item_lowers_its_dimension(self) -> None:
        # customer_4 ("I would rather follow my own ideas than what the people using it ask
        # for") is reverse-keyed: answering 5 instead of 3 moves its keyed value from 3 to 1, i.e.
        # -2 / 8 items * 25 = -6.25.
        answers = neutral_answers() | {"customer_4": 5}

        scores = score_answers(BANK, answers)

        assert scores["customer"] == pytest.approx(43.75)

    def test_neutral_answers_give_fifty_on_every_dimension(self) -> None:
        scores = score_answers(BANK, neutral_answers())

        assert scores.values == pytest.approx([50.0] * len(BANK.dimensions))

    def test_scores_come_in_the_banks_dimension_order(self) -> None:
        scores = score_answers(BANK, neutral_answers())

        assert scores.dimensions == BANK.dimension_ids

    @pytest.mark.parametrize("dimension", BANK.dimension_ids)
    def test_agreeing_in_the_keyed_direction_everywhere_scores_100_and_the_opposite_0(self, dimension: str) -> None:
        top = score_answers(BANK, agreeing_with_dimension(BANK, dimension, high=True))
        bottom = score_answers(BANK, agreeing_with_dimension(BANK, dimension, high=False))

        assert top[dimension] == pytest.approx(100.0)
        assert bottom[dimension] == pytest.approx(0.0)

    @pytest.mark.parametrize("dimension", BANK.dimension_ids)
    def test_answering_all_5_or_all_1_is_pulled_back_by_the_reverse_keyed_items(self, dimension: str) -> None:
        items = [q for q in BANK.questions if q.dimension == dimension]
        reversed_items = sum(1 for q in items if q.keyed < 0)
        # All 5: the + items count 5, the - items count 1 (and the reverse for all 1).
        mean_all_5 = (5 * (len(items) - reversed_items) + 1 * reversed_items) / len(items)
        mean_all_1 = 6 - mean_all_5

        all_5 = score_answers(BANK, {q.id: 5 for q in BANK.questions})
        all_1 = score_answers(BANK, {q.id: 1 for q in BANK.questions})

        assert all_5[dimension] == pytest.approx((mean_all_5 - 1) * 25)
        assert all_1[dimension] == pytest.approx((mean_all_1 - 1) * 25)
        # Acquiescence does not reach the extremes: every dimension has a reverse-keyed item.
        assert all_5[dimension] < 100.0
        assert all_1[dimension] > 0.0

    def test_all_5_or_all_1_gives_50_everywhere_because_the_keys_are_balanced(self) -> None:
        # Hand-computed: every dimension has 4 items keyed + and 4 keyed - (5, 5, 5, 5, 1, 1, 1, 1
        # -> mean 3 -> 50): someone who agrees with everything rises on no dimension at all.
        all_5 = score_answers(BANK, {q.id: 5 for q in BANK.questions})
        all_1 = score_answers(BANK, {q.id: 1 for q in BANK.questions})

        assert all_5.values == pytest.approx([50.0] * len(BANK.dimensions))
        assert all_1.values == pytest.approx([50.0] * len(BANK.dimensions))

    def test_missing_answers_raise_and_name_every_missing_id_in_bank_order(self) -> None:
        answers = neutral_answers()
        del answers["data_3"]
        del answers["tech_2"]

        with pytest.raises(AnswerError) as raised:
            score_answers(BANK, answers)

        assert raised.value.missing == ("tech_2", "data_3")
        assert "tech_2" in str(raised.value)
        assert "data_3" in str(raised.value)

    def test_no_answers_at_all_lists_every_question_as_missing(self) -> None:
        with pytest.raises(AnswerError) as raised:
            score_answers(BANK, {})

        assert raised.value.missing == tuple(q.id for q in BANK.questions)

    def test_an_unknown_question_id_raises_and_is_named(self) -> None:
        answers = neutral_answers() | {"tech_99": 3}

        with pytest.raises(AnswerError, match="tech_99"):
            score_answers(BANK, answers)

    @pytest.mark.parametrize("value", [0, 6, 2.5, -1, "3", None])
    def test_an_answer_off_the_1_to_5_scale_raises_and_names_the_item(self, value: object) -> None:
        answers: dict[str, object] = dict(neutral_answers())
        answers["ux_3"] = value

        with pytest.raises(AnswerError, match="ux_3"):
            score_answers(BANK, answers)  # type: ignore[arg-type]

    def test_answer_error_is_a_value_error_so_callers_can_catch_bad_input_generically(self) -> None:
        with pytest.raises(ValueError):
            score_answers(BANK, {})


class TestScoreMatrix:
    def test_each_row_equals_scoring_that_person_alone(self) -> None:
        rng = np.random.default_rng(20240601)
        answers = rng.integers(1, 6, size=(50, len(BANK.questions))).astype(float)

        matrix = score_matrix(BANK, answers)

        assert matrix.shape == (50, len(BANK.dimensions))
        for row, expected in zip(answers, matrix, strict=True):
            person = {q.id: int(v) for q, v in zip(BANK.questions, row, strict=True)}
            assert score_answers(BANK, person).values == pytest.approx(list(expected), abs=1e-6)

    def test_the_extreme_rows_reach_0_and_100(self) -> None:
        keys = np.array([q.keyed for q in BANK.questions])
        best = np.where(keys > 0, 5.0, 1.0)[None, :]

        assert score_matrix(BANK, best) == pytest.approx(np.full((1, len(BANK.dimensions)), 100.0))
        assert score_matrix(BANK, 6.0 - best) == pytest.approx(np.zeros((1, len(BANK.dimensions))))


class TestQuizOrder:
    def test_every_question_is_asked_exactly_once(self) -> None:
        order = quiz_order(BANK)

        assert Counter(q.id for q in order) == Counter(q.id for q in BANK.questions)
        assert len(order) == len(BANK.questions)

    def test_no_two_consecutive_questions_share_a_dimension(self) -> None:
        order = quiz_order(BANK)

        neighbours = [(a.id, b.id) for a, b in pairwise(order) if a.dimension == b.dimension]
        assert neighbours == []

    def test_the_order_is_the_same_every_time(self) -> None:
        assert quiz_order(BANK) == quiz_order(load_bank())

    def test_the_scale_runs_from_1_to_5(self) -> None:
        # The question order and the scoring rule both assume a 5-point scale.
        assert SCALE == (1, 2, 3, 4, 5)
