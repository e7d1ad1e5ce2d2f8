"""Why a role matches: each dimension's part in the match, strengths and gaps.

Rule: a role's match loses `100 - closeness` points to distance (see `quiz.matching`). Each
dimension takes the share of that loss equal to its share of the weighted squared gap,
`w_d (p_d - t_d)^2 / sum(w (p - t)^2)`, so the costs add up to the whole loss. A dimension within
`CLOSE_GAP` points of the role's target is a strength (most important first); one further away is
a gap (costliest first), with its direction: above or below what the role asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.i18n import Strings
from quiz.model import Bank, Dimension, Lang, Text
from quiz.scoring import DimensionScores

__all__ = [
    "CLOSE_GAP",
    "DimensionFit",
    "Explanation",
    "explain",
    "fit_lines",
    "join_names",
    "name_in_sentence",
    "score_meaning",
    "why_sentence",
]

# Three answer steps (3 x 5 points) on a 5-item dimension: closer than that is within noise.
CLOSE_GAP = 15.0
SHOWN = 3
# Two answer steps either side of the scale's middle (50): close enough to the middle that
# neither end of the dimension describes the person.
MIDDLE_BAND = (40.0, 60.0)


@dataclass(frozen=True)
class DimensionFit:
    """One dimension for one person and one role.

    `gap` is person minus target (negative: below what the role asks); `cost` is how many match
    points the gap takes away.
    """

    dimension: str
    person: float
    target: float
    weight: int
    gap: float
    cost: float

    @property
    def close(self) -> bool:
        return abs(self.gap) <= CLOSE_GAP


@dataclass(frozen=True)
class Explanation:
    """Every dimension's fit for one role, plus the few strengths and gaps worth saying."""

    role_id: str
    fits: tuple[DimensionFit, ...]
    strengths: tuple[DimensionFit, ...]
    gaps: tuple[DimensionFit, ...]


def explain(bank: Bank, scores: DimensionScores, role_id: str) -> Explanation:
    """Explain how `scores` fit the role `role_id`."""
    role = bank.role(role_id)
    weighted = [t.weight * (scores[t.dimension] - t.level) ** 2 for t in role.profile]
    total_weight = sum(t.weight for t in role.profile)
    loss = (sum(weighted) / total_weight) ** 0.5
    total = sum(weighted) or 1.0
    fits = tuple(
        DimensionFit(
            t.dimension,
            round(scores[t.dimension], 1),
            float(t.level),
            t.weight,
            round(scores[t.dimension] - t.level, 1),
            round(loss * part / total, 1),
        )
        for t, part in zip(role.profile, weighted, strict=True)
    )
    strengths = sorted((f for f in fits if f.close), key=lambda f: (-f.weight, abs(f.gap)))
    gaps = sorted((f for f in fits if not f.close), key=lambda f: -f.cost)
    return Explanation(role_id, fits, tuple(strengths[:SHOWN]), tuple(gaps[:SHOWN]))


def score_meaning(dimension: Dimension, score: float) -> Text | None:
    """What a score says about the person: the dimension's `low` text below `MIDDLE_BAND`, its
    `high` text above it, and None inside it, where neither end describes the person."""
    low, high = MIDDLE_BAND
    if score < low:
        return dimension.low
    if score > high:
        return dimension.high
    return None


def name_in_sentence(name: str) -> str:
    """A dimension name as it reads mid-sentence: "Customer focus" -> "customer focus", but an
    acronym such as "UX and design" keeps its capitals."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def join_names(names: list[str], strings: Strings) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {strings.t('explain.and')} {names[-1]}"


def why_sentence(bank: Bank, explanation: Explanation, strings: Strings) -> str:
    """One or two sentences a person reads first, e.g. "You match CPO mainly on customer focus
    and leadership. The largest gap is technical depth (you: 35, role: 60)."."""
    lang: Lang = strings.lang
    role = bank.role(explanation.role_id).name(lang)
    if explanation.strengths:
        names = [name_in_sentence(bank.dimension(f.dimension).name(lang)) for f in explanation.strengths[:2]]
        first = strings.t("explain.match_on", role=role, dimensions=join_names(names, strings))
    else:
        first = strings.t("explain.no_strength", role=role)
    if explanation.gaps:
        gap = explanation.gaps[0]
        second = strings.t(
            "explain.largest_gap",
            dimension=name_in_sentence(bank.dimension(gap.dimension).name(lang)),
            you=round(gap.person),
            target=round(gap.target),
        )
    else:
        second = strings.t("explain.no_gap")
    return f"{first} {second}"


def fit_lines(bank: Bank, strings: Strings, explanation: Explanation) -> tuple[list[str], list[str]]:
    """The strengths and gaps of an explanation, one line each, as the app and the report word
    them: "Customer focus: you 80, role 90" / "...: you 35, role 60, 25 points below (costs 6 points)"."""
    lang = strings.lang
    strengths = [
        strings.t(
            "results.strength_line",
            dimension=bank.dimension(f.dimension).name(lang),
            you=round(f.person),
            role=round(f.target),
        )
        for f in explanation.strengths
    ]
    gaps = [
        strings.t(
            "results.gap_above" if f.gap > 0 else "results.gap_below",
            dimension=bank.dimension(f.dimension).name(lang),
            you=round(f.person),
            role=round(f.target),
            points=round(abs(f.gap)),
            cost=round(f.cost),
        )
        for f in explanation.gaps
    ]
    return strengths, gaps
