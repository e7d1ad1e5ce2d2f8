"""Reading CSV files the way spreadsheets write them.

The banks are edited in Excel, LibreOffice or Google Sheets, in French or English locale. Those
programs change a file in predictable ways when they save it: a UTF-8 byte-order mark ("CSV
UTF-8" in Excel), the Windows-1252 code page (Excel's plain "CSV" on Windows), UTF-16 with tabs
("Unicode text"), `;` instead of `,` as the separator (French locale), CRLF line ends, trailing
empty columns and rows, stray spaces around values, and decimal commas. This module accepts all
of those, and rejects with a fix-it message the one change it cannot undo: UTF-8 text that was
opened as Windows-1252 and saved again ("Ã©" where "é" was).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "Row", "Table", "TableError", "parse_number", "parse_table", "read_table"]

# Two-character sequences that UTF-8 accents become when decoded as Windows-1252: "é" -> "Ã©".
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u2122]|Å“|â€")

_SEPARATORS = ",;\t"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a bank file, located so that a person can find and fix it."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        column = f" {self.column}:" if self.column else ""
        return f"{self.file}:{self.line}:{column} {self.message}"


class TableError(ValueError):
    """A file that cannot be read as a table at all; carries the problems found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Row:
    """One record of a table: where it starts in the file, and its cells by column name."""

    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    """A whole CSV file: its display name, its column names, its non-empty rows."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def _decode(raw: bytes, name: str) -> str:
    """Decode the encodings spreadsheets save in: UTF-8 (with or without BOM), UTF-16, cp1252."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows writes the ANSI code page, cp1252 in FR and EN locales.
        text = raw.decode("cp1252", errors="replace")
    match = _MOJIBAKE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise TableError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"garbled accents ({match.group()!r}): the file was opened with the wrong "
                    "encoding and saved again. Re-open the original choosing UTF-8 (LibreOffice: "
                    "Character set 'Unicode (UTF-8)'; Excel: Data > From Text/CSV, File origin "
                    "'65001: Unicode (UTF-8)') and save as 'CSV UTF-8'.",
                )
            ]
        )
    return text


def _separator(header_line: str) -> str:
    """The separator is whichever of `,` `;` or tab the header line uses most."""
    return max(_SEPARATORS, key=header_line.count)


def read_table(path: Path, name: str | None = None) -> Table:
    """Read a CSV file saved by any common spreadsheet into a `Table`.

    Column names are stripped and lower-cased; cells are stripped; columns with an empty name and
    rows whose cells are all empty are dropped (spreadsheets add both). Each row keeps the line
    number where it starts, counting the header as line 1.

    Raises:
        TableError: the file is missing, empty, or its accents were garbled by a wrong encoding.
    """
    name = name or path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise TableError(
            [
                Problem(
                    name,
                    0,
                    "",
                    f"cannot read the file ({error.strerror}): check its name and folder.",
                )
            ]
        ) from None
    return parse_table(raw, name)


def parse_table(raw: bytes, name: str) -> Table:
    """`read_table` for the bytes of a file already read (an upload), named `name` in messages.

    Raises:
        TableError: the file is empty, or its accents were garbled by a wrong encoding.
    """
    text = _decode(raw, name)
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise TableError([Problem(name, 1, "", "the file is empty: it needs a header row.")])
    # skipinitialspace: a hand-typed `a, "b, c"` keeps "b, c" as one quoted cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first_line), skipinitialspace=True)
    header = [cell.strip().lower() for cell in next(reader)]
    rows: list[Row] = []
    line = reader.line_num + 1
    for record in reader:
        cells = {column: value.strip() for column, value in zip(header, record, strict=False) if column}
        if any(cells.values()):
            rows.append(Row(line, cells))
        line = reader.line_num + 1
    return Table(name, tuple(c for c in header if c), tuple(rows))


def parse_number(text: str) -> float | None:
    """A number as a spreadsheet may write it: `75`, `75.0`, `75,0`, ` 75 `; None if not one
    (`nan` and `inf` included: no bank value can be infinite)."""
    try:
        number = float(text.strip().replace(",", ".").replace("\u00a0", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None
