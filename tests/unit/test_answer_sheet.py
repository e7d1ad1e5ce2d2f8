"""The one reader of answer tables (quiz/answer_sheet.py) that the command line and the import
share: which headers are questions, which cell is an answer, and what is kept for the report."""

from __future__ import annotations

from quiz.answer_sheet import read_answer_sheet
from quiz.model import Bank
from quiz.tables import parse_table


def table_of(text: str) -> bytes:
    return text.encode("utf-8")


def header_and_row(bank: Bank, headers: list[str], cells: list[str]) -> bytes:
    return table_of(",".join(headers) + "\n" + ",".join(cells) + "\n")


class TestColumns:
    def test_question_texts_are_headers_only_when_asked(self, bank: Bank) -> None:
        first = bank.questions[0]
        data = header_and_row(bank, [f'"{first.text("en")}"', bank.questions[1].id], ["4", "2"])
        table = parse_table(data, "form.csv")

        by_id = read_answer_sheet(bank, table, ("id",))
        by_text = read_answer_sheet(bank, table, ("id",), by_text=True)

        assert first.id in by_id.missing and first.id not in by_text.missing
        assert by_id.ignored == (first.text("en").lower(),)
        assert by_text.columns[first.id] == first.text("en").lower()

    def test_the_first_name_column_the_table_has_names_the_person(self, bank: Bank) -> None:
        data = header_and_row(bank, ["name", "id", "timestamp"], ["Ana", "p1", "09:00"])

        sheet = read_answer_sheet(bank, parse_table(data, "a.csv"), ("id", "name"))

        assert sheet.name_column == "id" and sheet.rows[0].name == "p1"
        assert sheet.ignored == ("timestamp",)

    def test_two_headers_for_one_question_are_reported(self, bank: Bank) -> None:
        first = bank.questions[0]
        data = header_and_row(bank, [first.id, f'"{first.text("fr")}"'], ["4", "4"])

        sheet = read_answer_sheet(bank, parse_table(data, "a.csv"), (), by_text=True)

        assert sheet.duplicates == ((first.id, first.id, first.text("fr").lower()),)


class TestCells:
    def test_numbers_and_words_are_answers_and_the_rest_is_kept_with_its_question(self, bank: Bank) -> None:
        ids = [q.id for q in bank.questions[:5]]
        data = header_and_row(bank, ids, ["4", '"4,0"', "Agree", "", "7"])

        row = read_answer_sheet(bank, parse_table(data, "a.csv"), (), labels={"agree": 4}).rows[0]

        assert row.answers == {ids[0]: 4, ids[1]: 4, ids[2]: 4}
        assert row.not_answers == ((ids[3], ""), (ids[4], "7"))
        assert row.empty == (ids[3],)
        assert row.invalid == ((ids[4], "7"),)

    def test_words_are_not_answers_without_labels(self, bank: Bank) -> None:
        question = bank.questions[0].id
        data = header_and_row(bank, [question], ["agree"])

        row = read_answer_sheet(bank, parse_table(data, "a.csv"), ()).rows[0]

        assert row.answers == {} and row.invalid == ((question, "agree"),)
