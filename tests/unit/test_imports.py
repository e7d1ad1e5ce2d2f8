"""Importing answers collected elsewhere (quiz/imports.py): columns found by id or by text in
either language, answers as numbers or words, a report of every rejected row, and no crash on
any file."""

from __future__ import annotations

import contextlib
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.i18n import strings
from quiz.imports import MAX_ROWS, ImportFileError, read_import
from quiz.model import Bank
from quiz.scoring import SCALE
from tests.support.personas import persona_answers

WORDS = {strings(lang).t(f"scale.{v}"): v for lang in ("fr", "en") for v in SCALE}


def csv_bytes(header: list[str], rows: list[list[object]], separator: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def row_of(bank: Bank, answers: dict[str, int]) -> list[object]:
    return [answers[q.id] for q in bank.questions]


@pytest.fixture(scope="module")
def cto(bank: Bank) -> dict[str, int]:
    return persona_answers(bank, "cto")


@pytest.mark.parametrize("headers", ["id", "fr", "en", "mixed"])
def test_columns_are_found_by_id_or_by_text_in_either_language(bank: Bank, cto: dict[str, int], headers: str) -> None:
    names = {
        "id": [q.id for q in bank.questions],
        "fr": [q.text("fr") for q in bank.questions],
        "en": [q.text("en") for q in bank.questions],
        "mixed": [(q.id, q.text("fr"), q.text("en"))[i % 3] for i, q in enumerate(bank.questions)],
    }[headers]
    data = csv_bytes(["Horodateur", "pseudo", *names], [["2026-03-12 09:00", "Ana", *row_of(bank, cto)]])

    report = read_import(bank, data, "form.csv", WORDS)

    assert [(r.line, r.pseudonym, r.answers) for r in report.accepted] == [(2, "Ana", cto)]
    assert report.rejected == ()
    assert report.ignored_columns == ("horodateur",)


def test_bad_rows_are_rejected_with_their_line_and_the_good_ones_kept(bank: Bank, cto: dict[str, int]) -> None:
    first = bank.questions[0].id
    blank = row_of(bank, cto)
    blank[3] = ""
    nothing = ["" for _ in bank.questions]
    out_of_scale = row_of(bank, cto)
    out_of_scale[0] = 6
    data = csv_bytes(
        ["pseudonym", *[q.id for q in bank.questions]],
        [
            ["a", *row_of(bank, cto)],
            ["b", *blank],
            ["c", *out_of_scale],
            ["d" * 41, *row_of(bank, cto)],
            ["e", *nothing],
        ],
    )

    report = read_import(bank, data, "form.csv", WORDS)

    assert [r.pseudonym for r in report.accepted] == ["a", "b"]
    assert [(r.line, r.reason) for r in report.rejected] == [
        (4, "not_an_answer"),
        (5, "pseudonym_too_long"),
        (6, "missing_answers"),
    ]
    assert report.rejected[0].detail == f"{first}: '6'"
    assert report.rejected[2].detail.startswith(f"{first}, ")


def test_a_blank_cell_is_a_statement_not_asked(bank: Bank, cto: dict[str, int]) -> None:
    # A paper form may be complete or partial: the row is scored on the statements answered.
    blank = {bank.questions[3].id, bank.questions[10].id}
    row = ["" if q.id in blank else cto[q.id] for q in bank.questions]

    report = read_import(bank, csv_bytes([q.id for q in bank.questions], [row]), "form.csv", WORDS)

    assert report.rejected == ()
    assert report.accepted[0].answers == {q: v for q, v in cto.items() if q not in blank}


def test_answers_may_be_words_or_spreadsheet_numbers(bank: Bank, cto: dict[str, int]) -> None:
    en, fr = strings("en"), strings("fr")
    cells: list[object] = []
    for i, q in enumerate(bank.questions):
        value = cto[q.id]
        cells.append([f"{value},0", en.t(f"scale.{value}").upper(), fr.t(f"scale.{value}"), value][i % 4])

    report = read_import(bank, csv_bytes([q.id for q in bank.questions], [cells]), "f.csv", WORDS)

    assert report.accepted[0].answers == cto


def test_an_excel_file_in_windows_1252_with_french_headers(bank: Bank, cto: dict[str, int]) -> None:
    data = csv_bytes(["Nom", *[q.text("fr") for q in bank.questions]], [["Chloé", *row_of(bank, cto)]], ";", "cp1252")

    report = read_import(bank, data, "export.csv", WORDS)

    assert [(r.pseudonym, r.answers) for r in report.accepted] == [("Chloé", cto)]


def test_a_pseudonym_is_kept_as_plain_text(bank: Bank, cto: dict[str, int]) -> None:
    name = '=HYPERLINK("http://x")'
    data = csv_bytes(["pseudonym", *[q.id for q in bank.questions]], [[name, *row_of(bank, cto)]])

    assert read_import(bank, data, "f.csv", WORDS).accepted[0].pseudonym == name


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda b: csv_bytes(["when", "who"], [["x", "y"]]), "no_questions"),
        (lambda b: csv_bytes([q.id for q in b.questions[:-1]], [[3] * (len(b.questions) - 1)]), "missing_questions"),
        (lambda b: csv_bytes([q.id for q in b.questions], []), "no_rows"),
        (
            lambda b: csv_bytes([*[q.id for q in b.questions], b.questions[0].text("en")], [[3] * 36]),
            "duplicate_column",
        ),
        (lambda b: b"", "unreadable"),
        (lambda b: csv_bytes([q.id for q in b.questions], [[3] * 35] * (MAX_ROWS + 1)), "too_big"),
    ],
    ids=["no-question", "a-question-missing", "no-rows", "duplicate", "empty", "too-big"],
)
def test_a_file_that_cannot_be_imported_says_why(bank: Bank, make: object, reason: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        read_import(bank, make(bank), "f.csv", WORDS)  # type: ignore[operator]

    assert caught.value.reason == reason


def test_a_missing_question_is_named(bank: Bank) -> None:
    last = bank.questions[-1].id
    data = csv_bytes([q.id for q in bank.questions[:-1]], [[3] * (len(bank.questions) - 1)])

    with pytest.raises(ImportFileError) as caught:
        read_import(bank, data, "f.csv", WORDS)

    assert caught.value.detail == last


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=2_000))
def test_no_file_crashes_the_reader(bank: Bank, data: bytes) -> None:
    with contextlib.suppress(ImportFileError):
        read_import(bank, data, "fuzz.csv", WORDS)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_no_text_crashes_the_reader(bank: Bank, text: str) -> None:
    header = ",".join(q.id for q in bank.questions)
    with contextlib.suppress(ImportFileError):
        read_import(bank, f"{header}\n{text}".encode("utf-8", errors="surrogatepass"), "fuzz.csv", WORDS)


def test_a_row_of_many_bad_cells_names_the_first_three_and_counts_the_rest(bank: Bank) -> None:
    data = csv_bytes([q.id for q in bank.questions], [["9"] * len(bank.questions)])

    (rejected,) = read_import(bank, data, "f.csv", WORDS).rejected

    ids = [q.id for q in bank.questions]
    assert rejected.detail == f"{ids[0]}: '9'; {ids[1]}: '9'; {ids[2]}: '9'; … (+{len(ids) - 3})"
