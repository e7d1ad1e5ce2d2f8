"""Packaging: `pip install .` gives a working package, and the pinned requirement files say the
same as pyproject.toml.

The wheel is built for real (pip, isolated build with the pinned setuptools) and unpacked in a
folder outside the project; `python -m quiz validate` run from there proves that the banks,
strings, migrations and fonts ship inside the package rather than being found in the checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.support.paths import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins(path: Path) -> list[str]:
    """The requirement lines of a requirements file: no comments, no `-r` includes."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def normalised(requirements: list[str]) -> list[str]:
    # Package names compare without regard to case, `-`, `_` and `.` (PEP 503).
    return sorted(
        re.sub(r"^[A-Za-z0-9._-]+", lambda m: re.sub(r"[-_.]+", "-", m.group().lower()), r) for r in requirements
    )


class TestRequirementFiles:
    def test_the_runtime_pins_are_the_project_dependencies(self) -> None:
        assert normalised(pins(ROOT / "requirements.txt")) == normalised(PYPROJECT["project"]["dependencies"])

    def test_the_dev_pins_are_the_dev_extra(self) -> None:
        dev = PYPROJECT["project"]["optional-dependencies"]["dev"]

        assert normalised(pins(ROOT / "requirements-dev.txt")) == normalised(dev)

    def test_the_dev_file_includes_the_runtime_file(self) -> None:
        assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")

    def test_every_requirement_is_pinned_to_one_version(self) -> None:
        for requirement in [*pins(ROOT / "requirements.txt"), *pins(ROOT / "requirements-dev.txt")]:
            assert re.fullmatch(r"[A-Za-z0-9._-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.]*", requirement), requirement


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("career_quiz-*.whl")
    return built


class TestTheWheel:
    def test_it_holds_the_data_strings_migrations_fonts_and_pages(self, wheel: Path) -> None:
        names = set(zipfile.ZipFile(wheel).namelist())
        expected = {
            *(f"quiz/data/{path.name}" for path in (ROOT / "quiz" / "data").glob("*.csv")),
            *(f"quiz/locales/{path.name}" for path in (ROOT / "quiz" / "locales").glob("*.toml")),
            "quiz/migrations/env.py",
            "quiz/migrations/script.py.mako",
            *(
                f"quiz/migrations/versions/{path.name}"
                for path in (ROOT / "quiz" / "migrations" / "versions").glob("*.py")
            ),
            "quiz/fonts/DejaVuSans.ttf",
            "quiz/fonts/DejaVuSans-Bold.ttf",
        }

        assert expected - names == set()

    def test_the_installed_package_validates_its_banks_away_from_the_checkout(
        self, wheel: Path, tmp_path: Path
    ) -> None:
        site = tmp_path / "site"
        zipfile.ZipFile(wheel).extractall(site)
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()

        result = subprocess.run(
            [sys.executable, "-m", "quiz", "validate"],
            cwd=elsewhere,
            env={**os.environ, "PYTHONPATH": str(site)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

        assert result.returncode == 0, result.stderr
        assert str(site / "quiz" / "data") in result.stdout
