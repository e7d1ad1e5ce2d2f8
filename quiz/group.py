"""A coach's view of a group: everyone's scores and top matches, how the top matches spread, the
group's average profile and its spread, and two roles compared for the group.

Everything is computed from the stored answers with the current bank, all people at once (numpy
arrays, no loop per person), so 200 participants cost about as much as one.

Rules:
- Every participant is scored on the statements they answered (`quiz.result.people_results`):
  a result saved from the adaptive quiz, or imported from a paper form with blanks, is scored
  like a complete one. Only a result holding a question id the current bank does not have (saved
  before the questions were changed) is set apart (`split_scorable`).
- A participant's top match is their most likely role. A participant whose first roles are too
  close to call (`quiz.result`) counts as an equal share for each of them in the distribution,
  so the counts add up to the number of participants and no such set is settled by an
  arbitrary order. A result that is not rankable (no ranking shown to the person: a flat
  profile, careless or inconsistent answers) is counted as "flat", not as a role.
- The spread of the group is the population standard deviation (n in the denominator): the
  group is all the coach looks at, not a sample of something larger. One participant: spread 0.
- Unnamed participants are shown as "#1", "#2"... in the order they finished; two who chose the
  same pseudonym become "Ana" and "Ana (2)".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from quiz.arrays import FloatArray
from quiz.matching import TIE_MARGIN, match_matrix
from quiz.model import Bank, Lang
from quiz.reliability import ReliabilityReport, reliability_report
from quiz.result import PersonResult, people_results, person_result
from quiz.scoring import SCALE

__all__ = [
    "FLAT",
    "TOP",
    "GroupProfile",
    "Participant",
    "RoleComparison",
    "compare_roles",
    "display_names",
    "group_frame",
    "group_profile",
    "group_reliability",
    "participant_result",
    "split_scorable",
    "top_match_counts",
]

TOP = 3  # top matches per participant in the frame and the exports
FLAT = "flat"  # the top-match label of a flat profile in `top_match_counts`


@dataclass(frozen=True)
class Participant:
    """One finished result of a session, as the dashboard and the exports see it."""

    id: int
    pseudonym: str
    answers: Mapping[str, int]
    submitted_at: datetime


@dataclass(frozen=True)
class GroupProfile:
    """The group on each dimension, in `bank.dimensions` order."""

    dimension_ids: tuple[str, ...]
    mean: tuple[float, ...]
    spread: tuple[float, ...]  # population standard deviation
    low: tuple[float, ...]
    high: tuple[float, ...]
    size: int

    def table(self, bank: Bank, lang: Lang, labels: Mapping[str, str]) -> pd.DataFrame:
        """The same numbers as a table, one row per dimension; `labels` names the columns
        "mean", "spread", "low" and "high" in the UI's language."""
        return pd.DataFrame(
            {
                labels["mean"]: self.mean,
                labels["spread"]: self.spread,
                labels["low"]: self.low,
                labels["high"]: self.high,
            },
            index=[bank.dimension(d).name(lang) for d in self.dimension_ids],
        ).round(1)


@dataclass(frozen=True)
class RoleComparison:
    """Two roles for a group: the average match to each, who fits which better, and the group's
    average gap to each role's target per dimension (positive: the group is above the target)."""

    role_a: str
    role_b: str
    mean_a: float
    mean_b: float
    better_a: int
    better_b: int
    equal: int  # match figures within TIE_MARGIN of each other: too close to say which fits better
    gaps_a: tuple[float, ...]
    gaps_b: tuple[float, ...]


