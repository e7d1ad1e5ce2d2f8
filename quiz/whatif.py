"""What if: priorities, moved sliders, and the smallest change that would put a role first.

Priorities. A person ticks the dimensions that matter most to them in a job. `priorities_for`
gives those `PRIORITY_FACTOR` (2.0) and every other dimension 1.0; `quiz.matching` multiplies each
role's importance weights by them, so a ticked dimension counts twice as much in every role, in
both the closeness and the shape terms. `ranking_changes` lists the roles that moved as a result,
and `why_moved` gives the data for the reason: for a role that moved up, the ticked dimensions
the person fits (gap within `CLOSE_GAP`, the explanation's rule for a strength); for one that moved
down, the ticked dimensions with a larger gap. Data, not sentences: the page words them.

What if. `rank_what_if` ranks the profile after the person moved some of their own scores with
sliders. Such a profile is never flagged as flat (`Ranking.flat` is None): the person is exploring
on purpose, the answers that would show straight-lining no longer describe these scores, and a
profile the person flattened by hand is one they chose to look at. The real profile is still
judged on the results page.

Smallest change. `smallest_change` tries every change of ONE dimension by a non-zero multiple of
`step` that keeps that score within 0..100 (at step 5: 7 dimensions x 40 deltas from -100 to +100,
fewer once out-of-range scores are dropped), all at once in a single `match_matrix` call. Among
the changes that make the role the strict, unique best match (ahead of every other role by more
than `lead` points, 0 by default), it returns the one with the smallest |delta|; on equal |delta|,
the one with the larger lead, then the bank's dimension order, then raising before lowering. It
returns None when no single-dimension change is enough, and also when the role is already first
by more than `lead`: there is nothing to change (compare with the ranking to tell the two apart).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt

from quiz.arrays import FloatArray
from quiz.explain import CLOSE_GAP
from quiz.matching import Ranking, match_matrix, rank_roles
from quiz.model import Bank
from quiz.scoring import DimensionScores

__all__ = [
    "PRIORITY_FACTOR",
    "SCORE_RANGE",
    "STEP",
    "Change",
    "Movement",
    "PriorityFit",
    "RankChange",
    "apply_overrides",
    "priorities_for",
    "rank_what_if",
    "ranking_changes",
    "smallest_change",
    "top_changes",
    "why_moved",
]

# Twice the weight. Over 500 random profiles with two dimensions ticked, the best role changed in
# about a quarter of them and no role moved more than 8 places: ticking matters, without letting
# one dimension decide alone.
PRIORITY_FACTOR = 2.0
SCORE_RANGE = (0.0, 100.0)
# One answer moved by one step moves a 5-item dimension by 5 points: the finest real change.
STEP = 5.0
# Leads smaller than this are floating-point noise, not a strict lead.
_NOISE = 1e-9

IntArray = npt.NDArray[np.intp]
Direction = Literal["up", "down", "same"]


@dataclass(frozen=True)
class RankChange:
    """A role whose place changed; ranks count from 1 (the best match)."""

    role_id: str
    old_rank: int
    new_rank: int
    old_match: float
    new_match: float

    @property
    def places(self) -> int:
        """How many places the role gained (negative: lost)."""
        return self.old_rank - self.new_rank


@dataclass(frozen=True)
class PriorityFit:
    """A prioritised dimension for one role: `gap` is person minus target (negative: below)."""

    dimension: str
    person: float
    target: float
    gap: float


@dataclass(frozen=True)
class Movement:
    """How a role moved when some dimensions were prioritised, and the dimensions behind it.

    `fits` holds, for a role that moved up, the prioritised dimensions within `CLOSE_GAP` of its
    target (closest first); for one that moved down, those further away (largest gap first);
    nothing for a role that kept its place. It may be empty: a role can also move because others
    moved around it.
    """

    role_id: str
    old_rank: int
    new_rank: int
    fits: tuple[PriorityFit, ...]

    @property
    def direction(self) -> Direction:
        if self.new_rank < self.old_rank:
            return "up"
        if self.new_rank > self.old_rank:
            return "down"
        return "same"


@dataclass(frozen=True)
class Change:
    """One dimension moved by `delta` points (signed) to `new_score`, which would make `role_id`
    the best match with `new_match`, ahead of the next role by `new_margin` points.

    The lead is judged before rounding: `new_match` and `new_margin` are rounded to 0.1 like
    `RoleMatch.match`, so a lead under 0.05 shows as 0.0.
    """

    role_id: str
    dimension: str
    delta: float
    new_score: float
    new_match: float
    new_margin: float


def priorities_for(bank: Bank, important: Iterable[str]) -> dict[str, float]:
    """Multipliers for `match_matrix`/`rank_roles`: `PRIORITY_FACTOR` for each dimension in
    `important`, 1.0 for every other dimension of the bank.

    Raises:
        ValueError: `important` names a dimension the bank does not have.
    """
    chosen = set(important)
    unknown = sorted(chosen - set(bank.dimension_ids))
    if unknown:
        raise ValueError(f"unknown dimension(s): {', '.join(unknown)}; known: {', '.join(bank.dimension_ids)}")
    return {d: PRIORITY_FACTOR if d in chosen else 1.0 for d in bank.dimension_ids}


def _ranks(ranking: Ranking) -> dict[str, int]:
    return {m.role_id: place for place, m in enumerate(ranking.matches, start=1)}


def ranking_changes(before: Ranking, after: Ranking) -> tuple[RankChange, ...]:
    """The roles whose rank differs between two rankings of the same roles: the biggest moves
    first (in places, up or down), then by new rank.

    Raises:
        ValueError: the two rankings do not hold the same roles.
    """
    old, new = _ranks(before), _ranks(after)
    if old.keys() != new.keys():
        raise ValueError(f"the rankings hold different roles: {', '.join(sorted(old.keys() ^ new.keys()))}")
    old_match = {m.role_id: m.match for m in before.matches}
    changes = [
        RankChange(m.role_id, old[m.role_id], new[m.role_id], old_match[m.role_id], m.match)
        for m in after.matches
        if old[m.role_id] != new[m.role_id]
    ]
    return tuple(sorted(changes, key=lambda c: (-abs(c.places), c.new_rank)))


def why_moved(bank: Bank, scores: DimensionScores, role_id: str, important: Iterable[str]) -> Movement:
    """How `role_id` moved when the `important` dimensions were prioritised (`priorities_for`),
    and the prioritised dimensions behind it: see `Movement` for which ones.

    Raises:
        KeyError: unknown role. ValueError: unknown dimension in `important`.
    """
    chosen = tuple(important)
    priorities = priorities_for(bank, chosen)
    role = bank.role(role_id)
    old_rank = _ranks(rank_roles(bank, scores))[role_id]
    new_rank = _ranks(rank_roles(bank, scores, priorities=priorities))[role_id]
    fits = [
        PriorityFit(t.dimension, scores[t.dimension], float(t.level), round(scores[t.dimension] - t.level, 1))
        for t in role.profile
        if t.dimension in chosen
    ]
    if new_rank < old_rank:
        shown = sorted((f for f in fits if abs(f.gap) <= CLOSE_GAP), key=lambda f: abs(f.gap))
    elif new_rank > old_rank:
        shown = sorted((f for f in fits if abs(f.gap) > CLOSE_GAP), key=lambda f: -abs(f.gap))
    else:
        shown = []
    return Movement(role_id, old_rank, new_rank, tuple(shown))


def apply_overrides(scores: DimensionScores, overrides: Mapping[str, float]) -> DimensionScores:
    """The profile with some scores replaced by the values the person chose.

    Raises:
        ValueError: an unknown dimension, or a value that is not a number within 0..100.
    """
    unknown = sorted(set(overrides) - set(scores.dimensions))
    if unknown:
        raise ValueError(f"unknown dimension(s): {', '.join(unknown)}; known: {', '.join(scores.dimensions)}")
    low, high = SCORE_RANGE
    off = sorted(d for d, v in overrides.items() if not (math.isfinite(v) and low <= v <= high))
    if off:
        listed = ", ".join(f"{d}={overrides[d]!r}" for d in off)
        raise ValueError(f"scores must lie within {low:g}..{high:g}; not so for: {listed}")
    values = tuple(float(overrides.get(d, v)) for d, v in scores.as_dict().items())
    return DimensionScores(scores.dimensions, values)


def rank_what_if(
    bank: Bank,
    scores: DimensionScores,
    overrides: Mapping[str, float],
    priorities: Mapping[str, float] | None = None,
) -> Ranking:
    """Rank every role for the profile with `overrides` applied (see `apply_overrides`).

    A what-if profile is never flagged as flat: `flat` is always None (see the module docstring).

    Raises:
        ValueError: invalid overrides or priorities.
    """
    ranking = rank_roles(bank, apply_overrides(scores, overrides), priorities=priorities)
    return replace(ranking, flat=None)


@dataclass(frozen=True)
class _Candidates:
    """Every single-dimension change of a profile and the match of every role after it."""

    dimensions: IntArray
    deltas: FloatArray
    new_scores: FloatArray
    match: FloatArray  # candidates x roles
    current: FloatArray  # roles: the match before any change


def _candidates(
    bank: Bank, scores: DimensionScores, priorities: Mapping[str, float] | None, step: float
) -> _Candidates:
    """Every single-dimension change of `scores` by a non-zero multiple of `step` within 0..100,
    matched against every role in one `match_matrix` call (the unchanged profile in row 0)."""
    if not (math.isfinite(step) and 0.0 < step <= SCORE_RANGE[1]):
        raise ValueError(f"step must be a number above 0 and at most {SCORE_RANGE[1]:g}, not {step!r}")
    values = scores.as_array()
    low, high = SCORE_RANGE
    reach = math.floor((high - low) / step + _NOISE)
    deltas = step * np.concatenate([np.arange(-reach, 0), np.arange(1, reach + 1)]).astype(float)
    dimensions = np.repeat(np.arange(len(values)), len(deltas))
    all_deltas = np.tile(deltas, len(values))
    new_scores = values[dimensions] + all_deltas
    # A tolerance so that, e.g., 0.3 + 0.7 still counts as within range; then clipped to it.
    keep = (new_scores >= low - _NOISE) & (new_scores <= high + _NOISE)
    dimensions, all_deltas, new_scores = dimensions[keep], all_deltas[keep], np.clip(new_scores[keep], low, high)
    profiles = np.tile(values, (len(dimensions), 1))
    profiles[np.arange(len(dimensions)), dimensions] = new_scores
    match, _, _ = match_matrix(bank, np.vstack([values[None, :], profiles]), priorities)
    return _Candidates(dimensions, all_deltas, new_scores, match[1:], match[0])


def _lead(match: FloatArray, role: int) -> FloatArray:
    """For rows of role matches: how far `role` is ahead of the best other role (negative: behind)."""
    others = np.delete(match, role, axis=-1)
    lead: FloatArray = match[..., role] - others.max(axis=-1)
    return lead


def _best_change(bank: Bank, candidates: _Candidates, role_id: str, lead: float) -> Change | None:
    if not (math.isfinite(lead) and lead >= 0.0):
        raise ValueError(f"lead must be a number of 0 or more, not {lead!r}")
    role = bank.roles.index(bank.role(role_id))
    if _lead(candidates.current, role) > lead + _NOISE:
        return None
    leads = _lead(candidates.match, role)
    winning = np.flatnonzero(leads > lead + _NOISE)
    if not winning.size:
        return None
    d, delta = candidates.dimensions[winning], candidates.deltas[winning]
    # np.lexsort sorts by its last key first: smallest |delta|, largest lead, dimension order,
    # then raising before lowering.
    best = winning[np.lexsort((-delta, d, -leads[winning], np.abs(delta)))[0]]
    return Change(
        role_id,
        bank.dimension_ids[candidates.dimensions[best]],
        float(candidates.deltas[best]),
        round(float(candidates.new_scores[best]), 6),
        round(float(candidates.match[best, role]), 1),
        round(float(leads[best]), 1),
    )


def smallest_change(
    bank: Bank,
    scores: DimensionScores,
    role_id: str,
    priorities: Mapping[str, float] | None = None,
    step: float = STEP,
    lead: float = 0.0,
) -> Change | None:
    """The smallest change of one dimension that makes `role_id` the strict, unique best match.

    Changes are non-zero multiples of `step` that keep the score within 0..100; the role must end
    ahead of every other role by more than `lead` points (pass `TIE_MARGIN` to ask for a first
    place the quiz would not call a tie). Ties between changes are settled as the module
    docstring says. `priorities` stay as given. Example: a person exactly on the CTO's profile
    would have tech lead first with risk tolerance 25 points lower (70 -> 45).

    Returns:
        The change, or None if the role is already first by more than `lead`, or if no change of
        a single dimension achieves it.

    Raises:
        KeyError: unknown role. ValueError: a step that is not above 0 and at most 100, a
            negative lead, or invalid priorities.
    """
    return _best_change(bank, _candidates(bank, scores, priorities, step), role_id, lead)


def top_changes(
    bank: Bank,
    scores: DimensionScores,
    count: int = 3,
    priorities: Mapping[str, float] | None = None,
    step: float = STEP,
    lead: float = 0.0,
) -> tuple[Change, ...]:
    """`smallest_change` for each of the roles ranked 2 to `count` + 1, in rank order, leaving
    out those no single-dimension change can put first ("with 15 more points of technical depth,
    CTO would come first").

    Raises:
        ValueError: a negative `count`, or as `smallest_change`.
    """
    if count < 0:
        raise ValueError(f"count must be 0 or more, not {count}")
    candidates = _candidates(bank, scores, priorities, step)
    runners_up = rank_roles(bank, scores, priorities=priorities).matches[1 : count + 1]
    changes = (_best_change(bank, candidates, m.role_id, lead) for m in runners_up)
    return tuple(c for c in changes if c is not None)
