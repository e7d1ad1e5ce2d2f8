"""The banks: dimensions, questions and roles, loaded from CSV and validated into frozen values.

The CSV files in `quiz/data/` are the only place content lives. `load_bank` reads them all, checks
everything, and either returns a `Bank` or raises `BankError` listing **every** problem found,
each as `file:line: column: what is wrong and how to fix it`.

Files and columns (see the README for the full description):
- dimensions.csv: id, name_en, name_fr, description_en, description_fr, low_en, low_fr,
  high_en, high_fr, source, reliability (0-1, exclusive), reliability_source
  (`assumed:YYYY-MM` or `measured:YYYY-MM-DD:n=N`), score_sd (points, > 0)
- questions.csv: id, dimension, keyed (+ or -), kind, text_en, text_fr, source
- roles.csv: id, family, level, name_en, name_fr, summary_en, summary_fr, leads_from, source
- role_sections.csv: role, section, text_en, text_fr, source (one row per bullet item)
- profiles.csv: role, dimension, target (0-100), weight (1-3), rationale_en, rationale_fr, source

Besides each cell, the validator checks that no two roles' profiles are closer than
`MIN_PROFILE_DISTANCE` (see `profile_distance`): a role the quiz cannot tell from another one
could never come first with a clear lead, and would only split the other's matches.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from quiz.model import (
    FAMILIES,
    KINDS,
    LEVELS,
    REQUIRED_SECTIONS,
    SECTIONS,
    Bank,
    Dimension,
    Question,
    Role,
    SectionItem,
    Target,
    Text,
)
from quiz.tables import Problem, Row, Table, TableError, parse_number, read_table

__all__ = [
    "COLUMNS",
    "DATA_DIR",
    "FILES",
    "MAX_KEY_IMBALANCE",
    "MIN_ITEMS_PER_DIMENSION",
    "MIN_PROFILE_DISTANCE",
    "MIN_REVERSE_KEYED",
    "MIN_REVERSE_KINDS",
    "TARGET_RANGE",
    "WEIGHTS",
    "BankError",
    "load_bank",
    "profile_distance",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

# At least 8 items per dimension, at least 3 of them reverse-keyed (DESIGN.md, "Measurement
# model"): 8 items give the adaptive quiz something to choose from after its start of 2 per
# dimension, and reverse-keyed items cancel acquiescence (agreeing with everything). The two keys
# may differ by at most MAX_KEY_IMBALANCE items, so that someone who agrees one step more with
# everything moves a dimension by at most 25 * 2 / 8 = 6 points; reverse-keyed items must be of
# at least MIN_REVERSE_KINDS kinds, so that "the opposite" is not one kind of sentence only.
MIN_ITEMS_PER_DIMENSION = 8
MIN_REVERSE_KEYED = 3
MAX_KEY_IMBALANCE = 2
MIN_REVERSE_KINDS = 2
# A score's standard deviation in points: above 50 a 0-100 score cannot have it.
SCORE_SD_RANGE = (1.0, 50.0)
TARGET_RANGE = (0, 100)
# Two roles' profiles must lie at least this far apart (`profile_distance`, in score points).
# Why 12: with 5 items a dimension score has a standard error of about 9 points (README, DESIGN).
# Someone whose true profile is role A's is measured as A plus that noise on each of the 7
# dimensions; they are ranked closer to B when the noise, projected on the line from A to B,
# exceeds half the distance between the two profiles. With D the weighted RMS gap, that half is
# about D * sqrt(7) / 2, so the chance is about P(Z > D * sqrt(7) / (2 * 9)): 19 % at D = 6, 7 %
# at D = 10, 4 % at D = 12, 1.4 % at D = 15. Simulated with the real match formula (3,000 noisy
# people per role, tests/unit/test_content.py): at 12 points or more, no other role outranks a
# role for more than 6 % of the people standing on its profile (1 in 16); the old pair marketing
# product manager / product marketing manager (10.8 points apart) did so for 8 %. 12 is also more
# than two answer steps (5 points each) on every dimension at once. The bank now has 8 statements
# per dimension (a standard error of 7.4 points, `quiz.measurement`), so 12 is a margin on top.
MIN_PROFILE_DISTANCE = 12.0
WEIGHTS = (1, 2, 3)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE = re.compile(r"^(ours|seed:[a-z0-9-]+)$")
_RELIABILITY_SOURCE = re.compile(r"^(assumed:\d{4}-\d{2}|measured:\d{4}-\d{2}-\d{2}:n=[1-9]\d*)$")
_KEYS = {"+": 1, "+1": 1, "1": 1, "-": -1, "-1": -1}

FILES = {
    "dimensions": "dimensions.csv",
    "questions": "questions.csv",
    "roles": "roles.csv",
    "sections": "role_sections.csv",
    "profiles": "profiles.csv",
}
COLUMNS = {
    "dimensions": (
        "id",
        "name_en",
        "name_fr",
        "description_en",
        "description_fr",
        "low_en",
        "low_fr",
        "high_en",
        "high_fr",
        "source",
        "reliability",
        "reliability_source",
        "score_sd",
    ),
    "questions": ("id", "dimension", "keyed", "kind", "text_en", "text_fr", "source"),
    "roles": (
        "id",
        "family",
        "level",
        "name_en",
        "name_fr",
        "summary_en",
        "summary_fr",
        "leads_from",
        "source",
    ),
    "sections": ("role", "section", "text_en", "text_fr", "source"),
    "profiles": (
        "role",
        "dimension",
        "target",
        "weight",
        "rationale_en",
        "rationale_fr",
        "source",
    ),
}


class BankError(ValueError):
    """The banks cannot be used; `problems` lists every one found, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class _Checker:
    """Collects problems while reading rows, so that one pass reports them all."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, table: Table, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(table.name, line, column, message))

    def columns(self, table: Table, key: str) -> bool:
        missing = [c for c in COLUMNS[key] if c not in table.columns]
        for column in missing:
            self.add(table, 1, column, f"missing column; the header must name: {', '.join(COLUMNS[key])}.")
        return not missing

    def filled(self, table: Table, row: Row, columns: Iterable[str]) -> bool:
        empty = [c for c in columns if not row[c]]
        for column in empty:
            what = "translation" if column.endswith(("_en", "_fr")) else "value"
            self.add(table, row.line, column, f"missing {what}: fill in this cell.")
        return not empty

    def unique_id(self, table: Table, row: Row, column: str, seen: dict[str, int]) -> bool:
        value = row[column]
        if not _ID.match(value):
            self.add(
                table,
                row.line,
                column,
                f"{value!r} is not a valid id: use lower-case letters, digits and _ , starting with a letter.",
            )
            return False
        if value in seen:
            self.add(table, row.line, column, f"duplicate id {value!r} (first on line {seen[value]}): make ids unique.")
            return False
        seen[value] = row.line
        return True

    def choice(self, table: Table, row: Row, column: str, allowed: Iterable[str]) -> bool:
        allowed = tuple(allowed)
        if row[column] in allowed:
            return True
        self.add(table, row.line, column, f"unknown value {row[column]!r}: use one of {', '.join(allowed)}.")
        return False

    def source(self, table: Table, row: Row) -> None:
        if not _SOURCE.match(row["source"]):
            self.add(
                table,
                row.line,
                "source",
                f"{row['source']!r} is not a source: write `ours` or `seed:<seed-id>` (e.g. seed:cto-cpo).",
            )

    def number(
        self, table: Table, row: Row, column: str, bounds: tuple[float, float], hint: str, *, inclusive: bool
    ) -> float | None:
        """A number within `bounds` (ends included or not), or None (and a problem) if it is not one."""
        number = parse_number(row[column])
        low, high = bounds
        inside = number is not None and (low <= number <= high if inclusive else low < number < high)
        if number is None or not inside:
            self.add(table, row.line, column, f"{row[column]!r} is not valid: {hint}.")
            return None
        return float(number)

    def integer(self, table: Table, row: Row, column: str, allowed: Callable[[int], bool], hint: str) -> int | None:
        number = parse_number(row[column])
        if number is None or number != int(number) or not allowed(int(number)):
            self.add(table, row.line, column, f"{row[column]!r} is not valid: {hint}.")
            return None
        return int(number)


def _text(row: Row, stem: str) -> Text:
    return Text(en=row[f"{stem}_en"], fr=row[f"{stem}_fr"])


def _read_all(data_dir: Path, checker: _Checker) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for key, file_name in FILES.items():
        if not (data_dir / file_name).is_file():
            checker.problems.append(
                Problem(
                    file_name,
                    0,
                    "",
                    f"missing file in {data_dir}: restore it (git checkout -- quiz/data/{file_name}) or create it "
                    f"with the header row: {','.join(COLUMNS[key])}.",
                )
            )
            continue
        try:
            table = read_table(data_dir / file_name, file_name)
        except TableError as error:
            checker.problems.extend(error.problems)
            continue
        if checker.columns(table, key):
            tables[key] = table
    return tables


def _dimensions(table: Table, checker: _Checker) -> list[Dimension]:
    seen: dict[str, int] = {}
    dimensions = []
    for row in table.rows:
        ok = checker.unique_id(table, row, "id", seen)
        ok = checker.filled(table, row, COLUMNS["dimensions"][1:]) and ok
        checker.source(table, row)
        # An empty cell is already reported as missing by `filled`.
        reliability = (
            None
            if not row["reliability"]
            else checker.number(
                table,
                row,
                "reliability",
                (0.0, 1.0),
                "the reliability is a number between 0 and 1, both excluded (e.g. 0.83); "
                "assume one if it is not measured",
                inclusive=False,
            )
        )
        score_sd = (
            None
            if not row["score_sd"]
            else checker.number(
                table,
                row,
                "score_sd",
                SCORE_SD_RANGE,
                "the score's standard deviation is a number of points "
                f"from {SCORE_SD_RANGE[0]:g} to {SCORE_SD_RANGE[1]:g}",
                inclusive=True,
            )
        )
        if row["reliability_source"] and not _RELIABILITY_SOURCE.match(row["reliability_source"]):
            checker.add(
                table,
                row.line,
                "reliability_source",
                f"{row['reliability_source']!r} is not a reliability source: write assumed:YYYY-MM (e.g. "
                "assumed:2026-12) or measured:YYYY-MM-DD:n=N (e.g. measured:2027-03-14:n=412).",
            )
            ok = False
        if ok and reliability is not None and score_sd is not None:
            dimensions.append(
                Dimension(
                    row["id"],
                    _text(row, "name"),
                    _text(row, "description"),
                    _text(row, "low"),
                    _text(row, "high"),
                    row["source"],
                    reliability,
                    row["reliability_source"],
                    score_sd,
                )
            )
    if not table.rows:
        checker.add(table, 1, "", "no dimensions: add at least two rows.")
    return dimensions


def _questions(table: Table, checker: _Checker, dimension_ids: set[str]) -> list[Question]:
    seen: dict[str, int] = {}
    questions = []
    for row in table.rows:
        ok = checker.unique_id(table, row, "id", seen)
        ok = checker.filled(table, row, ("dimension", "text_en", "text_fr")) and ok
        if row["dimension"] and row["dimension"] not in dimension_ids:
            checker.add(
                table,
                row.line,
                "dimension",
                f"unknown dimension {row['dimension']!r}: use an id from dimensions.csv "
                f"({', '.join(sorted(dimension_ids))}).",
            )
            ok = False
        if row["keyed"] not in _KEYS:
            checker.add(
                table,
                row.line,
                "keyed",
                f"{row['keyed']!r} is not a key: write + when agreeing raises the dimension, - when it lowers it.",
            )
            ok = False
        ok = checker.choice(table, row, "kind", KINDS) and ok
        checker.source(table, row)
        if ok:
            questions.append(
                Question(
                    row["id"], row["dimension"], _KEYS[row["keyed"]], row["kind"], _text(row, "text"), row["source"]
                )
            )
    return questions


def _check_coverage(tables: dict[str, Table], checker: _Checker, dimensions: list[Dimension]) -> None:
    """Each dimension needs enough items, enough of them reverse-keyed, of more than one kind, and
    keys in balance. Rows are counted as written, so a question with another mistake (reported on
    its own line) still counts here."""
    table = tables["dimensions"]
    lines = {row["id"]: row.line for row in table.rows}
    rows = tables["questions"].rows
    counts = Counter(row["dimension"] for row in rows)
    reverse = Counter(row["dimension"] for row in rows if _KEYS.get(row["keyed"]) == -1)
    forward = Counter(row["dimension"] for row in rows if _KEYS.get(row["keyed"]) == 1)
    reverse_kinds: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if _KEYS.get(row["keyed"]) == -1:
            reverse_kinds[row["dimension"]].add(row["kind"])
    for dimension in dimensions:
        line, name = lines[dimension.id], dimension.id
        if counts[name] < MIN_ITEMS_PER_DIMENSION:
            checker.add(
                table,
                line,
                "id",
                f"dimension {name!r} has {counts[name]} question(s) in questions.csv: "
                f"add items until it has at least {MIN_ITEMS_PER_DIMENSION}.",
            )
        if reverse[name] < MIN_REVERSE_KEYED:
            checker.add(
                table,
                line,
                "id",
                f"dimension {name!r} has {reverse[name]} reverse-keyed question(s): key at least "
                f"{MIN_REVERSE_KEYED} of its items with - (agreeing lowers the score), each a true opposite of the "
                "dimension, so that answering 'agree' to everything does not inflate it.",
            )
        elif abs(forward[name] - reverse[name]) > MAX_KEY_IMBALANCE:
            checker.add(
                table,
                line,
                "id",
                f"dimension {name!r} has {forward[name]} item(s) keyed + and {reverse[name]} keyed -: "
                f"balance them (at most {MAX_KEY_IMBALANCE} apart) so that agreeing with everything cancels out.",
            )
        if reverse[name] and len(reverse_kinds[name]) < MIN_REVERSE_KINDS:
            checker.add(
                table,
                line,
                "id",
                f"dimension {name!r} has reverse-keyed items of one kind only "
                f"({', '.join(sorted(reverse_kinds[name]))}): spread them over at least "
                f"{MIN_REVERSE_KINDS} kinds ({', '.join(KINDS)}).",
            )


def _sections(table: Table, checker: _Checker, role_ids: set[str]) -> dict[str, dict[str, list[SectionItem]]]:
    by_role: dict[str, dict[str, list[SectionItem]]] = defaultdict(lambda: defaultdict(list))
    for row in table.rows:
        ok = checker.filled(table, row, ("text_en", "text_fr")) and checker.choice(table, row, "section", SECTIONS)
        if row["role"] not in role_ids:
            checker.add(table, row.line, "role", f"unknown role {row['role']!r}: use an id from roles.csv.")
            ok = False
        checker.source(table, row)
        if ok:
            by_role[row["role"]][row["section"]].append(SectionItem(_text(row, "text"), row["source"]))
    return by_role


def _profiles(table: Table, checker: _Checker, role_ids: set[str], dimension_ids: set[str]) -> dict[str, list[Target]]:
    by_role: dict[str, list[Target]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = {}
    low, high = TARGET_RANGE
    for row in table.rows:
        ok = checker.filled(table, row, ("rationale_en", "rationale_fr"))
        if row["role"] not in role_ids:
            checker.add(table, row.line, "role", f"unknown role {row['role']!r}: use an id from roles.csv.")
            ok = False
        if row["dimension"] not in dimension_ids:
            checker.add(
                table, row.line, "dimension", f"unknown dimension {row['dimension']!r}: use an id from dimensions.csv."
            )
            ok = False
        key = (row["role"], row["dimension"])
        if key in seen:
            checker.add(
                table,
                row.line,
                "dimension",
                f"role {key[0]!r} already has a target for {key[1]!r} on line {seen[key]}: keep one row per pair.",
            )
            ok = False
        seen.setdefault(key, row.line)
        target = checker.integer(
            table, row, "target", lambda v: low <= v <= high, f"the target level is a whole number from {low} to {high}"
        )
        weight = checker.integer(
            table, row, "weight", lambda v: v in WEIGHTS, "the weight is 1 (minor), 2 (important) or 3 (decisive)"
        )
        checker.source(table, row)
        if ok and target is not None and weight is not None:
            by_role[row["role"]].append(
                Target(row["dimension"], target, weight, _text(row, "rationale"), row["source"])
            )
    return by_role


def _roles(tables: dict[str, Table], checker: _Checker, dimension_order: list[str]) -> list[Role]:
    table = tables["roles"]
    seen: dict[str, int] = {}
    valid_rows = []
    for row in table.rows:
        ok = checker.unique_id(table, row, "id", seen)
        ok = checker.filled(table, row, ("name_en", "name_fr", "summary_en", "summary_fr")) and ok
        ok = checker.choice(table, row, "family", FAMILIES) and ok
        ok = checker.choice(table, row, "level", LEVELS) and ok
        checker.source(table, row)
        if ok:
            valid_rows.append(row)
    role_ids = set(seen)
    if "sections" not in tables or "profiles" not in tables:
        return []  # their problems are already reported; roles cannot be built without them
    sections = _sections(tables["sections"], checker, role_ids)
    profiles = _profiles(tables["profiles"], checker, role_ids, set(dimension_order))
    # Pairs written in profiles.csv, valid or not: a row with a bad weight is reported on its own
    # line, not again as a missing target.
    written = {(row["role"], row["dimension"]) for row in tables["profiles"].rows}
    roles = []
    for row in valid_rows:
        role_id = row["id"]
        ok = True
        leads_from = tuple(p.strip() for p in row["leads_from"].split("|") if p.strip())
        for previous in leads_from:
            if previous not in role_ids or previous == role_id:
                checker.add(
                    table,
                    row.line,
                    "leads_from",
                    f"{previous!r} is not another role's id: list ids from roles.csv separated by |.",
                )
                ok = False
        for name in REQUIRED_SECTIONS:
            if not sections.get(role_id, {}).get(name):
                checker.add(
                    table,
                    row.line,
                    "id",
                    f"role {role_id!r} has no {name!r} items: add rows to role_sections.csv.",
                )
                ok = False
        targets = {t.dimension: t for t in profiles.get(role_id, [])}
        missing = [d for d in dimension_order if (role_id, d) not in written]
        if missing:
            checker.add(
                table,
                row.line,
                "id",
                f"role {role_id!r} has no target for {', '.join(missing)}: add rows to profiles.csv.",
            )
        if len(targets) < len(dimension_order):
            ok = False
        if ok:
            roles.append(
                Role(
                    role_id,
                    row["family"],
                    row["level"],
                    _text(row, "name"),
                    _text(row, "summary"),
                    leads_from,
                    row["source"],
                    tuple((name, tuple(items)) for name, items in sections.get(role_id, {}).items()),
                    tuple(targets[d] for d in dimension_order),
                )
            )
    if not table.rows:
        checker.add(table, 1, "", "no roles: add at least two rows.")
    return roles


def profile_distance(a: Role, b: Role) -> float:
    """How far apart two roles' profiles are: the importance-weighted root-mean-square difference
    of their targets, in score points (0-100), each dimension weighted by the mean of the two
    roles' weights: sqrt(sum_d w_d (t_a,d - t_b,d)^2 / sum_d w_d), w_d = (w_a,d + w_b,d) / 2.

    It is the matching's own closeness term (`quiz.matching`) measured between two profiles, so a
    person standing exactly on one profile is that many points from the other (near enough: each
    role's own weights count there). Symmetric; both roles must target the same dimensions in the
    same order, as a loaded bank guarantees.

    Raises:
        ValueError: the roles have no targets, or not on the same number of dimensions.
    """
    if not a.profile:
        raise ValueError(f"role {a.id!r} has no targets: nothing to compare")
    pairs = list(zip(a.profile, b.profile, strict=True))
    weights = [(s.weight + t.weight) / 2 for s, t in pairs]
    squares = sum(w * (s.level - t.level) ** 2 for w, (s, t) in zip(weights, pairs, strict=True))
    return math.sqrt(squares / sum(weights))


def _check_distances(table: Table, checker: _Checker, roles: list[Role]) -> None:
    """Every pair of roles must be at least MIN_PROFILE_DISTANCE apart; the later role's line is
    reported, with the dimensions where the two are closest, which are where to move one."""
    lines = {row["id"]: row.line for row in table.rows}
    for a, b in itertools.combinations(roles, 2):
        distance = profile_distance(a, b)
        if distance >= MIN_PROFILE_DISTANCE:
            continue
        gaps = ", ".join(
            f"{s.dimension} {s.level}/{t.level}"
            for s, t in zip(a.profile, b.profile, strict=True)
            if s.level != t.level
        )
        checker.add(
            table,
            lines[b.id],
            "id",
            f"roles {a.id!r} and {b.id!r} have profiles {distance:.1f} points apart (importance-weighted RMS of "
            f"their targets in profiles.csv; the minimum is {MIN_PROFILE_DISTANCE:g}): the quiz cannot tell them "
            "apart. Move one of them on the dimensions where the jobs really differ "
            f"(targets now: {gaps or 'identical'}).",
        )


def _version(data_dir: Path) -> str:
    """A short fingerprint of the bank files' bytes, so that results can say which bank made them."""
    digest = hashlib.sha256()
    for file_name in FILES.values():
        path = data_dir / file_name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:8]


