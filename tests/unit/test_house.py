"""House rules: `quiz/` is a plain library that never needs Streamlit; on the Streamlit side,
one module owns the session state and one the table of pages.

The CLI, the benchmark and the tests score people without a browser; if a module of `quiz/`
pulled Streamlit in, they would all pay its start-up time and its global state. On the
Streamlit side, a key set in several files, or a page named in several, is what a newcomer
misses when changing it.
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
STREAMLIT_FILES = sorted([ROOT / "app.py", *(ROOT / "webapp").rglob("*.py")])
ROUTES = ROOT / "webapp" / "routes.py"
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
        # webapp/ is the Streamlit side: the scan must report it there, or it proves nothing above.
        assert "streamlit" in imported_modules(ROOT / "webapp" / "widgets.py")
        assert "streamlit" in imported_modules(ROOT / "webapp" / "pages" / "quiz.py")


SCORING_SIDE = ["quiz.scoring", "quiz.matching", "quiz.cli"]


class TestImportingQuizInAFreshInterpreter:
    @pytest.mark.parametrize("module", SCORING_SIDE)
    def test_importing_the_scoring_side_does_not_load_streamlit(self, module: str) -> None:
        assert streamlit_loaded_after_importing(module) == []

    @pytest.mark.parametrize("module", [m for m in QUIZ_MODULES if m not in SCORING_SIDE])
    def test_no_other_quiz_module_loads_streamlit_even_indirectly(self, module: str) -> None:
        assert streamlit_loaded_after_importing(module) == []

    def test_the_check_does_notice_a_module_that_loads_streamlit(self) -> None:
        assert "streamlit" in streamlit_loaded_after_importing("webapp.widgets")


def source_mentions(path: Path, text: str) -> bool:
    """Whether `text` appears in the file's code (names and attributes, not its docstrings)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        (isinstance(node, ast.Attribute) and node.attr == text) or (isinstance(node, ast.Name) and node.id == text)
        for node in ast.walk(tree)
    )


def string_literals(path: Path) -> list[str]:
    """The string constants of the file's code, docstrings excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def label(path: Path) -> str:
    return str(path.relative_to(ROOT))


class TestStreamlitSide:
    def test_the_streamlit_side_is_where_the_checks_below_look(self) -> None:
        names = {label(path) for path in STREAMLIT_FILES}

        assert {"app.py", "webapp/state.py", "webapp/routes.py", "webapp/pages/results.py"} <= names

    @pytest.mark.parametrize("path", STREAMLIT_FILES, ids=label)
    def test_only_the_state_module_touches_the_session_state(self, path: Path) -> None:
        # Every key with its default in webapp/state.py: a page never sets one of its own.
        assert source_mentions(path, "session_state") == (path == ROOT / "webapp" / "state.py")

    @pytest.mark.parametrize("path", [p for p in STREAMLIT_FILES if p != ROUTES], ids=label)
    def test_only_the_routes_name_a_page_script(self, path: Path) -> None:
        # Pages are switched to by name (`routes.switch_to("quiz")`), from the one table.
        assert [s for s in string_literals(path) if s.endswith(".py") or "pages/" in s] == []
        assert not source_mentions(path, "switch_page")
        assert not source_mentions(path, "Page")

    def test_the_checks_do_notice_the_session_state_a_page_script_and_a_page_switch(self) -> None:
        assert source_mentions(ROOT / "webapp" / "state.py", "session_state")
        assert "webapp/pages/" in string_literals(ROUTES)
        assert source_mentions(ROUTES, "switch_page")
        assert source_mentions(ROUTES, "Page")
