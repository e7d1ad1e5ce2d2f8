"""The adaptive quiz: which statements to ask next, and when the result is sure enough to stop.

Rule. The quiz asks one step of `QUESTIONS_PER_STEP` statements at a time (one form, one rerun).

1. Start: every dimension gets `START_PER_DIMENSION` statements, one keyed + and one keyed -
   (so that agreeing with everything cancels out from the start), round-robin over dimensions.
2. Then each step is chosen from the answers so far. Within a dimension the statements are
   treated as parallel (they measure the same thing equally well, `quiz.measurement`), so the
   choice is *how many* of the step's statements go to each dimension; within a dimension the
   next one is the bank's next statement of the key answered less so far. The step is built
   greedily: each statement goes to the dimension with the largest expected reduction of the
   probability that the leader is overtaken. For the leader L and each other role c, the final
   gap g_c = match_L - match_c has a predictive spread s_c^2 = sum_d (dg_c/dx_d)^2 * V_d, where
   V_d = SEM_d(k_d)^2 - SEM_d(n_d)^2 is how much the full-form score on d may still move after k_d
   of its n_d statements. One more statement on d removes (dg_c/dx_d)^2 * (V_d(k_d) - V_d(k_d+1))
   of it; that is weighted by phi(g_c / s_c) / s_c^2, the density of the gap near zero (only
   contrasts that could still flip are worth a statement), and summed over roles. At most
   `MAX_PER_DIMENSION_PER_STEP` statements of a step share a dimension, and they are ordered so
   that consecutive statements come from different dimensions.
3. Stop when the leader's probability of staying first if every remaining statement were
   answered reaches `STOP_PROBABILITY` (0.95), or when the bank is exhausted. That probability is a
   Monte Carlo over the full-form scores the person could end with: X_full,d ~ N(x_d, V_d)
   (classical test theory, flat prior: the remaining statements add their own error to the
   same true score), matched to every role.

"Answer every statement" asks the rest of the bank in `quiz_order`, one step at a time.

"About N more" (`Progress.about_more`): during the start, the median length measured in
simulation (`TYPICAL_ASKED`); then the smallest number of further statements, allocated by
the same greedy rule, after which the normal approximation of the stopping probability reaches
`STOP_PROBABILITY` if the scores did not move, rounded up to whole steps; the rest of the bank
if no such number exists. `bench/validity.py` compares it with what people then answer.

The whole procedure is deterministic: the same answers always lead to the same statements, so
the order in which a person was asked is recomputed from their answers (`asked_order`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from quiz.arrays import FloatArray
from quiz.measurement import (
    MatchModel,
    ProfileEstimate,
    best_match_odds,
    estimate_profile,
    gap_sensitivities,
    standard_draws,
)
from quiz.model import Bank, Question
from quiz.scoring import QUESTIONS_PER_STEP, quiz_order

__all__ = [
    "MAX_PER_DIMENSION_PER_STEP",
    "START_PER_DIMENSION",
    "STOP_PROBABILITY",
    "Progress",
    "StopReason",
    "asked_order",
    "next_step",
    "progress",
    "stay_first_probability",
]

START_PER_DIMENSION = 2
STOP_PROBABILITY = 0.95
MAX_PER_DIMENSION_PER_STEP = 3
# Fewer draws than the odds shown (`measurement.DRAWS`): the stopping check runs on every step,
# and 1,000 antithetic draws put its Monte Carlo error near .95 at 0.7 points.
STOP_DRAWS = 1_000
STOP_SEED = 20_261_202
# Before the start is over the answers say too little to predict; "about N more" then uses the
# median length measured by `bench/validity.py` (35 of 56 statements with 35 roles, December 2026).
TYPICAL_ASKED = 35

StopReason = Literal["", "sure", "exhausted"]


@dataclass(frozen=True)
class Progress:
    """Where a person stands in the quiz.

    `next_questions` is the next step (empty when `done`); `reason` says why the quiz is done:
    "sure" (the leader would stay first with probability >= `STOP_PROBABILITY`) or "exhausted"
    (every statement answered); `leader` is the most likely role now, `stay_first` its probability
    of staying first if the rest of the bank were answered, and `about_more` an honest estimate of
    how many more statements the quiz will ask (0 when done).
    """

    answered: int
    total: int
    next_questions: tuple[Question, ...]
    done: bool
    reason: StopReason
    leader: str
    stay_first: float
    about_more: int


def _available(bank: Bank) -> FloatArray:
    return np.array([sum(q.dimension == d for q in bank.questions) for d in bank.dimension_ids], dtype=float)


def _variance_after(estimate: ProfileEstimate, answered: FloatArray, extra: FloatArray, bank: Bank) -> FloatArray:
    """V_d, how much each full-form score may still move, after `extra` more statements per
    dimension: SEM(k)^2 - SEM(n)^2 = SEM(n)^2 * n * (1/k - 1/n), 0 once k = n; with nothing
    answered, the whole score variance SD^2 (the true-score spread plus the full form's error)."""
    sd = np.array([d.score_sd for d in bank.dimensions])
    rel = np.array([d.reliability for d in bank.dimensions])
    available = np.array(estimate.available, dtype=float)
    k = answered + extra
    sem_full_sq = (sd**2) * (1.0 - rel)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(k > 0, sem_full_sq * available * (1.0 / np.maximum(k, 1) - 1.0 / available), sd**2)
    return np.maximum(v, 0.0)


def stay_first_probability(bank: Bank, estimate: ProfileEstimate, leader: str) -> float:
    """The probability that `leader` is still the best match once every statement is answered
    (Monte Carlo over the possible full-form scores, module docstring)."""
    model = MatchModel.of(bank)
    answered = np.array(estimate.answered, dtype=float)
    spread = np.sqrt(_variance_after(estimate, answered, np.zeros_like(answered), bank))
    if not spread.any():
        return 1.0
    noise = standard_draws(len(spread), STOP_DRAWS, STOP_SEED)
    possible = np.clip(np.array(estimate.scores) + spread * noise, 0.0, 100.0)
    winners = model.match(possible).argmax(axis=1)
    return float(np.mean(winners == model.role_ids.index(leader)))


def _phi(z: FloatArray) -> FloatArray:
    density: FloatArray = np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)
    return density


