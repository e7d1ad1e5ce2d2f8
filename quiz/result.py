"""From answers to results: one function for one person, one for many at once.

`person_result` is what the results page, the PDF report, the group view and the CLI show for a
person: the dimension scores, every role ranked, and why a flat profile is not ranked. The raw
answers go to the ranking in quiz order, so that straight-lining is detected the same way
everywhere. `people_results` computes the same figures for people x questions answers with
arrays, no loop per person: 10,000 people take a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quiz.matching import Ranking, RoleMatch, flat_reasons, match_matrix, rank_roles, tied_with_top
from quiz.model import Bank
from quiz.scoring import DimensionScores, FloatArray, quiz_order, score_answers, score_matrix

__all__ = ["PeopleResults", "PersonResult", "people_results", "person_result"]


@dataclass(frozen=True)
class PersonResult:
    """One person's result: their scores and the ranking of every role (which says, in `flat`,
    why the profile cannot be ranked, if so)."""

    scores: DimensionScores
    ranking: Ranking

    @property
    def flat(self) -> str | None:
        """ "same_answers", "no_contrast", or None when the ranking means something."""
        return self.ranking.flat

    @property
    def top(self) -> RoleMatch:
        """The best match (meaningless when `flat` is set)."""
        return self.ranking.top


def person_result(
    bank: Bank, answers: Mapping[str, int], priorities: Mapping[str, float] | None = None
) -> PersonResult:
    """A person's result from their complete answers (question id -> 1..5).

    `priorities`, if given, multiply the roles' importance weights per dimension (see
    `quiz.matching.rank_roles`).

    Raises:
        AnswerError: an item is unanswered (its ids are in `.missing`), unknown or off the scale.
        ValueError: invalid priorities.
    """
    scores = score_answers(bank, answers)
    return PersonResult(scores, rank_roles(bank, scores, [answers[q.id] for q in quiz_order(bank)], priorities))


@dataclass(frozen=True)
class PeopleResults:
    """Many people's results as arrays, one row per person: scores (people x dimensions, in
    the bank's order), match (people x roles, in the bank's order), `order` (each person's role
    indices, best first, ties kept in bank order), `tied` (the roles within TIE_MARGIN of each
    person's best) and `flat` (the flat-profile reason, "" if none)."""

    role_ids: tuple[str, ...]
    scores: FloatArray
    match: FloatArray
    order: npt.NDArray[np.intp]
    tied: npt.NDArray[np.bool_]
    flat: npt.NDArray[np.str_]

    def ranked(self, rank: int) -> tuple[npt.NDArray[np.str_], FloatArray]:
        """Everyone's role at `rank` (0 = best match) and their match figure for it."""
        column = self.order[:, rank]
        return np.array(self.role_ids)[column], self.match[np.arange(len(self.match)), column]

    def tied_roles(self) -> list[tuple[str, ...]]:
        """For each person, the ids of the roles tied with their best one (that one included)."""
        ids = np.array(self.role_ids)
        return [tuple(ids[row]) for row in self.tied]


def people_results(bank: Bank, answers: FloatArray) -> PeopleResults:
    """Results for people x questions `answers` (columns in `bank.questions` order, values
    1..5, which the caller has checked), the same figures `person_result` gives one person."""
    scores = score_matrix(bank, answers)
    match, _, _ = match_matrix(bank, scores)
    return PeopleResults(
        role_ids=tuple(r.id for r in bank.roles),
        scores=scores,
        match=match,
        order=np.argsort(-match, axis=1, kind="stable"),
        tied=tied_with_top(match),
        flat=flat_reasons(scores, answers),
    )
