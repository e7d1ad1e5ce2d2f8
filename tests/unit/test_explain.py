"""Explanations: each dimension's share of the distance lost, strengths, gaps and the sentence."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks import load_bank
from quiz.explain import CLOSE_GAP, explain, score_meaning, why_sentence
from quiz.i18n import strings
from quiz.matching import match_matrix
from quiz.model import Bank, Lang, Role
from quiz.scoring import DimensionScores

BANK: Bank = load_bank()
ROLE_IDS = [r.id for r in BANK.roles]
PROPERTY = settings(max_examples=150, deadline=None)

any_scores = st.lists(
    st.integers(0, 20).map(lambda step: step * 5.0), min_size=len(BANK.dimensions), max_size=len(BANK.dimensions)
).map(lambda values: DimensionScores(BANK.dimension_ids, tuple(values)))


def on_role(role: Role, **changes: float) -> DimensionScores:
    """The role's targets as a person's scores, with some dimensions changed."""
    values = {t.dimension: float(t.level) for t in role.profile} | changes
    return DimensionScores(BANK.dimension_ids, tuple(values[d] for d in BANK.dimension_ids))


def closeness(scores: DimensionScores, role_id: str) -> float:
    _, close, _ = match_matrix(BANK, scores.as_array()[None, :])
    return float(close[0, ROLE_IDS.index(role_id)])


def cto_with_two_gaps() -> DimensionScores:
    # CTO targets: ux 35 and data 60, both weight 1 (weights sum to 12). UX 40 points above and
    # data 20 below: loss = sqrt((1600 + 400) / 12) = 12.91; ux takes 1600/2000 of it = 10.33,
    # data 400/2000 = 2.58; closeness = 87.09.
    return on_role(BANK.role("cto"), ux=75.0, data=40.0)


class TestExplain:
    def test_a_hand_computed_example_splits_the_loss_by_weighted_squared_gap(self) -> None:
        explanation = explain(BANK, cto_with_two_gaps(), "cto")

        costs = {f.dimension: f.cost for f in explanation.fits}
        assert costs["ux"] == pytest.approx(10.3)
        assert costs["data"] == pytest.approx(2.6)
        assert sum(costs.values()) == pytest.approx(12.9)
        assert closeness(cto_with_two_gaps(), "cto") == pytest.approx(100 - math.sqrt(2000 / 12))

    @PROPERTY
    @given(scores=any_scores, role_id=st.sampled_from(ROLE_IDS))
    def test_the_costs_add_up_to_what_the_role_loses_to_distance(self, scores: DimensionScores, role_id: str) -> None:
        explanation = explain(BANK, scores, role_id)

        # Each cost is rounded to 0.1: allow half a tenth per dimension.
        assert sum(f.cost for f in explanation.fits) == pytest.approx(
            100.0 - closeness(scores, role_id), abs=0.05 * len(explanation.fits) + 1e-9
        )

    @PROPERTY
    @given(scores=any_scores, role_id=st.sampled_from(ROLE_IDS))
    def test_strengths_are_within_close_gap_and_gaps_beyond_it_costliest_first(
        self, scores: DimensionScores, role_id: str
    ) -> None:
        explanation = explain(BANK, scores, role_id)

        assert all(abs(f.gap) <= CLOSE_GAP for f in explanation.strengths)
        assert all(abs(f.gap) > CLOSE_GAP for f in explanation.gaps)
        costs = [f.cost for f in explanation.gaps]
        assert costs == sorted(costs, reverse=True)

    @PROPERTY
    @given(scores=any_scores, role_id=st.sampled_from(ROLE_IDS))
    def test_the_gaps_shown_are_the_costliest_of_all_far_dimensions(
        self, scores: DimensionScores, role_id: str
    ) -> None:
        explanation = explain(BANK, scores, role_id)

        far = sorted((f.cost for f in explanation.fits if not f.close), reverse=True)
        assert [f.cost for f in explanation.gaps] == far[: len(explanation.gaps)]
        assert len(explanation.gaps) == min(3, len(far))

    def test_strengths_put_the_most_important_dimensions_first(self) -> None:
        # On the CTO's own profile every dimension is a strength; tech and leadership weigh 3.
        explanation = explain(BANK, on_role(BANK.role("cto")), "cto")

        assert [f.dimension for f in explanation.strengths[:2]] == ["tech", "leadership"]
        weights = [f.weight for f in explanation.strengths]
        assert weights == sorted(weights, reverse=True)

    def test_a_gap_is_positive_when_the_person_is_above_the_target_and_negative_below(self) -> None:
        explanation = explain(BANK, cto_with_two_gaps(), "cto")

        gaps = {f.dimension: f for f in explanation.gaps}
        assert gaps["ux"].gap == 40.0
        assert (gaps["ux"].person, gaps["ux"].target) == (75.0, 35.0)
        assert gaps["data"].gap == -20.0
        assert [f.dimension for f in explanation.gaps] == ["ux", "data"]

    def test_there_is_one_fit_per_dimension_in_bank_order(self) -> None:
        explanation = explain(BANK, cto_with_two_gaps(), "cto")

        assert tuple(f.dimension for f in explanation.fits) == BANK.dimension_ids
        assert explanation.role_id == "cto"

    def test_a_gap_of_exactly_close_gap_is_still_a_strength(self) -> None:
        explanation = explain(BANK, on_role(BANK.role("cto"), ux=35.0 + CLOSE_GAP), "cto")

        assert next(f for f in explanation.fits if f.dimension == "ux").close
        assert explanation.gaps == ()

    def test_a_person_on_the_roles_profile_has_no_gaps_and_costs_nothing(self) -> None:
        explanation = explain(BANK, on_role(BANK.role("cpo")), "cpo")

        assert explanation.gaps == ()
        assert all(f.cost == 0.0 for f in explanation.fits)

    def test_a_person_far_from_every_target_has_no_strengths(self) -> None:
        role = BANK.role("digital_pm")
        far = {t.dimension: float(t.level + 40 if t.level < 50 else t.level - 40) for t in role.profile}

        explanation = explain(BANK, on_role(role, **far), "digital_pm")

        assert explanation.strengths == ()
        assert len(explanation.gaps) == 3

    def test_an_unknown_role_raises_a_key_error_naming_it(self) -> None:
        with pytest.raises(KeyError, match="astronaut"):
            explain(BANK, cto_with_two_gaps(), "astronaut")


class TestWhySentence:
    @pytest.mark.parametrize("lang", ["en", "fr"])
    def test_it_names_the_role_the_largest_gaps_dimension_and_both_numbers(self, lang: Lang) -> None:
        explanation = explain(BANK, cto_with_two_gaps(), "cto")

        sentence = why_sentence(BANK, explanation, strings(lang))

        assert BANK.role("cto").name(lang) in sentence
        assert BANK.dimension("ux").name(lang).lower() in sentence.lower()
        assert "75" in sentence
        assert "35" in sentence

    def test_the_english_sentence_joins_two_strengths_then_gives_the_largest_gap(self) -> None:
        explanation = explain(BANK, cto_with_two_gaps(), "cto")
        text = strings("en")

        sentence = why_sentence(BANK, explanation, text)

        joined = f"technical depth {text.t('explain.and')} leadership and vision"
        assert sentence.startswith(f"You match Chief Technology Officer (CTO) mainly on {joined}. ")
        # Compared without case: see the acronym test below.
        assert sentence.lower().endswith(" the largest gap is ux and design (you: 75, role: 35).")

    def test_the_french_sentence_joins_two_strengths_then_gives_the_largest_gap(self) -> None:
        explanation = explain(BANK, cto_with_two_gaps(), "cto")
        text = strings("fr")

        sentence = why_sentence(BANK, explanation, text)

        joined = f"expertise technique {text.t('explain.and')} leadership et vision"
        cto = BANK.role("cto").name("fr")
        # French typography: a no-break space before the colon.
        assert sentence.startswith(f"Ton profil rejoint celui de {cto} surtout sur\u00a0: {joined}.")
        assert sentence.lower().endswith(
            " le plus grand écart porte sur ux et design (toi\u00a0: 75, métier\u00a0: 35)."
        )

    @pytest.mark.parametrize("lang", ["en", "fr"])
    def test_it_names_at_most_the_two_first_strengths(self, lang: Lang) -> None:
        explanation = explain(BANK, cto_with_two_gaps(), "cto")
        names = [BANK.dimension(f.dimension).name(lang).lower() for f in explanation.strengths]
        assert len(names) == 3

        sentence = why_sentence(BANK, explanation, strings(lang)).lower()

        assert names[0] in sentence
        assert names[1] in sentence
        assert names[2] not in sentence

    @pytest.mark.parametrize("lang", ["en", "fr"])
    def test_acronyms_in_dimension_names_keep_their_capitals(self, lang: Lang) -> None:
        # The gap's dimension is lower-cased to sit mid-sentence; "UX" must not become "ux".
        explanation = explain(BANK, cto_with_two_gaps(), "cto")

        sentence = why_sentence(BANK, explanation, strings(lang))

        assert "UX" in sentence

    @pytest.mark.parametrize("lang", ["en", "fr"])
    def test_with_no_strength_it_says_nothing_is_close_yet(self, lang: Lang) -> None:
        role = BANK.role("digital_pm")
        far = {t.dimension: float(t.level + 40 if t.level < 50 else t.level - 40) for t in role.profile}
        explanation = explain(BANK, on_role(role, **far), "digital_pm")
        text = strings(lang)

        sentence = why_sentence(BANK, explanation, text)

        assert sentence.startswith(text.t("explain.no_strength", role=role.name(text.lang)))
        gap = explanation.gaps[0]
        assert f"{round(gap.person)}" in sentence
        assert f"{round(gap.target)}" in sentence

    @pytest.mark.parametrize("lang", ["en", "fr"])
    def test_with_no_gap_it_says_no_dimension_is_far(self, lang: Lang) -> None:
        role = BANK.role("marketing_pm")
        explanation = explain(BANK, on_role(role, tech=30.0), "marketing_pm")
        text = strings(lang)

        sentence = why_sentence(BANK, explanation, text)

        assert role.name(text.lang) in sentence
        assert sentence.endswith(text.t("explain.no_gap"))


def test_the_hand_computed_closeness_matches_the_matrix_formula() -> None:
    # A cross-check of the helper above against an independent numpy computation.
    role = BANK.role("cto")
    scores = cto_with_two_gaps()
    targets = np.array([t.level for t in role.profile], dtype=float)
    weights = np.array([t.weight for t in role.profile], dtype=float)

    expected = 100 - np.sqrt((weights * (scores.as_array() - targets) ** 2).sum() / weights.sum())

    assert closeness(scores, "cto") == pytest.approx(expected)


class TestScoreMeaning:
    def test_a_score_below_the_middle_band_reads_as_the_low_end(self, bank: Bank) -> None:
        tech = bank.dimension("tech")
        assert score_meaning(tech, 35.0) == tech.low

    def test_a_score_above_the_middle_band_reads_as_the_high_end(self, bank: Bank) -> None:
        tech = bank.dimension("tech")
        assert score_meaning(tech, 65.0) == tech.high
        assert score_meaning(tech, 100.0) == tech.high

    @pytest.mark.parametrize("score", [40.0, 50.0, 60.0])
    def test_a_score_in_the_middle_band_reads_as_neither_end(self, bank: Bank, score: float) -> None:
        assert score_meaning(bank.dimension("tech"), score) is None
