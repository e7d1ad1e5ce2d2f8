"""Import answers collected elsewhere (a paper form typed into a spreadsheet, an online form's
export) into a coach session.

Rules:
- The file is read like the banks (`quiz/tables.py`): comma, semicolon or tab, UTF-8, UTF-16 or
  Windows-1252, spreadsheet leftovers ignored. At most MAX_ROWS rows and MAX_BYTES bytes.
- A column is a question when its header is the question's id (`tech_1`) or the question's text
  in French or English, compared as `quiz.answer_sheet` says (the reader the command line uses
  too): the text must be the question's.
- Every question of the bank needs a column (a form that lacks one is more likely a form for
  other questions than a shorter one, which one file-level message says better than a guess),
  but a cell may be blank: that statement was not asked, or not answered, and the row is scored
  on the others, as the adaptive quiz's results are. A row with no answer at all is rejected.
- An optional pseudonym column: `pseudonym`, `pseudo`, `name`, `nom`, `participant` or `id`.
  Other columns (a form's timestamp...) are ignored and listed.
- An answer is a whole number 1-5 (`4`, `4.0`, `4,0`) or a word of the scale in either language
  (`labels`, given by the caller from its UI strings, so that this module reads no UI file).
- A row is accepted whole or rejected whole, with its line number and a reason code (REASONS);
  nothing is guessed. Text is kept as text: it is never interpreted here.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from quiz.answer_sheet import read_answer_sheet
from quiz.model import Bank
from quiz.sessions import PSEUDONYM_MAX
from quiz.tables import TableError, parse_table

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
    "missing_answers": "this row has no answer at all",
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


def _first(items: list[str], separator: str, shown: int = 3) -> str:
    """The first few items, and how many more: a row of 35 bad cells stays readable."""
    more = f"{separator}… (+{len(items) - shown})" if len(items) > shown else ""
    return separator.join(items[:shown]) + more


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
    sheet = read_answer_sheet(bank, table, PSEUDONYM_COLUMNS, by_text=True, labels=labels)
    if sheet.duplicates:
        question_id, first, second = sheet.duplicates[0]
        raise ImportFileError("duplicate_column", f"{first!r} and {second!r} ({question_id})")
    if not sheet.columns:
        raise ImportFileError("no_questions")
    if sheet.missing:
        raise ImportFileError("missing_questions", ", ".join(sheet.missing))
    if not sheet.rows:
        raise ImportFileError("no_rows")
    columns = sheet.columns
    accepted: list[ImportedRow] = []
    rejected: list[RejectedRow] = []
    for row in sheet.rows:
        empty = [columns[question_id] for question_id in row.empty]
        wrong = [f"{columns[question_id]}: {cell!r}" for question_id, cell in row.invalid]
        if wrong:
            rejected.append(RejectedRow(row.line, "not_an_answer", _first(wrong, "; ")))
        elif not row.answers:
            rejected.append(RejectedRow(row.line, "missing_answers", _first(empty, ", ")))
        elif len(row.name) > PSEUDONYM_MAX:
            rejected.append(RejectedRow(row.line, "pseudonym_too_long", row.name[:PSEUDONYM_MAX] + "…"))
        else:
            accepted.append(ImportedRow(row.line, row.name, dict(row.answers)))
    return ImportReport(tuple(accepted), tuple(rejected), dict(columns), sheet.ignored)