def _normal_cdf(z: FloatArray) -> FloatArray:
    values: FloatArray = 0.5 * (1.0 + np.vectorize(math.erf)(z / math.sqrt(2.0)))
    return values


class _Planner:
    """The greedy allocation of statements to dimensions for one person's current estimate."""

    def __init__(self, bank: Bank, estimate: ProfileEstimate, leader: str) -> None:
        model = MatchModel.of(bank)
        self.bank = bank
        self.estimate = estimate
        self.leader = model.role_ids.index(leader)
        self.gaps, self.gradient = gap_sensitivities(model, np.array(estimate.scores), self.leader)
        self.answered = np.array(estimate.answered, dtype=float)
        self.available = np.array(estimate.available, dtype=float)

    def spreads(self, extra: FloatArray) -> FloatArray:
        """s_c^2 for every role after `extra` more statements per dimension."""
        variance = _variance_after(self.estimate, self.answered, extra, self.bank)
        s2: FloatArray = (self.gradient**2 * variance[None, :]).sum(axis=1)
        return s2

    def gains(self, extra: FloatArray) -> FloatArray:
        """The weighted reduction of the gaps' spread from one more statement on each dimension."""
        s2 = np.maximum(self.spreads(extra), 1e-9)
        z = self.gaps / np.sqrt(s2)
        weight = _phi(z) / s2
        weight[self.leader] = 0.0
        now = _variance_after(self.estimate, self.answered, extra, self.bank)
        after = _variance_after(self.estimate, self.answered, extra + 1.0, self.bank)
        reduction = self.gradient**2 * (now - after)[None, :]  # roles x dimensions
        gains: FloatArray = (weight[:, None] * reduction).sum(axis=0)
        gains[self.answered + extra >= self.available] = -1.0  # nothing left to ask there
        return gains

    def allocate(self, count: int, cap: int) -> FloatArray:
        """`count` more statements per dimension, greedily, at most `cap` on one dimension (lifted
        when every other dimension is exhausted)."""
        return self.path(count, cap)[-1] if count else np.zeros(len(self.answered))

    def path(self, count: int, cap: int) -> list[FloatArray]:
        """The greedy allocation after each of `count` statements (the last may hold fewer, if the
        bank runs out)."""
        extra = np.zeros(len(self.answered))
        steps = []
        for _ in range(count):
            gains = self.gains(extra)
            capped = np.where(extra >= cap, -1.0, gains)
            best = int(np.argmax(capped)) if capped.max() >= 0 else int(np.argmax(gains))
            if gains[best] < 0:
                break
            extra = extra.copy()
            extra[best] += 1.0
            steps.append(extra)
        return steps or [extra]

    def predicted_stay(self, extra: FloatArray) -> float:
        """Normal approximation of the stopping probability after `extra` statements, scores fixed."""
        s2 = np.delete(self.spreads(extra), self.leader)
        gaps = np.delete(self.gaps, self.leader)
        if not (s2 > 1e-12).any():
            return 1.0 if (gaps > 0).all() else 0.0
        z = gaps / np.sqrt(np.maximum(s2, 1e-12))
        return float(max(0.0, 1.0 - _normal_cdf(-z).sum()))


def _next_of_dimension(bank: Bank, dimension: str, asked: set[str], taken: Sequence[Question]) -> Question | None:
    """The dimension's next statement: of the key answered less so far, in bank order."""
    pool = [q for q in bank.questions if q.dimension == dimension and q.id not in asked and q not in taken]
    if not pool:
        return None
    keys = Counter(q.keyed for q in bank.questions if q.dimension == dimension and (q.id in asked or q in taken))
    wanted = 1 if keys[1] <= keys[-1] else -1
    return next((q for q in pool if q.keyed == wanted), pool[0])


