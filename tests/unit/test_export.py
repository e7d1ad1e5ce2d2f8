""" "My data": the CSV tables and the JSON document read back with the person's values, accents
intact, and nothing a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import pytest

from quiz.banks import load_bank
from quiz.export import (
    ANSWER_COLUMNS,
    CSV_ENCODING,
    MATCH_COLUMNS,
    SCORE_COLUMNS,
    ExportError,
    answers_csv,
    matches_csv,
    my_data_json,
    neutralise_cell,
    scores_csv,
)
from quiz.matching import Ranking, rank_roles
from quiz.model import Bank, Lang, Text
from quiz.scoring import AnswerError, DimensionScores, quiz_order, score_answers

BANK: Bank = load_bank()
CREATED = datetime(2025, 3, 14, 9, 26, 53, tzinfo=UTC)


def technical_not_marketing(bank: Bank = BANK) -> dict[str, int]:
    """A known answer set: agree fully with technical depth, not at all with marketing, neutral
    elsewhere. Its scores are known by hand: tech 100, marketing 0, every other dimension 50."""
    answers = {}
    for question in bank.questions:
        if question.dimension in ("tech", "marketing"):
            agrees = (question.keyed > 0) == (question.dimension == "tech")
            answers[question.id] = 5 if agrees else 1
        else:
            answers[question.id] = 3
    return answers


ANSWERS = technical_not_marketing()
SCORES = score_answers(BANK, ANSWERS)
RANKING = rank_roles(BANK, SCORES, [ANSWERS[q.id] for q in BANK.questions])


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def with_formula_texts(bank: Bank) -> Bank:
    """The bank with a statement, a dimension name and a role name that look like formulas."""
    question = dataclasses.replace(bank.questions[0], text=Text("=1+2", '=HYPERLINK("http://x")'))
    dimension = dataclasses.replace(bank.dimensions[0], name=Text("-2+3+cmd|' /C calc'!A0", "+1"))
    role = dataclasses.replace(bank.roles[0], name=Text("@SUM(A1:A9)", "\tTab"))
    return dataclasses.replace(
        bank,
        questions=(question, *bank.questions[1:]),
        dimensions=(dimension, *bank.dimensions[1:]),
        roles=(role, *bank.roles[1:]),
    )


FORMULA_BANK = with_formula_texts(BANK)


class TestNeutraliseCell:
    @pytest.mark.parametrize("text", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "=", "-"])
    def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(self, text: str) -> None:
        assert neutralise_cell(text) == "'" + text

    @pytest.mark.parametrize("text", ["", "Technical depth", "J'aime l'écran", "1+2", "a=b", "'=quoted", " =1"])
    def test_other_text_is_unchanged(self, text: str) -> None:
        assert neutralise_cell(text) == text

    @pytest.mark.parametrize("value", [-1, 1, 0, -12.5, 85.0, None])
    def test_numbers_and_empty_cells_are_unchanged_even_negative_ones(self, value: int | float | None) -> None:
        assert neutralise_cell(value) == value


class TestAnswersCsv:
    def test_it_has_one_row_per_question_in_the_order_asked(self) -> None:
        table = rows(answers_csv(BANK, ANSWERS, "en"))

        assert [r["question_id"] for r in table] == [q.id for q in quiz_order(BANK)]

    def test_each_row_holds_the_question_its_statement_and_the_answer(self) -> None:
        table = rows(answers_csv(BANK, ANSWERS, "en"))

        for row in table:
            question = BANK.question(row["question_id"])
            assert row["dimension"] == question.dimension
            assert int(row["keyed"]) == question.keyed
            assert row["statement"] == question.text("en")
            assert int(row["answer"]) == ANSWERS[question.id]

    def test_it_reads_back_with_pandas_as_a_tidy_table(self) -> None:
        frame = pd.read_csv(io.StringIO(answers_csv(BANK, ANSWERS, "en")))

        assert tuple(frame.columns) == ANSWER_COLUMNS
        assert len(frame) == len(BANK.questions)
        assert dict(zip(frame["question_id"], frame["answer"], strict=True)) == ANSWERS
        assert set(frame["keyed"]) == {1, -1}

    def test_a_reverse_keyed_item_is_written_as_the_number_minus_one_not_as_text(self) -> None:
        table = rows(answers_csv(BANK, ANSWERS, "en"))

        assert {r["keyed"] for r in table} == {"1", "-1"}

    def test_an_unanswered_question_has_an_empty_answer(self) -> None:
        partial = {q.id: 4 for q in BANK.questions[:3]}

        table = rows(answers_csv(BANK, partial, "en"))

        assert {r["question_id"]: r["answer"] for r in table if r["answer"]} == dict.fromkeys(partial, "4")
        assert sum(1 for r in table if r["answer"] == "") == len(BANK.questions) - 3

    def test_french_statements_keep_their_accents(self) -> None:
        table = rows(answers_csv(BANK, ANSWERS, "fr"))

        assert [r["statement"] for r in table] == [q.text("fr") for q in quiz_order(BANK)]
        assert any("é" in r["statement"] for r in table)

    def test_an_unknown_question_is_refused(self) -> None:
        with pytest.raises(AnswerError, match="unknown question"):
            answers_csv(BANK, ANSWERS | {"nope_1": 3}, "en")

    def test_an_answer_off_the_scale_is_refused(self) -> None:
        with pytest.raises(AnswerError, match="whole numbers from 1 to 5"):
            answers_csv(BANK, ANSWERS | {"tech_1": 7}, "en")


class TestScoresCsv:
    def test_it_has_one_row_per_dimension_with_the_known_scores(self) -> None:
        table = rows(scores_csv(BANK, SCORES, "en"))

        assert [r["dimension_id"] for r in table] == list(BANK.dimension_ids)
        by_id = {r["dimension_id"]: float(r["score"]) for r in table}
        assert by_id["tech"] == 100.0
        assert by_id["marketing"] == 0.0
        assert {by_id[d] for d in BANK.dimension_ids if d not in ("tech", "marketing")} == {50.0}

    def test_it_reads_back_with_pandas(self) -> None:
        frame = pd.read_csv(io.StringIO(scores_csv(BANK, SCORES, "en")))

        assert tuple(frame.columns) == SCORE_COLUMNS
        assert dict(zip(frame["dimension_id"], frame["score"], strict=True)) == SCORES.as_dict()
        assert list(frame["dimension"]) == [d.name("en") for d in BANK.dimensions]

    def test_french_dimension_names_keep_their_accents(self) -> None:
        table = rows(scores_csv(BANK, SCORES, "fr"))

        assert [r["dimension"] for r in table] == [d.name("fr") for d in BANK.dimensions]
        assert "Tolérance au risque" in {r["dimension"] for r in table}

    def test_scores_made_with_another_bank_are_refused(self) -> None:
        other = DimensionScores(("tech", "people"), (50.0, 50.0))

        with pytest.raises(ExportError, match="same bank"):
            scores_csv(BANK, other, "en")


class TestMatchesCsv:
    def test_it_has_one_row_per_role_best_first(self) -> None:
        table = rows(matches_csv(BANK, RANKING, "en"))

        assert [r["role_id"] for r in table] == [m.role_id for m in RANKING.matches]
        assert [int(r["rank"]) for r in table] == list(range(1, len(BANK.roles) + 1))
        assert [float(r["match"]) for r in table] == [m.match for m in RANKING.matches]
        assert [r["tied_with_top"] == "true" for r in table] == [m.tied_with_top for m in RANKING.matches]
        assert [r["role"] for r in table] == [BANK.role(m.role_id).name("en") for m in RANKING.matches]

    def test_it_reads_back_with_pandas_with_ties_as_booleans(self) -> None:
        frame = pd.read_csv(io.StringIO(matches_csv(BANK, RANKING, "en")))

        assert tuple(frame.columns) == MATCH_COLUMNS
        assert frame["tied_with_top"].dtype == bool
        assert list(frame["tied_with_top"]) == [m.tied_with_top for m in RANKING.matches]
        assert frame["tied_with_top"].iloc[0]

    def test_french_role_names_are_written(self) -> None:
        table = rows(matches_csv(BANK, RANKING, "fr"))

        assert [r["role"] for r in table] == [BANK.role(m.role_id).name("fr") for m in RANKING.matches]

    def test_a_ranking_missing_a_role_is_refused(self) -> None:
        partial = Ranking(RANKING.matches[:-1], RANKING.flat)

        with pytest.raises(ExportError, match="same bank"):
            matches_csv(BANK, partial, "en")


class TestDownloadEncoding:
    def test_french_accents_survive_the_download_bytes_and_excels_byte_order_mark(self) -> None:
        data = scores_csv(BANK, SCORES, "fr").encode(CSV_ENCODING)

        assert data.startswith(b"\xef\xbb\xbf")
        frame = pd.read_csv(io.BytesIO(data), encoding=CSV_ENCODING)
        assert tuple(frame.columns) == SCORE_COLUMNS
        assert "Tolérance au risque" in set(frame["dimension"])


class TestFormulaLookingCells:
    def test_the_original_bank_is_left_alone(self) -> None:
        assert BANK.role(BANK.roles[0].id).name("en") != "@SUM(A1:A9)"

    def test_a_statement_that_looks_like_a_formula_is_neutralised(self) -> None:
        table = rows(answers_csv(FORMULA_BANK, ANSWERS, "en"))

        statements = {r["question_id"]: r["statement"] for r in table}
        assert statements[FORMULA_BANK.questions[0].id] == "'=1+2"

    def test_a_french_statement_that_looks_like_a_formula_is_neutralised(self) -> None:
        table = rows(answers_csv(FORMULA_BANK, ANSWERS, "fr"))

        statements = {r["question_id"]: r["statement"] for r in table}
        assert statements[FORMULA_BANK.questions[0].id] == '\'=HYPERLINK("http://x")'

    @pytest.mark.parametrize(("lang", "expected"), [("en", "'-2+3+cmd|' /C calc'!A0"), ("fr", "'+1")])
    def test_a_dimension_name_that_looks_like_a_formula_is_neutralised(self, lang: Lang, expected: str) -> None:
        table = rows(scores_csv(FORMULA_BANK, SCORES, lang))

        assert table[0]["dimension"] == expected

    @pytest.mark.parametrize(("lang", "expected"), [("en", "'@SUM(A1:A9)"), ("fr", "'\tTab")])
    def test_a_role_name_that_looks_like_a_formula_is_neutralised(self, lang: Lang, expected: str) -> None:
        table = rows(matches_csv(FORMULA_BANK, RANKING, lang))

        names = {r["role_id"]: r["role"] for r in table}
        assert names[FORMULA_BANK.roles[0].id] == expected

    def test_no_cell_of_any_table_starts_like_a_formula(self) -> None:
        texts = [
            answers_csv(FORMULA_BANK, ANSWERS, "en"),
            answers_csv(FORMULA_BANK, ANSWERS, "fr"),
            scores_csv(FORMULA_BANK, SCORES, "en"),
            scores_csv(FORMULA_BANK, SCORES, "fr"),
            matches_csv(FORMULA_BANK, RANKING, "en"),
            matches_csv(FORMULA_BANK, RANKING, "fr"),
        ]
        for text in texts:
            for row in csv.reader(io.StringIO(text)):
                for cell in row:
                    is_number = cell.lstrip("-").replace(".", "", 1).isdigit()
                    assert is_number or not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


class TestMyDataJson:
    def document(self, lang: Lang = "en", answers: dict[str, int] = ANSWERS) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(my_data_json(BANK, answers, SCORES, RANKING, lang, CREATED))
        return parsed

    def test_it_names_the_bank_the_time_and_the_language(self) -> None:
        document = self.document()

        assert document["bank_version"] == BANK.version
        assert document["created"] == "2025-03-14T09:26:53+00:00"
        assert datetime.fromisoformat(document["created"]) == CREATED
        assert document["language"] == "en"

    def test_it_holds_every_answer_with_its_statement(self) -> None:
        answers = self.document()["answers"]

        assert list(answers) == [q.id for q in quiz_order(BANK)]
        assert {qid: a["answer"] for qid, a in answers.items()} == ANSWERS
        assert all(a["statement"] == BANK.question(qid).text("en") for qid, a in answers.items())

    def test_an_unanswered_question_is_null(self) -> None:
        first = BANK.questions[0].id

        answers = self.document(answers={first: 2})["answers"]

        assert answers[first]["answer"] == 2
        assert sum(1 for a in answers.values() if a["answer"] is None) == len(BANK.questions) - 1

    def test_its_scores_are_the_persons_scores(self) -> None:
        scores = self.document()["scores"]

        assert {d: s["score"] for d, s in scores.items()} == SCORES.as_dict()
        assert scores["tech"]["score"] == 100.0

    def test_its_ranking_is_the_persons_ranking(self) -> None:
        ranking = self.document()["ranking"]

        assert [r["role_id"] for r in ranking] == [m.role_id for m in RANKING.matches]
        assert [r["match"] for r in ranking] == [m.match for m in RANKING.matches]
        assert [r["tied_with_top"] for r in ranking] == [m.tied_with_top for m in RANKING.matches]
        assert [r["rank"] for r in ranking] == list(range(1, len(BANK.roles) + 1))

    def test_a_rankable_profile_is_not_flat(self) -> None:
        assert self.document()["flat"] is None

    def test_a_flat_profile_says_why(self) -> None:
        same = dict.fromkeys(ANSWERS, 3)
        scores = score_answers(BANK, same)
        ranking = rank_roles(BANK, scores, list(same.values()))

        document = json.loads(my_data_json(BANK, same, scores, ranking, "en", CREATED))

        assert document["flat"] == "same_answers"

    def test_french_accents_are_written_as_they_are_not_escaped(self) -> None:
        text = my_data_json(BANK, ANSWERS, SCORES, RANKING, "fr", CREATED)

        assert "Tolérance au risque" in text
        assert "\\u00e9" not in text
        assert json.loads(text)["scores"]["risk"]["name"] == "Tolérance au risque"

    def test_it_is_indented_for_people_to_read(self) -> None:
        text = my_data_json(BANK, ANSWERS, SCORES, RANKING, "en", CREATED)

        assert text.startswith('{\n  "bank_version"')

    def test_scores_made_with_another_bank_are_refused(self) -> None:
        other = DimensionScores(("tech",), (50.0,))

        with pytest.raises(ExportError, match="same bank"):
            my_data_json(BANK, ANSWERS, other, RANKING, "en", CREATED)
