"""How sure a result is: the precision of each dimension score, and each role's probability of
being the person's best match given that precision.

Model (classical test theory with parallel items; Lord & Novick 1968, ch. 3-4; Nunnally &
Bernstein 1994, ch. 6-7). A dimension's bank holds n statements; the bank stores the reliability
rho_n of the score over all n (Cronbach's alpha) and the standard deviation SD of that score in
the people who take the quiz. The standard error of measurement of the full score is

    SEM_n = SD * sqrt(1 - rho_n)

and, the items being treated as parallel, the error variance of a mean of k of them grows as
n / k, so a score from k answered statements has

    SEM_k = SEM_n * sqrt(n / k)  =  SD_k * sqrt(1 - rho_k),

which is the same as applying the Spearman-Brown formula rho_k = k r / (1 + (k - 1) r), with r
the one-item reliability rho_n / (n - (n - 1) rho_n), to a k-item score of standard deviation SD_k.
With the assumed rho_8 = .83 and SD = 18 points, SEM is 7.4 points on all 8 statements and 14.8
on 2. A dimension with no answered statement is set to the scale's middle (50) with the
population's true-score spread as its error, SD * sqrt(rho_n): nothing is known about it. No
error is ever larger than that (with one statement, SEM_1 = 21 points would exceed it): an answer
never makes the result less sure than no answer.

Plausible true profiles. Given the observed scores x and errors SEM, the person's true profile is
taken as T_d ~ N(x_d, SEM_d^2), independently across dimensions (a flat prior; the keys are
balanced, so acquiescence does not correlate the errors), clipped to 0-100. `DRAWS` such
profiles (antithetic pairs, from a fixed seed, so a result is reproducible) are matched to every
role (`quiz.matching` rule); a role's probability of being the best match is the share of
draws in which it has the highest match, and its match figure's standard error the spread of its
match over the draws.

Too close to call. The roles presented as not separable from the most likely one are the
smallest set, most likely first, whose probabilities add up to `CALL_LEVEL` (0.9): a 90 %
credible set for the best role. If the probabilities are calibrated, the true best role is inside
it at least 90 % of the time (`bench/validity.py` measures it), which a fixed margin on the
match figure cannot promise.

>>> from quiz.banks import load_bank
>>> bank = load_bank()
>>> round(standard_error(bank.dimension("tech"), answered=8, available=8), 1)
7.4
>>> round(standard_error(bank.dimension("tech"), answered=2, available=8), 1)
14.8
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quiz.arrays import BoolArray, FloatArray
from quiz.matching import SHAPE_SHARE, priority_multipliers, profile_arrays
from quiz.model import Bank, Dimension
from quiz.scoring import DimensionScores, check_answers, score_partial_matrix

__all__ = [
    "CALL_LEVEL",
    "DRAWS",
    "SEED",
    "UNKNOWN_SCORE",
    "BestMatchOdds",
    "MatchModel",
    "ProfileEstimate",
    "RoleOdds",
    "best_match_odds",
    "best_match_probabilities",
    "deciding_dimensions",
    "estimate_matrix",
    "estimate_profile",
    "gap_sensitivities",
    "standard_draws",
    "standard_error",
    "too_close_to_call",
]

IntArray = npt.NDArray[np.int64]

# 2,000 draws: the Monte Carlo error of a probability near .5 is then about 1 point (sqrt(.25 /
# 2000)), well under the 5-point calibration tolerance, and a person's odds take about a millisecond.
DRAWS = 2_000
SEED = 20_261_201
CALL_LEVEL = 0.9
# Where a dimension with no answered statement is put: the middle of the scale.
UNKNOWN_SCORE = 50.0


def standard_error(dimension: Dimension, answered: int, available: int) -> float:
    """The standard error of measurement of a dimension score from `answered` of the bank's
    `available` statements on it: SEM_k = SD * sqrt(1 - rho_n) * sqrt(n / k) (module docstring),
    at most the true-score spread SD * sqrt(rho_n), which is also the error with nothing answered.

    Raises:
        ValueError: `answered` is negative or more than `available`.
    """
    if not 0 <= answered <= available:
        raise ValueError(f"answered must be from 0 to {available} statements, not {answered}")
    unknown = dimension.score_sd * math.sqrt(dimension.reliability)
    if answered == 0:
        return unknown
    return min(unknown, dimension.score_sd * math.sqrt(1.0 - dimension.reliability) * math.sqrt(available / answered))


def _error_arrays(bank: Bank) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per dimension: the full-bank SEM, the true-score spread, and the number of statements."""
    available = np.array([sum(q.dimension == d for q in bank.questions) for d in bank.dimension_ids], dtype=float)
    sd = np.array([d.score_sd for d in bank.dimensions])
    rel = np.array([d.reliability for d in bank.dimensions])
    return sd * np.sqrt(1.0 - rel), sd * np.sqrt(rel), available