def _interleave(questions: list[Question], previous: str | None) -> tuple[Question, ...]:
    """Order a step so that consecutive statements (and the step's first and the previous step's
    last) come from different dimensions whenever the counts allow it: the most frequent remaining
    dimension first, never the one just placed."""
    remaining = list(questions)
    ordered: list[Question] = []
    last = previous
    while remaining:
        counts = Counter(q.dimension for q in remaining)
        choices = sorted(
            (q for q in remaining if q.dimension != last), key=lambda q: (-counts[q.dimension], remaining.index(q))
        )
        chosen = choices[0] if choices else remaining[0]
        ordered.append(chosen)
        remaining.remove(chosen)
        last = chosen.dimension
    return tuple(ordered)


def _start_questions(bank: Bank) -> tuple[Question, ...]:
    """The start: per dimension its first statement keyed + and its first keyed - (the order of
    the two alternating from one dimension to the next), round-robin over dimensions."""
    pairs = []
    for i, dimension in enumerate(bank.dimension_ids):
        items = [q for q in bank.questions if q.dimension == dimension]
        pair = [q for key in ((1, -1) if i % 2 == 0 else (-1, 1)) for q in items if q.keyed == key][:1]
        pair += [q for q in items if q.keyed != pair[0].keyed][:1] if pair else []
        pair += [q for q in items if q not in pair][: max(START_PER_DIMENSION - len(pair), 0)]
        pairs.append(pair[:START_PER_DIMENSION])
    return tuple(pair[rank] for rank in range(START_PER_DIMENSION) for pair in pairs if rank < len(pair))


def progress(bank: Bank, answers: Mapping[str, int], *, every_statement: bool = False) -> Progress:
    """Where a person stands and what to ask next.

    Args:
        bank: the validated bank.
        answers: the answers so far, question id -> 1..5, in the order they were asked.
        every_statement: the person chose to answer the whole bank; the quiz then never stops early.

    Raises:
        AnswerError: an answer is for an unknown statement or off the scale.
    """
    estimate = estimate_profile(bank, answers)
    total = len(bank.questions)
    asked = set(answers)
    leader = best_match_odds(bank, estimate).most_likely.role_id
    if len(asked) == total:
        return Progress(total, total, (), True, "exhausted", leader, 1.0, 0)
    previous = bank.question(next(reversed(list(answers)))).dimension if answers else None
    if every_statement:
        rest = tuple(q for q in quiz_order(bank) if q.id not in asked)
        stay = stay_first_probability(bank, estimate, leader)
        following = _interleave(list(rest[:QUESTIONS_PER_STEP]), previous)
        return Progress(len(asked), total, following, False, "", leader, stay, len(rest))
    start = [q for q in _start_questions(bank) if q.id not in asked]
    stay = stay_first_probability(bank, estimate, leader) if not start else 0.0
    if not start and stay >= STOP_PROBABILITY:
        return Progress(len(asked), total, (), True, "sure", leader, stay, 0)
    planner = _Planner(bank, estimate, leader)
    step: list[Question] = start[:QUESTIONS_PER_STEP]
    free = QUESTIONS_PER_STEP - len(step)
    if free:
        planned = Counter(q.dimension for q in step)
        extra = planner.allocate(free, MAX_PER_DIMENSION_PER_STEP)
        for d, count in zip(bank.dimension_ids, extra, strict=True):
            for _ in range(int(count)):
                question = _next_of_dimension(bank, d, asked, step)
                if question is not None and planned[d] < QUESTIONS_PER_STEP:
                    step.append(question)
                    planned[d] += 1
    return Progress(
        len(asked),
        total,
        _interleave(step, previous),
        False,
        "",
        leader,
        stay,
        _about_more(planner, total - len(asked), len(start)),
    )


def _about_more(planner: _Planner, left: int, start_left: int) -> int:
    """Statements still to come, in whole steps (module docstring), at least the start's rest;
    during the start, the typical length measured in simulation (`TYPICAL_ASKED`)."""
    if start_left:
        answered = int(planner.answered.sum())
        return min(left, max(start_left, TYPICAL_ASKED - answered))
    path = planner.path(left, left)
    for more in range(QUESTIONS_PER_STEP, left, QUESTIONS_PER_STEP):
        if more >= start_left and planner.predicted_stay(path[min(more, len(path)) - 1]) >= STOP_PROBABILITY:
            return more
    return left


def next_step(bank: Bank, answers: Mapping[str, int], *, every_statement: bool = False) -> tuple[Question, ...]:
    """The statements of the next step (empty when the quiz is done); see `progress`."""
    return progress(bank, answers, every_statement=every_statement).next_questions


def asked_order(bank: Bank, answers: Mapping[str, int], *, every_statement: bool = False) -> tuple[str, ...]:
    """The order in which the adaptive quiz asked these answers, recomputed by replaying it (the
    procedure is deterministic); statements it would not have asked come last, in bank order."""
    replayed: dict[str, int] = {}
    while True:
        step = next_step(bank, replayed, every_statement=every_statement)
        if not step or any(q.id not in answers for q in step):
            break
        for question in step:
            replayed[question.id] = answers[question.id]
    return (*replayed, *(q.id for q in bank.questions if q.id in answers and q.id not in replayed))
