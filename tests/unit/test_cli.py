"""The command line: `python -m quiz validate` and `python -m quiz score ANSWERS.csv`.

A few runs go through a real subprocess, to see exactly what a person sees (exit status, stdout,
stderr, no traceback); the rest call `main()` in-process, which is the same code and much faster.
"""

from __future__ import annotations

import csv
import io
import random
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.banks import load_bank
from quiz.cli import main
from quiz.model import Bank
from quiz.result import person_result
from quiz.scoring import quiz_order, score_answers
from tests.support.bankfixtures import DATA_DIR, BankCopy
from tests.support.paths import ROOT
from tests.support.personas import persona_answers

PEOPLE = 50


def run_quiz(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(DATA_DIR)


@pytest.fixture(scope="module")
def answers(bank: Bank) -> dict[str, dict[str, int]]:
    """50 people's answers, person id -> question id -> 1..5, the same on every run."""
    generator = random.Random(20251123)
    people = {f"p{n:02d}": {q.id: generator.randint(1, 5) for q in bank.questions} for n in range(1, PEOPLE + 1)}
    # One straight-liner, who must be flagged rather than ranked as if it meant something.
    people["p50"] = {q.id: 4 for q in bank.questions}
    return people


@pytest.fixture(scope="module")
def answers_csv(tmp_path_factory: pytest.TempPathFactory, bank: Bank, answers: dict[str, dict[str, int]]) -> Path:
    """The answers as a coach's export: an `id` column, then the questions in a shuffled order."""
    question_ids = [q.id for q in bank.questions]
    random.Random(7).shuffle(question_ids)
    path = tmp_path_factory.mktemp("answers") / "answers.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", *question_ids])
        for person, values in answers.items():
            writer.writerow([person, *(values[q] for q in question_ids)])
    return path


@pytest.fixture(scope="module")
def scored(answers_csv: Path) -> subprocess.CompletedProcess[str]:
    return run_quiz("score", str(answers_csv))