def load_bank(data_dir: Path = DATA_DIR) -> Bank:
    """Read and validate all bank files in `data_dir`.

    Raises:
        BankError: with every problem found in every file, never only the first.
    """
    checker = _Checker()
    if not data_dir.is_dir():
        raise BankError([Problem(str(data_dir), 0, "", "no such folder: give the folder holding the bank CSV files.")])
    tables = _read_all(data_dir, checker)
    dimensions = _dimensions(tables["dimensions"], checker) if "dimensions" in tables else []
    # Other files are checked against every id the dimensions file names, valid row or not, so
    # that one bad cell in a dimension row is reported once, not again on each row using it.
    dimension_ids = [row["id"] for row in tables["dimensions"].rows] if "dimensions" in tables else []
    questions = _questions(tables["questions"], checker, set(dimension_ids)) if "questions" in tables else []
    if "dimensions" in tables and "questions" in tables:
        _check_coverage(tables, checker, dimensions)
    roles = _roles(tables, checker, dimension_ids) if "roles" in tables else []
    if "roles" in tables and dimension_ids:
        _check_distances(tables["roles"], checker, [r for r in roles if r.profile])
    if checker.problems:
        raise BankError(checker.problems)
    return Bank(tuple(dimensions), tuple(questions), tuple(roles), _version(data_dir))
