"""Command line: `python -m quiz validate`, `python -m quiz score ANSWERS.csv`,
`python -m quiz replay ANSWERS.csv`, `python -m quiz reliability ANSWERS.csv` and
`python -m quiz calibrate ANSWERS.csv`.

Every failure is a message on stderr and exit status 1 (2 for a wrong command line); no
traceback reaches the person running it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from quiz.adaptive import progress
from quiz.answer_sheet import read_answer_sheet
from quiz.arrays import FloatArray
from quiz.banks import DATA_DIR, BankError, load_bank
from quiz.model import Bank
from quiz.reliability import (
    MIN_CALIBRATION_PEOPLE,
    REASONS,
    CalibrationError,
    calibrate,
    dimension_frame,
    interpret,
    item_frame,
    people_frame,
    reliability_report,
    render_calibration,
    write_calibration,
)
from quiz.result import people_results, person_result
from quiz.tables import Problem, TableError, read_table

__all__ = ["main", "replay_frame", "score_frame"]

ID_COLUMNS = ("id", "person", "participant", "pseudonym", "name")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m quiz", description="Career-orientation quiz tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check the bank CSV files and list every problem")
    validate.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the bank files (default: quiz/data/)")
    score = commands.add_parser("score", help="score many people at once from a CSV of answers")
    score.add_argument(
        "answers",
        type=Path,
        help="CSV: one row per person, one column per question id (values 1-5, blank: not asked)",
    )
    score.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the bank files (default: quiz/data/)")
    score.add_argument("--top", type=int, default=3, help="how many top matches to write (default: 3)")
    score.add_argument("--output", "-o", type=Path, help="write the CSV here instead of standard output")
    replay = commands.add_parser(
        "replay", help="run the adaptive quiz on complete answer sets, as if each person were taking it"
    )
    replay.add_argument("answers", type=Path, help="CSV: one row per person, one column per question id (values 1-5)")
    replay.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the bank files (default: quiz/data/)")
    replay.add_argument("--output", "-o", type=Path, help="write the CSV here instead of standard output")
    reliability = commands.add_parser(
        "reliability", help="how reliable the quiz was for a group: alpha, omega, SEM, item and person checks"
    )
    reliability.add_argument(
        "answers", type=Path, help="CSV: one row per person, one column per question id (1-5, blank: not asked)"
    )
    reliability.add_argument(
        "--data", type=Path, default=DATA_DIR, help="folder of the bank files (default: quiz/data/)"
    )
    reliability.add_argument(
        "--output", "-o", type=Path, help="write the per-dimension CSV here instead of standard output"
    )
    reliability.add_argument("--items", type=Path, help="also write the per-statement CSV here")
    reliability.add_argument("--people", type=Path, help="also write the per-person response-quality CSV here")
    calibration = commands.add_parser(
        "calibrate",
        help="measure each dimension's reliability from real answers and write it into dimensions.csv",
    )
    calibration.add_argument(
        "answers", type=Path, help="CSV: one row per person, one column per question id (1-5, blank: not asked)"
    )
    calibration.add_argument(
        "--data", type=Path, default=DATA_DIR, help="folder of the bank files (default: quiz/data/)"
    )
    calibration.add_argument("--yes", "-y", action="store_true", help="write without asking for confirmation")
    return parser


def _answer_matrix(bank: Bank, path: Path, *, complete: bool = False) -> tuple[list[str], FloatArray]:
    """Read the answers file into person ids and a people x questions array (`bank.questions`
    order), with `quiz.answer_sheet`: question ids as headers, answers 1 to 5, NaN for a blank
    cell (a statement that was not asked).

    Raises:
        TableError: listing every missing column and every cell that is neither blank nor a whole
            number 1-5; with `complete`, every blank cell too; and every row with no answer.
    """
    sheet = read_answer_sheet(bank, read_table(path), ID_COLUMNS)
    problems: list[Problem] = []
    if sheet.missing:
        problems.append(Problem(sheet.name, 1, "", f"missing question column(s): {', '.join(sheet.missing)}."))
    for _, first, second in sheet.duplicates:
        problems.append(Problem(sheet.name, 1, second, f"the same question as the column {first!r}: keep one."))
    for row in sheet.rows:
        for question_id, cell in row.invalid:
            problems.append(Problem(sheet.name, row.line, question_id, f"{cell!r} is not an answer: use 1 to 5."))
        if complete:
            for question_id in row.empty:
                problems.append(
                    Problem(sheet.name, row.line, question_id, "blank: replay needs every answer (1 to 5).")
                )
        elif not row.answers and not sheet.missing:
            problems.append(Problem(sheet.name, row.line, "", "no answer on this row: answer at least one statement."))
    if not sheet.rows:
        problems.append(Problem(sheet.name, 1, "", "no answers: add one row per person under the header."))
    if problems:
        raise TableError(problems)
    ids = [row.name if sheet.name_column else str(i + 1) for i, row in enumerate(sheet.rows)]
    values = np.array([[row.answers.get(q.id, np.nan) for q in bank.questions] for row in sheet.rows], dtype=float)
    return ids, values.reshape(len(sheet.rows), len(bank.questions))


def score_frame(bank: Bank, ids: list[str], answers: FloatArray, top: int = 3) -> pd.DataFrame:
    """Dimension scores, response quality and top matches with their probabilities for people x
    questions `answers` (NaN where a statement was not asked; see `quiz.result.people_results`:
    all arrays, no loop per person).

    Columns: person, the dimension scores (from the answered statements only), `answered`, `flat`
    (why the result is not ranked, `quiz.result.FLAT_REASONS`, empty otherwise), `quality` (every
    flag of `quiz.quality`, `|`-separated), `tied_top` (how many roles are too close to call, the
    most likely included: 1 is a clear first), then per match k `match_k` (most likely first),
    `match_k_score` and `match_k_probability`.
    """
    results = people_results(bank, answers)
    frame = pd.DataFrame(results.scores.round(1), columns=list(bank.dimension_ids))
    frame.insert(0, "person", ids)
    frame["answered"] = results.answered.sum(axis=1)
    frame["flat"] = results.flat
    frame["quality"] = results.quality
    frame["tied_top"] = [len(roles) for roles in results.tied_roles()]  # 1: a clear first
    for k in range(min(top, len(bank.roles))):
        roles, match = results.ranked(k)
        frame[f"match_{k + 1}"] = roles
        frame[f"match_{k + 1}_score"] = match.round(1)
        frame[f"match_{k + 1}_probability"] = results.ranked_probability(k).round(3)
    return frame


def replay_frame(bank: Bank, ids: list[str], answers: FloatArray) -> pd.DataFrame:
    """Run the adaptive quiz for each person of people x questions complete `answers`, reading each
    answer from their row when the quiz asks for it (`quiz.adaptive.progress`).

    Columns: person, asked (how many statements), asked_ids (`|`-separated, in the order asked),
    match_1 and match_1_probability (the most likely role when the quiz stopped), tied_top (roles
    too close to call then), full_match_1 (the most likely role on all their answers) and agrees.
    Both results come from `quiz.result.person_result`, as the results page would show them.
    """
    question_ids = [q.id for q in bank.questions]
    records = []
    for person, row in zip(ids, answers, strict=True):
        given = dict(zip(question_ids, (int(v) for v in row), strict=True))
        asked: dict[str, int] = {}
        while not (step := progress(bank, asked)).done:
            for question in step.next_questions:
                asked[question.id] = given[question.id]
        result = person_result(bank, asked)
        full = person_result(bank, given)
        records.append(
            {
                "person": person,
                "asked": len(asked),
                "asked_ids": "|".join(asked),
                "match_1": result.most_likely.role_id,
                "match_1_probability": round(result.most_likely.probability or 0.0, 3),
                "tied_top": len(result.too_close_to_call),
                "full_match_1": full.most_likely.role_id,
                "agrees": result.most_likely.role_id == full.most_likely.role_id,
            }
        )
    columns = ["person", "asked", "asked_ids", "match_1", "match_1_probability", "tied_top", "full_match_1", "agrees"]
    return pd.DataFrame.from_records(records, columns=columns)


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


def _replay(data: Path, answers: Path, output: Path | None) -> int:
    bank = load_bank(data)
    ids, values = _answer_matrix(bank, answers, complete=True)
    frame = replay_frame(bank, ids, values)
    # The summary goes last: to stdout when the CSV goes to a file, else to stderr (a clean CSV on stdout).
    summary = sys.stderr
    if output:
        frame.to_csv(output, index=False)
        summary = sys.stdout
    else:
        frame.to_csv(sys.stdout, index=False)
    median = statistics.median(frame["asked"])
    print(
        f"median asked: {median:g} of {len(bank.questions)} statements ({median / len(bank.questions):.0%})",
        file=summary,
    )
    print(f"agreement with the full form's most likely role: {frame['agrees'].mean():.1%}", file=summary)
    return 0


def _reliability(data: Path, answers: Path, output: Path | None, items: Path | None, people: Path | None) -> int:
    bank = load_bank(data)
    ids, values = _answer_matrix(bank, answers)
    report = reliability_report(bank, values)
    frame = dimension_frame(report)
    # Write every file before saying anything, so that a bad path leaves no half-done report.
    if items:
        item_frame(report).to_csv(items, index=False)
    if people:
        people_frame(report, ids).to_csv(people, index=False)
    summary = sys.stderr
    if output:
        frame.to_csv(output, index=False)
        summary = sys.stdout
    else:
        frame.to_csv(sys.stdout, index=False)
    print(f"{report.people} people.", file=summary)
    for result in report.dimensions:
        words = interpret(result)
        why = f" ({REASONS[words.reason]})" if words.reason else ""
        print(f"{result.dimension}: {words.level}, reading: {words.reading}{why}", file=summary)
    return 0


def _calibrate(data: Path, answers: Path, yes: bool) -> int:
    bank = load_bank(data)
    _, values = _answer_matrix(bank, answers)
    calibrations = calibrate(bank, values, date.today())
    print(render_calibration(calibrations))
    changed = [c for c in calibrations if c.changes]
    if not changed:
        print(
            f"Nothing to write: no dimension rests on {MIN_CALIBRATION_PEOPLE} people or more with a usable alpha; "
            "dimensions.csv is unchanged.",
            file=sys.stderr,
        )
        return 1
    target = data / "dimensions.csv"
    if not yes:
        try:
            reply = input(
                f"Write {len(changed)} measured reliabilit{'y' if len(changed) == 1 else 'ies'} into {target}? [y/N] "
            )
        except EOFError:
            reply = ""
        if reply.strip().lower() not in ("y", "yes", "o", "oui"):
            print("Nothing written.", file=sys.stderr)
            return 1
    count = write_calibration(data, calibrations)
    bank = load_bank(data)
    plural = "y" if count == 1 else "ies"
    print(f"Wrote {count} reliabilit{plural} into {target}; the bank validates (version {bank.version}).")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args.data)
        if args.command == "replay":
            return _replay(args.data, args.answers, args.output)
        if args.command == "reliability":
            return _reliability(args.data, args.answers, args.output, args.items, args.people)
        if args.command == "calibrate":
            return _calibrate(args.data, args.answers, args.yes)
        return _score(args.data, args.answers, args.top, args.output)
    except (BankError, TableError) as error:
        problems = error.problems
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found; nothing was done.", file=sys.stderr)
        return 1
    except CalibrationError as error:
        print(f"{error} Nothing was changed.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"cannot write the output: {error.strerror}", file=sys.stderr)
        return 1
