""" "My data": a person's answers, scores and matches as files to download.

Three tidy CSV tables, one kind of row each (answers: one per question; scores: one per
dimension; matches: one per role), and one JSON document holding all of it with the bank version,
the language and when it was made. Texts are in the person's language; ids stay as in the bank,
so files from French and English sessions line up.

Rule for spreadsheets: a text cell beginning with = + - @ (or a tab or carriage return) is a
formula to Excel, LibreOffice and Google Sheets, which would run it when the file is opened
(OWASP "CSV injection"). Such cells are written with a leading apostrophe, which spreadsheets
read as "this is text". Numbers are written as numbers and never changed: -1 is not a formula.

The CSV text has no byte-order mark; encode it with `CSV_ENCODING` for a download, so that Excel
reads the accents of French texts as UTF-8 and not as Windows-1252.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook

from quiz.group import TOP, Participant, answer_matrix, display_names, group_frame, group_reliability
from quiz.i18n import Strings, strings
from quiz.matching import Ranking
from quiz.model import Bank, Lang
from quiz.reliability import dimension_frame, item_frame, people_frame, word_key
from quiz.scoring import DimensionScores, check_answers, quiz_order

__all__ = [
    "ANSWER_COLUMNS",
    "CSV_ENCODING",
    "MATCH_COLUMNS",
    "SCORE_COLUMNS",
    "ExportError",
    "answers_csv",
    "matches_csv",
    "my_data_json",
    "neutralise_cell",
    "reliability_sheet",
    "scores_csv",
    "session_csv",
    "session_frame",
    "session_xlsx",
]

CSV_ENCODING = "utf-8-sig"
ANSWER_COLUMNS = ("question_id", "dimension", "keyed", "statement", "answer")
SCORE_COLUMNS = ("dimension_id", "dimension", "score")
MATCH_COLUMNS = ("rank", "role_id", "role", "match", "probability", "tied_with_top")

# What spreadsheets take for the start of a formula (= + - @) or split into one (tab, CR).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


class ExportError(ValueError):
    """Scores or a ranking that do not belong to the bank being exported with them."""


def neutralise_cell(value: Cell) -> Cell:
    """The cell as a spreadsheet should show it: text beginning with = + - @, a tab or a carriage
    return gets a leading apostrophe so it is not run as a formula; anything else is unchanged.

    >>> neutralise_cell("=HYPERLINK(...)")
    "'=HYPERLINK(...)"
    >>> neutralise_cell(-1)
    -1
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def answers_csv(bank: Bank, answers: Mapping[str, int], lang: Lang) -> str:
    """One row per question, in the order they were asked: question id, dimension id, keyed (1, or
    -1 when agreeing lowers the dimension), the statement in `lang`, and the answer 1-5 (empty if
    not answered yet).

    Raises:
        AnswerError: an unknown question id, or a value that is not a whole number from 1 to 5.
    """
    check_answers(bank, answers, complete=False)
    rows = ((q.id, q.dimension, q.keyed, q.text(lang), answers.get(q.id)) for q in quiz_order(bank))
    return _csv(ANSWER_COLUMNS, rows)


def scores_csv(bank: Bank, scores: DimensionScores, lang: Lang) -> str:
    """One row per dimension, in the bank's order: its id, its name in `lang` and the 0-100 score.

    Raises:
        ExportError: scores made with another bank.
    """
    _check_scores(bank, scores)
    rows = ((d.id, d.name(lang), scores[d.id]) for d in bank.dimensions)
    return _csv(SCORE_COLUMNS, rows)


def matches_csv(bank: Bank, ranking: Ranking, lang: Lang) -> str:
    """One row per role, most likely first: rank (1 = most likely), role id, role name in `lang`,
    the 0-100 match, the probability of being the best match (0-1, three decimals; empty in a
    ranking without probabilities), and whether it is too close to call with the first
    (true/false).

    A flat profile's ranking is written too; `my_data_json` says it is flat and why.

    Raises:
        ExportError: a ranking made with another bank.
    """
    _check_ranking(bank, ranking)
    rows = (
        (
            rank,
            m.role_id,
            bank.role(m.role_id).name(lang),
            m.match,
            None if m.probability is None else round(m.probability, 3),
            "true" if m.tied_with_top else "false",
        )
        for rank, m in enumerate(ranking.matches, start=1)
    )
    return _csv(MATCH_COLUMNS, rows)


