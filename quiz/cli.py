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

from quiz.banks import DATA_DIR, Bank, BankError, load_bank
from quiz.matching import flat_reasons, match_matrix, tied_with_top
from quiz.scoring import SCALE, score_matrix
from quiz.tables import Problem, TableError, parse_number, read_table

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


def _answer_matrix(bank: Bank, path: Path) -> tuple[list[str], np.ndarray]:
    """Read the answers file into person ids and a people x questions array.

    Raises:
        TableError: listing every missing column and every cell that is not a whole number 1-5.
    """
    table = read_table(path)
    problems: list[Problem] = []
    missing = [q.id for q in bank.questions if q.id not in table.columns]
    if missing:
        problems.append(Problem(table.name, 1, "", f"missing question column(s): {', '.join(missing)}."))
    id_column = next((c for c in ID_COLUMNS if c in table.columns), None)
    ids: list[str] = []
    values = np.zeros((len(table.rows), len(bank.questions)))
    for i, row in enumerate(table.rows):
        ids.append(row[id_column] if id_column else str(i + 1))
        for j, question in enumerate(bank.questions):
            if question.id not in table.columns:
                continue
            number = parse_number(row[question.id])
            if number not in SCALE:
                problems.append(
                    Problem(table.name, row.line, question.id, f"{row[question.id]!r} is not an answer: use 1 to 5.")
                )
            else:
                values[i, j] = number
    if not table.rows:
        problems.append(Problem(table.name, 1, "", "no answers: add one row per person under the header."))
    if problems:
        raise TableError(problems)
    return ids, values


def score_frame(bank: Bank, ids: list[str], answers: np.ndarray, top: int = 3) -> pd.DataFrame:
    """Dimension scores, flat-profile flag and top matches for people x questions `answers`.

    All arrays, no loop per person: 10,000 people take a fraction of a second.
    """
    scores = score_matrix(bank, answers)
    match, _, _ = match_matrix(bank, scores)
    order = np.argsort(-match, axis=1, kind="stable")
    role_ids = np.array([r.id for r in bank.roles])
    frame = pd.DataFrame(scores.round(1), columns=list(bank.dimension_ids))
    frame.insert(0, "person", ids)
    frame["flat"] = flat_reasons(scores, answers)
    frame["tied_top"] = tied_with_top(match).sum(axis=1)  # 1: a clear first
    rows = np.arange(len(ids))
    for k in range(min(top, len(bank.roles))):
        frame[f"match_{k + 1}"] = role_ids[order[:, k]]
        frame[f"match_{k + 1}_score"] = match[rows, order[:, k]].round(1)
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
