"""`python -m quiz reliability` and `python -m quiz calibrate`, end to end on a copy of the bank."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from quiz.banks import load_bank
from quiz.cli import main
from quiz.measurement import estimate_matrix, standard_error
from quiz.model import Bank
from tests.support.bankfixtures import DATA_DIR
from tests.support.paths import ROOT
from tests.unit.test_reliability import simulate


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def answers_csv(bank: Bank, path: Path, people: int, missing: float = 0.2, seed: int = 1) -> Path:
    values = simulate(bank, people, seed=seed, missing=missing)
    frame = pd.DataFrame(values, columns=[q.id for q in bank.questions]).astype("Int64")
    frame.insert(0, "pseudonym", [f"p{i}" for i in range(people)])
    frame.to_csv(path, index=False)  # blank cells: not asked
    return path


class TestReliabilityCommand:
    def test_writes_the_three_tables(self, bank: Bank, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        answers = answers_csv(bank, tmp_path / "answers.csv", 60)
        out, items, people = tmp_path / "report.csv", tmp_path / "items.csv", tmp_path / "people.csv"
        argv = ["reliability", str(answers), "--output", str(out), "--items", str(items), "--people", str(people)]
        assert main(argv) == 0
        report = pd.read_csv(out)
        assert list(report.columns[:7]) == ["dimension", "n", "alpha", "alpha_low", "alpha_high", "omega", "sem"]
        assert list(report["dimension"]) == list(bank.dimension_ids) and (report["n"] == 60).all()
        assert (report["alpha_low"] < report["alpha"]).all() and (report["alpha"] < report["alpha_high"]).all()
        item_table = pd.read_csv(items)
        assert list(item_table.columns[:4]) == ["question", "dimension", "item_total", "alpha_if_deleted"]
        assert len(item_table) == len(bank.questions)
        person_table = pd.read_csv(people, keep_default_na=False)
        assert list(person_table["person"]) == [f"p{i}" for i in range(60)]
        assert "good" in capsys.readouterr().out

    def test_too_few_people_says_why_and_leaves_blanks(self, bank: Bank, tmp_path: Path) -> None:
        answers = answers_csv(bank, tmp_path / "answers.csv", 2, missing=0.0)
        assert main(["reliability", str(answers), "--output", str(tmp_path / "r.csv")]) == 0
        report = pd.read_csv(tmp_path / "r.csv", keep_default_na=False)
        assert (report["alpha"] == "").all() and (report["reason"] == "too_few_people").all()
        assert (report["level"] == "too_few_people").all()

    def test_bad_answers_give_a_message_and_no_traceback(self, bank: Bank, tmp_path: Path) -> None:
        path = answers_csv(bank, tmp_path / "answers.csv", 5)
        text = path.read_text(encoding="utf-8").splitlines()
        text[2] = text[2].replace(",", ",9", 1) if ",," in text[2] else text[2][:-1] + "9"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "quiz", "reliability", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 1 and "Traceback" not in run.stderr and "nothing was done" in run.stderr


class TestCalibrateCommand:
    def test_writes_measured_reliabilities_that_validate_and_the_matching_uses(
        self, bank: Bank, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        answers = answers_csv(bank, tmp_path / "answers.csv", 80, missing=0.0)
        before = (data / "dimensions.csv").read_text(encoding="utf-8")
        assert main(["calibrate", str(answers), "--data", str(data), "--yes"]) == 0
        out = capsys.readouterr().out
        assert "assumed:2026-12" in out and "measured:" in out and "the bank validates" in out
        calibrated = load_bank(data)  # the validator accepts the file
        for old, new in zip(bank.dimensions, calibrated.dimensions, strict=True):
            assert new.reliability_source.startswith("measured:") and new.reliability_source.endswith(":n=80")
            assert new.reliability != old.reliability or new.reliability == pytest.approx(0.83)
        # Every other cell is unchanged.
        after = pd.read_csv(data / "dimensions.csv", dtype=str)
        original = pd.read_csv(pd.io.common.StringIO(before), dtype=str)
        others = [c for c in original.columns if c not in ("reliability", "reliability_source")]
        pd.testing.assert_frame_equal(after[others], original[others])
        # The precision the matching uses is the new one.
        one = np.full((1, len(bank.questions)), 4.0)
        _, errors_before, _ = estimate_matrix(bank, one)
        _, errors_after, _ = estimate_matrix(calibrated, one)
        for d, dimension in enumerate(calibrated.dimensions):
            assert errors_after[0, d] == pytest.approx(standard_error(dimension, 8, 8))
        assert not np.allclose(errors_before, errors_after)

    def test_asks_before_writing_and_a_no_changes_nothing(
        self, bank: Bank, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        answers = answers_csv(bank, tmp_path / "answers.csv", 40)
        before = (data / "dimensions.csv").read_bytes()
        monkeypatch.setattr("builtins.input", lambda prompt: "n")
        assert main(["calibrate", str(answers), "--data", str(data)]) == 1
        assert (data / "dimensions.csv").read_bytes() == before

    def test_too_few_people_changes_nothing(self, bank: Bank, data: Path, tmp_path: Path) -> None:
        answers = answers_csv(bank, tmp_path / "answers.csv", 12)
        before = (data / "dimensions.csv").read_bytes()
        run = subprocess.run(
            [sys.executable, "-m", "quiz", "calibrate", str(answers), "--data", str(data), "--yes"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 1 and "Traceback" not in run.stderr and "unchanged" in run.stderr
        assert "fewer than 30 people" in run.stdout
        assert (data / "dimensions.csv").read_bytes() == before

    def test_a_broken_bank_is_reported_and_left_alone(self, bank: Bank, data: Path, tmp_path: Path) -> None:
        answers = answers_csv(bank, tmp_path / "answers.csv", 40)
        (data / "roles.csv").write_text("id\n", encoding="utf-8")
        before = (data / "dimensions.csv").read_bytes()
        assert main(["calibrate", str(answers), "--data", str(data), "--yes"]) == 1
        assert (data / "dimensions.csv").read_bytes() == before
