"""The bank's values: dimensions, questions and roles as frozen dataclasses, and the vocabularies
their fields draw from. `quiz.banks` builds them from the CSV files and validates them; everything
else reads them from here, so that nothing but the loader depends on the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "FAMILIES",
    "KINDS",
    "LANGUAGES",
    "LEVELS",
    "OPTIONAL_SECTIONS",
    "REQUIRED_SECTIONS",
    "SECTIONS",
    "Bank",
    "Dimension",
    "Lang",
    "Question",
    "Role",
    "SectionItem",
    "Target",
    "Text",
    "UnknownRoleError",
]

Lang = Literal["en", "fr"]
LANGUAGES: tuple[Lang, ...] = ("fr", "en")

KINDS = ("preference", "skill", "situation")
FAMILIES = ("tech", "product", "design", "data", "marketing", "communication")
LEVELS = ("entry", "mid", "senior", "executive")
# In the order a role's description shows them. `impact` is what a role changes for the company
# (the CTO vs. CPO article's "Impact" paragraphs and table row: not metrics, which are `kpis`);
# `frictions` are that article's CTO/CPO conflicts and `practices` its ways of resolving them and
# of working together. Those three are optional: only the roles a source describes that way have
# them. The other five are what every role must have.
SECTIONS = ("responsibilities", "skills", "kpis", "impact", "collaborators", "background", "frictions", "practices")
OPTIONAL_SECTIONS = ("impact", "frictions", "practices")
REQUIRED_SECTIONS = tuple(s for s in SECTIONS if s not in OPTIONAL_SECTIONS)


class UnknownRoleError(KeyError):
    """No role of the bank has this id. A `KeyError` (a lookup by id that failed), with a
    message that names the known ids instead of the bare key."""

    def __init__(self, role_id: str, known: tuple[str, ...]) -> None:
        super().__init__(role_id)
        self.role_id = role_id
        self.message = f"unknown role {role_id!r}: use one of {', '.join(known)}"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Text:
    """A piece of content in both languages."""

    en: str
    fr: str

    def __call__(self, lang: Lang) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Dimension:
    """A trait the quiz measures, with what a low and a high score mean, and how precisely the
    whole bank's statements on it measure it.

    `reliability` is the reliability (Cronbach's alpha) of the score over *all* the bank's
    statements on this dimension, and `score_sd` the standard deviation of that score (0-100
    points) in the people who take the quiz; together they give the standard error of
    measurement (see `quiz.measurement`). `reliability_source` says where they come from:
    `assumed:YYYY-MM` (a reasoned assumption made that month) or `measured:YYYY-MM-DD:n=N`
    (computed from N people's real answers, e.g. by a later `python -m quiz calibrate`).
    """

    id: str
    name: Text
    description: Text
    low: Text
    high: Text
    source: str
    reliability: float
    reliability_source: str
    score_sd: float


@dataclass(frozen=True)
class Question:
    """One statement to agree with; `keyed` is +1, or -1 when agreeing lowers the dimension."""

    id: str
    dimension: str
    keyed: int
    kind: str
    text: Text
    source: str


@dataclass(frozen=True)
class SectionItem:
    """One bullet of a role section, with where it comes from (a seed id or `ours`)."""

    text: Text
    source: str


@dataclass(frozen=True)
class Target:
    """A role's expected level on one dimension, how much it matters (1-3), and why."""

    dimension: str
    level: int
    weight: int
    rationale: Text
    source: str


@dataclass(frozen=True)
class Role:
    """A job the quiz can point to: its description, its sections and its target profile."""

    id: str
    family: str
    level: str
    name: Text
    summary: Text
    leads_from: tuple[str, ...]
    source: str
    sections: tuple[tuple[str, tuple[SectionItem, ...]], ...]
    profile: tuple[Target, ...]

    def section(self, name: str) -> tuple[SectionItem, ...]:
        """The items of one section, empty if the role has none (optional sections, see SECTIONS)."""
        return dict(self.sections).get(name, ())

    def target(self, dimension: str) -> Target:
        return next(t for t in self.profile if t.dimension == dimension)


@dataclass(frozen=True)
class Bank:
    """Everything the quiz knows, validated. `version` changes whenever any bank file does."""

    dimensions: tuple[Dimension, ...]
    questions: tuple[Question, ...]
    roles: tuple[Role, ...]
    version: str
    _roles_by_id: dict[str, Role] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived here, not passed in, so that dataclasses.replace(bank, roles=...) rebuilds it.
        object.__setattr__(self, "_roles_by_id", {r.id: r for r in self.roles})

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions)

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def role(self, role_id: str) -> Role:
        """The role with this id.

        Raises:
            UnknownRoleError: no role has this id; the message names the known ones.
        """
        try:
            return self._roles_by_id[role_id]
        except KeyError:
            raise UnknownRoleError(role_id, tuple(self._roles_by_id)) from None

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)