def my_data_json(
    bank: Bank,
    answers: Mapping[str, int],
    scores: DimensionScores,
    ranking: Ranking,
    lang: Lang,
    created: datetime,
) -> str:
    """Everything the quiz knows about the person, as one JSON document (UTF-8 text, indented):

    bank_version, created (ISO 8601), language, answers (question id -> dimension, keyed,
    statement, answer or null when not asked, in quiz order), scores (dimension id -> name,
    score), ranking (most likely first: rank, role_id, role, match, probability, tied_with_top:
    too close to call with the first) and flat (why the result is not ranked, one of
    `quiz.result.FLAT_REASONS`, or null).

    Raises:
        AnswerError: an unknown question id, or a value that is not a whole number from 1 to 5.
        ExportError: scores or a ranking made with another bank.
    """
    check_answers(bank, answers, complete=False)
    _check_scores(bank, scores)
    _check_ranking(bank, ranking)
    document: dict[str, Any] = {
        "bank_version": bank.version,
        "created": created.isoformat(timespec="seconds"),
        "language": lang,
        "answers": {
            q.id: {"dimension": q.dimension, "keyed": q.keyed, "statement": q.text(lang), "answer": answers.get(q.id)}
            for q in quiz_order(bank)
        },
        "scores": {d.id: {"name": d.name(lang), "score": scores[d.id]} for d in bank.dimensions},
        "ranking": [
            {
                "rank": rank,
                "role_id": m.role_id,
                "role": bank.role(m.role_id).name(lang),
                "match": m.match,
                "probability": None if m.probability is None else round(m.probability, 3),
                "tied_with_top": m.tied_with_top,
            }
            for rank, m in enumerate(ranking.matches, start=1)
        ],
        "flat": ranking.flat,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def session_frame(bank: Bank, participants: Sequence[Participant]) -> pd.DataFrame:
    """A coach session as one row per participant: `name` (the pseudonym, or "#n"),
    `submitted_at` (ISO 8601, UTC), one column per question id with the answer (1-5; empty when
    the statement was not asked), one per dimension id with the score, `answered`, `top_1`..
    `top_3` (role ids, most likely first) with `top_1_match`..`top_3_match` and
    `top_1_probability`..`top_3_probability`, `tied_top` and `tied_roles` (the roles too close
    to call, "|"-separated) and `flat` (why a result is not ranked, if so). Headers are ids, the
    same in every language, so that files from several sessions stack; the "questions" sheet of
    the Excel export gives the texts. Participants must be scorable (`split_scorable`)."""
    frame = group_frame(bank, participants)
    matrix = answer_matrix(bank, participants)
    answers = pd.DataFrame(
        [[None if np.isnan(v) else int(v) for v in row] for row in matrix],
        columns=[q.id for q in bank.questions],
        dtype=object,
    )
    tops = [column for k in range(1, TOP + 1) for column in (f"top_{k}", f"top_{k}_match", f"top_{k}_probability")]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "name": frame["name"],
                    "submitted_at": [p.submitted_at.isoformat(timespec="seconds") for p in participants],
                }
            ),
            answers,
            frame[[*bank.dimension_ids, "answered", *tops, "tied_top", "tied_roles", "flat"]],
        ],
        axis=1,
    )


def session_csv(bank: Bank, participants: Sequence[Participant]) -> str:
    """`session_frame` as CSV, every text cell neutralised for spreadsheets."""
    frame = session_frame(bank, participants)
    return _csv(list(frame.columns), frame.itertuples(index=False))


