"""The measurement model: a score's precision from the statements answered, each role's
probability of being the best match, and the roles too close to call."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks import load_bank
from quiz.matching import match_matrix
from quiz.measurement import (
    CALL_LEVEL,
    MatchModel,
    best_match_odds,
    best_match_probabilities,
    deciding_dimensions,
    estimate_profile,
    standard_error,
    too_close_to_call,
)
from quiz.model import Bank
from quiz.scoring import score_answers, score_partial

BANK: Bank = load_bank()
PROPERTY = settings(max_examples=60, deadline=None)
IDS = [q.id for q in BANK.questions]
partial_answers = st.dictionaries(st.sampled_from(IDS), st.integers(1, 5), min_size=1)


class TestStandardError:
    def test_it_is_sd_times_the_root_of_one_minus_reliability_on_the_whole_bank(self) -> None:
        tech = BANK.dimension("tech")
        assert standard_error(tech, 8, 8) == pytest.approx(tech.score_sd * math.sqrt(1 - tech.reliability))

    def test_half_the_statements_multiply_it_by_the_root_of_two(self) -> None:
        tech = BANK.dimension("tech")
        assert standard_error(tech, 4, 8) == pytest.approx(standard_error(tech, 8, 8) * math.sqrt(2))

    def test_it_agrees_with_spearman_brown_on_fewer_statements(self) -> None:
        # SEM_k = SD_k * sqrt(1 - rho_k), with rho_k from Spearman-Brown and the k-item score's
        # SD_k^2 = true variance + error variance of the k-item mean.
        tech = BANK.dimension("tech")
        rho_n, n, k = tech.reliability, 8, 3
        r = rho_n / (n - (n - 1) * rho_n)
        rho_k = k * r / (1 + (k - 1) * r)
        true_var = tech.score_sd**2 * rho_n
        sd_k = math.sqrt(true_var / rho_k)
        assert standard_error(tech, k, n) == pytest.approx(sd_k * math.sqrt(1 - rho_k))

    def test_nothing_answered_is_the_whole_true_score_spread(self) -> None:
        tech = BANK.dimension("tech")
        assert standard_error(tech, 0, 8) == pytest.approx(tech.score_sd * math.sqrt(tech.reliability))

    def test_one_answer_is_never_less_sure_than_none(self) -> None:
        tech = BANK.dimension("tech")
        assert standard_error(tech, 1, 8) <= standard_error(tech, 0, 8)

    def test_more_answers_than_statements_is_refused(self) -> None:
        with pytest.raises(ValueError, match="from 0 to 8"):
            standard_error(BANK.dimension("tech"), 9, 8)


class TestPartialScores:
    def test_a_complete_answer_set_scores_as_score_answers(self) -> None:
        answers = {q.id: (i % 5) + 1 for i, q in enumerate(BANK.questions)}
        assert score_partial(BANK, answers).values == score_answers(BANK, answers).values

    def test_a_dimension_scores_from_its_answered_statements_only(self) -> None:
        scores = score_partial(BANK, {"tech_1": 5, "tech_4": 1, "data_1": 2})
        assert (scores["tech"], scores["data"], scores["ux"]) == (100.0, 25.0, None)
        assert scores.answered[BANK.dimension_ids.index("tech")] == 2

    def test_an_estimate_carries_the_answered_counts_and_their_errors(self) -> None:
        estimate = estimate_profile(BANK, {"tech_1": 5, "tech_4": 1})
        assert estimate.score("tech") == 100.0 and estimate.score("ux") == 50.0
        assert estimate.standard_error("tech") == pytest.approx(standard_error(BANK.dimension("tech"), 2, 8))
        assert not estimate.complete


class TestMatchModel:
    def test_it_equals_the_matching_rule_on_thousands_of_profiles(self) -> None:
        profiles = np.random.default_rng(7).uniform(0, 100, (3000, len(BANK.dimensions)))
        expected, _, _ = match_matrix(BANK, profiles)
        assert np.abs(MatchModel.of(BANK).match(profiles) - expected).max() < 1e-9


class TestBestMatchProbabilities:
    @PROPERTY
    @given(answers=partial_answers)
    def test_probabilities_sum_to_one_and_stay_between_0_and_1(self, answers: dict[str, int]) -> None:
        odds = best_match_odds(BANK, estimate_profile(BANK, answers))
        probabilities = [r.probability for r in odds.roles]
        assert sum(probabilities) == pytest.approx(1.0)
        assert all(0.0 <= p <= 1.0 for p in probabilities)
        assert probabilities == sorted(probabilities, reverse=True)

    @PROPERTY
    @given(role=st.sampled_from(BANK.roles), answered=st.integers(2, 8))
    def test_a_person_exactly_on_a_roles_profile_gets_that_role_most_likely(self, role: object, answered: int) -> None:
        from quiz.model import Role

        assert isinstance(role, Role)
        scores = np.array([[t.level for t in role.profile]], dtype=float)
        errors = np.array([[standard_error(d, answered, 8) for d in BANK.dimensions]])
        probabilities, _, _ = best_match_probabilities(BANK, scores, errors)
        assert BANK.roles[int(probabilities[0].argmax())].id == role.id

    @PROPERTY
    @given(answers=partial_answers, extra=st.dictionaries(st.sampled_from(IDS), st.integers(1, 5)))
    def test_answering_more_statements_never_widens_the_uncertainty(
        self, answers: dict[str, int], extra: dict[str, int]
    ) -> None:
        before = estimate_profile(BANK, answers)
        after = estimate_profile(BANK, extra | answers)  # the same answers, plus more
        assert all(b >= a - 1e-12 for a, b in zip(after.standard_errors, before.standard_errors, strict=True))

    def test_the_same_answers_always_give_the_same_odds(self) -> None:
        answers = {q.id: (i % 5) + 1 for i, q in enumerate(BANK.questions)}
        assert best_match_odds(BANK, estimate_profile(BANK, answers)) == best_match_odds(
            BANK, estimate_profile(BANK, answers)
        )


class TestTooCloseToCall:
    def test_it_is_the_smallest_set_reaching_the_level(self) -> None:
        probabilities = np.array([[0.5, 0.3, 0.15, 0.05], [0.95, 0.03, 0.02, 0.0], [0.25, 0.25, 0.25, 0.25]])
        close = too_close_to_call(probabilities, 0.9)
        assert close.tolist() == [
            [True, True, True, False],
            [True, False, False, False],
            [True, True, True, True],
        ]

    def test_the_most_likely_role_is_always_in_it(self) -> None:
        answers = {q.id: 3 for q in BANK.questions}
        odds = best_match_odds(BANK, estimate_profile(BANK, answers))
        assert odds.most_likely.too_close_to_call
        assert sum(r.probability for r in odds.too_close_to_call) >= CALL_LEVEL


class TestDecidingDimensions:
    def test_they_are_dimensions_on_which_the_leading_roles_differ(self) -> None:
        # Half-way between the CTO and the tech lead: leadership and risk separate them most.
        cto, lead = BANK.role("cto"), BANK.role("tech_lead")
        scores = {t.dimension: (t.level + lead.target(t.dimension).level) / 2 for t in cto.profile}
        answers = {}
        for question in BANK.questions:
            point = round(1 + scores[question.dimension] / 25)
            answers[question.id] = point if question.keyed > 0 else 6 - point
        estimate = estimate_profile(BANK, answers)
        odds = best_match_odds(BANK, estimate)
        deciding = deciding_dimensions(BANK, estimate, odds)
        assert deciding and set(deciding) <= set(BANK.dimension_ids)
        differences = {t.dimension: abs(t.level - lead.target(t.dimension).level) for t in cto.profile}
        assert differences[deciding[0]] >= 10
