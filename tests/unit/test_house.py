"""House rules: `quiz/` is a plain library that never needs Streamlit.

The CLI, the benchmark and the tests score people without a browser; if a module of `quiz/`
pulled Streamlit in, they would all pay its start-up time and its global state.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

QUIZ_FILES = sorted((ROOT / "quiz").rglob("*.py"))
# Every importable module of the package; __main__ would run the CLI on import, and the
# migrations run only inside Alembic.
QUIZ_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for path in QUIZ_FILES
    if path.name != "__main__.py" and "migrations" not in path.parts
)


def imported_modules(path: Path) -> set[str]:
    """Every module named by an import statement anywhere in the file (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def streamlit_loaded_after_importing(module: str) -> list[str]:
    """The streamlit modules in sys.modules after importing `module` in a fresh interpreter."""
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


class TestQuizSources:
    def test_the_package_has_the_modules_the_app_relies_on(self) -> None:
        # Guards the checks below against an empty or misplaced file list.
        names = {path.name for path in QUIZ_FILES}

        assert {"scoring.py", "matching.py", "explain.py", "charts.py", "i18n.py", "banks.py", "cli.py"} <= names

    @pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: str(p.relative_to(ROOT)))
    def test_no_module_under_quiz_imports_streamlit(self, path: Path) -> None:
        streamlit = sorted(name for name in imported_modules(path) if name.split(".")[0] == "streamlit")

        assert streamlit == []

    def test_the_import_scan_does_see_streamlit_where_it_is_used(self) -> None:
        # ui.py is the Streamlit side: the scan must report it there, or it proves nothing above.
        assert "streamlit" in imported_modules(ROOT / "ui.py")


SCORING_SIDE = ["quiz.scoring", "quiz.matching", "quiz.cli"]


class TestImportingQuizInAFreshInterpreter:
    @pytest.mark.parametrize("module", SCORING_SIDE)
    def test_importing_the_scoring_side_does_not_load_streamlit(self, module: str) -> None:
        assert streamlit_loaded_after_importing(module) == []

    @pytest.mark.parametrize("module", [m for m in QUIZ_MODULES if m not in SCORING_SIDE])
    def test_no_other_quiz_module_loads_streamlit_even_indirectly(self, module: str) -> None:
        assert streamlit_loaded_after_importing(module) == []

    def test_the_check_does_notice_a_module_that_loads_streamlit(self) -> None:
        assert "streamlit" in streamlit_loaded_after_importing("ui")
