"""Command line: `python -m quiz validate` and `python -m quiz score ANSWERS.csv`.

Every failure is a message on stderr and exit status 1 (2 for a wrong command line); no
traceback reaches the person running it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from quiz.answer_sheet import read_answer_sheet
from quiz.banks import DATA_DIR, BankError, load_bank
from quiz.model import Bank
from quiz.result import people_results
from quiz.scoring import FloatArray
from quiz.tables import Problem, TableError, read_table

__all__ = ["main", "score_frame"]

ID_COLUMNS = ("id", "person", "participant", "pseudonym", "name")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m quiz", description="Career-orientation quiz tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the bank CSV files and list every problem")
    validate.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the bank files (default: quiz/data/)")
    score = commands.add_parser("score", help="score many people at once from a CSV of answers")
    score.add_argument("answers", type=Path, help="CSV: one row per person, one column per question id (values 1-5)")
    score.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the bank files (default: quiz/data/)")
    score.add_argument("--top", type=int, default=3, help="how many top matches to write (default: 3)")
    score.add_argument("--output", "-o", type=Path, help="write the CSV here instead of standard output")
    return parser


def _answer_matrix(bank: Bank, path: Path) -> tuple[list[str], FloatArray]:
    """Read the answers file into person ids and a people x questions array (`bank.questions`
    order), with `quiz.answer_sheet`: question ids as headers, answers 1 to 5.

    Raises:
        TableError: listing every missing column and every cell that is not a whole number 1-5.
    """
    sheet = read_answer_sheet(bank, read_table(path), ID_COLUMNS)
    problems: list[Problem] = []
    if sheet.missing:
        problems.append(Problem(sheet.name, 1, "", f"missing question column(s): {', '.join(sheet.missing)}."))
    for _, first, second in sheet.duplicates:
        problems.append(Problem(sheet.name, 1, second, f"the same question as the column {first!r}: keep one."))
    for row in sheet.rows:
        for question_id, cell in row.not_answers:
            problems.append(Problem(sheet.name, row.line, question_id, f"{cell!r} is not an answer: use 1 to 5."))
    if not sheet.rows:
        problems.append(Problem(sheet.name, 1, "", "no answers: add one row per person under the header."))
    if problems:
        raise TableError(problems)
    ids = [row.name if sheet.name_column else str(i + 1) for i, row in enumerate(sheet.rows)]
    values = np.array([[row.answers[q.id] for q in bank.questions] for row in sheet.rows], dtype=float)
    return ids, values.reshape(len(sheet.rows), len(bank.questions))


def score_frame(bank: Bank, ids: list[str], answers: FloatArray, top: int = 3) -> pd.DataFrame:
    """Dimension scores, flat-profile flag and top matches for people x questions `answers`
    (see `quiz.result.people_results`: all arrays, no loop per person)."""
    results = people_results(bank, answers)
    frame = pd.DataFrame(results.scores.round(1), columns=list(bank.dimension_ids))
    frame.insert(0, "person", ids)
    frame["flat"] = results.flat
    frame["tied_top"] = results.tied.sum(axis=1)  # 1: a clear first
    for k in range(min(top, len(bank.roles))):
        roles, match = results.ranked(k)
        frame[f"match_{k + 1}"] = roles
        frame[f"match_{k + 1}_score"] = match.round(1)
    return frame


def _validate(data: Path) -> int:
    bank = load_bank(data)
    print(
        f"OK: {len(bank.dimensions)} dimensions, {len(bank.questions)} questions, "
        f"{len(bank.roles)} roles in {data} (bank version {bank.version})."
    )
    return 0


def _score(data: Path, answers: Path, top: int, output: Path | None) -> int:
    bank = load_bank(data)
    ids, values = _answer_matrix(bank, answers)
    frame = score_frame(bank, ids, values, top)
    if output:
        frame.to_csv(output, index=False)
        print(f"Scored {len(frame)} people into {output}.", file=sys.stderr)
    else:
        frame.to_csv(sys.stdout, index=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.data)
        return _score(args.data, args.answers, args.top, args.output)
    except (BankError, TableError) as error:
        problems = error.problems
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found; nothing was done.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"cannot write the output: {error.strerror}", file=sys.stderr)
        return 1