def estimate_matrix(bank: Bank, answers: FloatArray) -> tuple[FloatArray, FloatArray, IntArray]:
    """Scores, standard errors and answered counts for people x questions `answers` (bank order,
    1..5, NaN for a statement not asked), all people x dimensions.

    A dimension with no answered statement scores `UNKNOWN_SCORE` with the true-score spread as
    its error (see `standard_error`).
    """
    scores, answered = score_partial_matrix(bank, answers)
    sem_full, true_sd, available = _error_arrays(bank)
    measured = np.minimum(sem_full * np.sqrt(available / np.maximum(answered, 1)), true_sd)
    errors = np.where(answered > 0, measured, true_sd)
    return np.where(answered > 0, scores, UNKNOWN_SCORE), errors, answered


@dataclass(frozen=True)
class ProfileEstimate:
    """A person's profile with its precision: per dimension the score (0-100), its standard
    error of measurement, and how many of the bank's statements on it were answered."""

    dimensions: tuple[str, ...]
    scores: tuple[float, ...]
    standard_errors: tuple[float, ...]
    answered: tuple[int, ...]
    available: tuple[int, ...]

    def score(self, dimension: str) -> float:
        return self.scores[self.dimensions.index(dimension)]

    def standard_error(self, dimension: str) -> float:
        return self.standard_errors[self.dimensions.index(dimension)]

    def as_scores(self) -> DimensionScores:
        """The point scores, for everything that takes a `DimensionScores` (explain, charts...)."""
        return DimensionScores(self.dimensions, self.scores)

    @property
    def complete(self) -> bool:
        return self.answered == self.available


def estimate_profile(bank: Bank, answers: Mapping[str, int]) -> ProfileEstimate:
    """One person's scores and standard errors from the statements they answered.

    Raises:
        AnswerError: an answer is for an unknown statement or off the 1-5 scale.
    """
    check_answers(bank, answers, complete=False)
    row = np.array([[answers.get(q.id, np.nan) for q in bank.questions]], dtype=float)
    scores, errors, answered = estimate_matrix(bank, row)
    available = tuple(sum(q.dimension == d for q in bank.questions) for d in bank.dimension_ids)
    return ProfileEstimate(
        bank.dimension_ids,
        tuple(round(float(v), 6) for v in scores[0]),
        tuple(float(e) for e in errors[0]),
        tuple(int(n) for n in answered[0]),
        available,
    )