def reliability_sheet(bank: Bank, participants: Sequence[Participant], lang: Lang) -> list[list[Cell]]:
    """The rows of the "reliability" sheet (`quiz.reliability`, on the participants' answers),
    three tables one under the other, each after a title row and followed by an empty row:

    - "dimensions": the columns of `dimension_frame` with `dimension_name`, `level_words` and
      `reading_words` (the plain words in `lang`, as the dashboard shows them);
    - "statements": `item_frame` with `statement` (its text in `lang`) and `flag_words`;
    - "participants": `people_frame` (`person` is the name shown on the dashboard) with
      `flag_words`.

    Codes and figures stay as the command line writes them, so that sheets from several sessions
    line up; a blank figure has its reason in `reason`."""
    t = strings(lang)
    report = group_reliability(bank, participants)
    dimensions = dimension_frame(report)
    dimensions.insert(1, "dimension_name", [bank.dimension(d).name(lang) for d in dimensions["dimension"]])
    dimensions["level_words"] = [_word(t, "level", code) for code in dimensions["level"]]
    dimensions["reading_words"] = [_word(t, "reading", code) for code in dimensions["reading"]]
    items = item_frame(report)
    texts = {q.id: q.text(lang) for q in bank.questions}
    items.insert(2, "statement", [texts[q] for q in items["question"]])
    items["flag_words"] = [_words(t, "item", flags) for flags in items["flags"]]
    people = people_frame(report, display_names(participants))
    people["flag_words"] = [_words(t, "person", flags) for flags in people["flags"]]
    rows: list[list[Cell]] = []
    for title, table in (("dimensions", dimensions), ("statements", items), ("participants", people)):
        rows.append([title])
        rows.append(list(table.columns))
        rows.extend([None if pd.isna(v) else v for v in row] for row in table.itertuples(index=False))
        rows.append([])
    return rows


def _word(t: Strings, kind: str, code: str) -> str:
    return t.t(word_key(kind, code))


def _words(t: Strings, kind: str, flags: str) -> str:
    return "; ".join(_word(t, kind, flag) for flag in flags.split("|") if flag)


def session_xlsx(bank: Bank, participants: Sequence[Participant], lang: Lang, created: datetime) -> bytes:
    """`session_frame` as an Excel workbook: the sheet "participants", a sheet "questions" (each
    question id with its dimension and text in `lang`), a sheet "reliability" (how reliable the
    quiz was for this group and whose answers to read with care: `reliability_sheet`) and a sheet
    "about" (bank version, date). Every text cell is neutralised and written as a string, so that
    no cell is a formula."""
    frame = session_frame(bank, participants)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "participants"
    _fill(sheet, list(frame.columns), frame.itertuples(index=False))
    _fill(
        book.create_sheet("questions"),
        ["question_id", "dimension", "keyed", "statement"],
        ((q.id, q.dimension, q.keyed, q.text(lang)) for q in quiz_order(bank)),
    )
    sheet_rows = reliability_sheet(bank, participants, lang)
    _fill(book.create_sheet("reliability"), sheet_rows[0], sheet_rows[1:])
    _fill(
        book.create_sheet("about"),
        ["bank_version", "created", "language", "participants"],
        [(bank.version, created.isoformat(timespec="seconds"), lang, len(participants))],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Any, columns: Sequence[Cell], rows: Iterable[Sequence[Any]]) -> None:
    """Write a header and rows; text cells neutralised and typed as strings ("s"), since
    openpyxl would otherwise store a text beginning with "=" as a formula."""
    for r, row in enumerate([columns, *rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            plain = value.item() if isinstance(value, np.generic) else value
            if isinstance(plain, str):
                cell.value = neutralise_cell(plain)
                cell.data_type = "s"
            else:
                cell.value = plain


def _csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV table with a header, every cell neutralised for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def _check_scores(bank: Bank, scores: DimensionScores) -> None:
    if scores.dimensions != bank.dimension_ids:
        raise ExportError(
            f"the scores are for the dimensions {', '.join(scores.dimensions)} but the bank has "
            f"{', '.join(bank.dimension_ids)}: score the answers with the same bank."
        )


def _check_ranking(bank: Bank, ranking: Ranking) -> None:
    ranked = sorted(m.role_id for m in ranking.matches)
    known = sorted(r.id for r in bank.roles)
    if ranked != known:
        raise ExportError(
            f"the ranking holds the roles {', '.join(ranked)} but the bank has {', '.join(known)}: "
            "rank the roles with the same bank."
        )
