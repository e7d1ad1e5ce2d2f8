"""What a person reads about a result and a role, worded once for the results page, the role
pages and the PDF report: plain strings in the reader's language, no layout.

Rules:
- A result's headline is the most likely role with its chance in tenths ("Most likely: CTO
  (about 7 in 10)", `chance`), the runners-up too close to call with it, each with its chance
  (if any), what would make the result surer (the dimensions that decide between them: more
  statements on them, or, once all are answered, their names), and the sentence saying why the
  most likely role fits (`quiz.explain.why_sentence`).
- A role is described by its family and level, its summary, every section it has (in the order
  of `SECTIONS`), the roles that lead to it, and where the text comes from. What is ours on a
  role from the seed articles carries a visible tag (`ours_tag`: " [our addition]" /
  " [ajout]"), so that the articles' own statements stay recognisable: each item of ours, the
  path (always ours) and a rationale of ours. On a role of ours, the summary carries it (the
  whole role is ours; its `sources` line says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.explain import explain, join_names, name_in_sentence, why_sentence
from quiz.i18n import Strings
from quiz.model import SECTIONS, Bank, Role
from quiz.result import PersonResult

__all__ = [
    "OURS_MARK",
    "Headline",
    "RoleDescription",
    "RoleSection",
    "chance",
    "describe_role",
    "headline",
    "ours_tag",
    "percent",
    "profile_lines",
]

# The tag after a text of ours on a seed role; `{tag}` is the UI string `roles.ours_tag`.
OURS_MARK = " [{tag}]"


def ours_tag(strings: Strings) -> str:
    """The visible tag appended to a text of ours: " [our addition]" / " [ajout]"."""
    return OURS_MARK.format(tag=strings.t("roles.ours_tag"))


def chance(probability: float, strings: Strings) -> str:
    """A probability as a person reads it, in tenths: "about 7 in 10", "more than 9 in 10"
    (0.95 and above), "less than 1 in 10" (under 0.05)."""
    if probability >= 0.95:
        return strings.t("results.chance_above")
    if probability < 0.05:
        return strings.t("results.chance_below")
    return strings.t("results.chance_about", tenths=max(1, min(9, round(probability * 10))))


def percent(probability: float, strings: Strings) -> str:
    """A probability as a whole percentage for tables: "72%" / "72 %", "under 1%" when it
    rounds to 0 but is not 0."""
    value = round(probability * 100)
    if value == 0 and probability > 0:
        return strings.t("results.percent_below")
    return strings.t("results.percent", value=value)


@dataclass(frozen=True)
class Headline:
    """The top of a result.

    `best`: "Most likely: CTO (about 7 in 10)"; `ties`: the sentence naming the runners-up too
    close to call, each with its chance (None when the first is clear); `surer`: what would make
    the result surer (None when the first is clear); `why`: why the most likely role fits.
    `role_id`, `probability`, `runners_up` (role ids) and `deciding` (dimension ids) are the
    figures behind the words.
    """

    best: str
    ties: str | None
    surer: str | None
    why: str
    role_id: str
    probability: float
    runners_up: tuple[str, ...]
    deciding: tuple[str, ...]


@dataclass(frozen=True)
class RoleSection:
    """One section of a role's description: its title and its items, our additions tagged."""

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
        ValueError: the result is not rankable (`result.flat`): it has no role to announce.
    """
    if result.flat:
        raise ValueError(f"a result flagged {result.flat!r} has no most likely role: show why instead")
    lang = strings.lang
    top = result.most_likely
    name = bank.role(top.role_id).name(lang)
    probability = top.probability if top.probability is not None else 1.0
    runners_up = result.runners_up
    ties = surer = None
    if runners_up:
        roles = ", ".join(
            strings.t(
                "results.role_chance",
                role=bank.role(m.role_id).name(lang),
                chance=chance(m.probability or 0.0, strings),
            )
            for m in runners_up
        )
        ties = strings.t("results.too_close", roles=roles)
        names = join_names([name_in_sentence(bank.dimension(d).name(lang)) for d in result.deciding], strings)
        if names:
            estimate = result.estimate
            more_to_ask = any(
                estimate.answered[estimate.dimensions.index(d)] < estimate.available[estimate.dimensions.index(d)]
                for d in result.deciding
            )
            surer = strings.t("results.surer" if more_to_ask else "results.deciding", dimensions=names)
    return Headline(
        best=strings.t("results.most_likely", role=name, chance=chance(probability, strings)),
        ties=ties,
        surer=surer,
        why=why_sentence(bank, explain(bank, result.scores, top.role_id), strings),
        role_id=top.role_id,
        probability=probability,
        runners_up=tuple(m.role_id for m in runners_up),
        deciding=result.deciding,
    )


def describe_role(bank: Bank, role: Role, strings: Strings) -> RoleDescription:
    """The full description of `role` in `strings.lang` (see the module's rules)."""
    lang = strings.lang
    seed_role = role.source != "ours"
    tag = ours_tag(strings)
    ours = tag if seed_role else ""
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
        summary=role.summary(lang) + ("" if seed_role else tag),
        sections=sections,
        path_label=strings.t("section.path"),
        path=path,
        sources=strings.t("roles.sources_seed" if seed_role else "roles.sources_ours"),
    )


def profile_lines(bank: Bank, role: Role, strings: Strings) -> tuple[str, ...]:
    """The role's target on each dimension, one line each, in the language's typography:
    "Technical depth: 90 (our estimate; decisive). Why..." (French: "Expertise technique : 90
    (notre estimation ; décisif). ..."). Every target level is our estimate (the articles give no
    numbers); a rationale of ours on a seed role carries the tag as well."""
    lang = strings.lang
    tag = ours_tag(strings) if role.source != "ours" else ""
    return tuple(
        strings.t(
            "roles.target_line",
            dimension=bank.dimension(target.dimension).name(lang),
            level=target.level,
            estimate=strings.t("roles.target_ours"),
            weight=strings.t(f"weight.{target.weight}"),
            rationale=target.rationale(lang),
        )
        + (tag if target.source == "ours" else "")
        for target in role.profile
    )