@dataclass(frozen=True)
class MatchModel:
    """The match rule of `quiz.matching.match_matrix` rewritten as matrix products, to match many
    thousands of plausible profiles per person in microseconds.

    With normalised weights w (roles x dims, rows summing to 1) and targets t, for a profile p:
    sum w (p - t)^2 = (p^2) w' - 2 p (w t)' + sum w t^2, and the weighted means, variances and
    covariance of the shape term expand the same way. Equal to `match_matrix` to 1e-9 (tested);
    a profile whose weighted variance is under 1e-6 points^2 counts as flat (shape 50).
    """

    role_ids: tuple[str, ...]
    weights: FloatArray
    weighted_targets: FloatArray
    target_square: FloatArray
    target_mean: FloatArray
    target_variance: FloatArray

    @classmethod
    def of(cls, bank: Bank, priorities: Mapping[str, float] | None = None) -> MatchModel:
        targets, weights = profile_arrays(bank)
        if priorities is not None:
            weights = weights * priority_multipliers(bank, priorities)[None, :]
        w = weights / weights.sum(axis=1, keepdims=True)
        square = (w * targets**2).sum(axis=1)
        mean = (w * targets).sum(axis=1)
        return cls(tuple(r.id for r in bank.roles), w, w * targets, square, mean, square - mean**2)

    def match(self, profiles: FloatArray) -> FloatArray:
        """Match figures, profiles x roles, for profiles x dimensions scores."""
        second = (profiles**2) @ self.weights.T  # sum w p^2
        cross = profiles @ self.weighted_targets.T  # sum w p t
        mean = profiles @ self.weights.T  # sum w p
        distance = np.sqrt(np.maximum(second - 2.0 * cross + self.target_square, 0.0))
        variance = np.maximum(second - mean**2, 0.0)
        covariance = cross - mean * self.target_mean
        spread = np.sqrt(variance * self.target_variance)
        correlation = np.where(variance > 1e-6, covariance / np.where(spread > 0, spread, 1.0), 0.0)
        correlation = np.clip(correlation, -1.0, 1.0)
        result: FloatArray = (1.0 - SHAPE_SHARE) * (100.0 - distance) + SHAPE_SHARE * 50.0 * (1.0 + correlation)
        return result


