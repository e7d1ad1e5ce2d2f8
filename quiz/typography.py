"""French typography and house conventions: the problems a French reader notices at once.

`french_problems(text)` lists every problem found in one French text, each with its position, so
that a test (or a translator's tool) can say exactly what to change. `fix_spacing(text)` puts
the right non-breaking spaces in, for the rules that can be fixed mechanically.

Rules (the house conventions are stated in the README, "French typography and inclusive writing"):

- `space_before`: the "high" punctuation `:` `;` `?` `!` is preceded by a non-breaking space,
  U+00A0 or U+202F (narrow, the Imprimerie nationale's choice before `;` `?` `!`); either is
  accepted here. An ordinary space there lets a line break strand the sign at the start of a
  line. The banks use U+00A0 only: Windows-1252, the encoding Excel may save them in, has no
  U+202F (a bank test checks it). Not checked: a colon between digits (`10:30`) or in a URL (`https://`), and a sign
  right after another one (`?!`, the space goes before the first).
- `space_after`: those signs are followed by a space, the end of the text, or a closing sign.
- `guillemets`: French quotes are « » with a non-breaking space inside each.
- `straight_quote`: a straight double quote `"` in French text: use « ».
- `apostrophe`: one apostrophe convention per text set. The banks and UI strings use the straight
  apostrophe U+0027 (`l'entreprise`): it is what every keyboard and spreadsheet types, and the
  coach's import matches question texts exactly, so a mix would break matching. The curly one
  (U+2019) is then a problem; with `apostrophe="’"` it is the other way round.
- `percent`: a non-breaking space between a number and `%` (`90 %`).
- `inclusive`: our inclusive-writing convention (README): no parenthesised or dotted feminine
  endings such as `développeur(se)`, `chargé(e)`, `développeur·euse`; write both words in full
  (`développeurs et développeuses`), an epicene wording (`l'équipe de développement`), or, in a
  role's name, the ROME style of France Travail (`Développeur / Développeuse`).
- `anglicism`: wordings borrowed from English that read as translations (`vs`, `aligner avec`,
  `pousser pour`), each with the French to use instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ANGLICISMS",
    "NARROW_NBSP",
    "NBSP",
    "Apostrophe",
    "Rule",
    "TypographyProblem",
    "fix_spacing",
    "french_problems",
]

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
_HARD_SPACES = NBSP + NARROW_NBSP

Rule = Literal[
    "space_before", "space_after", "guillemets", "straight_quote", "apostrophe", "percent", "inclusive", "anglicism"
]
Apostrophe = Literal["'", "’"]

# Wordings that read as translated from English, and what to write instead.
ANGLICISMS: dict[str, str] = {
    r"\bvs\b\.?": "« ou », « face à » ou « contre »",
    r"\balign(?:er|e|es|ez|é|ée|és|ées|ent)\b[^.;:!?]{0,40}?\bavec\b": "« aligner sur » (ou « mettre en accord avec »)",
    r"\bpouss(?:er|e|ent|ait|aient)\s+pour\b": "« défendre », « plaider pour » ou « privilégier »",
    r"\bplutôt qu'(?=[a-zé]+er\b|[a-zé]+ir\b|[a-zé]+re\b)": "« plutôt que de » devant un infinitif",
}

_HIGH = ":;?!"
_INCLUSIVE = re.compile(
    r"\w\((?:e|es|se|ses|euse|euses|rice|rices|trice|trices|ne|nes|le|les)\)"  # développeur(se)
    r"|\w[·•][a-zé]{1,6}\b"  # développeur·euse, chargé·es
    r"|\w\.(?:e|es|euse|euses|rice|rices|trice|trices)\b"  # chargé.e
)


@dataclass(frozen=True)
class TypographyProblem:
    """One problem in a French text: which rule, where (0-based index), the text around it and
    what to do."""

    rule: Rule
    position: int
    excerpt: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule} at {self.position} ({self.excerpt!r}): {self.message}"


def _excerpt(text: str, position: int, width: int = 12) -> str:
    return text[max(0, position - width) : position + width + 1]


def _skipped(text: str, i: int) -> bool:
    """A high sign that the spacing rules leave alone: in a URL or a time, or doubled (`?!`)."""
    sign = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if sign == ":" and (text[i + 1 : i + 3] == "//" or (before.isdigit() and after.isdigit())):
        return True
    return before in _HIGH and before != ""


def french_problems(text: str, *, apostrophe: Apostrophe = "'") -> list[TypographyProblem]:
    """Every typography or convention problem of one French text, in reading order.

    Args:
        text: the French text, as shown (markdown markers are plain characters here).
        apostrophe: the apostrophe of the convention; the other one is reported.

    Returns:
        The problems, sorted by position; empty when the text follows every rule.
    """
    problems: list[TypographyProblem] = []

    def add(rule: Rule, position: int, message: str) -> None:
        problems.append(TypographyProblem(rule, position, _excerpt(text, position), message))

    for i, char in enumerate(text):
        if char in _HIGH and not _skipped(text, i):
            before = text[i - 1] if i else ""
            if before not in _HARD_SPACES:
                what = "an ordinary space" if before == " " else "no space"
                add("space_before", i, f"{what} before {char!r}: put a non-breaking space (U+00A0) before it.")
            after = text[i + 1] if i + 1 < len(text) else ""
            if after and not after.isspace() and after not in _HIGH + ")]»\"'*_":
                add("space_after", i, f"no space after {char!r}: add one.")
        elif char == "«" and (i + 1 >= len(text) or text[i + 1] not in _HARD_SPACES):
            add("guillemets", i, "put a non-breaking space (U+00A0 or U+202F) after «.")
        elif char == "»" and (i == 0 or text[i - 1] not in _HARD_SPACES):
            add("guillemets", i, "put a non-breaking space (U+00A0 or U+202F) before ».")
        elif char == '"':
            add("straight_quote", i, "a straight double quote in French: use « » (with non-breaking spaces inside).")
        elif char in "'’" and char != apostrophe:
            add("apostrophe", i, f"use the convention's apostrophe {apostrophe!r}, not {char!r}.")
        elif char == "%" and i and (text[i - 1].isdigit() or text[i - 1] == " "):
            add("percent", i, "put a non-breaking space (U+00A0 or U+202F) between the number and %.")
    for match in _INCLUSIVE.finditer(text):
        add(
            "inclusive",
            match.start(),
            f"{match.group()!r}: write both forms in full, an epicene word, or in a role name "
            "the ROME style (Développeur / Développeuse).",
        )
    for pattern, instead in ANGLICISMS.items():
        for match in re.finditer(pattern, text, flags=re.IGNORECASE):
            add("anglicism", match.start(), f"{match.group()!r} reads as translated from English: write {instead}.")
    return sorted(problems, key=lambda p: (p.position, p.rule))


def fix_spacing(text: str, *, narrow: bool = False) -> str:
    """The text with the spacing rules applied: a non-breaking space before `:` `;` `?` `!` and
    `%` and inside « ». Only spaces change; the other rules need a person's judgement.

    Args:
        text: a French text.
        narrow: use U+202F before `;` `?` `!` (typeset text such as a PDF); by default U+00A0
            everywhere, which every encoding the banks may be saved in can hold.
    """
    thin = NARROW_NBSP if narrow else NBSP
    out: list[str] = []
    for i, char in enumerate(text):
        if char in _HIGH and not _skipped(text, i):
            while out and out[-1] in " " + _HARD_SPACES:
                out.pop()
            if out:
                out.append(NBSP if char == ":" else thin)
            out.append(char)
        elif char == "»":
            while out and out[-1] in " " + _HARD_SPACES:
                out.pop()
            out.extend((NBSP, char))
        elif char == "%" and out and (out[-1].isdigit() or out[-1] == " "):
            if out[-1] == " ":
                out.pop()
            out.extend((NBSP, char))
        elif char in " " + _HARD_SPACES and len(out) > 1 and out[-2:] == ["«", NBSP]:
            continue
        else:
            out.append(char)
            if char == "«":
                out.append(NBSP)
    return "".join(out)
