"""Matching: every role ranked by a 0-100 match, ties marked, flat profiles flagged."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks import load_bank
from quiz.matching import FLAT_RANGE, SAME_ANSWER_SHARE, TIE_MARGIN, flatness, match_matrix, rank_roles
from quiz.model import Bank, Question, Role
from quiz.scoring import SCALE, DimensionScores, score_answers

BANK: Bank = load_bank()
QUESTIONS = BANK.questions
ROLE_IDS = [r.id for r in BANK.roles]
# Moderate: the whole suite must stay fast.
PROPERTY = settings(max_examples=150, deadline=None)


def profile(values: dict[str, float], bank: Bank = BANK) -> DimensionScores:
    return DimensionScores(bank.dimension_ids, tuple(float(values[d]) for d in bank.dimension_ids))


def on_role(role: Role) -> DimensionScores:
    """A person whose scores are exactly the role's targets."""
    return profile({t.dimension: t.level for t in role.profile})


def contrasted() -> DimensionScores:
    return profile({"tech": 90, "customer": 20, "risk": 60, "ux": 30, "marketing": 10, "leadership": 80, "data": 55})


complete_answers = st.lists(st.sampled_from(SCALE), min_size=len(QUESTIONS), max_size=len(QUESTIONS)).map(
    lambda values: {q.id: v for q, v in zip(QUESTIONS, values, strict=True)}
)


@st.composite
def answers_on_profile(draw: st.DrawFn, role: Role) -> dict[str, int]:
    """Answers whose dimension scores land as close as the scale allows to `role`'s targets,
    spread over the items at random. A target T on n items needs keyed values summing to
    n * (1 + T / 25), rounded to a whole number (within 25 / (2 n) points of T: 1.6 with 8
    items); each item then gets a keyed value that keeps the rest reachable, and a reverse-keyed
    item is answered 6 - it."""
    answers: dict[str, int] = {}
    for target in role.profile:
        items = [q for q in QUESTIONS if q.dimension == target.dimension]
        remaining = round(len(items) * (1 + target.level / 25))
        for index, question in enumerate(items):
            left = len(items) - index - 1
            keyed = draw(st.integers(max(1, remaining - 5 * left), min(5, remaining - left)))
            remaining -= keyed
            answers[question.id] = keyed if question.keyed > 0 else 6 - keyed
        assert remaining == 0
    return answers


