"""Response quality: answers that should not be ranked as if they meant something.

Four rules, each a documented threshold; `bench/validity.py` measures how often each fires on
simulated attentive people (false alarms) and on simulated careless ones (detection).

- **Long string** (straight-lining; Johnson 2005, Curran 2016): the longest run of one and the
  same answer, in the order the statements were asked, is at least `LONG_STRING_SHARE` of the
  answers and at least `LONG_STRING_MIN` long. Statements are interleaved across dimensions and
  keys, so an attentive person rarely gives the same answer to 10 of them in a row; Curran (2016)
  recommends a cut-off set from the scale's own distribution of runs, which is what the two
  numbers are (1 simulated attentive person in 200 or fewer reaches them).
- **Alternating** (a see-saw pattern such as 1-5-1-5 or 2-4-2-4; Curran 2016, "patterned
  responding"): the longest stretch where each answer equals the one two before and differs from
  the one just before is at least `ALTERNATING_MIN` answers long.
- **Contradictory** (agreeing with a statement and with its opposite; the psychometric antonyms
  idea of Johnson 2005 and Meade & Craig 2012, applied to our reverse-keyed pairs): on a
  dimension, the person agrees on average (>= `AGREE` = 4 on the 1-5 scale) both with its
  statements keyed + and with those keyed -. Flagged when that holds on at least
  `CONTRADICTORY_DIMENSIONS` dimensions.
- **Flat** (nothing stands out beyond measurement noise): the dimension scores do not differ more
  than their standard errors allow. Q = sum_d (x_d - x_bar)^2 / SEM_d^2, with x_bar the
  precision-weighted mean, follows a chi-square with D - 1 degrees of freedom when all true scores
  are equal (Cochran's Q for heterogeneity; Cochran 1954). The profile is flat when Q stays under
  that distribution's 95th percentile: a genuinely flat profile is recognised 95 % of the time,
  whatever the number of statements answered, and fewer answers need larger differences.

References: Johnson, J. A. (2005). Ascertaining the validity of individual protocols from
web-based personality inventories. J. Research in Personality 39, 103-129. Meade, A. W. &
Craig, S. B. (2012). Identifying careless responses in survey data. Psychological Methods 17,
437-455. Curran, P. G. (2016). Methods for the detection of carelessly invalid responses in
survey data. J. Experimental Social Psychology 66, 4-19. Cochran, W. G. (1954). The combination
of estimates from different experiments. Biometrics 10, 101-129.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quiz.arrays import BoolArray, FloatArray
from quiz.measurement import ProfileEstimate
from quiz.model import Bank
from quiz.scoring import quiz_order

__all__ = [
    "AGREE",
    "ALTERNATING_MIN",
    "CONTRADICTORY_DIMENSIONS",
    "FLAGS",
    "LONG_STRING_MIN",
    "LONG_STRING_SHARE",
    "ResponseQuality",
    "alternating_run",
    "assess_quality",
    "chi_square_95",
    "contradictory_dimensions",
    "flat_statistic",
    "is_flat",
    "longest_run",
    "quality_flag_matrix",
    "quality_flags",
]

LONG_STRING_MIN = 10
LONG_STRING_SHARE = 0.4
ALTERNATING_MIN = 8
AGREE = 4.0
CONTRADICTORY_DIMENSIONS = 3
# In the order a page shows them: careless answering first, then the flat profile.
FLAGS = ("long_string", "alternating", "contradictory", "flat")


def longest_run(answers: Sequence[int]) -> int:
    """The length of the longest run of one and the same answer (0 for no answers)."""
    best = run = 0
    for i, value in enumerate(answers):
        run = run + 1 if i and value == answers[i - 1] else 1
        best = max(best, run)
    return best


def alternating_run(answers: Sequence[int]) -> int:
    """The length of the longest see-saw stretch: each answer equal to the one two before and
    different from the one just before (1-5-1-5-1 is 5 long); 0 when there is none."""
    best = run = 0
    for i in range(2, len(answers)):
        if answers[i] == answers[i - 2] and answers[i] != answers[i - 1]:
            run = run + 1 if run else 3
            best = max(best, run)
        else:
            run = 0
    return best


def contradictory_dimensions(bank: Bank, answers: Mapping[str, int]) -> tuple[str, ...]:
    """The dimensions on which the person agrees on average (>= `AGREE`) both with the statements
    keyed + and with those keyed - (raw answers, before reverse keying)."""
    found = []
    for dimension in bank.dimension_ids:
        plus = [answers[q.id] for q in bank.questions if q.dimension == dimension and q.keyed > 0 and q.id in answers]
        minus = [answers[q.id] for q in bank.questions if q.dimension == dimension and q.keyed < 0 and q.id in answers]
        if plus and minus and sum(plus) / len(plus) >= AGREE and sum(minus) / len(minus) >= AGREE:
            found.append(dimension)
    return tuple(found)


def chi_square_95(degrees: int) -> float:
    """The 95th percentile of a chi-square with `degrees` degrees of freedom, by the Wilson-Hilferty
    cube-root approximation (within 0.1 of the exact value from 3 degrees up: 7.81 -> 7.81,
    6 -> 12.59 exact 12.59)."""
    z = 1.6448536269514722
    k = float(degrees)
    return k * (1.0 - 2.0 / (9.0 * k) + z * math.sqrt(2.0 / (9.0 * k))) ** 3


def flat_statistic(scores: FloatArray, errors: FloatArray) -> FloatArray:
    """Cochran's Q for people x dimensions scores and their standard errors (module docstring)."""
    precision = 1.0 / errors**2
    centre = (precision * scores).sum(axis=1, keepdims=True) / precision.sum(axis=1, keepdims=True)
    q: FloatArray = (precision * (scores - centre) ** 2).sum(axis=1)
    return q


