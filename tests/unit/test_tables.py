"""Reading CSV files as spreadsheets save them.

Every variant is made here from the shipped `data/questions.csv`, saved the way Excel,
LibreOffice or a French-locale Windows would save it, and must read back to the very same cells.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quiz.tables import Table, TableError, parse_number, read_table
from tests.support.bankfixtures import DATA_DIR, read_rows, start_lines, write_rows

QUESTIONS = DATA_DIR / "questions.csv"

Rows = list[list[str]]


def cells(table: Table) -> list[dict[str, str]]:
    return [row.cells for row in table.rows]


def utf8_with_bom(path: Path, rows: Rows) -> None:
    write_rows(path, rows, encoding="utf-8-sig", lineterminator="\r\n")


def cp1252_semicolons_crlf(path: Path, rows: Rows) -> None:
    write_rows(path, rows, encoding="cp1252", delimiter=";", lineterminator="\r\n")


def utf16_tabs(path: Path, rows: Rows) -> None:
    # Excel's "Unicode text": UTF-16 little-endian with its byte-order mark, tab-separated.
    write_rows(path, rows, encoding="utf-16-le", delimiter="\t", lineterminator="\r\n")
    path.write_bytes(b"\xff\xfe" + path.read_bytes())


def trailing_empty_columns_and_rows(path: Path, rows: Rows) -> None:
    padded = [[*row, "", "", ""] for row in rows]
    empty = [""] * len(padded[0])
    # An empty row inside the table, two at the end: what a sheet with stray formatting saves.
    write_rows(path, [*padded[:5], empty, *padded[5:], empty, empty], delimiter=";")


def spaces_around_values(path: Path, rows: Rows) -> None:
    write_rows(path, [[f"  {cell} " for cell in row] for row in rows])


def mixed_case_header(path: Path, rows: Rows) -> None:
    header = [name.upper() if i % 2 else name.title() for i, name in enumerate(rows[0])]
    write_rows(path, [header, *rows[1:]])


SPREADSHEET_SAVES: dict[str, Callable[[Path, Rows], None]] = {
    "utf-8 with BOM (Excel 'CSV UTF-8')": utf8_with_bom,
    "cp1252, ; and CRLF (Excel 'CSV', French Windows)": cp1252_semicolons_crlf,
    "utf-16 LE with BOM and tabs (Excel 'Unicode text')": utf16_tabs,
    "trailing ;;; columns and empty rows": trailing_empty_columns_and_rows,
    "spaces around values": spaces_around_values,
    "header in mixed case": mixed_case_header,
}


@pytest.fixture(scope="module")
def original() -> Table:
    return read_table(QUESTIONS)


class TestReadTable:
    def test_the_shipped_file_reads_into_named_cells_with_line_numbers(self, original: Table) -> None:
        rows = read_rows(QUESTIONS)
        assert original.name == "questions.csv"
        assert original.columns == tuple(rows[0])
        assert cells(original) == [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
        assert [row.line for row in original.rows] == start_lines(rows)[1:]
        assert original.rows[0]["id"] == "tech_1"

    @pytest.mark.parametrize("save", SPREADSHEET_SAVES.values(), ids=SPREADSHEET_SAVES.keys())
    def test_a_spreadsheet_save_reads_to_exactly_the_same_rows(
        self, tmp_path: Path, original: Table, save: Callable[[Path, Rows], None]
    ) -> None:
        path = tmp_path / "questions.csv"
        save(path, read_rows(QUESTIONS))
        assert path.read_bytes() != QUESTIONS.read_bytes()
        table = read_table(path)
        assert table.columns == original.columns
        assert cells(table) == cells(original)

    def test_empty_rows_are_dropped_but_still_count_as_lines(self, tmp_path: Path, original: Table) -> None:
        path = tmp_path / "questions.csv"
        trailing_empty_columns_and_rows(path, read_rows(QUESTIONS))
        lines = [row.line for row in read_table(path).rows]
        # Rows 2-5 come before the empty line 6; the rest moved down by one.
        assert lines == [row.line if row.line < 6 else row.line + 1 for row in original.rows]

    def test_a_name_given_by_the_caller_is_the_table_name(self) -> None:
        assert read_table(QUESTIONS, "bank/questions.csv").name == "bank/questions.csv"

    def test_a_missing_column_reads_as_an_empty_cell(self, original: Table) -> None:
        assert original.rows[0]["no_such_column"] == ""

    @pytest.mark.parametrize("lineterminator", ["\n", "\r\n"], ids=["LF", "CRLF"])
    def test_rows_after_a_multi_line_cell_keep_their_starting_line(self, tmp_path: Path, lineterminator: str) -> None:
        path = tmp_path / "notes.csv"
        rows = [
            ["id", "text", "source"],
            ["a", "one line", "ours"],
            ["b", "first line\nsecond line\nthird line", "ours"],
            ["c", "after the long one", "ours"],
            ["d", "two\nlines", "ours"],
            ["e", "last", "ours"],
        ]
        write_rows(path, rows, lineterminator=lineterminator)
        table = read_table(path)
        assert [(row["id"], row.line) for row in table.rows] == [("a", 2), ("b", 3), ("c", 6), ("d", 7), ("e", 9)]
        assert table.rows[1]["text"].splitlines() == ["first line", "second line", "third line"]

    def test_spaces_typed_around_a_quoted_cell_keep_the_cell_whole(self, tmp_path: Path) -> None:
        # A hand edit in a text editor: a space after each comma, before a quoted cell.
        path = tmp_path / "notes.csv"
        path.write_text('id, text, source\na, "first, second", ours\n', encoding="utf-8")
        assert cells(read_table(path)) == [{"id": "a", "text": "first, second", "source": "ours"}]

    def test_garbled_accents_in_the_whole_file_name_the_first_garbled_line(self, tmp_path: Path) -> None:
        text = QUESTIONS.read_text("utf-8")
        # Opened as Windows-1252 by mistake, then saved as UTF-8: "é" becomes "Ã©".
        path = tmp_path / "questions.csv"
        path.write_text(text.encode("utf-8").decode("cp1252"), encoding="utf-8", newline="")
        first_accent = next(i for i, line in enumerate(text.splitlines(), 1) if not line.isascii())
        with pytest.raises(TableError) as raised:
            read_table(path)
        (problem,) = raised.value.problems
        assert (problem.file, problem.line) == ("questions.csv", first_accent)
        assert str(raised.value).startswith(f"questions.csv:{first_accent}: garbled accents")
        assert "UTF-8" in problem.message and "save as 'CSV UTF-8'" in problem.message

    def test_one_garbled_cell_names_its_own_line(self, tmp_path: Path) -> None:
        rows = read_rows(QUESTIONS)
        for row in rows:  # only ASCII left, then one row garbled
            row[:] = [cell.encode("ascii", "ignore").decode() for cell in row]
        rows[20][5] = "Je préfère".encode().decode("cp1252")
        assert "Ã©" in rows[20][5]
        path = tmp_path / "questions.csv"
        write_rows(path, rows)
        with pytest.raises(TableError, match=r"^questions\.csv:21: garbled accents \('Ã©'\).*UTF-8"):
            read_table(path)

    def test_correct_accents_are_not_taken_for_garbled_ones(self, tmp_path: Path) -> None:
        path = tmp_path / "words.csv"
        path.write_text('id,text\na,"« Déjà vu » à l’œuvre, naïve ÉTÉ"\n', encoding="utf-8")
        assert read_table(path).rows[0]["text"] == "« Déjà vu » à l’œuvre, naïve ÉTÉ"

    def test_a_missing_file_is_a_table_error_naming_it(self, tmp_path: Path) -> None:
        with pytest.raises(TableError, match=r"^gone\.csv:0: cannot read the file"):
            read_table(tmp_path / "gone.csv")

    @pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n"], ids=["no bytes", "only a BOM", "blank lines"])
    def test_an_empty_file_asks_for_a_header_row(self, tmp_path: Path, content: bytes) -> None:
        path = tmp_path / "empty.csv"
        path.write_bytes(content)
        with pytest.raises(TableError, match=r"^empty\.csv:1: the file is empty: it needs a header row"):
            read_table(path)


class TestParseNumber:
    @pytest.mark.parametrize("text", ["75", "75.0", "75,0", " 75 ", "\u00a075"])
    def test_the_ways_a_spreadsheet_writes_seventy_five_all_read_as_75(self, text: str) -> None:
        assert parse_number(text) == 75.0

    def test_a_decimal_comma_keeps_its_fraction(self) -> None:
        assert parse_number("2,5") == 2.5

    @pytest.mark.parametrize("text", ["abc", "", "  ", "75 %", "seventy-five"])
    def test_text_that_is_not_a_number_gives_none(self, text: str) -> None:
        assert parse_number(text) is None
