"""Response quality: straight-lining, see-saw answers, agreeing with a statement and its
opposite, and a flat profile recognised against measurement noise."""

from __future__ import annotations

from quiz.banks import load_bank
from quiz.model import Bank
from quiz.quality import alternating_run, chi_square_95, contradictory_dimensions, longest_run
from quiz.result import person_result
from quiz.scoring import quiz_order
from tests.support.personas import persona_answers

BANK: Bank = load_bank()
ORDER = [q.id for q in quiz_order(BANK)]


class TestRuns:
    def test_the_longest_run_counts_identical_answers_in_a_row(self) -> None:
        assert longest_run([1, 2, 2, 2, 3, 3]) == 3 and longest_run([]) == 0

    def test_a_see_saw_is_measured_by_its_length(self) -> None:
        assert alternating_run([1, 5, 1, 5, 1]) == 5 and alternating_run([1, 2, 3, 4]) == 0


class TestFlags:
    def test_a_thoughtful_persona_raises_no_flag(self) -> None:
        answers = persona_answers(BANK, "cto")
        assert person_result(BANK, {q: answers[q] for q in ORDER}).quality.flags == ()

    def test_one_answer_to_everything_is_straight_lining_and_flat(self) -> None:
        result = person_result(BANK, {q: 4 for q in ORDER})
        assert "long_string" in result.quality.flags and "flat" in result.quality.flags
        assert not result.rankable

    def test_agreeing_with_every_statement_and_its_opposite_is_contradictory(self) -> None:
        answers = {q: 4 + (i % 2) for i, q in enumerate(ORDER)}
        assert len(contradictory_dimensions(BANK, answers)) == len(BANK.dimensions)
        assert "contradictory" in person_result(BANK, answers).quality.flags

    def test_a_see_saw_is_flagged_as_alternating(self) -> None:
        answers = {q: (1, 5)[i % 2] for i, q in enumerate(ORDER)}
        assert "alternating" in person_result(BANK, answers).quality.flags

    def test_a_flat_profile_is_recognised_although_every_answer_differs(self) -> None:
        # keyed values 5, 1, 4, 2, 3, 3, 2, 4 per dimension: mean 3 everywhere, nothing stands out.
        answers = {}
        for dimension in BANK.dimension_ids:
            items = [q for q in BANK.questions if q.dimension == dimension]
            for question, keyed in zip(items, (5, 1, 4, 2, 3, 3, 2, 4), strict=True):
                answers[question.id] = keyed if question.keyed > 0 else 6 - keyed
        assert person_result(BANK, answers).quality.flags == ("flat",)

    def test_a_few_statements_need_larger_differences_to_stand_out(self) -> None:
        # The same 25-point contrast stands out on all statements but not on two per dimension.
        keyed = {d: 4 if d in ("tech", "data") else 3 for d in BANK.dimension_ids}
        full = {q.id: keyed[q.dimension] if q.keyed > 0 else 6 - keyed[q.dimension] for q in BANK.questions}
        few_ids = {q.id for d in BANK.dimension_ids for q in [x for x in BANK.questions if x.dimension == d][:2]}
        few = {q: v for q, v in full.items() if q in few_ids}
        assert "flat" not in person_result(BANK, full).quality.flags
        assert "flat" in person_result(BANK, few).quality.flags

    def test_the_chi_square_percentile_is_close_to_the_table(self) -> None:
        assert abs(chi_square_95(6) - 12.592) < 0.1 and abs(chi_square_95(3) - 7.815) < 0.1
