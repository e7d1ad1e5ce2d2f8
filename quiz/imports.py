"""Import answers collected elsewhere (a paper form typed into a spreadsheet, an online form's
export) into a coach session.

Rules:
- The file is read like the banks (`quiz/tables.py`): comma, semicolon or tab, UTF-8, UTF-16 or
  Windows-1252, spreadsheet leftovers ignored. At most MAX_ROWS rows and MAX_BYTES bytes.
- A column is a question when its header is the question's id (`tech_1`) or the question's text
  in French or English. Texts are compared after Unicode NFC normalisation, with runs of spaces
  collapsed and, as the table reader lower-cases headers, without regard to case; an online
  form's "1. " numbering or a trailing colon is not stripped: the text must be the question's.
- Every question of the bank needs a column: a form that lacks one cannot be scored at all,
  which one file-level message says better than a rejection on every row.
- An optional pseudonym column: `pseudonym`, `pseudo`, `name`, `nom`, `participant` or `id`.
  Other columns (a form's timestamp...) are ignored and listed.
- An answer is a whole number 1-5 (`4`, `4.0`, `4,0`) or a word of the scale in either language
  (`labels`, given by the caller from its UI strings, so that this module reads no UI file).
- A row is accepted whole or rejected whole, with its line number and a reason code (REASONS);
  nothing is guessed. Text is kept as text: it is never interpreted here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from quiz.banks import Bank
from quiz.scoring import SCALE
from quiz.storage import PSEUDONYM_MAX
from quiz.tables import TableError, parse_number, parse_table

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "PSEUDONYM_COLUMNS",
    "REASONS",
    "ImportFileError",
    "ImportReport",
    "ImportedRow",
    "RejectedRow",
    "read_import",
]

MAX_ROWS = 5_000
MAX_BYTES = 2_000_000
PSEUDONYM_COLUMNS = ("pseudonym", "pseudo", "name", "nom", "participant", "id")

RowReason = Literal["missing_answers", "not_an_answer", "pseudonym_too_long"]
FileReason = Literal["unreadable", "too_big", "no_rows", "no_questions", "missing_questions", "duplicate_column"]
REASONS: dict[str, str] = {
    "missing_answers": "some questions have no answer on this row",
    "not_an_answer": "a cell is not an answer: use 1 to 5 or a word of the scale",
    "pseudonym_too_long": f"the pseudonym is longer than {PSEUDONYM_MAX} characters",
    "unreadable": "the file cannot be read as a CSV table",
    "too_big": f"the file is too big: at most {MAX_ROWS} rows and {MAX_BYTES // 1_000_000} MB",
    "no_rows": "the file has a header but no rows",
    "no_questions": "no column is a question: use the question ids or their exact texts as headers",
    "missing_questions": "some questions have no column",
    "duplicate_column": "two columns are the same question",
}


class ImportFileError(ValueError):
    """The whole file cannot be imported; `reason` is a FileReason, `detail` says what."""

    def __init__(self, reason: FileReason, detail: str = "") -> None:
        super().__init__(f"{REASONS[reason]}{': ' + detail if detail else ''}.")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ImportedRow:
    line: int
    pseudonym: str
    answers: dict[str, int]


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: RowReason
    detail: str  # the questions or the cell concerned, as found in the file


@dataclass(frozen=True)
class ImportReport:
    accepted: tuple[ImportedRow, ...]
    rejected: tuple[RejectedRow, ...]
    columns: dict[str, str]  # question id -> the header it was found under
    ignored_columns: tuple[str, ...]


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().lower()


def _question_columns(bank: Bank, headers: tuple[str, ...]) -> tuple[dict[str, str], tuple[str, ...]]:
    """question id -> header, and the headers that are neither a question nor the pseudonym."""
    names: dict[str, str] = {}
    for question in bank.questions:
        for name in (question.id, question.text("fr"), question.text("en")):
            names[_key(name)] = question.id
    found: dict[str, str] = {}
    ignored: list[str] = []
    for header in headers:
        question_id = names.get(_key(header))
        if question_id is None:
            if header not in PSEUDONYM_COLUMNS:
                ignored.append(header)
        elif question_id in found:
            raise ImportFileError("duplicate_column", f"{found[question_id]!r} and {header!r} ({question_id})")
        else:
            found[question_id] = header
    return found, tuple(ignored)


def _first(items: list[str], separator: str, shown: int = 3) -> str:
    """The first few items, and how many more: a row of 35 bad cells stays readable."""
    more = f"{separator}… (+{len(items) - shown})" if len(items) > shown else ""
    return separator.join(items[:shown]) + more


def _answer(cell: str, labels: Mapping[str, int]) -> int | None:
    number = parse_number(cell)
    if number is not None:
        return int(number) if number in SCALE else None
    return labels.get(_key(cell))


def read_import(bank: Bank, data: bytes, filename: str, labels: Mapping[str, int]) -> ImportReport:
    """Read an uploaded CSV of answers into rows to add and rows rejected (see the module's rules).

    Raises:
        ImportFileError: the file as a whole cannot be imported.
    """
    if len(data) > MAX_BYTES:
        raise ImportFileError("too_big")
    try:
        table = parse_table(data, filename)
    except TableError as error:
        raise ImportFileError("unreadable", "; ".join(p.message for p in error.problems)) from None
    except (csv.Error, ValueError) as error:  # NUL bytes, a huge field, broken UTF-16
        raise ImportFileError("unreadable", str(error)) from None
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError("too_big")
    columns, ignored = _question_columns(bank, table.columns)
    if not columns:
        raise ImportFileError("no_questions")
    missing = [q.id for q in bank.questions if q.id not in columns]
    if missing:
        raise ImportFileError("missing_questions", ", ".join(missing))
    if not table.rows:
        raise ImportFileError("no_rows")
    words = {_key(word): value for word, value in labels.items()}
    pseudonym_column = next((c for c in PSEUDONYM_COLUMNS if c in table.columns), None)
    accepted: list[ImportedRow] = []
    rejected: list[RejectedRow] = []
    for row in table.rows:
        pseudonym = row.cells.get(pseudonym_column, "") if pseudonym_column else ""
        empty = [columns[q.id] for q in bank.questions if not row.cells.get(columns[q.id], "")]
        wrong = [
            f"{columns[q.id]}: {row.cells[columns[q.id]]!r}"
            for q in bank.questions
            if row.cells.get(columns[q.id], "") and _answer(row.cells[columns[q.id]], words) is None
        ]
        if empty:
            rejected.append(RejectedRow(row.line, "missing_answers", _first(empty, ", ")))
        elif wrong:
            rejected.append(RejectedRow(row.line, "not_an_answer", _first(wrong, "; ")))
        elif len(pseudonym) > PSEUDONYM_MAX:
            rejected.append(RejectedRow(row.line, "pseudonym_too_long", pseudonym[:PSEUDONYM_MAX] + "…"))
        else:
            answers = {q.id: _answer(row.cells[columns[q.id]], words) for q in bank.questions}
            accepted.append(ImportedRow(row.line, pseudonym, {k: v for k, v in answers.items() if v is not None}))
    return ImportReport(tuple(accepted), tuple(rejected), columns, ignored)