def display_names(participants: Sequence[Participant]) -> list[str]:
    """What the coach sees for each participant: the pseudonym, "#n" without one, and a
    number after a pseudonym already taken ("Ana (2)")."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, participant in enumerate(participants, start=1):
        name = participant.pseudonym.strip() or f"#{index}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


def split_scorable(bank: Bank, participants: Sequence[Participant]) -> tuple[list[Participant], list[Participant]]:
    """Those whose answers are all to questions of this bank (any of them, at least one, each on the
    scale), and the others: results saved before the questions were changed, which cannot be
    scored with the current ones."""
    ids = {q.id for q in bank.questions}

    def scorable(p: Participant) -> bool:
        return bool(p.answers) and all(q in ids and type(v) is int and v in SCALE for q, v in p.answers.items())

    return [p for p in participants if scorable(p)], [p for p in participants if not scorable(p)]


def answer_matrix(bank: Bank, participants: Sequence[Participant]) -> FloatArray:
    """People x questions (in `bank.questions` order), NaN for a statement not asked. Answers to
    questions the bank does not have are not in it: `split_scorable` sets such results apart."""
    return np.array([[p.answers.get(q.id, np.nan) for q in bank.questions] for p in participants], dtype=float).reshape(
        len(participants), len(bank.questions)
    )


def group_frame(bank: Bank, participants: Sequence[Participant]) -> pd.DataFrame:
    """One row per participant, in the given order: `id`, `name` (see `display_names`), one
    column per dimension id (score 0-100, one decimal), `answered` (how many statements),
    `top_1`..`top_3` (role ids, most likely first) with `top_1_match`..`top_3_match` and
    `top_1_probability`..`top_3_probability` (the chance of being the best match, 0-1),
    `tied_top` (how many roles are too close to call; 1 = a clear first), `tied_roles` (their
    ids, most likely first, joined by "|"), `flat` (why the result is not ranked, "" if it is:
    `quiz.result.FLAT_REASONS`) and `quality` (every response-quality flag, joined by "|"). Ids
    only, the same in every language: names are added where they are shown."""
    columns = ["id", "name", *bank.dimension_ids, "answered"]
    for k in range(1, TOP + 1):
        columns += [f"top_{k}", f"top_{k}_match", f"top_{k}_probability"]
    columns += ["tied_top", "tied_roles", "flat", "quality"]
    if not participants:
        return pd.DataFrame(columns=columns)
    results = people_results(bank, answer_matrix(bank, participants))
    frame = pd.DataFrame(results.scores.round(1), columns=list(bank.dimension_ids))
    frame.insert(0, "name", display_names(participants))
    frame.insert(0, "id", [p.id for p in participants])
    frame["answered"] = results.answered.sum(axis=1)
    for k in range(min(TOP, len(bank.roles))):
        roles, match = results.ranked(k)
        frame[f"top_{k + 1}"] = roles
        frame[f"top_{k + 1}_match"] = match.round(1)
        frame[f"top_{k + 1}_probability"] = results.ranked_probability(k).round(3)
    tied_roles = results.tied_roles()
    frame["tied_top"] = [len(roles) for roles in tied_roles]
    frame["tied_roles"] = ["|".join(roles) for roles in tied_roles]
    frame["flat"] = results.flat
    frame["quality"] = results.quality
    return frame[columns]


def group_reliability(bank: Bank, participants: Sequence[Participant]) -> ReliabilityReport:
    """How reliable the quiz was for this group (`quiz.reliability.reliability_report` on their
    answers, statements not asked left out pairwise); `persons` is in the given order, as the
    names of `display_names`. No answer times are stored, so `too_fast` is never checked."""
    return reliability_report(bank, answer_matrix(bank, participants))


def top_match_counts(frame: pd.DataFrame) -> pd.Series:
    """How many participants have each role as their top match (shares for ties, see the
    module's rules), highest first; roles nobody has are left out; flat profiles count as FLAT."""
    counts: dict[str, float] = {}
    for tied, flat in zip(frame["tied_roles"], frame["flat"], strict=True):
        roles = [FLAT] if flat else tied.split("|")
        for role_id in roles:
            counts[role_id] = counts.get(role_id, 0.0) + 1 / len(roles)
    return pd.Series(counts, dtype=float).sort_values(ascending=False, kind="stable")


def group_profile(bank: Bank, frame: pd.DataFrame) -> GroupProfile:
    """The group's mean, spread, lowest and highest score on each dimension (zeros when empty)."""
    ids = tuple(bank.dimension_ids)
    values = frame[list(ids)].to_numpy(dtype=float).reshape(len(frame), len(ids))
    if len(values) == 0:
        zeros = (0.0,) * len(ids)
        return GroupProfile(ids, zeros, zeros, zeros, zeros, 0)
    return GroupProfile(
        ids,
        tuple(values.mean(axis=0)),
        tuple(values.std(axis=0)),
        tuple(values.min(axis=0)),
        tuple(values.max(axis=0)),
        len(values),
    )


def compare_roles(bank: Bank, frame: pd.DataFrame, role_a: str, role_b: str) -> RoleComparison:
    """The group against two roles (see RoleComparison).

    Raises:
        ValueError: an unknown role id.
    """
    ids = [r.id for r in bank.roles]
    for role_id in (role_a, role_b):
        if role_id not in ids:
            raise ValueError(f"Unknown role {role_id!r}: use one of {', '.join(ids)}.")
    scores = frame[list(bank.dimension_ids)].to_numpy(dtype=float).reshape(len(frame), len(bank.dimension_ids))
    match, _, _ = match_matrix(bank, scores)
    a, b = match[:, ids.index(role_a)], match[:, ids.index(role_b)]
    close = np.abs(a - b) < TIE_MARGIN
    targets = {r: np.array([t.level for t in bank.role(r).profile], dtype=float) for r in (role_a, role_b)}
    mean = scores.mean(axis=0) if len(scores) else np.zeros(len(bank.dimension_ids))
    return RoleComparison(
        role_a,
        role_b,
        float(a.mean()) if len(a) else 0.0,
        float(b.mean()) if len(b) else 0.0,
        int(((a > b) & ~close).sum()),
        int(((b > a) & ~close).sum()),
        int(close.sum()),
        tuple(mean - targets[role_a]),
        tuple(mean - targets[role_b]),
    )


def participant_result(bank: Bank, participant: Participant) -> PersonResult:
    """One participant's full result, as they saw it on their results page.

    Raises:
        AnswerError: the answers cannot be scored with this bank (see `split_scorable`).
    """
    return person_result(bank, participant.answers)
