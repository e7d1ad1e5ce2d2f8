"""From answers to results: one function for one person, one for many at once.

`person_result` is what the results page, the PDF report, the group view and the command line
show for a person, from the statements they actually answered (the adaptive quiz's, the full
form's, or a paper form's with blanks):

answers -> `ProfileEstimate` (dimension scores with their standard errors, `quiz.measurement`)
-> every role's probability of being the best match and the roles too close to call (Monte
Carlo over plausible true profiles) -> the ranking, most likely first -> response quality
(`quiz.quality`) -> the dimensions that would make the result surer.

Rules:
- Answers are read in quiz order (`quiz.scoring.quiz_order`, the statements not asked left
  out), whatever the order of the mapping: the quality rules look at runs of answers, and the
  same answers must give the same result on the page, from a link, in the PDF, in a coach's
  export and on the command line.
- The ranking holds every role, most likely best match first (equal probabilities: higher match
  first, then id). `RoleMatch.tied_with_top` marks the roles *too close to call*: the smallest
  set, most likely first, whose probabilities reach `quiz.measurement.CALL_LEVEL` (90 %). Every
  table, mark and count that shows "ties" shows that set; the old 3-point margin
  (`quiz.matching.TIE_MARGIN`) no longer decides what a person is told.
- `flat` is the one switch a page tests: None when the ranking means something, otherwise the
  reason (`FLAT_REASONS`, each with its UI string `results.flat_<reason>`): "same_answers"
  (straight-lining), "careless" (a see-saw pattern), "inconsistent" (agreeing with statements
  and their opposites), "no_contrast" (nothing stands out beyond measurement noise). When
  several rules fire, the first of that order is given.

`people_results` computes the same figures for people x questions answers (NaN = not asked)
with arrays, no loop per person. The probabilities cost about a millisecond per person (the
Monte Carlo): they are on by default and can be turned off for scores and ranking alone.

>>> from quiz.banks import load_bank
>>> bank = load_bank()
>>> person_result(bank, {q.id: 3 for q in bank.questions}).flat
'same_answers'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quiz.arrays import BoolArray, FloatArray
from quiz.matching import Ranking, RoleMatch, match_matrix
from quiz.measurement import (
    MatchModel,
    ProfileEstimate,
    best_match_odds,
    best_match_probabilities,
    deciding_dimensions,
    estimate_matrix,
    estimate_profile,
    too_close_to_call,
)
from quiz.model import Bank
from quiz.quality import FLAGS, ResponseQuality, assess_quality, quality_flag_matrix
from quiz.scoring import AnswerError, DimensionScores, check_answers, quiz_order

__all__ = [
    "FLAT_REASONS",
    "PeopleResults",
    "PersonResult",
    "flat_reason",
    "people_results",
    "person_result",
]

# The quality flag behind each reason a page gives, in the order they win.
_REASON_OF_FLAG = {
    "long_string": "same_answers",
    "alternating": "careless",
    "contradictory": "inconsistent",
    "flat": "no_contrast",
}
FLAT_REASONS = tuple(_REASON_OF_FLAG[flag] for flag in FLAGS)


def flat_reason(flags: tuple[str, ...]) -> str | None:
    """The reason a result is not ranked for these quality flags (`quiz.quality.FLAGS`), or None."""
    return next((_REASON_OF_FLAG[flag] for flag in FLAGS if flag in flags), None)


@dataclass(frozen=True)
class PersonResult:
    """Everything the quiz can honestly say about one person.

    `scores` are the point scores (`estimate.as_scores()`: a dimension with no answered
    statement sits at 50); `estimate` holds their standard errors and how many statements were
    answered; `ranking` every role, most likely first, each with its probability of being the
    best match and whether it is too close to call; `quality` the response-quality flags and the
    figures behind them; `deciding` the dimension ids on which more statements would best
    separate the most likely role from the runners-up.
    """

    scores: DimensionScores
    estimate: ProfileEstimate
    ranking: Ranking
    quality: ResponseQuality
    deciding: tuple[str, ...]

    @property
    def flat(self) -> str | None:
        """Why the ranking should not be shown (see `FLAT_REASONS`), or None when it means something."""
        return self.ranking.flat

    @property
    def rankable(self) -> bool:
        return self.ranking.flat is None

    @property
    def top(self) -> RoleMatch:
        """The most likely best match (meaningless when `flat` is set)."""
        return self.ranking.top

    @property
    def most_likely(self) -> RoleMatch:
        return self.ranking.top

    @property
    def too_close_to_call(self) -> tuple[RoleMatch, ...]:
        """The roles the quiz cannot tell apart from the most likely one, it included (one role:
        a clear first)."""
        return self.ranking.tied_top

    @property
    def runners_up(self) -> tuple[RoleMatch, ...]:
        """The roles too close to call, the most likely one left out."""
        return self.ranking.tied_top[1:]

    @property
    def complete(self) -> bool:
        """Whether every statement of the bank was answered."""
        return self.estimate.complete

    def probability(self, role_id: str) -> float:
        """The probability that `role_id` is the best match.

        Raises:
            UnknownRoleError: no role has this id.
        """
        for match in self.ranking.matches:
            if match.role_id == role_id:
                return match.probability if match.probability is not None else 0.0
        raise KeyError(role_id)


def _in_quiz_order(bank: Bank, answers: Mapping[str, int]) -> dict[str, int]:
    return {q.id: answers[q.id] for q in quiz_order(bank) if q.id in answers}


def person_result(
    bank: Bank, answers: Mapping[str, int], priorities: Mapping[str, float] | None = None
) -> PersonResult:
    """A person's result from the statements they answered (question id -> 1..5, any non-empty
    subset of the bank).

    `priorities`, if given, multiply the roles' importance weights per dimension (see
    `quiz.matching.rank_roles`); response quality does not depend on them.

    Raises:
        AnswerError: an unknown question id, a value off the scale, or no answer at all (then
            `.missing` holds every question id).
        ValueError: invalid priorities.
    """
    check_answers(bank, answers, complete=False)
    if not answers:
        raise AnswerError("no statement answered: answer at least one", [q.id for q in bank.questions])
    ordered = _in_quiz_order(bank, answers)
    estimate = estimate_profile(bank, ordered)
    odds = best_match_odds(bank, estimate, priorities)
    scores = estimate.as_scores()
    _, closeness, shape = match_matrix(bank, scores.as_array()[None, :], priorities)
    index = {role.id: i for i, role in enumerate(bank.roles)}
    quality = assess_quality(bank, ordered, estimate)
    matches = tuple(
        RoleMatch(
            role_id=odds_role.role_id,
            match=odds_role.match,
            closeness=round(float(closeness[0, index[odds_role.role_id]]), 1),
            shape=round(float(shape[0, index[odds_role.role_id]]), 1),
            tied_with_top=odds_role.too_close_to_call,
            probability=odds_role.probability,
            match_se=odds_role.match_se,
        )
        for odds_role in odds.roles
    )
    return PersonResult(
        scores=scores,
        estimate=estimate,
        ranking=Ranking(matches, flat_reason(quality.flags)),
        quality=quality,
        deciding=deciding_dimensions(bank, estimate, odds),
    )


@dataclass(frozen=True)
class PeopleResults:
    """Many people's results as arrays, one row per person, the figures `person_result` gives:

    `scores`, `errors` and `answered` (people x dimensions, the bank's order), `match` (people x
    roles, the bank's order), `order` (each person's role indices, most likely first, then by
    match, then by id), `probability` (people x roles; None when not computed), `tied` (the roles
    too close to call; None without probabilities), `flat` (the reason, "" if none) and
    `quality` (every quality flag, `|`-separated).
    """

    role_ids: tuple[str, ...]
    scores: FloatArray
    errors: FloatArray
    answered: npt.NDArray[np.int64]
    match: FloatArray
    order: npt.NDArray[np.intp]
    probability: FloatArray | None
    tied: BoolArray | None
    flat: npt.NDArray[np.str_]
    quality: npt.NDArray[np.str_]

    def ranked(self, rank: int) -> tuple[npt.NDArray[np.str_], FloatArray]:
        """Everyone's role at `rank` (0 = most likely) and their match figure for it."""
        column = self.order[:, rank]
        return np.array(self.role_ids)[column], self.match[np.arange(len(self.match)), column]

    def ranked_probability(self, rank: int) -> FloatArray:
        """Everyone's probability for their role at `rank`.

        Raises:
            ValueError: the results were computed without probabilities.
        """
        if self.probability is None:
            raise ValueError("these results were computed without probabilities (probabilities=False)")
        return self.probability[np.arange(len(self.match)), self.order[:, rank]]

    def tied_roles(self) -> list[tuple[str, ...]]:
        """For each person, the ids of the roles too close to call, most likely first.

        Raises:
            ValueError: the results were computed without probabilities.
        """
        if self.tied is None:
            raise ValueError("these results were computed without probabilities (probabilities=False)")
        ids = np.array(self.role_ids)
        return [tuple(ids[order[inside[order]]]) for order, inside in zip(self.order, self.tied, strict=True)]


