"""UI strings: both languages hold the same keys and placeholders, and every key the code asks
for exists."""

from __future__ import annotations

import ast
import re
import string
import tomllib
from pathlib import Path
from typing import get_args

import pytest

from quiz.banks import WEIGHTS
from quiz.i18n import LOCALES_DIR, Strings, pick_language, strings
from quiz.imports import REASONS
from quiz.links import LinkErrorReason
from quiz.model import FAMILIES, LEVELS, SECTIONS
from quiz.result import FLAT_REASONS
from quiz.scoring import SCALE
from quiz.sessions import JoinErrorReason, SecretErrorReason
from quiz.typography import french_problems
from tests.support.paths import ROOT

# Every file that can show a string: the entry point, the Streamlit side and the domain.
CODE = sorted([ROOT / "app.py", *(ROOT / "webapp").rglob("*.py"), *(ROOT / "quiz").rglob("*.py")])

# Keys the code builds from a prefix and a value, and every value the prefix is used with.
BUILT_KEYS = {
    "family.": FAMILIES,
    "level.": LEVELS,
    "section.": (*SECTIONS, "path"),
    "scale.": tuple(str(v) for v in SCALE),
    "results.flat_": FLAT_REASONS,
    "weight.": tuple(str(w) for w in WEIGHTS),
    "links.error_": get_args(LinkErrorReason),
    "group.join_": get_args(JoinErrorReason),
    "group.save_": tuple(r for r in get_args(JoinErrorReason) if r != "rate_limited"),  # what a save can meet
    "coach.secret_": get_args(SecretErrorReason),
    "imports.": tuple(REASONS),
}


def flat_keys(path: Path) -> dict[str, str]:
    """The TOML file as dotted key -> text, read independently of quiz.i18n."""

    def walk(table: dict[str, object], prefix: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in table.items():
            if isinstance(value, dict):
                out |= walk(value, f"{prefix}{key}.")
            else:
                assert isinstance(value, str), f"{path.name}: {prefix}{key} is not a string"
                out[f"{prefix}{key}"] = value
        return out

    with open(path, "rb") as handle:
        return walk(tomllib.load(handle), "")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def strings_asked_for(path: Path) -> list[tuple[int, str]]:
    """Every string literal in the key argument of a `.t(...)` call, with its line: whole keys
    such as "quiz.next" (both branches of `"a" if x else "b"` included) and the constant parts of
    built keys such as `"family." + f` or f"scale.{v}". The condition of `"a" if x else "b"` is
    not part of the key (`"a" if role.source == "ours" else "b"`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "t" and node.args:
            found.extend(key_parts(node.args[0]))
    return found


def key_parts(node: ast.AST) -> list[tuple[int, str]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.lineno, node.value)]
    children = [node.body, node.orelse] if isinstance(node, ast.IfExp) else ast.iter_child_nodes(node)
    return [part for child in children for part in key_parts(child)]


EN = flat_keys(LOCALES_DIR / "en.toml")
FR = flat_keys(LOCALES_DIR / "fr.toml")


class TestLocaleFiles:
    def test_english_and_french_have_exactly_the_same_keys(self) -> None:
        assert sorted(set(EN) - set(FR)) == [], "keys missing in fr.toml"
        assert sorted(set(FR) - set(EN)) == [], "keys missing in en.toml"

    def test_each_key_has_the_same_placeholders_in_both_languages(self) -> None:
        different = {
            key: (sorted(placeholders(EN[key])), sorted(placeholders(FR[key])))
            for key in set(EN) & set(FR)
            if placeholders(EN[key]) != placeholders(FR[key])
        }

        assert different == {}

    def test_no_text_is_left_empty(self) -> None:
        assert [k for k, v in EN.items() if not v.strip()] == []
        assert [k for k, v in FR.items() if not v.strip()] == []

    def test_the_loader_reads_the_same_keys_as_the_files(self) -> None:
        assert strings("en").table == EN
        assert strings("fr").table == FR


class TestKeysUsedInCode:
    def test_every_file_that_can_show_a_string_is_scanned(self) -> None:
        # A misspelt key in a module missing from CODE would pass the whole suite.
        scanned = {str(path.relative_to(ROOT)) for path in CODE}

        assert {"app.py", "webapp/seat.py", "webapp/pages/results.py", "quiz/report.py"} <= scanned
        assert {"webapp/pages/dashboard.py", "webapp/login.py", "quiz/sessions/store.py"} <= scanned

    def test_the_search_finds_the_keys_the_code_uses(self) -> None:
        # Guards the search itself: if it found nothing, the tests below would pass vacuously.
        found = {value for path in CODE for _, value in strings_asked_for(path)}

        assert {"quiz.next", "quiz.finish", "chart.you", "explain.no_gap", "family.", "results.flat_"} <= found

    @pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
    def test_every_literal_key_exists_and_every_built_key_has_a_known_prefix(self, path: Path) -> None:
        problems = []
        for line, value in strings_asked_for(path):
            if value in BUILT_KEYS:
                continue
            if value not in EN:
                problems.append(f"{path.name}:{line}: {value!r} is neither a key of en.toml nor a known prefix")

        assert problems == []

    @pytest.mark.parametrize(("prefix", "values"), BUILT_KEYS.items())
    def test_every_built_key_exists_in_both_languages(self, prefix: str, values: tuple[str, ...]) -> None:
        keys = [prefix + value for value in values]

        assert [k for k in keys if k not in EN] == []
        assert [k for k in keys if k not in FR] == []


class TestStrings:
    def test_placeholders_are_filled(self) -> None:
        text = strings("en").t("explain.largest_gap", dimension="data orientation", you=20, target=60)

        assert text == "The largest gap is data orientation (you: 20, role: 60)."

    def test_a_missing_key_shows_the_key_instead_of_crashing(self) -> None:
        assert Strings("en", {}).t("nowhere.to_be_found") == "nowhere.to_be_found"

    def test_each_language_loads_its_own_text(self) -> None:
        assert strings("en").t("nav.home") == "Home"
        assert strings("fr").t("nav.home") == "Accueil"
        assert strings("fr").lang == "fr"


class TestPickLanguage:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("en-GB", "en"),
            ("en-US", "en"),
            ("en", "en"),
            ("EN_us", "en"),
            ("fr-FR", "fr"),
            ("fr", "fr"),
            ("de-DE", "fr"),
            ("", "fr"),
            (None, "fr"),
        ],
    )
    def test_english_browsers_get_english_and_every_other_locale_french(
        self, locale: str | None, expected: str
    ) -> None:
        assert pick_language(locale) == expected


# An icon shortcode such as ":material/group:" is markup, not French punctuation.
ICON = re.compile(r":material/[a-z_]+:")


class TestFrenchTypography:
    def test_every_french_ui_string_follows_french_typography(self) -> None:
        # A no-break space before : ; ? ! and inside « », no anglicisms such as "vs": the same
        # rules as the banks (quiz.typography), for every string the app, the PDF and the
        # exports show in French.
        problems = {
            key: [f"{p.rule}: {p.excerpt!r}" for p in french_problems(ICON.sub("", text))]
            for key, text in strings("fr").table.items()
        }

        assert {key: found for key, found in problems.items() if found} == {}

    def test_the_check_does_see_a_missing_no_break_space(self) -> None:
        assert [p.rule for p in french_problems("Et si ?")] == ["space_before"]