def is_flat(estimate: ProfileEstimate) -> bool:
    """Whether no dimension stands out beyond what the measurement noise explains."""
    q = flat_statistic(np.array([estimate.scores]), np.array([estimate.standard_errors]))[0]
    return bool(q < chi_square_95(len(estimate.scores) - 1))


@dataclass(frozen=True)
class ResponseQuality:
    """What the answers allow: `flags` (from `FLAGS`, empty when all is well) and the figures
    behind them, so that a page can say kindly what it noticed."""

    flags: tuple[str, ...]
    longest_run: int
    alternating_run: int
    contradictory: tuple[str, ...]
    flat_statistic: float

    @property
    def careless(self) -> bool:
        """Answers that look careless or inconsistent (not merely flat)."""
        return any(flag != "flat" for flag in self.flags)

    @property
    def rankable(self) -> bool:
        """Whether a ranking of roles would mean something."""
        return not self.flags


def quality_flags(answered: int, run: int, see_saw: int, contradictory: int, flat: bool) -> tuple[str, ...]:
    """The flags for these figures (the thresholds of the module docstring, in one place)."""
    flags = []
    if run >= LONG_STRING_MIN and run >= LONG_STRING_SHARE * answered:
        flags.append("long_string")
    if see_saw >= ALTERNATING_MIN:
        flags.append("alternating")
    if contradictory >= CONTRADICTORY_DIMENSIONS:
        flags.append("contradictory")
    if flat:
        flags.append("flat")
    return tuple(flags)


def assess_quality(bank: Bank, answers: Mapping[str, int], estimate: ProfileEstimate) -> ResponseQuality:
    """Check one person's answers, taken in the mapping's order (the order they were asked)."""
    ordered = list(answers.values())
    run, see_saw = longest_run(ordered), alternating_run(ordered)
    contradictory = contradictory_dimensions(bank, answers)
    q = float(flat_statistic(np.array([estimate.scores]), np.array([estimate.standard_errors]))[0])
    flat = q < chi_square_95(len(estimate.scores) - 1)
    flags = quality_flags(len(ordered), run, see_saw, len(contradictory), flat)
    return ResponseQuality(flags, run, see_saw, contradictory, round(q, 2))