class TestValidateCommand:
    def test_the_shipped_bank_validates_with_a_one_line_summary(self, bank: Bank) -> None:
        result = run_quiz("validate")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        (line,) = result.stdout.splitlines()
        assert line.startswith("OK: ")
        assert f"{len(bank.dimensions)} dimensions, {len(bank.questions)} questions, {len(bank.roles)} roles" in line
        assert bank.version in line

    def test_a_broken_bank_lists_every_problem_on_stderr_and_exits_1(self, tmp_path: Path) -> None:
        copy = BankCopy.of_shipped_bank(tmp_path)
        kind_line = copy.set_cell("questions.csv", "kind", "opinion", id="tech_2")
        keyed_line = copy.set_cell("questions.csv", "keyed", "x", id="data_3")
        result = run_quiz("validate", "--data", str(copy.folder))
        assert result.returncode == 1
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert any(line.startswith(f"questions.csv:{kind_line}: kind: ") for line in lines), result.stderr
        assert any(line.startswith(f"questions.csv:{keyed_line}: keyed: ") for line in lines), result.stderr
        assert lines[-1].endswith("problem(s) found; nothing was done.")
        assert "Traceback" not in result.stderr + result.stdout

    def test_main_returns_0_and_prints_the_summary(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["validate", "--data", str(DATA_DIR)]) == 0
        out, err = capsys.readouterr()
        assert out.startswith("OK: ") and err == ""

    def test_main_counts_the_problems_it_lists(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        copy = BankCopy.of_shipped_bank(tmp_path)
        copy.set_cell("roles.csv", "level", "junior", id="ux_designer")
        copy.set_cell("profiles.csv", "source", "blog", role="cto", dimension="ux")
        assert main(["validate", "--data", str(copy.folder)]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.splitlines()[-1] == "2 problem(s) found; nothing was done."
        assert err.splitlines()[0].startswith("profiles.csv:") and err.splitlines()[1].startswith("roles.csv:")

    def test_a_data_folder_that_does_not_exist_is_a_message_not_a_crash(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["validate", "--data", str(tmp_path / "nowhere")]) == 1
        assert "no such folder" in capsys.readouterr().err

    def test_a_wrong_command_line_exits_2(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as exited:
            main(["grade"])
        assert exited.value.code == 2
        assert "invalid choice" in capsys.readouterr().err


class TestScoreCommand:
    def test_scoring_a_group_exits_0_with_one_row_per_person(
        self, scored: subprocess.CompletedProcess[str], answers: dict[str, dict[str, int]]
    ) -> None:
        assert scored.returncode == 0, scored.stderr
        assert "Traceback" not in scored.stderr
        assert [row["person"] for row in read_csv(scored.stdout)] == list(answers)

    def test_every_dimension_score_is_between_0_and_100(
        self, scored: subprocess.CompletedProcess[str], bank: Bank
    ) -> None:
        rows = read_csv(scored.stdout)
        assert set(bank.dimension_ids) <= set(rows[0])
        values = [float(row[d]) for row in rows for d in bank.dimension_ids]
        assert len(values) == PEOPLE * len(bank.dimensions)
        assert all(0 <= v <= 100 for v in values)
        assert len(set(values)) > 10, "random answers should not all give the same score"

    def test_the_top_match_is_a_known_role_and_the_flat_column_is_there(
        self, scored: subprocess.CompletedProcess[str], bank: Bank
    ) -> None:
        rows = read_csv(scored.stdout)
        role_ids = {r.id for r in bank.roles}
        assert all(row["match_1"] in role_ids for row in rows)
        assert all(0 <= float(row["match_1_score"]) <= 100 for row in rows)
        assert {row["flat"] for row in rows} <= {"", "same_answers", "no_contrast"}
        assert rows[-1]["flat"] == "same_answers"
        assert list(rows[0])[-9:] == [
            f"match_{k}{suffix}" for k in (1, 2, 3) for suffix in ("", "_score", "_probability")
        ]

    @pytest.mark.parametrize("person", ["p01", "p17", "p42"])
    def test_the_scores_are_those_of_score_answers_for_one_person(
        self,
        scored: subprocess.CompletedProcess[str],
        bank: Bank,
        answers: dict[str, dict[str, int]],
        person: str,
    ) -> None:
        row = next(r for r in read_csv(scored.stdout) if r["person"] == person)
        expected = score_answers(bank, answers[person])
        for dimension, value in expected.as_dict().items():
            assert float(row[dimension]) == pytest.approx(value, abs=0.05), dimension
        ordered = {q.id: answers[person][q.id] for q in quiz_order(bank)}  # a paper form's order
        result = person_result(bank, ordered)
        assert row["match_1"] == result.most_likely.role_id
        assert float(row["match_1_score"]) == pytest.approx(result.most_likely.match, abs=0.05)
        assert float(row["match_1_probability"]) == pytest.approx(
            result.most_likely.probability, abs=0.0006
        )  # written to 3 decimals
        assert row["quality"] == "|".join(result.quality.flags)
        assert int(row["tied_top"]) == len(result.too_close_to_call)

    def test_main_writes_the_output_file_with_as_many_matches_as_asked(
        self, tmp_path: Path, answers_csv: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        output = tmp_path / "scores.csv"
        assert main(["score", str(answers_csv), "--top", "5", "--output", str(output)]) == 0
        rows = read_csv(output.read_text("utf-8"))
        assert len(rows) == PEOPLE
        assert "match_5" in rows[0] and "match_6" not in rows[0]
        out, err = capsys.readouterr()
        assert out == "" and f"Scored {PEOPLE} people into {output}" in err

    def test_an_answers_file_saved_by_french_excel_scores_the_same(
        self, tmp_path: Path, answers_csv: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        french = tmp_path / "answers.csv"
        french.write_bytes(answers_csv.read_text("utf-8").replace(",", ";").replace("\n", "\r\n").encode("cp1252"))
        assert main(["score", str(answers_csv)]) == 0
        original = capsys.readouterr().out
        assert main(["score", str(french)]) == 0
        assert capsys.readouterr().out == original

    def test_bad_answers_name_the_line_and_question_and_write_nothing(
        self, tmp_path: Path, bank: Bank, answers: dict[str, dict[str, int]]
    ) -> None:
        question_ids = [q.id for q in bank.questions]
        dropped, off_scale = question_ids[-1], question_ids[3]
        path = tmp_path / "answers.csv"
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["id", *question_ids[:-1]])
            for n, (person, values) in enumerate(answers.items()):
                # Line 1 is the header, so the third person is on line 4.
                row = [7 if n == 2 and q == off_scale else values[q] for q in question_ids[:-1]]
                writer.writerow([person, *row])
        output = tmp_path / "scores.csv"
        result = run_quiz("score", str(path), "--output", str(output))
        assert result.returncode == 1
        lines = result.stderr.splitlines()
        assert f"answers.csv:4: {off_scale}: '7' is not an answer: use 1 to 5." in lines
        assert any(line.startswith("answers.csv:1:") and dropped in line for line in lines), result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert not output.exists()

    def test_a_question_given_two_columns_is_a_message(
        self, tmp_path: Path, bank: Bank, capsys: pytest.CaptureFixture[str]
    ) -> None:
        question_ids = [q.id for q in bank.questions]
        path = tmp_path / "answers.csv"
        path.write_text(",".join([*question_ids, question_ids[0]]) + "\n" + ",".join(["3"] * 57) + "\n", "utf-8")

        assert main(["score", str(path)]) == 1
        assert f"answers.csv:1: {question_ids[0]}: the same question as the column" in capsys.readouterr().err

    def test_an_answers_file_with_no_rows_is_a_message(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "answers.csv"
        path.write_text("id,tech_1\n", encoding="utf-8")
        assert main(["score", str(path)]) == 1
        err = capsys.readouterr().err
        assert "answers.csv:1: no answers" in err and "missing question column(s)" in err

    def test_a_missing_answers_file_is_a_message(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["score", str(tmp_path / "nobody.csv")]) == 1
        assert "nobody.csv:0: cannot read the file" in capsys.readouterr().err


class TestScoreCommandWithStatementsNotAsked:
    def test_blank_cells_are_statements_not_asked_and_score_from_the_rest(
        self, tmp_path: Path, bank: Bank, capsys: pytest.CaptureFixture[str]
    ) -> None:
        question_ids = [q.id for q in bank.questions]
        asked = {q.id: 4 if q.keyed > 0 else 2 for q in bank.questions if q.dimension != "data" or q.id == "data_1"}
        path = tmp_path / "answers.csv"
        path.write_text(
            ",".join(["id", *question_ids]) + "\n" + ",".join(["ana", *(str(asked.get(q, "")) for q in question_ids)]),
            encoding="utf-8",
        )
        assert main(["score", str(path)]) == 0
        row = read_csv(capsys.readouterr().out)[0]
        assert int(row["answered"]) == len(asked)
        assert float(row["data"]) == pytest.approx(75.0)  # from data_1 alone
        assert float(row["tech"]) == pytest.approx(75.0)
        result = person_result(bank, asked)
        assert row["match_1"] == result.most_likely.role_id
        assert int(row["tied_top"]) == len(result.too_close_to_call)

    def test_every_match_carries_a_probability_and_they_sum_to_at_most_one(
        self, scored: subprocess.CompletedProcess[str]
    ) -> None:
        for row in read_csv(scored.stdout):
            probabilities = [float(row[f"match_{k}_probability"]) for k in (1, 2, 3)]
            assert probabilities == sorted(probabilities, reverse=True)
            assert all(0 <= p <= 1 for p in probabilities) and sum(probabilities) <= 1.0005
            assert int(row["tied_top"]) >= 1


class TestReplayCommand:
    def test_replay_writes_one_row_per_person_and_prints_the_summary_last(
        self, tmp_path: Path, answers_csv: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        output = tmp_path / "replay.csv"
        assert main(["replay", str(answers_csv), "--output", str(output)]) == 0
        rows = read_csv(output.read_text("utf-8"))
        assert len(rows) == PEOPLE
        assert list(rows[0]) == [
            "person",
            "asked",
            "asked_ids",
            "match_1",
            "match_1_probability",
            "tied_top",
            "full_match_1",
            "agrees",
        ]
        for row in rows:
            ids = row["asked_ids"].split("|")
            assert len(ids) == int(row["asked"]) == len(set(ids))
            assert int(row["asked"]) % 5 == 0 or int(row["asked"]) == 56
            assert row["agrees"] == str(row["match_1"] == row["full_match_1"])
        lines = capsys.readouterr().out.splitlines()
        assert lines[-2].startswith("median asked: ") and lines[-1].startswith("agreement with the full form")

    def test_a_role_played_person_is_replayed_to_their_role(
        self, tmp_path: Path, bank: Bank, capsys: pytest.CaptureFixture[str]
    ) -> None:
        cto_answers = persona_answers(bank, "cto")
        path = tmp_path / "answers.csv"
        ids = [q.id for q in bank.questions]
        path.write_text(",".join(ids) + "\n" + ",".join(str(cto_answers[q]) for q in ids) + "\n", encoding="utf-8")
        assert main(["replay", str(path)]) == 0
        row = read_csv(capsys.readouterr().out)[0]
        assert (row["match_1"], row["full_match_1"], row["agrees"]) == ("cto", "cto", "True")
        assert int(row["asked"]) < len(ids)

    def test_replay_refuses_blank_cells_naming_them(self, tmp_path: Path, bank: Bank) -> None:
        path = tmp_path / "answers.csv"
        ids = [q.id for q in bank.questions]
        path.write_text(
            ",".join(ids) + "\n" + ",".join("" if q == "ux_3" else "3" for q in ids) + "\n", encoding="utf-8"
        )
        result = run_quiz("replay", str(path))
        assert result.returncode == 1
        assert "answers.csv:2: ux_3: blank: replay needs every answer" in result.stderr
