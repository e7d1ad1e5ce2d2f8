"""The coach's view of a group (quiz/group.py) and the session exports (quiz/export.py)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from quiz.export import CSV_ENCODING, session_csv, session_frame, session_xlsx
from quiz.group import (
    FLAT,
    Participant,
    compare_roles,
    display_names,
    group_frame,
    group_profile,
    participant_result,
    split_scorable,
    top_match_counts,
)
from quiz.model import Bank
from quiz.result import person_result
from quiz.scoring import quiz_order
from tests.support.personas import persona_answers

T0 = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
ROLES = ("cto", "cpo", "digital_pm", "cto")


@pytest.fixture(scope="module")
def people(bank: Bank) -> list[Participant]:
    names = ("Ana", "=Bob", "", "Ana")
    return [
        Participant(i + 1, names[i], persona_answers(bank, role), T0 + timedelta(minutes=i))
        for i, role in enumerate(ROLES)
    ]


def one_by_one(bank: Bank, participant: Participant) -> tuple[dict[str, float], list[str]]:
    """What the results page computes for one person: scores and roles, best first."""
    result = person_result(bank, participant.answers)
    return result.scores.as_dict(), [m.role_id for m in result.ranking.matches]


class TestGroupFrame:
    def test_each_row_is_what_the_person_saw(self, bank: Bank, people: list[Participant]) -> None:
        frame = group_frame(bank, people)

        for row, participant in zip(frame.itertuples(index=False), people, strict=True):
            scores, roles = one_by_one(bank, participant)
            assert [getattr(row, d) for d in bank.dimension_ids] == pytest.approx(list(scores.values()), abs=0.05)
            assert [row.top_1, row.top_2, row.top_3] == roles[:3]
        assert frame["top_1"].tolist() == list(ROLES)

    def test_names_number_the_anonymous_and_tell_twins_apart(self, people: list[Participant]) -> None:
        assert display_names(people) == ["Ana", "=Bob", "#3", "Ana (2)"]

    def test_results_saved_with_other_questions_are_set_apart(self, bank: Bank, people: list[Participant]) -> None:
        old = Participant(9, "old", {"tech_1": 5, "tech_old_9": 4}, T0)
        empty = Participant(10, "empty", {}, T0)

        scorable, stale = split_scorable(bank, [*people, old, empty])

        assert (scorable, stale) == (people, [old, empty])

    def test_a_result_with_only_some_statements_is_scored_on_them(self, bank: Bank, people: list[Participant]) -> None:
        # The adaptive quiz's results, or a paper form with blanks.
        asked = {q: v for q, v in people[0].answers.items() if not q.endswith(("_7", "_8"))}
        partial = Participant(11, "partial", asked, T0)

        scorable, stale = split_scorable(bank, [partial])
        frame = group_frame(bank, scorable)

        assert (scorable, stale) == ([partial], [])
        result = person_result(bank, asked)
        assert frame["answered"].tolist() == [len(asked)]
        assert frame["top_1"].tolist() == [result.most_likely.role_id]
        assert frame["tied_roles"].tolist() == ["|".join(m.role_id for m in result.too_close_to_call)]

    def test_each_row_carries_the_probabilities_and_the_too_close_set(
        self, bank: Bank, people: list[Participant]
    ) -> None:
        frame = group_frame(bank, people)

        for row, participant in zip(frame.itertuples(index=False), people, strict=True):
            result = person_result(bank, participant.answers)
            top3 = [m.probability for m in result.ranking.matches[:3]]
            assert [row.top_1_probability, row.top_2_probability, row.top_3_probability] == pytest.approx(
                top3, abs=0.0006
            )
            assert row.tied_roles == "|".join(m.role_id for m in result.too_close_to_call)
            assert row.tied_top == len(result.too_close_to_call)

    def test_an_empty_group_has_the_columns_and_no_rows(self, bank: Bank) -> None:
        frame = group_frame(bank, [])

        assert frame.empty
        assert {"name", "top_1", "tied_top", *bank.dimension_ids} <= set(frame.columns)
        assert top_match_counts(frame).empty
        assert group_profile(bank, frame).size == 0


class TestTopMatches:
    def test_counts_add_up_to_the_group(self, bank: Bank, people: list[Participant]) -> None:
        counts = top_match_counts(group_frame(bank, people))

        expected: dict[str, float] = {}
        for participant in people:
            close = person_result(bank, participant.answers).too_close_to_call
            for match in close:
                expected[match.role_id] = expected.get(match.role_id, 0.0) + 1 / len(close)
        assert counts.to_dict() == pytest.approx(expected)
        assert counts.sum() == pytest.approx(len(people))
        assert counts.index[0] == "cto"

    def test_a_tie_is_shared_and_a_flat_profile_counted_apart(self, bank: Bank) -> None:
        tied = pd.DataFrame({"tied_roles": ["cto|tech_lead", "cpo", "cto"], "flat": ["", "", "same_answers"]})

        counts = top_match_counts(tied)

        assert counts.to_dict() == {"cto": 0.5, "tech_lead": 0.5, "cpo": 1.0, FLAT: 1.0}
        assert counts.sum() == 3


class TestProfileAndComparison:
    def test_the_profile_is_the_mean_and_population_spread(self, bank: Bank, people: list[Participant]) -> None:
        frame = group_frame(bank, people)
        values = frame[list(bank.dimension_ids)].to_numpy(dtype=float)

        profile = group_profile(bank, frame)

        assert profile.mean == pytest.approx(values.mean(axis=0), abs=0.05)
        assert profile.spread == pytest.approx(np.sqrt(((values - values.mean(axis=0)) ** 2).mean(axis=0)), abs=0.05)
        assert (profile.low, profile.high, profile.size) == (tuple(values.min(0)), tuple(values.max(0)), 4)

    def test_one_person_has_no_spread(self, bank: Bank, people: list[Participant]) -> None:
        profile = group_profile(bank, group_frame(bank, people[:1]))

        assert set(profile.spread) == {0.0}

    def test_two_roles_compared_for_the_group(self, bank: Bank, people: list[Participant]) -> None:
        frame = group_frame(bank, people)

        result = compare_roles(bank, frame, "cto", "cpo")

        # The two CTO personas fit the CTO better, the CPO persona the CPO; the digital PM sits
        # between: the three counts cover everyone.
        assert result.better_a >= 2 and result.better_b >= 1
        assert result.better_a + result.better_b + result.equal == 4
        cto_targets = np.array([t.level for t in bank.role("cto").profile], dtype=float)
        mean = frame[list(bank.dimension_ids)].to_numpy(dtype=float).mean(axis=0)
        assert result.gaps_a == pytest.approx(mean - cto_targets, abs=0.05)

    def test_an_unknown_role_is_named(self, bank: Bank, people: list[Participant]) -> None:
        with pytest.raises(ValueError, match="'boss'"):
            compare_roles(bank, group_frame(bank, people), "cto", "boss")

    def test_a_participants_full_result(self, bank: Bank, people: list[Participant]) -> None:
        result = participant_result(bank, people[1])
        scores, ranking = result.scores, result.ranking

        assert ranking.top.role_id == "cpo"
        assert scores.as_dict() == one_by_one(bank, people[1])[0]


class TestSessionExports:
    def test_the_frame_has_answers_scores_and_top_matches(self, bank: Bank, people: list[Participant]) -> None:
        frame = session_frame(bank, people)

        assert frame["name"].tolist() == ["Ana", "=Bob", "#3", "Ana (2)"]
        assert frame["submitted_at"][0] == "2026-03-12T09:00:00+00:00"
        assert [frame[q.id][1] for q in bank.questions] == [people[1].answers[q.id] for q in bank.questions]
        assert frame["top_1"].tolist() == list(ROLES)

    def test_the_csv_reads_back_with_the_same_numbers(self, bank: Bank, people: list[Participant]) -> None:
        data = session_csv(bank, people).encode(CSV_ENCODING)

        back = pd.read_csv(io.BytesIO(data), encoding=CSV_ENCODING, keep_default_na=False)
        expected = group_frame(bank, people)

        assert len(back) == 4
        for dimension in bank.dimension_ids:
            assert back[dimension].tolist() == pytest.approx(expected[dimension].tolist())
        assert back["top_1_match"].tolist() == pytest.approx(expected["top_1_match"].tolist())
        # A pseudonym that looks like a formula is quoted; numbers are left alone.
        assert back["name"][1] == "'=Bob"
        rows = list(csv.reader(io.StringIO(data.decode(CSV_ENCODING))))
        assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)

    def test_the_workbook_has_no_formula_and_the_same_numbers(self, bank: Bank, people: list[Participant]) -> None:
        data = session_xlsx(bank, people, "fr", T0)

        back = pd.read_excel(io.BytesIO(data), sheet_name=None)
        assert set(back) == {"participants", "questions", "reliability", "about"}
        expected = group_frame(bank, people)
        for dimension in bank.dimension_ids:
            assert back["participants"][dimension].tolist() == pytest.approx(expected[dimension].tolist())
        assert back["questions"]["statement"][0] == quiz_order(bank)[0].text("fr")
        assert back["about"]["bank_version"][0] == bank.version
        book = load_workbook(io.BytesIO(data))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        assert book["participants"]["A3"].value == "'=Bob"
