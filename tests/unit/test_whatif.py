"""What if: priorities re-weight the roles, sliders re-rank them, and the smallest change that
would put a role first."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quiz.whatif
from quiz.arrays import FloatArray
from quiz.banks import load_bank
from quiz.explain import CLOSE_GAP
from quiz.matching import SHAPE_SHARE, TIE_MARGIN, Ranking, RoleMatch, match_matrix, rank_roles
from quiz.model import Bank, Role
from quiz.scoring import DimensionScores
from quiz.whatif import (
    PRIORITY_FACTOR,
    Change,
    apply_overrides,
    priorities_for,
    rank_what_if,
    ranking_changes,
    smallest_change,
    top_changes,
    why_moved,
)

BANK: Bank = load_bank()
DIMENSIONS = BANK.dimension_ids
ROLE_IDS = [r.id for r in BANK.roles]
# Moderate: every example runs a brute-force search over all single-dimension changes.
PROPERTY = settings(max_examples=100, deadline=None)

any_scores = st.lists(
    st.integers(0, 20).map(lambda k: k * 5.0), min_size=len(DIMENSIONS), max_size=len(DIMENSIONS)
).map(lambda values: DimensionScores(DIMENSIONS, tuple(values)))


def profile(values: Mapping[str, float]) -> DimensionScores:
    return DimensionScores(DIMENSIONS, tuple(float(values[d]) for d in DIMENSIONS))


def on_role(role_id: str, **changes: float) -> DimensionScores:
    """The role's targets as a person's scores, with some dimensions changed."""
    return profile({t.dimension: float(t.level) for t in BANK.role(role_id).profile} | changes)


def contrasted() -> DimensionScores:
    return profile({"tech": 90, "customer": 20, "risk": 60, "ux": 30, "marketing": 10, "leadership": 80, "data": 55})


def between_cto_and_tech_lead() -> DimensionScores:
    """Halfway between the CTO's and the tech lead's targets, except risk tolerance 47.5 (tech lead
    45, CTO 70) and leadership 85, the CTO's exact target (tech lead 65). The tech lead leads by
    less than a point: leadership is where the CTO fits better."""
    cto, tech_lead = BANK.role("cto"), BANK.role("tech_lead")
    halfway = {t.dimension: (t.level + u.level) / 2 for t, u in zip(cto.profile, tech_lead.profile, strict=True)}
    return profile(halfway | {"risk": 47.5, "leadership": 85.0})


def rank_of(ranking: Ranking, role_id: str) -> int:
    return next(place for place, m in enumerate(ranking.matches, start=1) if m.role_id == role_id)


def lead_of(scores: DimensionScores, role_id: str, priorities: Mapping[str, float] | None = None) -> float:
    """How far the role is ahead of the best other role, before any rounding (negative: behind)."""
    match, _, _ = match_matrix(BANK, scores.as_array()[None, :], priorities)
    i = ROLE_IDS.index(role_id)
    return float(match[0, i] - np.delete(match[0], i).max())


def comes_strictly_first(scores: DimensionScores, role_id: str, priorities: Mapping[str, float] | None = None) -> bool:
    return lead_of(scores, role_id, priorities) > 0.0


def single_changes(scores: DimensionScores, step: float = 5.0) -> Iterator[tuple[str, float, DimensionScores]]:
    """Every change of one dimension by a non-zero multiple of `step` that stays within 0..100."""
    for dimension in DIMENSIONS:
        for k in range(1, math.floor(100 / step) + 1):
            for delta in (k * step, -k * step):
                new_score = scores[dimension] + delta
                if 0.0 <= new_score <= 100.0:
                    yield dimension, delta, apply_overrides(scores, {dimension: new_score})


def brute_force_smallest(
    scores: DimensionScores, role_id: str, priorities: Mapping[str, float] | None = None
) -> float | None:
    """The smallest |delta| of a single-dimension change that puts the role strictly first."""
    sizes = [
        abs(delta) for _, delta, changed in single_changes(scores) if comes_strictly_first(changed, role_id, priorities)
    ]
    return min(sizes, default=None)


def weighted_terms(scores: DimensionScores, role: Role, multipliers: Mapping[str, float]) -> tuple[float, float]:
    """Closeness and shape computed by hand, one dimension at a time, with re-weighted weights."""
    p = np.array([scores[t.dimension] for t in role.profile])
    t = np.array([float(t.level) for t in role.profile])
    w = np.array([t.weight * multipliers.get(t.dimension, 1.0) for t in role.profile])
    w = w / w.sum()
    closeness = 100.0 - math.sqrt(float((w * (p - t) ** 2).sum()))
    pc, tc = p - (w * p).sum(), t - (w * t).sum()
    r = float((w * pc * tc).sum() / math.sqrt(float((w * pc**2).sum() * (w * tc**2).sum())))
    return closeness, 50.0 * (1.0 + r)


class TestPrioritiesInMatching:
    def test_priorities_of_1_everywhere_change_nothing(self) -> None:
        ones = dict.fromkeys(DIMENSIONS, 1.0)
        people = np.array([contrasted().values, between_cto_and_tech_lead().values])

        for plain, weighted in zip(match_matrix(BANK, people), match_matrix(BANK, people, ones), strict=True):
            assert weighted == pytest.approx(plain, abs=1e-12)
        assert rank_roles(BANK, contrasted(), priorities=ones) == rank_roles(BANK, contrasted())

    def test_an_empty_mapping_is_the_same_as_no_priorities(self) -> None:
        assert rank_roles(BANK, contrasted(), priorities={}) == rank_roles(BANK, contrasted())

    def test_multiplying_every_priority_by_the_same_factor_changes_nothing(self) -> None:
        priorities = {"tech": 2.0, "ux": 0.5}
        tripled = {d: 3.0 * priorities.get(d, 1.0) for d in DIMENSIONS}

        assert rank_roles(BANK, contrasted(), priorities=tripled) == rank_roles(
            BANK, contrasted(), priorities=priorities
        )

    @pytest.mark.parametrize("role_id", ["cto", "ux_designer", "growth_marketer"])
    def test_both_terms_use_the_re_weighted_weights(self, role_id: str) -> None:
        priorities = {"tech": 2.0, "data": 3.0, "customer": 0.5}

        match, closeness, shape = match_matrix(BANK, contrasted().as_array()[None, :], priorities)

        expected_closeness, expected_shape = weighted_terms(contrasted(), BANK.role(role_id), priorities)
        i = ROLE_IDS.index(role_id)
        assert closeness[0, i] == pytest.approx(expected_closeness)
        assert shape[0, i] == pytest.approx(expected_shape)
        assert match[0, i] == pytest.approx((1 - SHAPE_SHARE) * expected_closeness + SHAPE_SHARE * expected_shape)

    def test_a_priority_of_0_ignores_that_dimension(self) -> None:
        # Exactly on the CTO's profile but for a 40-point gap in UX: with UX ignored, a perfect match.
        scores = on_role("cto", ux=75.0)

        ranking = rank_roles(BANK, scores, priorities={"ux": 0.0})

        assert ranking.top.role_id == "cto"
        assert ranking.top.match == 100.0

    def test_doubling_leadership_puts_the_cto_ahead_of_a_tech_lead_who_fits_it_less(self) -> None:
        scores = between_cto_and_tech_lead()
        before = rank_roles(BANK, scores)
        assert [m.role_id for m in before.matches[:2]] == ["tech_lead", "cto"]
        assert before.matches[0].match - before.matches[1].match < 1.0

        after = rank_roles(BANK, scores, priorities={"leadership": 2.0})

        assert [m.role_id for m in after.matches[:2]] == ["cto", "tech_lead"]

    def test_priorities_do_not_change_whether_a_profile_is_flat(self) -> None:
        flat = profile(dict.fromkeys(DIMENSIONS, 50.0))

        assert rank_roles(BANK, flat, priorities={"tech": 2.0}).flat == "no_contrast"
        assert rank_roles(BANK, contrasted(), priorities={"tech": 2.0}).flat is None

    @pytest.mark.parametrize(
        ("priorities", "message"),
        [
            ({"technical_depth": 2.0}, r"unknown dimension.*technical_depth"),
            ({"tech": -1.0}, r"finite numbers of 0 or more.*tech=-1\.0"),
            ({"tech": math.nan}, r"finite numbers of 0 or more.*tech=nan"),
            ({"data": math.inf}, r"finite numbers of 0 or more.*data=inf"),
            (dict.fromkeys(DIMENSIONS, 0.0), "0 for every dimension"),
        ],
    )
    def test_invalid_priorities_raise_a_value_error_that_says_what_is_wrong(
        self, priorities: dict[str, float], message: str
    ) -> None:
        with pytest.raises(ValueError, match=message):
            rank_roles(BANK, contrasted(), priorities=priorities)
        with pytest.raises(ValueError, match=message):
            match_matrix(BANK, contrasted().as_array()[None, :], priorities)


class TestPrioritiesFor:
    def test_the_chosen_dimensions_get_the_priority_factor_and_the_others_1(self) -> None:
        priorities = priorities_for(BANK, ["tech", "data"])

        assert priorities == {d: PRIORITY_FACTOR if d in ("tech", "data") else 1.0 for d in DIMENSIONS}
        assert PRIORITY_FACTOR == 2.0

    def test_choosing_nothing_ranks_as_without_priorities(self) -> None:
        assert rank_roles(BANK, contrasted(), priorities=priorities_for(BANK, [])) == rank_roles(BANK, contrasted())

    def test_an_unknown_dimension_raises_a_value_error_naming_it(self) -> None:
        with pytest.raises(ValueError, match=r"unknown dimension.*salary"):
            priorities_for(BANK, ["tech", "salary"])


class TestRankingChanges:
    @staticmethod
    def ranking(*role_matches: tuple[str, float]) -> Ranking:
        return Ranking(tuple(RoleMatch(r, m, m, m, False) for r, m in role_matches), None)

    def test_it_lists_exactly_the_moved_roles_with_their_old_and_new_ranks_biggest_move_first(self) -> None:
        before = self.ranking(("a", 90.0), ("b", 80.0), ("c", 70.0), ("d", 60.0), ("e", 50.0))
        after = self.ranking(("c", 91.0), ("a", 85.0), ("b", 75.0), ("d", 65.0), ("e", 40.0))

        changes = ranking_changes(before, after)

        assert [(c.role_id, c.old_rank, c.new_rank, c.old_match, c.new_match) for c in changes] == [
            ("c", 3, 1, 70.0, 91.0),
            ("a", 1, 2, 90.0, 85.0),
            ("b", 2, 3, 80.0, 75.0),
        ]
        assert [c.places for c in changes] == [2, -1, -1]

    def test_the_same_ranking_twice_has_no_changes(self) -> None:
        assert ranking_changes(rank_roles(BANK, contrasted()), rank_roles(BANK, contrasted())) == ()

    def test_on_a_real_profile_every_role_whose_rank_differs_is_listed_and_no_other(self) -> None:
        scores = between_cto_and_tech_lead()
        before = rank_roles(BANK, scores)
        after = rank_roles(BANK, scores, priorities=priorities_for(BANK, ["leadership"]))

        changes = ranking_changes(before, after)

        moved = {r for r in ROLE_IDS if rank_of(before, r) != rank_of(after, r)}
        assert {c.role_id for c in changes} == moved
        for c in changes:
            assert (c.old_rank, c.new_rank) == (rank_of(before, c.role_id), rank_of(after, c.role_id))
        assert [abs(c.places) for c in changes] == sorted((abs(c.places) for c in changes), reverse=True)

    def test_rankings_of_different_roles_raise_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="different roles: c"):
            ranking_changes(self.ranking(("a", 1.0), ("b", 0.5)), self.ranking(("a", 1.0), ("b", 0.5), ("c", 0.1)))


class TestWhyMoved:
    def test_a_role_that_moved_up_is_shown_the_prioritised_dimensions_it_fits(self) -> None:
        movement = why_moved(BANK, between_cto_and_tech_lead(), "cto", ["leadership"])

        assert (movement.old_rank, movement.new_rank, movement.direction) == (2, 1, "up")
        assert [(f.dimension, f.person, f.target, f.gap) for f in movement.fits] == [("leadership", 85.0, 85.0, 0.0)]

    def test_a_role_that_moved_down_is_shown_the_prioritised_dimensions_far_from_its_target(self) -> None:
        # The software engineer asks for leadership 25, 60 points below this person's 85; its data
        # target (50) is 5 points from theirs (55): prioritised too, but no reason to move down.
        movement = why_moved(BANK, between_cto_and_tech_lead(), "software_engineer", ["leadership", "data"])

        assert movement.direction == "down"
        assert [(f.dimension, f.gap) for f in movement.fits] == [("leadership", 60.0)]

    def test_a_role_that_kept_its_place_has_nothing_to_explain(self) -> None:
        movement = why_moved(BANK, between_cto_and_tech_lead(), "vp_engineering", ["leadership"])

        assert movement.direction == "same"
        assert movement.old_rank == movement.new_rank
        assert movement.fits == ()

    @pytest.mark.parametrize("role_id", ROLE_IDS)
    def test_only_prioritised_dimensions_are_listed_close_ones_going_up_far_ones_going_down(self, role_id: str) -> None:
        important = ["leadership", "data", "customer"]

        movement = why_moved(BANK, contrasted(), role_id, important)

        assert all(f.dimension in important for f in movement.fits)
        if movement.direction == "up":
            assert all(abs(f.gap) <= CLOSE_GAP for f in movement.fits)
        if movement.direction == "down":
            assert all(abs(f.gap) > CLOSE_GAP for f in movement.fits)

    def test_its_ranks_are_those_of_the_ranking_changes(self) -> None:
        scores = between_cto_and_tech_lead()
        changes = ranking_changes(
            rank_roles(BANK, scores), rank_roles(BANK, scores, priorities=priorities_for(BANK, ["leadership"]))
        )

        for change in changes:
            movement = why_moved(BANK, scores, change.role_id, ["leadership"])
            assert (movement.old_rank, movement.new_rank) == (change.old_rank, change.new_rank)


class TestApplyOverrides:
    def test_only_the_named_dimensions_change(self) -> None:
        changed = apply_overrides(contrasted(), {"ux": 75.0})

        assert changed.as_dict() == contrasted().as_dict() | {"ux": 75.0}

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"design": 50.0}, r"unknown dimension.*design"),
            ({"ux": 101.0}, r"within 0\.\.100"),
            ({"ux": math.nan}, "ux=nan"),
        ],
    )
    def test_unknown_dimensions_and_scores_off_the_scale_raise_a_value_error(
        self, overrides: dict[str, float], message: str
    ) -> None:
        with pytest.raises(ValueError, match=message):
            apply_overrides(contrasted(), overrides)


class TestRankWhatIf:
    def test_with_no_overrides_it_is_the_ranking_of_the_profile(self) -> None:
        assert rank_what_if(BANK, contrasted(), {}) == rank_roles(BANK, contrasted())

    def test_with_no_overrides_and_priorities_it_is_the_prioritised_ranking(self) -> None:
        priorities = priorities_for(BANK, ["ux"])

        assert rank_what_if(BANK, contrasted(), {}, priorities) == rank_roles(BANK, contrasted(), priorities=priorities)

    def test_raising_marketing_lifts_the_marketing_product_manager(self) -> None:
        before = rank_what_if(BANK, contrasted(), {})
        after = rank_what_if(BANK, contrasted(), {"marketing": 90.0})

        assert rank_of(after, "marketing_pm") < rank_of(before, "marketing_pm")
        by_role = {m.role_id: m.match for m in before.matches}
        assert next(m.match for m in after.matches if m.role_id == "marketing_pm") > by_role["marketing_pm"]

    def test_lowering_leadership_from_the_ctos_profile_puts_the_software_engineer_ahead(self) -> None:
        # Software engineer leadership 25, CTO 85.
        ranking = rank_what_if(BANK, on_role("cto"), {"leadership": 25.0})

        assert rank_of(ranking, "software_engineer") < rank_of(ranking, "cto")

    def test_a_what_if_profile_is_never_flagged_even_when_flat(self) -> None:
        flat = dict.fromkeys(DIMENSIONS, 50.0)
        assert rank_roles(BANK, profile(flat)).flat == "no_contrast"

        assert rank_what_if(BANK, contrasted(), flat).flat is None

    def test_invalid_overrides_raise_a_value_error(self) -> None:
        with pytest.raises(ValueError, match=r"within 0\.\.100"):
            rank_what_if(BANK, contrasted(), {"tech": -5.0})


class TestSmallestChange:
    def test_from_the_ctos_profile_the_tech_lead_comes_first_with_leadership_25_points_lower(self) -> None:
        # The tech lead (leadership 65) guides the team's technical work without managing people.
        change = smallest_change(BANK, on_role("cto"), "tech_lead")

        assert change is not None
        assert (change.role_id, change.dimension, change.delta, change.new_score) == (
            "tech_lead",
            "leadership",
            -25.0,
            60.0,
        )

    @pytest.mark.parametrize("role_id", ["tech_lead", "software_engineer", "security_lead"])
    def test_the_change_really_makes_the_role_first(self, role_id: str) -> None:
        scores = on_role("cto")

        change = smallest_change(BANK, scores, role_id)

        assert change is not None
        ranking = rank_what_if(BANK, scores, {change.dimension: change.new_score})
        assert ranking.top.role_id == role_id
        assert comes_strictly_first(apply_overrides(scores, {change.dimension: change.new_score}), role_id)
        assert change.new_match == ranking.top.match
        assert change.new_margin == pytest.approx(ranking.matches[0].match - ranking.matches[1].match, abs=0.11)

    @pytest.mark.parametrize("role_id", ["tech_lead", "software_engineer", "security_lead", "engineering_manager"])
    def test_no_smaller_change_on_any_dimension_makes_the_role_first(self, role_id: str) -> None:
        scores = on_role("cto")

        change = smallest_change(BANK, scores, role_id)

        assert change is not None
        for _, delta, changed in single_changes(scores):
            if abs(delta) < abs(change.delta):
                assert not comes_strictly_first(changed, role_id), (delta, changed)

    def test_the_new_score_is_the_old_one_moved_by_a_multiple_of_the_step_within_0_to_100(self) -> None:
        scores = contrasted()
        for role_id in ROLE_IDS:
            for step in (5.0, 10.0, 25.0):
                change = smallest_change(BANK, scores, role_id, step=step)
                if change is None:
                    continue
                assert change.new_score == scores[change.dimension] + change.delta
                assert change.delta != 0.0
                assert change.delta / step == round(change.delta / step)
                assert 0.0 <= change.new_score <= 100.0

    def test_a_role_already_first_needs_no_change_and_gets_none(self) -> None:
        assert rank_roles(BANK, on_role("cto")).top.role_id == "cto"

        assert smallest_change(BANK, on_role("cto"), "cto") is None

    def test_a_role_one_dimension_cannot_put_first_gets_none(self) -> None:
        # On the CTO's profile, the marketing product manager (tech 20, marketing 90) is 7th or
        # lower: no single slider bridges that.
        scores = on_role("cto")
        assert brute_force_smallest(scores, "marketing_pm") is None

        assert smallest_change(BANK, scores, "marketing_pm") is None

    def test_asking_for_a_lead_beyond_the_tie_margin_gives_a_first_place_without_a_tie(self) -> None:
        scores = on_role("cto")
        plain = smallest_change(BANK, scores, "software_engineer")

        clear = smallest_change(BANK, scores, "software_engineer", lead=TIE_MARGIN)

        assert plain is not None and clear is not None
        assert abs(clear.delta) >= abs(plain.delta)
        ranking = rank_what_if(BANK, scores, {clear.dimension: clear.new_score})
        assert ranking.tied_top == (ranking.top,)
        assert ranking.top.role_id == "software_engineer"

    def test_the_search_keeps_the_persons_priorities(self) -> None:
        scores = between_cto_and_tech_lead()
        priorities = priorities_for(BANK, ["leadership"])
        assert rank_roles(BANK, scores, priorities=priorities).top.role_id == "cto"

        change = smallest_change(BANK, scores, "tech_lead", priorities)

        assert change is not None
        assert rank_what_if(BANK, scores, {change.dimension: change.new_score}, priorities).top.role_id == "tech_lead"
        assert brute_force_smallest(scores, "tech_lead", priorities) == abs(change.delta)

    def test_every_candidate_profile_is_matched_in_a_single_call(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[int] = []

        def counting(
            bank: Bank, scores: FloatArray, priorities: Mapping[str, float] | None = None
        ) -> tuple[FloatArray, FloatArray, FloatArray]:
            calls.append(len(scores))
            return match_matrix(bank, scores, priorities)

        monkeypatch.setattr(quiz.whatif, "match_matrix", counting)

        smallest_change(BANK, contrasted(), "cpo")

        assert len(calls) == 1
        assert calls[0] > len(DIMENSIONS) * 20

    @pytest.mark.parametrize("step", [0.0, -5.0, math.nan, 150.0])
    def test_a_step_that_is_not_above_0_and_at_most_100_raises_a_value_error(self, step: float) -> None:
        with pytest.raises(ValueError, match="step"):
            smallest_change(BANK, contrasted(), "cpo", step=step)

    def test_a_negative_lead_raises_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="lead"):
            smallest_change(BANK, contrasted(), "cpo", lead=-1.0)

    def test_an_unknown_role_raises_a_key_error(self) -> None:
        with pytest.raises(KeyError, match="chief_happiness_officer"):
            smallest_change(BANK, contrasted(), "chief_happiness_officer")

    @PROPERTY
    @given(scores=any_scores, data=st.data())
    def test_for_any_profile_and_role_behind_it_agrees_with_a_brute_force_search(
        self, scores: DimensionScores, data: st.DataObject
    ) -> None:
        ranking = rank_roles(BANK, scores)
        role_id = data.draw(st.sampled_from([m.role_id for m in ranking.matches[1:]]))

        change = smallest_change(BANK, scores, role_id)

        expected = brute_force_smallest(scores, role_id)
        if change is None:
            assert expected is None
        else:
            changed = apply_overrides(scores, {change.dimension: change.new_score})
            assert comes_strictly_first(changed, role_id)
            assert rank_what_if(BANK, scores, {change.dimension: change.new_score}).top.role_id == role_id
            assert abs(change.delta) == expected


class TestTopChanges:
    def test_from_the_ctos_profile_it_gives_the_next_three_roles_in_rank_order(self) -> None:
        changes = top_changes(BANK, on_role("cto"))

        assert [c.role_id for c in changes] == [m.role_id for m in rank_roles(BANK, on_role("cto")).matches[1:4]]

    def test_each_change_is_that_roles_smallest_change(self) -> None:
        scores = contrasted()

        for change in top_changes(BANK, scores, count=5):
            assert change == smallest_change(BANK, scores, change.role_id)

    def test_it_leaves_out_the_roles_no_single_change_puts_first(self) -> None:
        scores = on_role("cto")
        runners_up = [m.role_id for m in rank_roles(BANK, scores).matches[1:8]]
        reachable = [r for r in runners_up if smallest_change(BANK, scores, r) is not None]
        assert reachable != runners_up

        changes = top_changes(BANK, scores, count=7)

        assert [c.role_id for c in changes] == reachable
        assert all(isinstance(c, Change) for c in changes)

    def test_it_uses_the_ranking_under_the_persons_priorities(self) -> None:
        scores = between_cto_and_tech_lead()
        priorities = priorities_for(BANK, ["leadership"])

        changes = top_changes(BANK, scores, count=1, priorities=priorities)

        assert [c.role_id for c in changes] == ["tech_lead"]

    def test_a_count_of_0_gives_nothing_and_a_negative_count_raises(self) -> None:
        assert top_changes(BANK, contrasted(), count=0) == ()
        with pytest.raises(ValueError, match="count"):
            top_changes(BANK, contrasted(), count=-1)