def _longest_true_run(flags: BoolArray) -> npt.NDArray[np.int64]:
    """The length of the longest run of True down each column (0 for none, or for no row)."""
    if flags.shape[0] == 0:
        return np.zeros(flags.shape[1], dtype=np.int64)
    counted = np.cumsum(flags, axis=0, dtype=np.int16)
    # At each False, the count so far; carried forward, it is where the current run started.
    started = np.maximum.accumulate(np.where(flags, np.int16(0), counted), axis=0)
    longest: npt.NDArray[np.int64] = (counted - started).max(axis=0).astype(np.int64)
    return longest


def quality_flag_matrix(bank: Bank, answers: FloatArray, scores: FloatArray, errors: FloatArray) -> BoolArray:
    """The rules of `quality_flags` for many people at once: people x `FLAGS` booleans.

    `answers` is people x questions (bank order, NaN = not asked), `scores` and `errors` people x
    dimensions (`quiz.measurement.estimate_matrix`). Runs are read in quiz order, the statements
    not asked left out, as `quiz.result.person_result` reads one person's answers. Loops over
    nothing: whole arrays, statements down the rows.
    """
    people = len(answers)
    order = [bank.questions.index(q) for q in quiz_order(bank)]
    # Statements x people, so that each step down a column is a contiguous row.
    in_order = np.ascontiguousarray(answers.T[order])
    missing = np.isnan(in_order)
    if missing.any():
        # Push the statements not asked to the end of each column, keeping the order of the others.
        in_order = np.take_along_axis(in_order, np.argsort(missing, axis=0, kind="stable"), axis=0)
    asked = ~np.isnan(in_order)
    answered = asked.sum(axis=0)
    with np.errstate(invalid="ignore"):  # NaN cast to an integer: overwritten just below
        values = in_order.astype(np.int8)
    values[~asked] = 0  # not asked: never equal to an answer
    # Straight-lining: answers equal to the one before; r such pairs in a row make r + 1 answers.
    same = asked[1:] & (values[1:] == values[:-1])
    longest = np.where(answered > 0, _longest_true_run(same) + 1, 0)
    # See-saw: answers equal to the one two before and unlike the one before; r of them in a row
    # make a stretch of r + 2 answers.
    swing = asked[2:] & (values[2:] == values[:-2]) & (values[2:] != values[1:-1])
    swings = _longest_true_run(swing)
    longest_see_saw = np.where(swings > 0, swings + 2, 0)
    # Contradictory: agreeing on average with the + and with the - statements of a dimension.
    dimension_ids = bank.dimension_ids
    plus = np.zeros((len(bank.questions), len(dimension_ids)))
    minus = np.zeros_like(plus)
    for i, question in enumerate(bank.questions):
        (plus if question.keyed > 0 else minus)[i, dimension_ids.index(question.dimension)] = 1.0
    given = (~np.isnan(answers)).astype(float)
    raw = np.where(given > 0, answers, 0.0)
    plus_count, minus_count = given @ plus, given @ minus
    with np.errstate(invalid="ignore", divide="ignore"):
        plus_mean = (raw @ plus) / plus_count
        minus_mean = (raw @ minus) / minus_count
    agree_both = (plus_count > 0) & (minus_count > 0) & (plus_mean >= AGREE) & (minus_mean >= AGREE)
    flat = flat_statistic(scores, errors) < chi_square_95(scores.shape[1] - 1)
    flags: BoolArray = np.stack(
        [
            (longest >= LONG_STRING_MIN) & (longest >= LONG_STRING_SHARE * answered),
            longest_see_saw >= ALTERNATING_MIN,
            agree_both.sum(axis=1) >= CONTRADICTORY_DIMENSIONS,
            flat,
        ],
        axis=1,
    ).reshape(people, len(FLAGS))
    return flags
