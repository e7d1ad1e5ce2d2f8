"""Copies of the shipped bank that tests break one edit at a time, and know where they broke it.

Every edit goes through the `csv` module and returns the line it landed on, so that a test can
say "the validator must point at questions.csv line 12" without hard-coding line numbers that
would go stale the day someone adds a question.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from quiz.banks import DATA_DIR, FILES, BankError, load_bank
from quiz.tables import Problem

__all__ = ["BANK_FILES", "DATA_DIR", "BankCopy", "read_rows", "start_lines", "write_rows"]

BANK_FILES = tuple(FILES.values())

Match = Callable[[dict[str, str]], bool]


def read_rows(path: Path, encoding: str = "utf-8") -> list[list[str]]:
    """All records of a CSV file, header first, exactly as the `csv` module reads them."""
    return list(csv.reader(io.StringIO(path.read_text(encoding), newline="")))


def write_rows(
    path: Path,
    rows: Iterable[Iterable[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    lineterminator: str = "\n",
) -> None:
    """Write records the way the shipped files are written (minimal quoting, LF by default)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def start_lines(rows: list[list[str]]) -> list[int]:
    """The line each record starts on, counting the header as line 1 and multi-line cells."""
    lines, line = [], 1
    for row in rows:
        lines.append(line)
        line += 1 + sum(cell.count("\n") for cell in row)
    return lines


class BankCopy:
    """A copy of `data/` in a temporary folder, with edits that report where they landed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def of_shipped_bank(cls, tmp_path: Path) -> BankCopy:
        folder = tmp_path / "data"
        shutil.copytree(DATA_DIR, folder)
        return cls(folder)

    def path(self, file: str) -> Path:
        return self.folder / file

    def header(self, file: str) -> list[str]:
        return read_rows(self.path(file))[0]

    def records(self, file: str) -> list[dict[str, str]]:
        """The data rows as dicts, in file order (header excluded)."""
        rows = read_rows(self.path(file))
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

    def line_of(self, file: str, **match: str) -> int:
        """The line of the first row whose cells equal all of `match` (e.g. `id="tech_1"`)."""
        rows = read_rows(self.path(file))
        for row, line in zip(rows[1:], start_lines(rows)[1:], strict=True):
            cells = dict(zip(rows[0], row, strict=True))
            if all(cells[column] == value for column, value in match.items()):
                return line
        raise LookupError(f"no row of {file} has {match}")

    def set_cell(self, file: str, column: str, value: str, **match: str) -> int:
        """Set one cell of the first row matching `match`; returns the row's line."""
        rows = read_rows(self.path(file))
        index = rows[0].index(column)
        for row, line in zip(rows[1:], start_lines(rows)[1:], strict=True):
            cells = dict(zip(rows[0], row, strict=True))
            if all(cells[c] == v for c, v in match.items()):
                row[index] = value
                write_rows(self.path(file), rows)
                return line
        raise LookupError(f"no row of {file} has {match}")

    def delete_rows(self, file: str, **match: str) -> list[int]:
        """Delete every row matching `match`; returns the lines they were on."""
        rows = read_rows(self.path(file))
        kept, deleted = [rows[0]], []
        for row, line in zip(rows[1:], start_lines(rows)[1:], strict=True):
            cells = dict(zip(rows[0], row, strict=True))
            if all(cells[c] == v for c, v in match.items()):
                deleted.append(line)
            else:
                kept.append(row)
        if not deleted:
            raise LookupError(f"no row of {file} has {match}")
        write_rows(self.path(file), kept)
        return deleted

    def append_row(self, file: str, cells: dict[str, str]) -> int:
        """Add a row at the end (missing cells left empty); returns its line."""
        rows = read_rows(self.path(file))
        rows.append([cells.get(column, "") for column in rows[0]])
        write_rows(self.path(file), rows)
        return start_lines(rows)[-1]

    def drop_column(self, file: str, column: str) -> None:
        """Remove a column from the header and from every row."""
        rows = read_rows(self.path(file))
        index = rows[0].index(column)
        write_rows(self.path(file), [row[:index] + row[index + 1 :] for row in rows])

    def problems(self) -> tuple[Problem, ...]:
        """The problems `load_bank` reports for this copy; fails the test if it loads."""
        with pytest.raises(BankError) as raised:
            load_bank(self.folder)
        return raised.value.problems

    def problem_at(self, file: str, line: int, column: str) -> Problem:
        """The one problem reported at this place; fails the test, listing all, if there is none."""
        problems = self.problems()
        found = [p for p in problems if (p.file, p.line, p.column) == (file, line, column)]
        assert len(found) == 1, f"expected one problem at {file}:{line}: {column}, got:\n" + "\n".join(
            map(str, problems)
        )
        return found[0]
