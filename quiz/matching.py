"""From a profile to a ranking of every role.

Method. For a person's scores p and a role's targets t and weights w (importance 1-3) over the
dimensions d:

- closeness = 100 - sqrt( sum_d w_d (p_d - t_d)^2 / sum_d w_d ), the importance-weighted
  root-mean-square gap, so a person exactly on the role's profile gets 100 and one who is 100
  points off on every dimension gets 0;
- shape = 50 * (1 + r), where r is the w-weighted Pearson correlation of p and t: it asks whether
  the dimensions that stand out *for this person* are those that stand out *for the role*,
  whatever the person's overall level. People differ in how generously they rate themselves
  (acquiescence); distance alone would mix that elevation with the shape of the profile;
- match = (1 - SHAPE_SHARE) * closeness + SHAPE_SHARE * shape, in 0..100.

Level stays the main term (70 %): a role's profile says how much of each trait it needs, not only
which trait comes first. A flat profile has no shape (r is undefined); it is flagged instead of
ranked (see `flatness`), and its shape term is set to the neutral 50.

Priorities. A person may say which dimensions matter most to them in a job: a multiplier per
dimension (missing ones count 1.0) scales every role's importance weights, w'_d = m_d * w_d,
before both terms are computed. Weights are normalised per role, so multiplying every priority
by the same factor changes nothing; only their ratios count.

Noise. A match figure moves with the answers: one answer step moves a dimension score by 25 / n
points (n statements on it) and a match by a fraction of that. A person's result
(`quiz.result`) therefore says which roles are too close to call from the measurement model
(`quiz.measurement`: each role's probability of being the best match), not from a margin.
`TIE_MARGIN` (3 points) remains where fixed scores are compared without their uncertainty: the
what-if page's "clearly first" and the group's two-role comparison. `rank_roles` marks the roles
within it of the first as `tied_with_top`, and flags a flat profile by `flatness` (the what-if
sliders do not use it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quiz.arrays import FloatArray
from quiz.model import Bank
from quiz.scoring import SCALE, DimensionScores

__all__ = [
    "FLAT_RANGE",
    "SAME_ANSWER_SHARE",
    "SHAPE_SHARE",
    "TIE_MARGIN",
    "Ranking",
    "RoleMatch",
    "flat_reasons",
    "flatness",
    "match_matrix",
    "priority_multipliers",
    "profile_arrays",
    "rank_roles",
    "tied_with_top",
]

SHAPE_SHARE = 0.3
TIE_MARGIN = 3.0
# A profile whose dimension scores all lie within this many points has nothing standing out.
FLAT_RANGE = 15.0
# Giving the very same answer to this share of the items or more is straight-lining.
SAME_ANSWER_SHARE = 0.9


@dataclass(frozen=True)
class RoleMatch:
    """One role's place in a ranking: its 0-100 match and the two terms it is made of, whether it
    is too close to call with the first, and, in a person's result (`quiz.result`), its
    probability of being the best match and the standard error of its match figure (None in a
    ranking of fixed scores, such as the what-if sliders')."""

    role_id: str
    match: float
    closeness: float
    shape: float
    tied_with_top: bool
    probability: float | None = None
    match_se: float | None = None


@dataclass(frozen=True)
class Ranking:
    """All roles, best match first (in a person's result: most likely first). `flat` names why
    the profile cannot be ranked, if so (`quiz.result.FLAT_REASONS`)."""

    matches: tuple[RoleMatch, ...]
    flat: str | None

    @property
    def top(self) -> RoleMatch:
        return self.matches[0]

    @property
    def tied_top(self) -> tuple[RoleMatch, ...]:
        """The roles the quiz cannot separate from the best one (the best one included): in a
        person's result, the roles too close to call."""
        return tuple(m for m in self.matches if m.tied_with_top)


def profile_arrays(bank: Bank) -> tuple[FloatArray, FloatArray]:
    """Targets and weights as roles x dimensions arrays, in the bank's orders."""
    targets = np.array([[t.level for t in role.profile] for role in bank.roles], dtype=float)
    weights = np.array([[t.weight for t in role.profile] for role in bank.roles], dtype=float)
    return targets, weights


def priority_multipliers(bank: Bank, priorities: Mapping[str, float] | None) -> FloatArray:
    """The priorities as one multiplier per dimension, in the bank's dimension order.

    A dimension the mapping does not name counts 1.0; None means no priorities (all 1.0).

    Raises:
        ValueError: a dimension id the bank does not have, a negative or non-finite multiplier, or
            every multiplier 0 (no dimension would count at all).
    """
    dimension_ids = bank.dimension_ids
    if not priorities:
        return np.ones(len(dimension_ids))
    unknown = sorted(set(priorities) - set(dimension_ids))
    if unknown:
        raise ValueError(f"unknown dimension(s) in priorities: {', '.join(unknown)}; known: {', '.join(dimension_ids)}")
    invalid = sorted(d for d, m in priorities.items() if not math.isfinite(m) or m < 0)
    if invalid:
        values = ", ".join(f"{d}={priorities[d]!r}" for d in invalid)
        raise ValueError(f"priorities must be finite numbers of 0 or more; not so for: {values}")
    multipliers = np.array([float(priorities.get(d, 1.0)) for d in dimension_ids])
    if not multipliers.any():
        raise ValueError("priorities are 0 for every dimension: at least one dimension must count")
    return multipliers


def match_matrix(
    bank: Bank, scores: FloatArray, priorities: Mapping[str, float] | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Match, closeness and shape for people x roles, from people x dimensions `scores`.

    `priorities`, if given, multiplies each role's importance weights per dimension (see
    `priority_multipliers`, which also says what raises ValueError); both terms use the result.
    """
    targets, weights = profile_arrays(bank)
    if priorities is not None:
        weights = weights * priority_multipliers(bank, priorities)[None, :]
    p = scores[:, None, :]  # people x 1 x dims
    t = targets[None, :, :]  # 1 x roles x dims
    w = weights[None, :, :] / weights.sum(axis=1)[None, :, None]
    closeness = 100.0 - np.sqrt((w * (p - t) ** 2).sum(axis=2))
    p_centred = p - (w * p).sum(axis=2, keepdims=True)
    t_centred = t - (w * t).sum(axis=2, keepdims=True)
    covariance = (w * p_centred * t_centred).sum(axis=2)
    spread = np.sqrt((w * p_centred**2).sum(axis=2) * (w * t_centred**2).sum(axis=2))
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = np.where(spread > 1e-9, covariance / np.where(spread > 1e-9, spread, 1.0), 0.0)
    shape = 50.0 * (1.0 + correlation)
    match = (1.0 - SHAPE_SHARE) * closeness + SHAPE_SHARE * shape
    return match, closeness, shape


def flat_reasons(scores: FloatArray, answers: FloatArray | None = None) -> npt.NDArray[np.str_]:
    """Why each profile should not be ranked: "same_answers", "no_contrast", or "" if it can be.

    `scores` is people x dimensions; `answers`, if known, people x questions (values 1-5).
    "same_answers": at least `SAME_ANSWER_SHARE` of a person's answers are one and the same
    value (clicking "agree" to everything). "no_contrast": the dimension scores span less than
    `FLAT_RANGE` points, so no dimension stands out. O*NET's Interest Profiler refuses to match
    such profiles for the same reason.
    """
    no_contrast = scores.max(axis=1) - scores.min(axis=1) < FLAT_RANGE
    same = np.zeros(len(scores), dtype=bool)
    if answers is not None and answers.size:
        most_common = np.stack([(answers == value).sum(axis=1) for value in SCALE]).max(axis=0)
        same = most_common >= SAME_ANSWER_SHARE * answers.shape[1]
    return np.where(same, "same_answers", np.where(no_contrast, "no_contrast", ""))


def flatness(scores: DimensionScores, answers: list[int] | None = None) -> str | None:
    """`flat_reasons` for one person: the reason, or None if the profile can be ranked."""
    answer_rows = np.array([answers], dtype=float) if answers else None
    return str(flat_reasons(scores.as_array()[None, :], answer_rows)[0]) or None


def tied_with_top(match: FloatArray) -> npt.NDArray[np.bool_]:
    """For people x roles match figures: which roles are within `TIE_MARGIN` of each person's best."""
    tied: npt.NDArray[np.bool_] = match.max(axis=1, keepdims=True) - match < TIE_MARGIN
    return tied


def rank_roles(
    bank: Bank,
    scores: DimensionScores,
    answers: list[int] | None = None,
    priorities: Mapping[str, float] | None = None,
) -> Ranking:
    """Rank every role of the bank for this profile, best first, ties marked.

    Roles with the very same match are ordered by id, so the ranking is stable.

    Args:
        bank: the validated bank.
        scores: the person's dimension scores.
        answers: the raw answers, if known, to detect straight-lining.
        priorities: a weight multiplier per dimension id that matters more (or less) to the
            person; missing dimensions count 1.0. Flatness does not depend on it.

    Raises:
        ValueError: invalid priorities (see `priority_multipliers`).
    """
    all_match, all_closeness, all_shape = match_matrix(bank, scores.as_array()[None, :], priorities)
    match, closeness, shape, tied = all_match[0], all_closeness[0], all_shape[0], tied_with_top(all_match)[0]
    order = sorted(range(len(bank.roles)), key=lambda i: (-match[i], bank.roles[i].id))
    matches = tuple(
        RoleMatch(
            bank.roles[i].id,
            round(float(match[i]), 1),
            round(float(closeness[i]), 1),
            round(float(shape[i]), 1),
            bool(tied[i]),
        )
        for i in order
    )
    return Ranking(matches, flatness(scores, answers))