class TestRankRoles:
    def test_every_role_of_the_bank_is_ranked_once(self) -> None:
        ranking = rank_roles(BANK, contrasted())

        assert sorted(m.role_id for m in ranking.matches) == sorted(ROLE_IDS)
        assert len(ranking.matches) == len(BANK.roles)

    def test_roles_come_best_match_first(self) -> None:
        ranking = rank_roles(BANK, contrasted())

        matches = [m.match for m in ranking.matches]
        assert matches == sorted(matches, reverse=True)
        assert ranking.top == ranking.matches[0]

    def test_match_closeness_and_shape_lie_between_0_and_100(self) -> None:
        ranking = rank_roles(BANK, contrasted())

        for m in ranking.matches:
            assert 0.0 <= m.match <= 100.0
            assert 0.0 <= m.closeness <= 100.0
            assert 0.0 <= m.shape <= 100.0

    def test_match_is_70_percent_closeness_and_30_percent_shape(self) -> None:
        ranking = rank_roles(BANK, contrasted())

        for m in ranking.matches:
            assert m.match == pytest.approx(0.7 * m.closeness + 0.3 * m.shape, abs=0.1)

    @pytest.mark.parametrize("role_id", ROLE_IDS)
    def test_a_person_exactly_on_a_roles_profile_gets_100_and_first_place(self, role_id: str) -> None:
        ranking = rank_roles(BANK, on_role(BANK.role(role_id)))

        assert ranking.top.role_id == role_id
        assert ranking.top.match == 100.0
        assert ranking.top.closeness == 100.0
        assert ranking.top.shape == 100.0

    def test_a_person_halfway_between_cto_and_tech_lead_is_told_it_is_a_tie(self) -> None:
        cto, tech_lead = BANK.role("cto"), BANK.role("tech_lead")
        halfway = profile(
            {t.dimension: (t.level + u.level) / 2 for t, u in zip(cto.profile, tech_lead.profile, strict=True)}
        )

        ranking = rank_roles(BANK, halfway)

        assert {m.role_id for m in ranking.tied_top} == {"cto", "tech_lead"}

    def test_the_best_role_is_always_tied_with_itself(self) -> None:
        ranking = rank_roles(BANK, contrasted())

        assert ranking.top.tied_with_top
        assert ranking.tied_top[0] == ranking.top

    def test_a_role_far_below_the_best_is_not_tied(self) -> None:
        ranking = rank_roles(BANK, on_role(BANK.role("cto")))

        assert ranking.tied_top == (ranking.top,)
        assert ranking.matches[1].match < 100.0 - TIE_MARGIN

    @PROPERTY
    @given(answers=complete_answers)
    def test_roles_within_the_tie_margin_of_the_best_and_only_those_are_tied(self, answers: dict[str, int]) -> None:
        ranking = rank_roles(BANK, score_answers(BANK, answers))

        for m in ranking.matches:
            behind = ranking.top.match - m.match
            # Matches are shown rounded to 0.1: leave that much slack on either side of the margin.
            if behind < TIE_MARGIN - 0.1:
                assert m.tied_with_top, (m, ranking.top)
            if behind > TIE_MARGIN + 0.1:
                assert not m.tied_with_top, (m, ranking.top)
        tied = len(ranking.tied_top)
        assert all(m.tied_with_top for m in ranking.matches[:tied])
        assert not any(m.tied_with_top for m in ranking.matches[tied:])

    def test_answering_3_everywhere_is_flagged_as_same_answers(self) -> None:
        answers = {q.id: 3 for q in QUESTIONS}

        ranking = rank_roles(BANK, score_answers(BANK, answers), list(answers.values()))

        assert ranking.flat == "same_answers"

    def test_answering_5_everywhere_is_flagged_as_same_answers(self) -> None:
        answers = {q.id: 5 for q in QUESTIONS}

        ranking = rank_roles(BANK, score_answers(BANK, answers), list(answers.values()))

        assert ranking.flat == "same_answers"

    def test_varied_answers_that_cancel_out_into_equal_scores_are_flagged_as_no_contrast(self) -> None:
        # Per dimension, keyed values 5, 1, 4, 2, 3, 3, 2, 4 (mean 3 -> 50): every answer value is
        # used, so this is not straight-lining, yet no dimension stands out.
        answers: dict[str, int] = {}
        for dimension in BANK.dimension_ids:
            items = [q for q in QUESTIONS if q.dimension == dimension]
            for question, keyed in zip(items, (5, 1, 4, 2, 3, 3, 2, 4), strict=True):
                answers[question.id] = keyed if question.keyed > 0 else 6 - keyed
        scores = score_answers(BANK, answers)
        assert scores.values == pytest.approx([50.0] * len(BANK.dimensions))

        ranking = rank_roles(BANK, scores, list(answers.values()))

        assert ranking.flat == "no_contrast"

    def test_scores_all_within_the_flat_range_are_flagged_as_no_contrast(self) -> None:
        spread = FLAT_RANGE - 0.5
        scores = profile(
            dict(zip(BANK.dimension_ids, np.linspace(40, 40 + spread, len(BANK.dimension_ids)), strict=True))
        )

        assert rank_roles(BANK, scores).flat == "no_contrast"

    def test_a_contrasted_profile_is_not_flagged(self) -> None:
        keyed = {q.id: (5 if q.dimension in ("tech", "leadership") else 2) for q in QUESTIONS}
        answers = {q.id: keyed[q.id] if q.keyed > 0 else 6 - keyed[q.id] for q in QUESTIONS}

        ranking = rank_roles(BANK, score_answers(BANK, answers), list(answers.values()))

        assert ranking.flat is None
        assert rank_roles(BANK, contrasted()).flat is None

    def test_a_flagged_profile_still_gets_every_role_ranked(self) -> None:
        # The page decides not to show the ranking; the ranking itself stays complete.
        answers = {q.id: 3 for q in QUESTIONS}

        ranking = rank_roles(BANK, score_answers(BANK, answers), list(answers.values()))

        assert len(ranking.matches) == len(BANK.roles)


class TestFlatness:
    def test_a_spread_of_exactly_flat_range_counts_as_contrast(self) -> None:
        scores = profile(dict.fromkeys(BANK.dimension_ids, 50.0) | {"data": 50.0 + FLAT_RANGE})

        assert flatness(scores) is None

    def test_a_spread_just_under_flat_range_is_no_contrast(self) -> None:
        scores = profile(dict.fromkeys(BANK.dimension_ids, 50.0) | {"data": 50.0 + FLAT_RANGE - 0.1})

        assert flatness(scores) == "no_contrast"

    def test_straight_lining_starts_at_the_same_answer_share_of_the_items(self) -> None:
        n = len(QUESTIONS)
        needed = math.ceil(SAME_ANSWER_SHARE * n)
        just_enough = [4] * needed + [2] * (n - needed)
        one_short = [4] * (needed - 1) + [2] * (n - needed + 1)

        assert flatness(contrasted(), just_enough) == "same_answers"
        assert flatness(contrasted(), one_short) is None

    def test_without_raw_answers_only_the_scores_are_judged(self) -> None:
        assert flatness(contrasted()) is None
        assert flatness(contrasted(), None) is None


