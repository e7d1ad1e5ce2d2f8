"""Traceability from the seed articles to the banks: every statement of both sources, and the bank
row that carries it or the reason it is left out.

`quiz/data/seed_coverage.csv` holds one row per statement of a source (in reading order):

- `ref` (A01... for the CTO vs. CPO article, B01... for the product manager one), `seed` (the
  `source` id the bank rows carry), `heading` (where it is in the article), `quote_fr` (the
  statement, quoted from the article, shortened with […] where long);
- `file`, `role`, `section`, `match_fr`: the bank row that carries it. `file` is
  `role_sections.csv` (then `section` is a section id) or `roles.csv` (then `section` is
  `summary`); `role` may name several roles separated by `|` (the conflicts and practices are
  in both the CTO's and the CPO's description); `match_fr` is a piece of that row's French text
  found in exactly one row of that role and section (several pieces, separated by `||`, when a
  statement is spread over several rows);
- `note`: what changed on the way (a fixed word, a move between sections), or, when `file` is
  empty, why the statement is left out.

It is not a bank file: the app never reads it. `check_coverage` (run by the bank tests) proves
that each carried statement points at a real row, and that every seed-sourced row of
`role_sections.csv` is claimed by some statement; `coverage_markdown` writes `docs/sources.md`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from quiz.banks import DATA_DIR
from quiz.model import SECTIONS, Bank

__all__ = ["COVERAGE_FILE", "SEED_TITLES", "Statement", "check_coverage", "coverage_markdown", "read_coverage"]

COVERAGE_FILE = DATA_DIR / "seed_coverage.csv"
SEED_TITLES = {
    "seed:cto-cpo": "CTO vs. CPO : Rôles et responsabilités du Directeur Technique et du Directeur Produit",
    "seed:pm-digital-marketing": "Différences entre un Chef de produit numérique et un Chef de produit marketing",
}


@dataclass(frozen=True)
class Statement:
    """One statement of a seed article and where the banks carry it (or why they do not)."""

    ref: str
    seed: str
    heading: str
    quote_fr: str
    file: str
    roles: tuple[str, ...]
    section: str
    match_fr: str
    note: str

    @property
    def carried(self) -> bool:
        return bool(self.file)


def read_coverage(path: Path = COVERAGE_FILE) -> list[Statement]:
    """The statements of `seed_coverage.csv`, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Statement(
                row["ref"],
                row["seed"],
                row["heading"],
                row["quote_fr"],
                row["file"],
                tuple(r for r in row["role"].split("|") if r),
                row["section"],
                row["match_fr"],
                row["note"],
            )
            for row in csv.DictReader(handle)
        ]


def _plain(text: str) -> str:
    """Non-breaking spaces as ordinary ones and case folded, so that a match reads as typed."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").casefold()


def _texts(bank: Bank, statement: Statement, role_id: str) -> list[str]:
    role = bank.role(role_id)
    if statement.file == "roles.csv":
        return [role.summary.fr]
    return [item.text.fr for item in role.section(statement.section)]


def check_coverage(bank: Bank, statements: list[Statement]) -> list[str]:
    """Every way the coverage table and the banks disagree, one sentence each (empty: none).

    Checked: refs are unique; a carried statement names a known file, roles and section, and its
    `match_fr` is in exactly one row of each role's section, with the statement's seed as that
    row's source (a summary: the role's source); a left-out statement gives its reason; and every
    row of `role_sections.csv` whose source is a seed is claimed by at least one statement.
    """
    problems: list[str] = []
    refs = [s.ref for s in statements]
    problems += [f"{ref}: ref used twice" for ref in sorted({r for r in refs if refs.count(r) > 1})]
    role_ids = {r.id for r in bank.roles}
    claimed: set[tuple[str, str, str]] = set()
    for s in statements:
        if not s.carried:
            if not s.note:
                problems.append(f"{s.ref}: left out without a reason in `note`")
            continue
        if s.file not in ("roles.csv", "role_sections.csv"):
            problems.append(f"{s.ref}: file {s.file!r} is not roles.csv or role_sections.csv")
            continue
        if (s.file == "roles.csv") != (s.section == "summary") or (s.file != "roles.csv" and s.section not in SECTIONS):
            problems.append(f"{s.ref}: section {s.section!r} does not exist in {s.file}")
            continue
        for role_id in s.roles:
            if role_id not in role_ids:
                problems.append(f"{s.ref}: unknown role {role_id!r}")
                continue
            for piece in s.match_fr.split("||"):
                found = [t for t in _texts(bank, s, role_id) if _plain(piece) in _plain(t)]
                if len(found) != 1:
                    problems.append(
                        f"{s.ref}: {piece!r} is in {len(found)} rows of {role_id}/{s.section}, not exactly one"
                    )
                    continue
                role = bank.role(role_id)
                if s.file == "roles.csv":
                    source = role.source
                else:
                    source = next(i.source for i in role.section(s.section) if i.text.fr == found[0])
                    claimed.add((role_id, s.section, found[0]))
                if source != s.seed:
                    problems.append(f"{s.ref}: the row it points at in {role_id}/{s.section} has source {source!r}")
    for role in bank.roles:
        for name, items in role.sections:
            for item in items:
                if item.source.startswith("seed:") and (role.id, name, item.text.fr) not in claimed:
                    problems.append(f"{role.id}/{name}: seed row {item.text.fr[:60]!r} is claimed by no statement")
    return problems


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def coverage_markdown(statements: list[Statement]) -> str:
    """docs/sources.md: one table per source, a row per statement."""
    lines = [
        "# Sources: every statement of the two seed articles, and where the banks carry it",
        "",
        "Generated from `quiz/data/seed_coverage.csv` by `quiz.sources.coverage_markdown` (a bank test",
        "checks that this file is up to date and that every row it names exists). Quotes are the",
        "articles' French, shortened with […]. A row names the bank file, the role(s) and the section",
        "holding the statement; *left out* gives the reason instead. `note` says what changed on the",
        "way (a word fixed, a move between sections).",
        "",
    ]
    for seed, title in SEED_TITLES.items():
        rows = [s for s in statements if s.seed == seed]
        # A statement carried in two places has a second row, its ref followed by a letter (A33b).
        refs = {s.ref.rstrip("abcdefghijklmnopqrstuvwxyz") for s in rows}
        left_out = sum(not s.carried for s in rows)
        lines += [
            f"## {title} (`{seed}`)",
            "",
            f"{len(refs)} statements: {len(refs) - left_out} carried by the banks, {left_out} left out "
            f"({len(rows)} rows: a statement carried in two places has a second row, such as A33b).",
            "",
            "| ref | where in the article | statement (French) | carried by | note |",
            "| --- | --- | --- | --- | --- |",
        ]
        for s in rows:
            where = f"`{s.file}` {', '.join(s.roles)} / {s.section}" if s.carried else "*left out*"
            lines.append(f"| {s.ref} | {_cell(s.heading)} | {_cell(s.quote_fr)} | {where} | {_cell(s.note)} |")
        lines.append("")
    return "\n".join(lines)