def _role_order(bank: Bank, probability: FloatArray | None, match: FloatArray) -> npt.NDArray[np.intp]:
    """Per person, role indices most likely first, then by higher match, then by id."""
    by_id = np.argsort(np.argsort([role.id for role in bank.roles], kind="stable"))
    tie_break = np.broadcast_to(by_id, match.shape)
    keys = (tie_break, -match) if probability is None else (tie_break, -match, -probability)
    order: npt.NDArray[np.intp] = np.lexsort(keys, axis=1)
    return order


def people_results(bank: Bank, answers: FloatArray, *, probabilities: bool = True) -> PeopleResults:
    """Results for people x questions `answers` (columns in `bank.questions` order, values 1..5,
    NaN for a statement not asked; the caller has checked the values), the same figures
    `person_result` gives each of them.

    `probabilities=False` skips the Monte Carlo (about a millisecond per person): the order is
    then by match alone, and `probability` and `tied` are None.
    """
    scores, errors, answered = estimate_matrix(bank, answers)
    if probabilities:
        probability, match, _ = best_match_probabilities(bank, scores, errors)
        tied: BoolArray | None = too_close_to_call(probability)
    else:
        probability, tied = None, None
        match = MatchModel.of(bank).match(scores)
    # Each person's flags as a bit code, looked up in the 2^4 possible combinations: no loop per person.
    codes = quality_flag_matrix(bank, answers, scores, errors).astype(np.int64) @ (1 << np.arange(len(FLAGS)))
    combinations = [tuple(flag for j, flag in enumerate(FLAGS) if code >> j & 1) for code in range(1 << len(FLAGS))]
    joined = np.array(["|".join(flags) for flags in combinations], dtype=str)[codes]
    reasons = np.array([flat_reason(flags) or "" for flags in combinations], dtype=str)[codes]
    return PeopleResults(
        role_ids=tuple(r.id for r in bank.roles),
        scores=scores,
        errors=errors,
        answered=answered,
        match=match,
        order=_role_order(bank, probability, match),
        probability=probability,
        tied=tied,
        flat=reasons,
        quality=joined,
    )