class TestMatchMatrix:
    def test_the_shape_term_is_a_neutral_50_for_a_flat_profile(self) -> None:
        flat = np.full((1, len(BANK.dimensions)), 60.0)

        match, closeness, shape = match_matrix(BANK, flat)

        assert shape == pytest.approx(np.full((1, len(BANK.roles)), 50.0))
        assert match == pytest.approx(0.7 * closeness + 0.3 * 50.0)

    def test_it_has_one_row_per_person_and_one_column_per_role(self) -> None:
        people = np.array([[50.0] * 7, [10.0, 90.0, 20.0, 80.0, 30.0, 70.0, 40.0], [100.0] * 7])

        for term in match_matrix(BANK, people):
            assert term.shape == (3, len(BANK.roles))

    def test_each_row_agrees_with_ranking_that_person_alone(self) -> None:
        people = np.array([contrasted().values, on_role(BANK.role("cpo")).values])

        match, _, _ = match_matrix(BANK, people)

        for row, values in zip(match, people, strict=True):
            ranking = rank_roles(BANK, DimensionScores(BANK.dimension_ids, tuple(values)))
            by_role = {m.role_id: m.match for m in ranking.matches}
            assert [by_role[r] for r in ROLE_IDS] == pytest.approx(list(row), abs=0.05)

    def test_a_person_100_points_off_everywhere_has_closeness_0(self) -> None:
        # Every target is moved to the far end: closeness is 100 minus the weighted RMS gap.
        role = BANK.role("marketing_pm")
        targets = np.array([[float(t.level) for t in role.profile]])
        weights = np.array([t.weight for t in role.profile], dtype=float)
        opposite = 100.0 - targets
        gaps = opposite - targets
        expected = 100.0 - np.sqrt((weights * gaps**2).sum() / weights.sum())

        _, closeness, _ = match_matrix(BANK, opposite)

        assert closeness[0, ROLE_IDS.index("marketing_pm")] == pytest.approx(expected)


class TestProperties:
    @PROPERTY
    @given(answers=complete_answers)
    def test_any_complete_answers_give_scores_and_matches_between_0_and_100(self, answers: dict[str, int]) -> None:
        scores = score_answers(BANK, answers)
        ranking = rank_roles(BANK, scores, list(answers.values()))

        assert all(0.0 <= v <= 100.0 for v in scores.values), scores
        assert all(0.0 <= m.match <= 100.0 for m in ranking.matches), ranking
        assert len(ranking.matches) == len(BANK.roles)

    @PROPERTY
    @given(answers=complete_answers, question=st.sampled_from(QUESTIONS))
    def test_agreeing_more_moves_only_that_items_dimension_and_in_its_keyed_direction(
        self, answers: dict[str, int], question: Question
    ) -> None:
        if answers[question.id] == 5:
            answers[question.id] = 4
        before = score_answers(BANK, answers)
        raised = score_answers(BANK, answers | {question.id: answers[question.id] + 1})

        step = 25.0 / sum(1 for q in QUESTIONS if q.dimension == question.dimension)
        # A + item raises its dimension by one step, a - item lowers it by one; nothing else moves.
        assert raised[question.dimension] - before[question.dimension] == pytest.approx(question.keyed * step)
        for dimension in BANK.dimension_ids:
            if dimension != question.dimension:
                assert raised[dimension] == before[dimension]

    @PROPERTY
    @given(data=st.data(), role=st.sampled_from(BANK.roles))
    def test_answering_on_a_roles_profile_ranks_that_role_first(self, data: st.DataObject, role: Role) -> None:
        answers = data.draw(answers_on_profile(role))

        scores = score_answers(BANK, answers)
        ranking = rank_roles(BANK, scores, list(answers.values()))

        assert scores.as_dict() == pytest.approx({t.dimension: float(t.level) for t in role.profile}, abs=25 / 16)
        assert ranking.top.role_id == role.id, ranking.matches[:3]
        assert ranking.top.match >= 97.0

    @PROPERTY
    @given(answers=complete_answers, data=st.data())
    def test_the_ranking_does_not_depend_on_the_order_of_the_answers(
        self, answers: dict[str, int], data: st.DataObject
    ) -> None:
        shuffled = dict(data.draw(st.permutations(list(answers.items()))))

        original = rank_roles(BANK, score_answers(BANK, answers), list(answers.values()))
        reordered = rank_roles(BANK, score_answers(BANK, shuffled), list(shuffled.values()))

        assert reordered == original