def standard_draws(dimensions: int, draws: int = DRAWS, seed: int = SEED) -> FloatArray:
    """`draws` standard normal vectors of `dimensions` values, as antithetic pairs (z and -z), from a
    fixed seed: the same plausible-profile noise for everyone, so results are reproducible and two
    people with the same answers get the same odds."""
    half = np.random.default_rng(seed).standard_normal((max(draws // 2, 1), dimensions))
    return np.concatenate([half, -half])


def best_match_probabilities(
    bank: Bank,
    scores: FloatArray,
    errors: FloatArray,
    priorities: Mapping[str, float] | None = None,
    draws: int = DRAWS,
    seed: int = SEED,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Each role's probability of being the best match, for people x dimensions `scores` with
    their standard `errors` (module docstring: plausible true profiles, Monte Carlo).

    Returns:
        (probabilities, match, match_se): people x roles; the probabilities of each person sum to
        1, `match` is the match figure at the observed scores, `match_se` its standard error over
        the plausible profiles.
    """
    model = MatchModel.of(bank, priorities)
    noise = standard_draws(scores.shape[1], draws, seed)
    roles, samples = len(model.role_ids), len(noise)
    probabilities = np.zeros((len(scores), roles))
    match_se = np.zeros((len(scores), roles))
    chunk = max(1, 4_000 // samples)  # people per product: small arrays stay in cache, faster here
    for start in range(0, len(scores), chunk):
        part = slice(start, start + chunk)
        people = len(scores[part])
        plausible = np.clip(scores[part, None, :] + errors[part, None, :] * noise[None, :, :], 0.0, 100.0)
        matches = model.match(plausible.reshape(-1, scores.shape[1])).reshape(people, samples, roles)
        winners = matches.argmax(axis=2) + roles * np.arange(people)[:, None]
        probabilities[part] = np.bincount(winners.ravel(), minlength=people * roles).reshape(people, roles) / samples
        match_se[part] = matches.std(axis=1)
    return probabilities, model.match(scores), match_se


def too_close_to_call(probabilities: FloatArray, level: float = CALL_LEVEL) -> BoolArray:
    """For people x roles probabilities: the smallest set of roles per person, most likely first,
    whose probabilities reach `level` (the role that crosses it included)."""
    order = np.argsort(-probabilities, axis=1, kind="stable")
    ranked = np.take_along_axis(probabilities, order, axis=1)
    before = np.cumsum(ranked, axis=1) - ranked  # probability of the roles ranked above
    inside_ranked = before < level - 1e-12
    inside = np.zeros_like(inside_ranked)
    np.put_along_axis(inside, order, inside_ranked, axis=1)
    return inside


@dataclass(frozen=True)
class RoleOdds:
    """One role for one person: its probability of being the best match, its match figure at the
    person's scores and that figure's standard error, and whether it is too close to call with
    the most likely role (the most likely role itself included)."""

    role_id: str
    probability: float
    match: float
    match_se: float
    too_close_to_call: bool


@dataclass(frozen=True)
class BestMatchOdds:
    """Every role, most likely best match first (equal probabilities: higher match first, then id)."""

    roles: tuple[RoleOdds, ...]
    level: float

    @property
    def most_likely(self) -> RoleOdds:
        return self.roles[0]

    @property
    def too_close_to_call(self) -> tuple[RoleOdds, ...]:
        """The roles the quiz cannot tell apart from the most likely one, it included."""
        return tuple(r for r in self.roles if r.too_close_to_call)

    def probability(self, role_id: str) -> float:
        return next(r.probability for r in self.roles if r.role_id == role_id)


def best_match_odds(
    bank: Bank,
    estimate: ProfileEstimate,
    priorities: Mapping[str, float] | None = None,
    level: float = CALL_LEVEL,
) -> BestMatchOdds:
    """One person's odds for every role (see `best_match_probabilities` and `too_close_to_call`)."""
    scores = np.array([estimate.scores])
    errors = np.array([estimate.standard_errors])
    probabilities, match, match_se = best_match_probabilities(bank, scores, errors, priorities)
    close = too_close_to_call(probabilities, level)[0]
    order = sorted(range(len(bank.roles)), key=lambda i: (-probabilities[0, i], -match[0, i], bank.roles[i].id))
    return BestMatchOdds(
        tuple(
            RoleOdds(
                bank.roles[i].id,
                float(probabilities[0, i]),
                round(float(match[0, i]), 1),
                round(float(match_se[0, i]), 1),
                bool(close[i]),
            )
            for i in order
        ),
        level,
    )


def gap_sensitivities(model: MatchModel, scores: FloatArray, leader: int) -> tuple[FloatArray, FloatArray]:
    """The gaps between the leader's match and every role's at `scores` (one profile), and how much
    one point more on each dimension changes each gap (roles x dimensions, central differences)."""
    step = 0.5
    shifted = scores[None, :] + step * np.vstack([np.eye(len(scores)), -np.eye(len(scores))])
    matches = model.match(np.vstack([scores[None, :], np.clip(shifted, 0.0, 100.0)]))
    gaps = matches[:, leader : leader + 1] - matches  # rows: base, +e_d, -e_d ; columns: roles
    dims = len(scores)
    gradient = (gaps[1 : 1 + dims] - gaps[1 + dims :]) / (2 * step)  # dimensions x roles
    return gaps[0], gradient.T


def deciding_dimensions(bank: Bank, estimate: ProfileEstimate, odds: BestMatchOdds, limit: int = 2) -> tuple[str, ...]:
    """The dimensions that decide between the most likely role and the others too close to call
    (or the runner-up, if none is): those contributing most to the uncertainty of the gaps
    between them, sum over challengers c of (d gap_c / d score_d)^2 * SEM_d^2, weighted by each
    challenger's probability. More statements on them would make the result surer."""
    model = MatchModel.of(bank)
    index = {role_id: i for i, role_id in enumerate(model.role_ids)}
    challengers = list(odds.too_close_to_call[1:]) or [odds.roles[1]]
    _, gradient = gap_sensitivities(model, np.array(estimate.scores), index[odds.most_likely.role_id])
    errors = np.array(estimate.standard_errors)
    share = np.zeros(len(estimate.dimensions))
    for challenger in challengers:
        share += max(challenger.probability, 1e-3) * gradient[index[challenger.role_id]] ** 2 * errors**2
    order = np.argsort(-share, kind="stable")
    return tuple(estimate.dimensions[i] for i in order[:limit] if share[i] > 0)
