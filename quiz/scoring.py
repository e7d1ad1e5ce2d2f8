"""From answers to dimension scores.

Rule: each answer is a number from 1 (strongly disagree) to 5 (strongly agree). A reverse-keyed
item counts as 6 - answer. A dimension's score is the mean of its keyed answers rescaled from
1..5 to 0..100: `score = (mean - 1) * 25`. One person or ten thousand go through the same matrix
product, so the CLI's bulk scoring and the app agree to the last decimal.

>>> # a dimension with answers 5, 4, 5, 4 and a reverse-keyed 2 -> mean 4.4 -> 85.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quiz.arrays import FloatArray
from quiz.model import Bank, Question

__all__ = [
    "QUESTIONS_PER_STEP",
    "SCALE",
    "AnswerError",
    "DimensionScores",
    "PartialScores",
    "check_answers",
    "key_matrix",
    "quiz_order",
    "quiz_steps",
    "resume_step",
    "score_answers",
    "score_matrix",
    "score_partial",
    "score_partial_matrix",
]

SCALE = (1, 2, 3, 4, 5)
# Five statements a step: seven short steps for 35 statements, each fitting a phone screen.
QUESTIONS_PER_STEP = 5


class AnswerError(ValueError):
    """Answers that cannot be scored: missing items, unknown items or values off the scale."""

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing = tuple(missing)


@dataclass(frozen=True)
class DimensionScores:
    """A person's profile: one 0-100 score per dimension, in the bank's dimension order."""

    dimensions: tuple[str, ...]
    values: tuple[float, ...]

    def __getitem__(self, dimension: str) -> float:
        return self.values[self.dimensions.index(dimension)]

    def as_array(self) -> FloatArray:
        return np.array(self.values, dtype=float)

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.dimensions, self.values, strict=True))


def key_matrix(bank: Bank) -> tuple[FloatArray, FloatArray]:
    """The scoring rule as arrays: the key of each question (+1/-1) and a questions x dimensions
    averaging matrix whose column d holds 1/n_d for the n_d questions of dimension d."""
    keys = np.array([q.keyed for q in bank.questions], dtype=float)
    dimension_ids = bank.dimension_ids
    averaging = np.zeros((len(bank.questions), len(dimension_ids)))
    for i, question in enumerate(bank.questions):
        averaging[i, dimension_ids.index(question.dimension)] = 1.0
    averaging /= averaging.sum(axis=0, keepdims=True)
    return keys, averaging


def score_matrix(bank: Bank, answers: FloatArray) -> FloatArray:
    """Score many people at once: `answers` is people x questions (bank order), values 1..5.

    Returns people x dimensions scores in 0..100. The caller checks the values are on the scale.
    """
    keys, averaging = key_matrix(bank)
    keyed = np.where(keys > 0, answers, 6.0 - answers)
    return (keyed @ averaging - 1.0) * 25.0


def score_partial_matrix(bank: Bank, answers: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Score many people who answered only some statements: `answers` is people x questions
    (bank order), values 1..5, NaN where a statement was not asked.

    A dimension's score is the mean of its *answered* keyed items rescaled to 0..100, the same
    rule as `score_matrix` on fewer items; a dimension with no answered item scores NaN.

    Returns:
        (scores, answered): people x dimensions scores (NaN where nothing was answered) and how
        many statements of each dimension each person answered.
    """
    keys, averaging = key_matrix(bank)
    membership = (averaging > 0).astype(float)  # questions x dimensions, 1 where the item belongs
    asked = ~np.isnan(answers)
    keyed = np.where(asked, np.where(keys > 0, answers, 6.0 - answers), 0.0)
    answered = (asked.astype(float) @ membership).round().astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (keyed @ membership) / answered
    scores = np.where(answered > 0, (means - 1.0) * 25.0, np.nan)
    return scores, answered


@dataclass(frozen=True)
class PartialScores:
    """A profile from the statements actually answered: per dimension, a 0-100 score (None when
    none of its statements was answered) and how many of its statements were answered."""

    dimensions: tuple[str, ...]
    values: tuple[float | None, ...]
    answered: tuple[int, ...]

    def __getitem__(self, dimension: str) -> float | None:
        return self.values[self.dimensions.index(dimension)]


def score_partial(bank: Bank, answers: Mapping[str, int]) -> PartialScores:
    """One person's dimension scores from the statements they answered (any subset, even none).

    Raises:
        AnswerError: an answer is for an unknown statement or off the 1-5 scale.
    """
    check_answers(bank, answers, complete=False)
    row = np.array([[answers.get(q.id, np.nan) for q in bank.questions]], dtype=float)
    scores, answered = score_partial_matrix(bank, row)
    values = tuple(None if np.isnan(v) else round(float(v), 6) for v in scores[0])
    return PartialScores(bank.dimension_ids, values, tuple(int(n) for n in answered[0]))


def check_answers(bank: Bank, answers: Mapping[str, int], complete: bool = True) -> None:
    """Raise `AnswerError` unless every answer is on the 1-5 scale for a known question, and,
    if `complete`, every question is answered (an unfinished quiz passes with complete=False)."""
    known = {q.id for q in bank.questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise AnswerError(f"unknown question(s): {', '.join(unknown)}")
    # `True == 1` and `5.0 == 5` in Python: only genuine whole numbers count as answers.
    off_scale = sorted(qid for qid, value in answers.items() if type(value) is not int or value not in SCALE)
    if off_scale:
        raise AnswerError(f"answers must be whole numbers from 1 to 5; not so for: {', '.join(off_scale)}")
    missing = [q.id for q in bank.questions if q.id not in answers]
    if missing and complete:
        raise AnswerError(f"{len(missing)} question(s) not answered: {', '.join(missing)}", missing)


def score_answers(bank: Bank, answers: Mapping[str, int]) -> DimensionScores:
    """One person's dimension scores.

    Raises:
        AnswerError: an item is unanswered (its ids are in `.missing`), unknown or off the scale.
    """
    check_answers(bank, answers)
    row = np.array([[answers[q.id] for q in bank.questions]], dtype=float)
    values = score_matrix(bank, row)[0]
    return DimensionScores(bank.dimension_ids, tuple(round(float(v), 6) for v in values))


def quiz_order(bank: Bank) -> tuple[Question, ...]:
    """The order questions are asked in: round-robin over dimensions, so that two consecutive
    items never come from the same dimension while another dimension still has items left.

    The bank's own order is kept within each dimension, so the order is stable for a given bank.
    """
    queues = {d: [q for q in bank.questions if q.dimension == d] for d in bank.dimension_ids}
    ordered: list[Question] = []
    while any(queues.values()):
        for dimension in bank.dimension_ids:
            if queues[dimension]:
                ordered.append(queues[dimension].pop(0))
    return tuple(ordered)


def quiz_steps(bank: Bank) -> tuple[tuple[Question, ...], ...]:
    """The quiz as the app asks it: `QUESTIONS_PER_STEP` statements per step, in `quiz_order`."""
    ordered = quiz_order(bank)
    return tuple(ordered[i : i + QUESTIONS_PER_STEP] for i in range(0, len(ordered), QUESTIONS_PER_STEP))


def resume_step(bank: Bank, answers: Mapping[str, int]) -> int:
    """Where a person continuing the quiz starts again: the first step with an unanswered
    statement, or the last step if every statement is answered."""
    steps = quiz_steps(bank)
    return next((i for i, step in enumerate(steps) if any(q.id not in answers for q in step)), len(steps) - 1)
