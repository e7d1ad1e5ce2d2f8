"""One reader for a table of answers, one row per person: what the command line scores
(`python -m quiz score`) and what a coach imports into a session.

Rules:
- A column is a question when its header is the question's id (`tech_1`) or, if `by_text`, the
  question's text in French or English. Headers are compared after Unicode NFC normalisation,
  with runs of spaces collapsed and, as the table reader lower-cases headers, without regard to
  case; an online form's "1. " numbering or a trailing colon is not stripped.
- The person's name comes from the first of `name_columns` the table has; other columns that are
  neither a question nor a name column are ignored and listed.
- An answer is a whole number 1-5 (`4`, `4.0`, `4,0`) or a word of the scale (`labels`: word ->
  value, given by the caller from its UI strings, so that this module reads no UI file).
- Nothing is guessed: every cell that is not an answer is kept with its question, for the caller
  to report as it reports problems (a line per cell, or a reason per row).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from quiz.model import Bank
from quiz.scoring import SCALE
from quiz.tables import Table, parse_number

__all__ = ["AnswerSheet", "SheetRow", "read_answer_sheet"]


@dataclass(frozen=True)
class SheetRow:
    """One person's row: its line in the file, the name cell ("" without a name column), the
    answers found, and the cells of question columns that are not answers, as (question id,
    cell) in bank order; an empty cell is one of them."""

    line: int
    name: str
    answers: Mapping[str, int]
    not_answers: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> tuple[str, ...]:
        """The questions whose cell is empty."""
        return tuple(question_id for question_id, cell in self.not_answers if not cell)

    @property
    def invalid(self) -> tuple[tuple[str, str], ...]:
        """The filled cells that are not answers, as (question id, cell)."""
        return tuple((question_id, cell) for question_id, cell in self.not_answers if cell)


@dataclass(frozen=True)
class AnswerSheet:
    """A table read as answers: the header each question was found under, the questions with
    no column, the headers found twice for one question, the ignored headers, the name column
    used (None if the table has none) and the rows."""

    name: str
    columns: Mapping[str, str]
    missing: tuple[str, ...]
    duplicates: tuple[tuple[str, str, str], ...]  # (question id, first header, second header)
    ignored: tuple[str, ...]
    name_column: str | None
    rows: tuple[SheetRow, ...]


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().lower()


def _answer(cell: str, words: Mapping[str, int]) -> int | None:
    """The answer a cell holds: a number on the scale, or one of `words` (keyed by `_key`);
    None if it is neither."""
    number = parse_number(cell)
    if number is not None:
        return int(number) if number in SCALE else None
    return words.get(_key(cell))


def read_answer_sheet(
    bank: Bank,
    table: Table,
    name_columns: tuple[str, ...],
    by_text: bool = False,
    labels: Mapping[str, int] | None = None,
) -> AnswerSheet:
    """Read `table` as answers to `bank` (see the module's rules)."""
    names: dict[str, str] = {}
    for question in bank.questions:
        texts = (question.text("fr"), question.text("en")) if by_text else ()
        for name in (question.id, *texts):
            names[_key(name)] = question.id
    columns: dict[str, str] = {}
    duplicates: list[tuple[str, str, str]] = []
    ignored: list[str] = []
    for header in table.columns:
        question_id = names.get(_key(header))
        if question_id is None:
            if header not in name_columns:
                ignored.append(header)
        elif question_id in columns:
            duplicates.append((question_id, columns[question_id], header))
        else:
            columns[question_id] = header
    words = {_key(word): value for word, value in (labels or {}).items()}
    name_column = next((c for c in name_columns if c in table.columns), None)
    present = [q.id for q in bank.questions if q.id in columns]
    rows = []
    for row in table.rows:
        answers: dict[str, int] = {}
        not_answers: list[tuple[str, str]] = []
        for question_id in present:
            cell = row[columns[question_id]]
            value = _answer(cell, words) if cell else None
            if value is None:
                not_answers.append((question_id, cell))
            else:
                answers[question_id] = value
        rows.append(SheetRow(row.line, row[name_column] if name_column else "", answers, tuple(not_answers)))
    return AnswerSheet(
        name=table.name,
        columns=columns,
        missing=tuple(q.id for q in bank.questions if q.id not in columns),
        duplicates=tuple(duplicates),
        ignored=tuple(ignored),
        name_column=name_column,
        rows=tuple(rows),
    )
