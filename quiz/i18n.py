"""UI strings, one TOML file per language in `quiz/locales/`, editable by a translator.

Keys are dotted paths (`home.title`); values may hold `{placeholders}` filled by `Strings.t`.
A test checks that every key and every placeholder exists in every language.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from quiz.model import LANGUAGES, Lang

__all__ = ["LOCALES_DIR", "Strings", "pick_language", "strings"]

LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{path}."))
        else:
            flat[path] = str(value)
    return flat


@dataclass(frozen=True)
class Strings:
    """The UI text of one language."""

    lang: Lang
    table: dict[str, str]

    def t(self, key: str, **values: object) -> str:
        """The text for `key` with its placeholders filled; the key itself if it is missing, so
        a forgotten translation shows up on screen instead of crashing the page."""
        text = self.table.get(key, key)
        return text.format(**values) if values else text


@cache
def strings(lang: Lang, locales_dir: Path = LOCALES_DIR) -> Strings:
    """Load the strings of `lang` (cached: the files do not change while the app runs)."""
    with open(locales_dir / f"{lang}.toml", "rb") as handle:
        return Strings(lang, _flatten(tomllib.load(handle)))


def pick_language(locale: str | None) -> Lang:
    """The app's language for a browser locale such as "en-GB": English if the browser asks for
    English, French for everything else (French is the seeds' language)."""
    code = (locale or "").split("-")[0].split("_")[0].lower()
    return "en" if code == "en" and "en" in LANGUAGES else "fr"
