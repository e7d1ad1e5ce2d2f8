"""How reliable the quiz was for a group, whose answers to read with care, and the bank's
reliabilities measured from real answers (`calibrate`).

Input: answer sets as people x questions (the bank's question order, 1..5, NaN = not asked).
Reverse-keyed statements are reversed first (6 - answer, as `quiz.scoring` does), so that on a
dimension every statement should go up with the trait.

Pairwise-available statistics (adaptive answering). Nobody needs to have answered every statement:
every statistic of a dimension is computed from its inter-item covariance matrix, and each cell of
that matrix from the people who answered *both* statements (pairwise deletion, as
`pandas.DataFrame.cov` and pingouin's `cronbach_alpha(nan_policy="pairwise")` do: the means of a
pair are those of the people who answered both, divisor n_ij - 1). Then, per dimension:

- a statement answered by fewer than `MIN_PEOPLE` people is left out (`too_few_answers`), as is a
  statement everybody answered the same way (`constant_item`: it has no variance to share);
- while a pair of the remaining statements was answered together by fewer than `MIN_PAIR_COUNT`
  people, the statement with the most such pairs (then the one answered least) is left out
  (`too_few_pairs`): a covariance from one or two people is noise;
- `n` is the number of people who answered at least two of the statements kept, and `pair_n` the
  harmonic mean of the pair counts n_ij (i < j): the sample size the confidence interval uses. With
  complete answers both are the number of people.

The alpha so computed estimates the reliability of the score over *all the statements kept*, even
if nobody answered all of them (the covariance matrix is that of the full set). It is the
reliability of a person who answers them all: a person who answered fewer has a less reliable
score, which `quiz.measurement` models with Spearman-Brown. Pairwise matrices need not be positive
semi-definite; alpha is still defined, omega and the Mahalanobis distance say so when they fail.

Formulas (C the covariance matrix of the k statements kept, 1 a vector of ones):

- Cronbach's alpha (Cronbach 1951): alpha = k / (k - 1) * (1 - tr(C) / 1'C1).
- Feldt's confidence interval (Feldt 1965; Feldt, Woodruff & Salih 1987): (1 - alpha) / (1 - A)
  follows an F distribution with n - 1 and (n - 1)(k - 1) degrees of freedom, so the 95 % interval
  is [1 - (1 - alpha) F_.975, 1 - (1 - alpha) F_.025]; n is `pair_n` (above).
- McDonald's omega (McDonald 1999, ch. 6), one factor: omega = (sum lambda)^2 / ((sum lambda)^2 +
  sum psi), with the loadings lambda and unique variances psi in the statements' own units, so that
  it is the reliability of the unweighted score the quiz computes. Estimation: iterated principal
  axis factoring of the inter-item correlation matrix (start: squared multiple correlations; until
  the communalities change by less than 1e-6, at most 500 iterations), whose fixed point is the
  unweighted least squares ("minres") solution (Harman 1976, ch. 8); loadings are then rescaled by
  the statements' standard deviations. Limits: it assumes one common factor (a dimension that is
  really two traits gets a misleading omega), it needs at least 3 statements (with 2 a one-factor
  model is not identified), a communality reaching 1 (a Heywood case) is held at .995, and a
  pairwise matrix that is not positive definite can make it fail (`omega_failed`).
- Standard error of measurement in score points (0-100): SEM = SD * sqrt(1 - alpha), with SD =
  25 sqrt(1'C1) / k the standard deviation of the score (the mean of the k keyed answers rescaled by
  25 points per answer step). It is the SEM of a person who answered all k statements.
- Corrected item-total correlation of statement i: r_i = sum_{j != i} C_ij / sqrt(C_ii * V_i), V_i
  the variance of the sum of the other statements; and alpha if deleted, the alpha of C without i.
  A clearly negative r (`negative`: -.20 or below) usually means a reverse key is wrong or a
  statement is understood the other way round; one between -.20 and `WEAK_ITEM_TOTAL` (.20;
  Streiner & Norman 2008, ch. 5) is near zero (`weak`): the statement measures little of what the
  others share (misunderstood, ambiguous, or about something else).
  `raises_alpha`: the dimension's alpha would rise by more than `ALPHA_GAIN` without it.

References: Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
Psychometrika 16, 297-334. Feldt, L. S. (1965). The approximate sampling distribution of
Kuder-Richardson reliability coefficient twenty. Psychometrika 30, 357-370. Feldt, L. S.,
Woodruff, D. J. & Salih, F. A. (1987). Statistical inference for coefficient alpha. Applied
Psychological Measurement 11, 93-103. McDonald, R. P. (1999). Test theory: a unified treatment.
Erlbaum. Harman, H. H. (1976). Modern factor analysis (3rd ed.). Chicago. Streiner, D. L. &
Norman, G. R. (2008). Health measurement scales (4th ed.). Oxford. Nunnally, J. C. (1978).
Psychometric theory (2nd ed.). McGraw-Hill. George, D. & Mallery, P. (2003). SPSS for Windows step
by step (4th ed.). Allyn & Bacon.

>>> import numpy as np
>>> answers = np.array([[1, 2, 1], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, 5, 4]], dtype=float)
>>> cov, counts = pairwise_covariance(answers)
>>> alpha = alpha_from_covariance(cov)
>>> round(alpha, 3)  # pingouin.cronbach_alpha: 0.936, [0.679, 0.993]
0.936
>>> [round(x, 3) for x in feldt_interval(alpha, n=5, k=3)]
[0.679, 0.993]
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from quiz.arrays import FloatArray
from quiz.banks import load_bank
from quiz.measurement import estimate_matrix
from quiz.model import Bank
from quiz.quality import FLAGS as QUALITY_FLAGS
from quiz.quality import quality_flag_matrix

__all__ = [
    "ALPHA_GAIN",
    "ANTONYM_FLAG_R",
    "ANTONYM_MIN_PAIRS",
    "ANTONYM_R",
    "DISTANCE_P",
    "DISTANCE_SPARE_PEOPLE",
    "FAST_SECONDS",
    "ITEM_FLAGS",
    "LEVELS",
    "MIN_CALIBRATION_PEOPLE",
    "MIN_PAIR_COUNT",
    "MIN_PEOPLE",
    "PERSON_FLAGS",
    "REASONS",
    "Calibration",
    "CalibrationError",
    "DimensionReliability",
    "Interpretation",
    "ItemStatistics",
    "PersonQuality",
    "ReliabilityReport",
    "Undetermined",
    "alpha_from_covariance",
    "alpha_if_deleted",
    "antonym_pairs",
    "beta_quantile",
    "calibrate",
    "chi_square_quantile",
    "dimension_frame",
    "distance_cut_off",
    "f_quantile",
    "feldt_interval",
    "interpret",
    "item_frame",
    "item_total_correlations",
    "keyed_answers",
    "omega_from_covariance",
    "pairwise_covariance",
    "people_frame",
    "reliability_report",
    "render_calibration",
    "rewrite_reliabilities",
    "spearman_brown",
    "word_key",
    "write_calibration",
]

IntArray = npt.NDArray[np.int64]

# Below 3 people a variance has at most one degree of freedom and alpha is noise (and the issue's
# rule: "fewer than 3 people: say why, not a number").
MIN_PEOPLE = 3
# A covariance needs this many people who answered both statements (see the module docstring).
MIN_PAIR_COUNT = 3
WEAK_ITEM_TOTAL = 0.20
ALPHA_GAIN = 0.01
ITEM_FLAGS = ("negative", "weak", "raises_alpha")
PERSON_FLAGS = ("long_string", "alternating", "inconsistent", "outlier", "too_fast")
# Psychometric antonyms (see `antonym_pairs`): |r| of a kept pair, the pairs a person needs.
ANTONYM_R = 0.30
ANTONYM_MIN_PAIRS = 8
ANTONYM_FLAG_R = 0.20
# Mahalanobis outliers: chi-square p < .001 (Tabachnick & Fidell 2013, ch. 4).
DISTANCE_P = 0.001
# People beyond the number of answered statements for a distance to be computed (`reliability_report`).
DISTANCE_SPARE_PEOPLE = 10
# Huang, Curran, Keeney, Poposki & DeShon (2012): under 2 seconds per item is not reading it.
FAST_SECONDS = 2.0
# `calibrate`: the people a measured reliability must rest on (see its docstring).
MIN_CALIBRATION_PEOPLE = 30
CONFIDENCE = 0.95

# Why a figure is missing: a code for the UI (its words live in the locale files) and a message
# for the command line and the logs.
REASONS: Mapping[str, str] = {
    "too_few_people": f"fewer than {MIN_PEOPLE} people answered: nothing can be said yet",
    "too_few_answers": f"answered by fewer than {MIN_PEOPLE} people: left out",
    "constant_item": "everybody gave the same answer: it cannot show any difference between people, left out",
    "too_few_pairs": f"answered together with another statement by fewer than {MIN_PAIR_COUNT} people: left out",
    "one_item": "fewer than 2 usable statements on this dimension: consistency needs at least 2",
    "no_variance": "the scores do not vary in this group: reliability is undefined",
    "alpha_not_positive": "alpha is zero or negative: the statements do not measure one thing in this group",
    "two_items": "omega and 'alpha if deleted' need at least 3 statements",
    "inconsistent_pairs": "the pairwise covariances are inconsistent (alpha above 1): too few people on each pair",
    "omega_failed": "the one-factor model could not be fitted (the pairwise correlations are inconsistent)",
    "too_few_pairs_for_person": f"fewer than {ANTONYM_MIN_PAIRS} answered pairs of opposite statements",
    "no_antonym_pairs": "the group's answers show no clear pairs of opposite statements yet",
    "no_spread": "the person's answers to opposite statements do not vary: the index is undefined",
    "too_few_people_for_distance": (
        f"fewer than {DISTANCE_SPARE_PEOPLE} people more than statements answered: the distance would be unreliable"
    ),
    "covariance_singular": "the statements' covariances cannot be inverted (too few or too alike answers)",
    "no_times": "no answer times were recorded",
    "too_few_people_to_calibrate": f"rests on fewer than {MIN_CALIBRATION_PEOPLE} people: kept as it is",
}


@dataclass(frozen=True)
class Undetermined:
    """A figure that cannot be given, and why: `reason` is a key of `REASONS` (for the UI's
    words), `message` the plain-English explanation."""

    reason: str

    @property
    def message(self) -> str:
        return REASONS[self.reason]


Figure = float | Undetermined


# --- distributions (numpy only: scipy is not a runtime dependency) -----------------------------


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 400):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return result


def _regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularized incomplete beta function (Press et al., Numerical Recipes 6.4)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def _regularized_gamma(a: float, x: float) -> float:
    """P(a, x), the regularized lower incomplete gamma function (Numerical Recipes 6.2)."""
    if x <= 0.0:
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        for n in range(1, 1000):
            term *= x / (a + n)
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return total * math.exp(log_front)
    tiny = 1e-300
    b = x + 1.0 - a
    c, d = 1.0 / tiny, 1.0 / b
    h = d
    for i in range(1, 1000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = b + an / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return 1.0 - math.exp(log_front) * h


def beta_quantile(p: float, a: float, b: float) -> float:
    """The p-quantile of a Beta(a, b) distribution, by bisection on I_x(a, b) (to 1e-12).

    >>> round(beta_quantile(0.5, 2, 2), 6)
    0.5
    """
    low, high = 0.0, 1.0
    for _ in range(200):
        middle = (low + high) / 2
        if _regularized_beta(a, b, middle) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def f_quantile(p: float, d1: float, d2: float) -> float:
    """The p-quantile of an F(d1, d2) distribution: with y the p-quantile of Beta(d1 / 2, d2 / 2),
    F = d2 y / (d1 (1 - y)).

    >>> round(f_quantile(0.975, 4, 8), 4)  # scipy.stats.f.ppf(0.975, 4, 8)
    5.0526
    """
    y = beta_quantile(p, d1 / 2, d2 / 2)
    return d2 * y / (d1 * (1.0 - y))


def distance_cut_off(p: float, n: int, degrees: int) -> float:
    """The (1 - p) cut-off of the squared Mahalanobis distance of one of n people from their own
    group's mean and covariance over `degrees` statements: n D^2 / (n - 1)^2 follows a
    Beta(degrees / 2, (n - degrees - 1) / 2) (Wilks 1962; Gnanadesikan & Kettenring 1972). As n grows
    it becomes the chi-square cut-off of Tabachnick & Fidell (2013); with few people per statement
    the chi-square one is too high (in-sample D^2 can never exceed (n - 1)^2 / n), and nobody would
    ever be flagged. Needs n > degrees + 1.

    >>> round(distance_cut_off(0.001, 100_000, 5), 2), round(chi_square_quantile(0.999, 5), 2)
    (20.51, 20.52)
    """
    return (n - 1) ** 2 / n * beta_quantile(1.0 - p, degrees / 2, (n - degrees - 1) / 2)


def chi_square_quantile(p: float, degrees: int) -> float:
    """The p-quantile of a chi-square distribution with `degrees` degrees of freedom, by bisection
    on its CDF P(degrees / 2, x / 2).

    >>> round(chi_square_quantile(0.999, 2), 3)  # scipy.stats.chi2.ppf(0.999, 2)
    13.816
    """
    low, high = 0.0, max(10.0, 10.0 * degrees)
    while _regularized_gamma(degrees / 2, high / 2) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if _regularized_gamma(degrees / 2, middle / 2) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-10 * max(1.0, high):
            break
    return (low + high) / 2


# --- the statistics --------------------------------------------------------------------------


def keyed_answers(bank: Bank, answers: FloatArray) -> FloatArray:
    """People x questions answers with every reverse-keyed statement reversed (6 - answer; NaN
    stays NaN), so that agreeing always means more of the dimension."""
    keys = np.array([q.keyed for q in bank.questions])
    keyed: FloatArray = np.where(keys < 0, 6.0 - answers, answers)
    return keyed


def pairwise_covariance(answers: FloatArray) -> tuple[FloatArray, IntArray]:
    """The covariance matrix of the columns of people x items `answers` (NaN = not answered) with
    pairwise deletion, and the number of people n_ij each cell rests on.

    C_ij = (sum_r x_ri x_rj - S_i|j S_j|i / n_ij) / (n_ij - 1), the sums over the n_ij people r who
    answered both i and j (S_i|j = sum of x_ri over them): `pandas.DataFrame.cov`'s pairwise
    definition, computed with three matrix products. NaN where n_ij < 2.

    >>> import numpy as np
    >>> cov, n = pairwise_covariance(np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 5.0], [4.0, 4.0]]))
    >>> cov.round(3).tolist(), n.tolist()
    ([[1.667, 1.833], [1.833, 2.333]], [[4, 3], [3, 3]])
    """
    given = ~np.isnan(answers)
    mask = given.astype(float)
    values = np.where(given, answers, 0.0)
    counts = (mask.T @ mask).astype(np.int64)
    sums = values.T @ mask  # sums[i, j] = sum of x_i over the people who answered i and j
    products = values.T @ values
    with np.errstate(invalid="ignore", divide="ignore"):
        cov: FloatArray = (products - sums * sums.T / counts) / (counts - 1)
    cov[counts < 2] = np.nan
    return cov, counts


def alpha_from_covariance(cov: FloatArray) -> float:
    """Cronbach's alpha of the sum of the items whose covariance matrix is `cov` (k >= 2):
    alpha = k / (k - 1) * (1 - tr(C) / 1'C1) (Cronbach 1951). NaN if the sum has no variance.

    >>> import numpy as np
    >>> round(alpha_from_covariance(np.array([[1.0, 0.5], [0.5, 1.0]])), 3)  # 2 r / (1 + r)
    0.667
    """
    k = cov.shape[0]
    total = float(cov.sum())
    if total <= 0.0 or k < 2:
        return math.nan
    return float(k / (k - 1) * (1.0 - float(np.trace(cov)) / total))


def feldt_interval(alpha: float, n: int, k: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Feldt's (1965) confidence interval for Cronbach's alpha of k items from n people:
    [1 - (1 - alpha) F_{1 - a/2}, 1 - (1 - alpha) F_{a/2}] with F on n - 1 and (n - 1)(k - 1) degrees
    of freedom, a = 1 - confidence (as pingouin's `cronbach_alpha` and R psych's `alpha`).

    >>> [round(x, 3) for x in feldt_interval(0.8, n=30, k=8)]
    [0.67, 0.892]
    """
    tail = (1.0 - confidence) / 2
    df1, df2 = n - 1.0, (n - 1.0) * (k - 1.0)
    return 1.0 - (1.0 - alpha) * f_quantile(1.0 - tail, df1, df2), 1.0 - (1.0 - alpha) * f_quantile(tail, df1, df2)


def _one_factor(correlation: FloatArray) -> FloatArray | None:
    """Standardized one-factor loadings by iterated principal axis factoring (module docstring),
    None if the matrix is not usable."""
    k = correlation.shape[0]
    try:
        inverse = np.linalg.inv(correlation)
        communality = np.clip(1.0 - 1.0 / np.diag(inverse), 0.0, 0.995)
    except np.linalg.LinAlgError:
        communality = np.abs(correlation - np.eye(k)).max(axis=1)
    if not np.all(np.isfinite(communality)):
        communality = np.abs(correlation - np.eye(k)).max(axis=1)
    loadings = np.zeros(k)
    for _ in range(500):
        reduced = correlation.copy()
        np.fill_diagonal(reduced, communality)
        values, vectors = np.linalg.eigh(reduced)
        if values[-1] <= 0.0:
            return None
        loadings = vectors[:, -1] * math.sqrt(values[-1])
        updated = np.minimum(loadings**2, 0.995)
        if np.max(np.abs(updated - communality)) < 1e-6:
            communality = updated
            break
        communality = updated
    if loadings.sum() < 0:  # an eigenvector's sign is arbitrary: most statements load positively
        loadings = -loadings
    result: FloatArray = loadings
    return result


def omega_from_covariance(cov: FloatArray) -> Figure:
    """McDonald's omega (total, one factor) of the unweighted sum of the items of `cov` (k >= 3):
    omega = (sum lambda_i)^2 / ((sum lambda_i)^2 + sum psi_i), lambda_i = l_i s_i and psi_i = s_i^2
    (1 - l_i^2), with l the standardized loadings of iterated principal axis factoring (module
    docstring) and s_i the items' standard deviations.

    >>> import numpy as np
    >>> r = np.full((4, 4), 0.36) + 0.64 * np.eye(4)  # four items loading .6 on one factor
    >>> round(omega_from_covariance(r), 3)  # (4 * .6)^2 / ((4 * .6)^2 + 4 * .64)
    0.692
    """
    k = cov.shape[0]
    if k < 3:
        return Undetermined("two_items")
    sd = np.sqrt(np.diag(cov))
    correlation = cov / np.outer(sd, sd)
    if not np.all(np.isfinite(correlation)):
        return Undetermined("omega_failed")
    loadings = _one_factor(correlation)
    if loadings is None:
        return Undetermined("omega_failed")
    common = float((loadings * sd).sum()) ** 2
    unique = float((sd**2 * (1.0 - loadings**2)).sum())
    return common / (common + unique)


def item_total_correlations(cov: FloatArray) -> FloatArray:
    """The corrected item-total correlation of each item: its correlation with the sum of the
    other items, r_i = sum_{j != i} C_ij / sqrt(C_ii * V_i), V_i = 1'C1 - 2 sum_j C_ij + C_ii.

    >>> import numpy as np
    >>> item_total_correlations(np.array([[1.0, 0.5], [0.5, 1.0]])).round(3).tolist()
    [0.5, 0.5]
    """
    rows = cov.sum(axis=1)
    diagonal = np.diag(cov)
    rest_variance = cov.sum() - 2 * rows + diagonal
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = (rows - diagonal) / np.sqrt(diagonal * rest_variance)
    return result


def alpha_if_deleted(cov: FloatArray) -> FloatArray:
    """Each item's "alpha if deleted": the alpha of the other k - 1 items (NaN for k < 3), i.e.
    (k - 1) / (k - 2) * (1 - (tr C - C_ii) / (1'C1 - 2 sum_j C_ij + C_ii)).

    >>> import numpy as np
    >>> r = np.full((3, 3), 0.5) + 0.5 * np.eye(3)
    >>> alpha_if_deleted(r).round(3).tolist()
    [0.667, 0.667, 0.667]
    """
    k = cov.shape[0]
    if k < 3:
        return np.full(k, np.nan)
    diagonal = np.diag(cov)
    rest_total = cov.sum() - 2 * cov.sum(axis=1) + diagonal
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = (k - 1) / (k - 2) * (1.0 - (np.trace(cov) - diagonal) / rest_total)
    return result


def spearman_brown(reliability: float, factor: float) -> float:
    """The reliability of a test `factor` times as long (Spearman 1910; Brown 1910):
    rho' = m rho / (1 + (m - 1) rho).

    >>> round(spearman_brown(0.75, 8 / 5), 3)
    0.828
    """
    return factor * reliability / (1.0 + (factor - 1.0) * reliability)


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatistics:
    """One statement in the group: `n` people answered it; its corrected item-total correlation,
    its dimension's alpha without it, and `flags` (from `ITEM_FLAGS`). A statement left out of its
    dimension (too few answers, constant, too few pairs) has both figures `Undetermined`."""

    question: str
    dimension: str
    n: int
    item_total: Figure
    alpha_if_deleted: Figure
    flags: tuple[str, ...]


@dataclass(frozen=True)
class DimensionReliability:
    """A dimension in the group (see the module docstring for every figure): `n` people (who
    answered at least 2 of the `k` statements kept of the bank's `k_bank`), `pair_n` (the harmonic
    mean of the pair counts), alpha with its Feldt interval, omega, the SEM in score points, and
    one `ItemStatistics` per bank statement."""

    dimension: str
    n: int
    pair_n: int
    k: int
    k_bank: int
    alpha: Figure
    alpha_low: Figure
    alpha_high: Figure
    omega: Figure
    sem: Figure
    items: tuple[ItemStatistics, ...]


@dataclass(frozen=True)
class PersonQuality:
    """One person's response quality: how many statements they `answered`, the figures behind the
    flags (each `Undetermined` when it cannot be computed: see `reliability_report`) and `flags`
    (from `PERSON_FLAGS`)."""

    answered: int
    antonym_r: Figure
    distance: Figure
    distance_df: int
    seconds_per_item: Figure
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ReliabilityReport:
    """The whole report for a group of `people`: per dimension, per person, and the pairs of
    opposite statements the inconsistency index used (`antonym_pairs`: + id, - id, r)."""

    people: int
    dimensions: tuple[DimensionReliability, ...]
    persons: tuple[PersonQuality, ...]
    antonym_pairs: tuple[tuple[str, str, float], ...]

    def dimension(self, dimension_id: str) -> DimensionReliability:
        for result in self.dimensions:
            if result.dimension == dimension_id:
                return result
        raise KeyError(dimension_id)


def _drop_for_pairs(counts: IntArray, answered: IntArray) -> list[int]:
    """The positions to keep: while some pair has fewer than MIN_PAIR_COUNT people, leave out the
    statement with the most such pairs, then the least answered (module docstring)."""
    keep = list(range(counts.shape[0]))
    while len(keep) > 1:
        sub = counts[np.ix_(keep, keep)]
        short = (sub < MIN_PAIR_COUNT).sum(axis=1)
        if short.max() == 0:
            break
        worst = max(range(len(keep)), key=lambda i: (short[i], -answered[keep[i]]))
        keep.pop(worst)
    return keep


def _dimension(dimension_id: str, ids: list[str], keyed: FloatArray, people: int) -> DimensionReliability:
    """The statistics of one dimension from its people x statements keyed answers."""
    answered = (~np.isnan(keyed)).sum(axis=0).astype(np.int64)
    if people < MIN_PEOPLE:
        nothing = Undetermined("too_few_people")
        items = tuple(
            ItemStatistics(q, dimension_id, int(a), nothing, nothing, ()) for q, a in zip(ids, answered, strict=True)
        )
        return DimensionReliability(
            dimension_id, people, people, 0, len(ids), nothing, nothing, nothing, nothing, nothing, items
        )
    cov, counts = pairwise_covariance(keyed)
    left_out: dict[int, str] = {}
    for i in range(len(ids)):
        if answered[i] < MIN_PEOPLE:
            left_out[i] = "too_few_answers"
        elif not cov[i, i] > 0:
            left_out[i] = "constant_item"
    candidates = [i for i in range(len(ids)) if i not in left_out]
    kept_positions = _drop_for_pairs(counts[np.ix_(candidates, candidates)], answered[candidates])
    kept = [candidates[p] for p in kept_positions]
    for i in candidates:
        if i not in kept:
            left_out[i] = "too_few_pairs"
    k = len(kept)
    n = int(((~np.isnan(keyed[:, kept])).sum(axis=1) >= 2).sum()) if k else 0
    sub, sub_counts = cov[np.ix_(kept, kept)], counts[np.ix_(kept, kept)]
    pair_counts = sub_counts[np.triu_indices(k, 1)]
    # Floored, with a hair of tolerance: the harmonic mean of equal counts is that count.
    pair_n = int(len(pair_counts) / np.sum(1.0 / pair_counts) + 1e-9) if k >= 2 else 0

    def result(
        alpha: Figure, low: Figure, high: Figure, omega: Figure, sem: Figure, within: dict[int, ItemStatistics]
    ) -> DimensionReliability:
        items = tuple(
            within.get(i)
            or ItemStatistics(
                ids[i],
                dimension_id,
                int(answered[i]),
                Undetermined(left_out.get(i, "one_item")),
                Undetermined(left_out.get(i, "one_item")),
                (),
            )
            for i in range(len(ids))
        )
        return DimensionReliability(dimension_id, n, pair_n, k, len(ids), alpha, low, high, omega, sem, items)

    if k < 2:
        reason = Undetermined("one_item")
        return result(reason, reason, reason, reason, reason, {})
    if n < MIN_PEOPLE:
        reason = Undetermined("too_few_people")
        return result(reason, reason, reason, reason, reason, {})
    alpha = alpha_from_covariance(sub)
    if math.isnan(alpha):
        reason = Undetermined("no_variance")
        return result(reason, reason, reason, reason, reason, {})
    if alpha > 1.0:
        # Impossible for a true covariance matrix; a pairwise one, with few people on each pair
        # (adaptive answering), can be inconsistent enough to give it. No figure rather than one.
        reason = Undetermined("inconsistent_pairs")
        return result(reason, reason, reason, reason, reason, {})
    low, high = feldt_interval(alpha, pair_n, k)
    sem: Figure = (
        25.0 * math.sqrt(float(sub.sum())) / k * math.sqrt(1.0 - alpha)
        if alpha > 0
        else Undetermined("alpha_not_positive")
    )
    item_total = item_total_correlations(sub)
    deleted = alpha_if_deleted(sub)
    within: dict[int, ItemStatistics] = {}
    for position, i in enumerate(kept):
        r = float(item_total[position])
        without: Figure = (
            float(deleted[position]) if k >= 3 and np.isfinite(deleted[position]) else Undetermined("two_items")
        )
        flags = []
        if r <= -WEAK_ITEM_TOTAL:
            flags.append("negative")
        elif r < WEAK_ITEM_TOTAL:
            flags.append("weak")
        if isinstance(without, float) and without > alpha + ALPHA_GAIN:
            flags.append("raises_alpha")
        within[i] = ItemStatistics(ids[i], dimension_id, int(answered[i]), r, without, tuple(flags))
    return result(alpha, low, high, omega_from_covariance(sub), sem, within)


def antonym_pairs(bank: Bank, answers: FloatArray) -> tuple[tuple[str, str, float], ...]:
    """Psychometric antonyms found in the group's raw answers (Johnson 2005; Meade & Craig 2012):
    for each reverse-keyed statement, the statement keyed + of the same dimension it correlates
    most negatively with (pairwise, at least 10 people answered both), strongest pairs first, each
    statement in one pair at most, kept when r <= -`ANTONYM_R`.

    Why .30 and not Meade & Craig's .60: they chose pairs from a 300-item pool, where strongly
    opposite pairs exist; a dimension of 8 statements built to cover different sides of a trait
    has inter-item correlations around .3-.4, so .60 would leave no pair. .30 is a medium
    correlation (Cohen 1988): the pair clearly goes opposite ways in this group.
    """
    cov, counts = pairwise_covariance(answers)
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        correlation = cov / np.outer(sd, sd)
    candidates: list[tuple[float, int, int]] = []
    for j, minus in enumerate(bank.questions):
        if minus.keyed > 0:
            continue
        for i, plus in enumerate(bank.questions):
            r = correlation[i, j]
            same_trait = plus.keyed > 0 and plus.dimension == minus.dimension
            if same_trait and counts[i, j] >= 10 and np.isfinite(r) and r <= -ANTONYM_R:
                candidates.append((float(r), i, j))
    used: set[int] = set()
    pairs = []
    for r, i, j in sorted(candidates):
        if i not in used and j not in used:
            used.update((i, j))
            pairs.append((bank.questions[i].id, bank.questions[j].id, round(r, 3)))
    return tuple(pairs)


def _antonym_index(answers: FloatArray, plus: list[int], minus: list[int]) -> tuple[FloatArray, list[Figure]]:
    """Each person's within-person correlation between their answers to the + and the - statement
    across the antonym pairs they answered both of, and the figure or why it is missing."""
    x, y = answers[:, plus], answers[:, minus]
    both = ~np.isnan(x) & ~np.isnan(y)
    pairs = both.sum(axis=1)
    x0, y0 = np.where(both, x, 0.0), np.where(both, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx, my = x0.sum(axis=1) / pairs, y0.sum(axis=1) / pairs
        dx, dy = np.where(both, x0 - mx[:, None], 0.0), np.where(both, y0 - my[:, None], 0.0)
        r = (dx * dy).sum(axis=1) / np.sqrt((dx**2).sum(axis=1) * (dy**2).sum(axis=1))
    figures: list[Figure] = []
    for person in range(len(answers)):
        if pairs[person] < ANTONYM_MIN_PAIRS:
            figures.append(Undetermined("too_few_pairs_for_person"))
        elif not np.isfinite(r[person]):
            figures.append(Undetermined("no_spread"))
        else:
            figures.append(float(r[person]))
    return r, figures


def _distances(keyed: FloatArray) -> tuple[list[Figure], IntArray, FloatArray]:
    """Each person's squared Mahalanobis distance over the statements they answered, from the
    group's pairwise means and covariances (one linear solve per pattern of answered statements),
    its degrees of freedom and its cut-off (`distance_cut_off`, NaN when not computed)."""
    people = len(keyed)
    cov, counts = pairwise_covariance(keyed)
    usable = np.diag(cov) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.nansum(keyed, axis=0) / np.maximum((~np.isnan(keyed)).sum(axis=0), 1)
    given = ~np.isnan(keyed) & usable
    figures: list[Figure] = [Undetermined("too_few_people")] * people
    degrees = given.sum(axis=1).astype(np.int64)
    cut_offs = np.full(people, np.nan)
    patterns, inverse = np.unique(given, axis=0, return_inverse=True)
    for p, pattern in enumerate(patterns):
        members = np.flatnonzero(inverse.ravel() == p)
        index = np.flatnonzero(pattern)
        if len(index) == 0:
            continue
        sub = cov[np.ix_(index, index)]
        n = int(counts[np.ix_(index, index)].min())
        if n < len(index) + DISTANCE_SPARE_PEOPLE or people < MIN_PEOPLE:
            for m in members:
                figures[m] = Undetermined("too_few_people_for_distance")
            continue
        values = np.linalg.eigvalsh(sub) if np.all(np.isfinite(sub)) else np.array([0.0])
        if values.min() <= 1e-9 * max(values.max(), 1e-12):
            for m in members:
                figures[m] = Undetermined("covariance_singular")
            continue
        centred = keyed[np.ix_(members, index)] - means[index]
        d2 = np.einsum("ij,ij->i", centred, np.linalg.solve(sub, centred.T).T)
        for m, value in zip(members, d2, strict=True):
            figures[m] = float(value)
        cut_offs[members] = distance_cut_off(DISTANCE_P, n, len(index))
    return figures, degrees, cut_offs


def reliability_report(bank: Bank, answers: FloatArray, times: FloatArray | None = None) -> ReliabilityReport:
    """The group's measurement report for people x questions `answers` (bank order, 1..5, NaN =
    not asked) and, if recorded, `times` (people x questions, seconds spent on each statement,
    NaN where unknown).

    Per dimension and statement: see the module docstring. Per person, `PERSON_FLAGS`:

    - `long_string` and `alternating`: the rules of `quiz.quality` (Johnson 2005; Curran 2016), in
      quiz order, exactly as a person's own result applies them.
    - `inconsistent`: the psychometric antonyms index (Johnson 2005; Meade & Craig 2012): the
      correlation, within the person, between their answers to the + and the - statement of each
      pair of `antonym_pairs`, over at least `ANTONYM_MIN_PAIRS` pairs they answered. Attentive
      people agree with one side and disagree with the other, which gives a negative correlation;
      flagged at r >= `ANTONYM_FLAG_R` (.20: their answers to opposites go the *same* way).
      Curran (2016) gives no general cut-off and advises setting it from the data; on simulated
      attentive people (8 statements per dimension loading .65) r >= 0 flagged 6 % of them and
      r >= .20 about 1 % with complete answers, 2 % with 45 % of statements not asked, hence .20.
      It catches contradictory answering (agreeing with both sides), not random clicking, whose r
      is near 0 (the `outlier` rule is for that).
    - `outlier`: the squared Mahalanobis distance D^2 = (x - m)' S^-1 (x - m) over the statements
      the person answered (keyed answers, the group's pairwise means m and covariances S), beyond
      its p < `DISTANCE_P` cut-off (Tabachnick & Fidell 2013, ch. 4; Meade & Craig 2012). The
      cut-off is the chi-square's for large groups; for a person measured against their own group
      it is the exact in-sample one of `distance_cut_off`, with n the smallest number of people
      who answered a pair of the person's statements (the chi-square one would be out of reach
      for everybody in a group of 30). Computed only when that n is at least the number of
      statements plus `DISTANCE_SPARE_PEOPLE` (10: with fewer spare degrees of freedom S is barely
      estimated) and S is invertible. An unusual pattern is not necessarily careless: an atypical
      but genuine profile is an outlier too.
    - `too_fast`: under `FAST_SECONDS` (2) seconds per answered statement on average (Huang et al.
      2012), when `times` are given.

    References: Johnson, J. A. (2005). J. Research in Personality 39, 103-129. Meade, A. W. &
    Craig, S. B. (2012). Psychological Methods 17, 437-455. Curran, P. G. (2016). J. Experimental
    Social Psychology 66, 4-19. Huang, J. L., Curran, P. G., Keeney, J., Poposki, E. M. & DeShon,
    R. P. (2012). Detecting and deterring insufficient effort responding to surveys. J. Business
    and Psychology 27, 99-114. Tabachnick, B. G. & Fidell, L. S. (2013). Using multivariate
    statistics (6th ed.). Pearson. Wilks, S. S. (1962). Mathematical statistics. Wiley.
    Gnanadesikan, R. & Kettenring, J. R. (1972). Robust estimates, residuals, and outlier
    detection with multiresponse data. Biometrics 28, 81-124.

    >>> import numpy as np
    >>> from quiz.banks import load_bank
    >>> bank = load_bank()
    >>> report = reliability_report(bank, np.full((2, len(bank.questions)), 3.0))
    >>> report.dimension("tech").alpha.reason
    'too_few_people'

    Raises:
        ValueError: `answers` or `times` has the wrong shape, or an answer off the 1-5 scale.
    """
    answers = np.asarray(answers, dtype=float)
    if answers.ndim != 2 or answers.shape[1] != len(bank.questions):
        raise ValueError(f"answers must be people x {len(bank.questions)} questions, not {answers.shape}")
    if np.any(~np.isnan(answers) & ~np.isin(answers, (1.0, 2.0, 3.0, 4.0, 5.0))):
        raise ValueError("answers must be whole numbers from 1 to 5, or NaN for a statement not asked")
    if times is not None and np.shape(times) != answers.shape:
        raise ValueError(f"times must have the shape of the answers, {answers.shape}, not {np.shape(times)}")
    people = len(answers)
    keyed = keyed_answers(bank, answers)
    dimensions = []
    for dimension_id in bank.dimension_ids:
        columns = [i for i, q in enumerate(bank.questions) if q.dimension == dimension_id]
        dimensions.append(_dimension(dimension_id, [bank.questions[i].id for i in columns], keyed[:, columns], people))
    # Person flags.
    answered = (~np.isnan(answers)).sum(axis=1)
    if people:
        scores, errors, _ = estimate_matrix(bank, answers)
        quality = quality_flag_matrix(bank, answers, scores, errors)
        long_string = quality[:, QUALITY_FLAGS.index("long_string")]
        alternating = quality[:, QUALITY_FLAGS.index("alternating")]
    else:
        long_string = alternating = np.zeros(0, dtype=bool)
    pairs = antonym_pairs(bank, answers) if people >= MIN_PEOPLE else ()
    position = {q.id: i for i, q in enumerate(bank.questions)}
    antonym: list[Figure]
    if pairs:
        _, antonym = _antonym_index(answers, [position[p] for p, _, _ in pairs], [position[m] for _, m, _ in pairs])
    else:
        antonym = [Undetermined("no_antonym_pairs" if people >= MIN_PEOPLE else "too_few_people")] * people
    distances, degrees, cut_offs = _distances(keyed)
    speed: list[Figure]
    if times is None:
        speed = [Undetermined("no_times")] * people
    else:
        timed = np.where(~np.isnan(answers), np.asarray(times, dtype=float), np.nan)
        counted = (~np.isnan(timed)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_seconds = np.nansum(timed, axis=1) / counted
        speed = [float(s) if c else Undetermined("no_times") for s, c in zip(mean_seconds, counted, strict=True)]
    persons = []
    for p in range(people):
        flags = []
        if long_string[p]:
            flags.append("long_string")
        if alternating[p]:
            flags.append("alternating")
        r = antonym[p]
        if isinstance(r, float) and r >= ANTONYM_FLAG_R:
            flags.append("inconsistent")
        d2 = distances[p]
        if isinstance(d2, float) and d2 > cut_offs[p]:
            flags.append("outlier")
        seconds = speed[p]
        if isinstance(seconds, float) and seconds < FAST_SECONDS:
            flags.append("too_fast")
        persons.append(PersonQuality(int(answered[p]), r, d2, int(degrees[p]), seconds, tuple(flags)))
    return ReliabilityReport(people, tuple(dimensions), tuple(persons), pairs)


# --- plain words for coaches ---------------------------------------------------------------------

# George & Mallery (2003, p. 231): > .9 excellent, > .8 good, > .7 acceptable, > .6 questionable,
# > .5 poor, below unacceptable. Nunnally (1978, pp. 245-246): .70 is enough for research and
# comparisons of groups; decisions about individuals need .90 (Nunnally & Bernstein 1994, p. 265).
LEVELS: tuple[tuple[str, float], ...] = (
    ("excellent", 0.90),
    ("good", 0.80),
    ("acceptable", 0.70),
    ("questionable", 0.60),
    ("poor", 0.50),
    ("unacceptable", -math.inf),
)
# What a level means for reading the group's results, by the same thresholds.
READINGS: tuple[tuple[str, float], ...] = (
    ("individuals", 0.90),  # individual scores can be compared between people with confidence
    ("groups", 0.70),  # the group's pattern holds; an individual score has a band of +- 2 SEM
    ("with_care", 0.60),  # only large differences mean something, and only for the group
    ("not_meaningful", -math.inf),  # differences on this dimension are mostly noise in this group
)


@dataclass(frozen=True)
class Interpretation:
    """A dimension's reliability in plain-word codes for a coach: `level` (from `LEVELS`, or
    "too_few_people" / "cannot_say"), `sure_level` (the level of the interval's lower end: what
    the data let one be 97.5 % sure of), `reading` (from `READINGS`, or "cannot_say") and `reason`
    (a `REASONS` key when no figure could be given). The words are in the locale files."""

    level: str
    sure_level: str
    reading: str
    reason: str | None


def _level(value: float, table: tuple[tuple[str, float], ...]) -> str:
    return next(code for code, minimum in table if value >= minimum)


def interpret(result: DimensionReliability) -> Interpretation:
    """The plain-word codes of a dimension's result (thresholds: `LEVELS`, `READINGS`).

    >>> import numpy as np
    >>> from quiz.banks import load_bank
    >>> bank = load_bank()
    >>> interpret(reliability_report(bank, np.full((2, 56), 3.0)).dimensions[0])
    Interpretation(level='too_few_people', sure_level='too_few_people', reading='cannot_say', reason='too_few_people')
    """
    if isinstance(result.alpha, Undetermined):
        level = "too_few_people" if result.alpha.reason == "too_few_people" else "cannot_say"
        return Interpretation(level, level, "cannot_say", result.alpha.reason)
    low = result.alpha_low if isinstance(result.alpha_low, float) else result.alpha
    return Interpretation(_level(result.alpha, LEVELS), _level(low, LEVELS), _level(result.alpha, READINGS), None)


WORD_KINDS = ("level", "reading", "reason", "item", "person")


def word_key(kind: str, code: str) -> str:
    """The UI string (locale key) of a plain-word code, for the dashboard and the export sheet:
    `kind` is "level" (`LEVELS`, "too_few_people", "cannot_say"), "reading" (`READINGS`,
    "cannot_say"), "reason" (`REASONS`), "item" (`ITEM_FLAGS`) or "person" (`PERSON_FLAGS`).

    >>> word_key("level", "good")
    'reliability.level_good'

    Raises:
        ValueError: an unknown kind.
    """
    if kind not in WORD_KINDS:
        raise ValueError(f"Unknown kind of word {kind!r}: use one of {', '.join(WORD_KINDS)}.")
    return f"reliability.{kind}_{code}"


# --- tables (the command line, the export sheet) -----------------------------------------------


def _cell(value: Figure, digits: int = 3) -> float | None:
    return round(value, digits) if isinstance(value, float) else None


def _reason(*values: Figure) -> str:
    return next((v.reason for v in values if isinstance(v, Undetermined)), "")


def dimension_frame(report: ReliabilityReport) -> pd.DataFrame:
    """One row per dimension: dimension, n, alpha, alpha_low, alpha_high, omega, sem, then k (the
    statements used), k_bank, pair_n, level, reading and reason (why a figure is blank)."""
    records = []
    for d in report.dimensions:
        words = interpret(d)
        records.append(
            {
                "dimension": d.dimension,
                "n": d.n,
                "alpha": _cell(d.alpha),
                "alpha_low": _cell(d.alpha_low),
                "alpha_high": _cell(d.alpha_high),
                "omega": _cell(d.omega),
                "sem": _cell(d.sem, 1),
                "k": d.k,
                "k_bank": d.k_bank,
                "pair_n": d.pair_n,
                "level": words.level,
                "reading": words.reading,
                "reason": _reason(d.alpha, d.omega, d.sem),
            }
        )
    return pd.DataFrame.from_records(records)


def item_frame(report: ReliabilityReport) -> pd.DataFrame:
    """One row per statement: question, dimension, item_total, alpha_if_deleted, then n, flags
    (`|`-separated `ITEM_FLAGS`) and reason (why a figure is blank)."""
    records = [
        {
            "question": item.question,
            "dimension": item.dimension,
            "item_total": _cell(item.item_total),
            "alpha_if_deleted": _cell(item.alpha_if_deleted),
            "n": item.n,
            "flags": "|".join(item.flags),
            "reason": _reason(item.item_total, item.alpha_if_deleted),
        }
        for d in report.dimensions
        for item in d.items
    ]
    return pd.DataFrame.from_records(records)


def people_frame(report: ReliabilityReport, ids: Sequence[str]) -> pd.DataFrame:
    """One row per person: person, answered, flags (`|`-separated `PERSON_FLAGS`), then the
    figures behind them: antonym_r, distance (D^2), distance_df, seconds_per_item (blank when
    they cannot be computed)."""
    records = [
        {
            "person": person,
            "answered": quality.answered,
            "flags": "|".join(quality.flags),
            "antonym_r": _cell(quality.antonym_r),
            "distance": _cell(quality.distance, 1),
            "distance_df": quality.distance_df,
            "seconds_per_item": _cell(quality.seconds_per_item, 1),
        }
        for person, quality in zip(ids, report.persons, strict=True)
    ]
    columns = ["person", "answered", "flags", "antonym_r", "distance", "distance_df", "seconds_per_item"]
    return pd.DataFrame.from_records(records, columns=columns)


# --- calibration ---------------------------------------------------------------------------------


class CalibrationError(ValueError):
    """The bank's dimensions file cannot be rewritten: the message says what to fix."""


@dataclass(frozen=True)
class Calibration:
    """One dimension's reliability before and after: the bank's `old` value and source, the
    alpha `observed` on the `k` statements kept of `k_bank`, and `new` (stepped up to `k_bank`
    statements; `Undetermined` when it is not measured well enough, then the old value stays),
    with its `source` (`measured:YYYY-MM-DD:n=N`, "" when not written)."""

    dimension: str
    old: float
    old_source: str
    observed: Figure
    k: int
    k_bank: int
    n: int
    new: Figure
    source: str

    @property
    def changes(self) -> bool:
        return isinstance(self.new, float)


def calibrate(
    bank: Bank, answers: FloatArray, today: date, min_people: int = MIN_CALIBRATION_PEOPLE
) -> tuple[Calibration, ...]:
    """Each dimension's reliability for the bank's full set of statements, measured from real
    answers (people x questions, NaN = not asked).

    The pairwise alpha of `reliability_report` is already the reliability of the k statements it
    kept, even when each person answered only some (module docstring); when statements were left
    out (k < k_bank), it is stepped up to the bank's length with Spearman-Brown,
    rho = m alpha / (1 + (m - 1) alpha), m = k_bank / k, which assumes the missing statements are
    like the others (parallel). Rounded to 2 decimals and held within [.01, .99] (the bank's
    validator wants 0 < rho < 1).

    A dimension is measured only when `pair_n` (the harmonic mean of the pair counts; the number
    of people with complete answers) is at least `min_people` (30 by default) and alpha > 0. Why
    30: at n = 30 and 8 statements Feldt's 95 % interval around .80 is .67 to .89, about +- .11,
    the widest band that still tells "acceptable" from "good"; Charter (2003) recommends 400 or
    more for a precise figure, so the source keeps n for whoever reads it later, and a later
    calibration on more people replaces it. (Charter, R. A. (2003). Study samples are too small
    to produce sufficiently precise reliability coefficients. J. General Psychology 130, 117-129.)

    >>> import numpy as np
    >>> from quiz.banks import load_bank
    >>> bank = load_bank()
    >>> answers = np.random.default_rng(1).integers(1, 6, size=(5, 56)).astype(float)
    >>> calibrate(bank, answers, date(2027, 1, 15))[0].new.reason
    'too_few_people_to_calibrate'
    """
    report = reliability_report(bank, answers)
    results = []
    for dimension, result in zip(bank.dimensions, report.dimensions, strict=True):
        new: Figure
        source = ""
        if isinstance(result.alpha, Undetermined):
            new = result.alpha
        elif result.pair_n < min_people:
            new = Undetermined("too_few_people_to_calibrate")
        elif result.alpha <= 0:
            new = Undetermined("alpha_not_positive")
        else:
            stepped = spearman_brown(result.alpha, result.k_bank / result.k)
            new = min(0.99, max(0.01, round(stepped, 2)))
            source = f"measured:{today.isoformat()}:n={result.pair_n}"
        results.append(
            Calibration(
                dimension.id,
                dimension.reliability,
                dimension.reliability_source,
                result.alpha,
                result.k,
                result.k_bank,
                result.pair_n,
                new,
                source,
            )
        )
    return tuple(results)


def render_calibration(calibrations: Sequence[Calibration]) -> str:
    """The old and new reliabilities as a plain-text table, one line per dimension, with why a
    dimension keeps its old value.

    >>> c = Calibration("tech", 0.83, "assumed:2026-12", 0.79, 8, 8, 40, 0.79, "measured:2027-01-15:n=40")
    >>> print(render_calibration([c]))
    dimension  old   source           new   source                    observed  statements  people
    tech       0.83  assumed:2026-12  0.79  measured:2027-01-15:n=40  0.790     8 of 8      40
    """
    header = ("dimension", "old", "source", "new", "source", "observed", "statements", "people")
    rows = [header]
    for c in calibrations:
        new = f"{c.new:.2f}" if isinstance(c.new, float) else "kept"
        source = c.source if isinstance(c.new, float) else f"({c.new.message})"
        observed = f"{c.observed:.3f}" if isinstance(c.observed, float) else "-"
        rows.append(
            (c.dimension, f"{c.old:.2f}", c.old_source, new, source, observed, f"{c.k} of {c.k_bank}", str(c.n))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _records(text: str, separator: str) -> list[tuple[list[str], str]]:
    """Split CSV text into records of raw fields (quotes kept) and each record's line ending, so
    that a file can be put back together byte for byte."""
    records: list[tuple[list[str], str]] = []
    fields: list[str] = []
    start = 0
    quoted = False
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            quoted = not quoted
        elif not quoted and char == separator:
            fields.append(text[start:i])
            start = i + 1
        elif not quoted and char in "\r\n":
            end = i + 2 if text.startswith("\r\n", i) else i + 1
            fields.append(text[start:i])
            records.append((fields, text[i:end]))
            fields, start, i = [], end, end
            continue
        i += 1
    if start < len(text) or fields:
        fields.append(text[start:])
        records.append((fields, ""))
    return records


def _unquote(field: str) -> str:
    field = field.strip()
    if len(field) >= 2 and field[0] == field[-1] == '"':
        field = field[1:-1].replace('""', '"')
    return field.strip()


def rewrite_reliabilities(raw: bytes, updates: Mapping[str, tuple[float, str]]) -> bytes:
    """The bytes of a dimensions.csv with the `reliability` and `reliability_source` cells of
    the dimensions in `updates` (id -> (reliability, source)) replaced, and every other byte kept:
    encoding (UTF-8 with or without BOM, or cp1252), separator, quoting and line endings.

    >>> raw = b'id,name_en,reliability,reliability_source\\r\\ntech,"Tech, depth",0.83,assumed:2026-12\\r\\n'
    >>> rewrite_reliabilities(raw, {"tech": (0.79, "measured:2027-01-15:n=40")})
    b'id,name_en,reliability,reliability_source\\r\\ntech,"Tech, depth",0.79,measured:2027-01-15:n=40\\r\\n'

    Raises:
        CalibrationError: the file is not text, lacks one of the columns, or lacks a dimension.
    """
    bom = raw.startswith(b"\xef\xbb\xbf")
    encoding = "utf-8"
    try:
        text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp1252"
        text = raw.decode("cp1252", errors="strict")
    first_line = text.split("\n", 1)[0]
    separator = max(",;\t", key=first_line.count)
    records = _records(text, separator)
    if not records:
        raise CalibrationError("dimensions.csv is empty: it needs its header row.")
    header = [_unquote(field).lower() for field in records[0][0]]
    for column in ("id", "reliability", "reliability_source"):
        if column not in header:
            raise CalibrationError(f"dimensions.csv has no {column!r} column: run `python -m quiz validate`.")
    id_at, value_at, source_at = (header.index(c) for c in ("id", "reliability", "reliability_source"))
    found = set()
    for fields, _ in records[1:]:
        if len(fields) <= id_at or _unquote(fields[id_at]) not in updates:
            continue
        dimension = _unquote(fields[id_at])
        fields.extend([""] * (max(value_at, source_at) + 1 - len(fields)))
        value, source = updates[dimension]
        fields[value_at], fields[source_at] = f"{value:.2f}", source
        found.add(dimension)
    missing = sorted(set(updates) - found)
    if missing:
        raise CalibrationError(f"dimensions.csv has no row for {', '.join(missing)}: run `python -m quiz validate`.")
    rebuilt = "".join(separator.join(fields) + ending for fields, ending in records)
    return (b"\xef\xbb\xbf" if bom else b"") + rebuilt.encode(encoding)


def write_calibration(data_dir: Path, calibrations: Sequence[Calibration]) -> int:
    """Write the measured reliabilities into `data_dir`/dimensions.csv, only if the whole bank
    still validates with them (checked on a copy first); returns how many dimensions changed.

    Raises:
        CalibrationError: the file cannot be rewritten (nothing is changed).
        BankError: the bank would not validate with the new file (nothing is changed).
        OSError: the file cannot be read or written.
    """
    updates = {c.dimension: (c.new, c.source) for c in calibrations if isinstance(c.new, float)}
    if not updates:
        return 0
    target = data_dir / "dimensions.csv"
    rewritten = rewrite_reliabilities(target.read_bytes(), updates)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        for path in data_dir.glob("*.csv"):
            (copy / path.name).write_bytes(rewritten if path.name == target.name else path.read_bytes())
        load_bank(copy)  # raises BankError, and then nothing is written
    # Replace in one step, so that a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=data_dir, prefix=".dimensions.", suffix=".csv")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(rewritten)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(updates)
