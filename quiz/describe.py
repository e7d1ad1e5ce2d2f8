"""What a person reads about a result and a role, worded once for the results page, the role
pages and the PDF report: plain strings in the reader's language, no layout.

Rules:
- A result's headline is the best match with its figure, the roles the quiz cannot separate
  from it (if any), and the sentence saying why it fits (`quiz.explain.why_sentence`).
- A role is described by its family and level, its summary, every section it has (in the order
  of `SECTIONS`), the roles that lead to it, and where the text comes from. On a role from the
  seed articles, every item that is ours is marked with `OURS_MARK`, so that the articles' own
  statements stay recognisable; the path is always ours, so it is marked on such a role too.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.explain import explain, why_sentence
from quiz.i18n import Strings
from quiz.model import SECTIONS, Bank, Role
from quiz.result import PersonResult

__all__ = ["OURS_MARK", "Headline", "RoleDescription", "RoleSection", "describe_role", "headline"]

OURS_MARK = " †"


@dataclass(frozen=True)
class Headline:
    """The top of a result: `best` ("Your best match: CTO · 82/100"), `ties` (the sentence naming
    the roles too close to call, None when the first is clear) and `why`."""

    best: str
    ties: str | None
    why: str


@dataclass(frozen=True)
class RoleSection:
    """One section of a role's description: its title and its items, our additions marked."""

    name: str
    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class RoleDescription:
    """A role as the pages and the report describe it, in one language.

    `kind` is "family · level"; `path_label` and `path` are the roles that lead to it (None when
    none does); `sources` says where the text comes from.
    """

    role_id: str
    name: str
    kind: str
    summary: str
    sections: tuple[RoleSection, ...]
    path_label: str
    path: str | None
    sources: str


def headline(bank: Bank, result: PersonResult, strings: Strings) -> Headline:
    """The headline of a result that can be ranked.

    Raises:
        ValueError: the profile is flat (`result.flat`): it has no best match to announce.
    """
    if result.flat:
        raise ValueError(f"a flat profile ({result.flat}) has no best match: show why instead")
    lang = strings.lang
    top = bank.role(result.top.role_id)
    others = [bank.role(m.role_id).name(lang) for m in result.ranking.tied_top[1:]]
    return Headline(
        best=strings.t("results.top", role=top.name(lang), match=round(result.top.match)),
        ties=strings.t("results.tie", roles=", ".join(others)) if others else None,
        why=why_sentence(bank, explain(bank, result.scores, top.id), strings),
    )


def describe_role(bank: Bank, role: Role, strings: Strings) -> RoleDescription:
    """The full description of `role` in `strings.lang` (see the module's rules)."""
    lang = strings.lang
    ours = OURS_MARK if role.source != "ours" else ""
    sections = tuple(
        RoleSection(
            name,
            strings.t("section." + name),
            tuple(f"{item.text(lang)}{ours if item.source == 'ours' else ''}" for item in role.section(name)),
        )
        for name in SECTIONS
        if role.section(name)
    )
    path = None
    if role.leads_from:
        names = ", ".join(bank.role(r).name(lang) for r in role.leads_from)
        path = f"{strings.t('roles.path', roles=names)}{ours}"
    return RoleDescription(
        role_id=role.id,
        name=role.name(lang),
        kind=f"{strings.t('family.' + role.family)} · {strings.t('level.' + role.level)}",
        summary=role.summary(lang),
        sections=sections,
        path_label=strings.t("section.path"),
        path=path,
        sources=strings.t("roles.sources_ours" if role.source == "ours" else "roles.sources_seed"),
    )
