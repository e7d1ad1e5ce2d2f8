"""Bulk scoring (`python -m quiz score`) against the obvious per-person loop, in one run.

The machines are shared and noisy, so the figure that matters is the ratio of the two timings
taken side by side (best of several repeats), not either timing alone.
"""

from __future__ import annotations

import timeit

import numpy as np

from quiz.banks import load_bank
from quiz.cli import score_frame
from quiz.result import person_result

PEOPLE = 2_000
REPEATS = 5


def main() -> None:
    bank = load_bank()
    rng = np.random.default_rng(2026)
    answers = rng.integers(1, 6, size=(PEOPLE, len(bank.questions))).astype(float)
    ids = [str(i) for i in range(PEOPLE)]
    question_ids = [q.id for q in bank.questions]

    def baseline() -> None:
        # What the app does for one person, repeated for everyone.
        for row in answers:
            person_result(bank, dict(zip(question_ids, map(int, row), strict=True)))

    def vectorised() -> None:
        score_frame(bank, ids, answers)

    base = min(timeit.repeat(baseline, number=1, repeat=REPEATS))
    fast = min(timeit.repeat(vectorised, number=1, repeat=REPEATS))
    print(f"bulk scoring of {PEOPLE} people, best of {REPEATS}:")
    print(f"  per-person loop (baseline) {base * 1000:8.1f} ms")
    print(f"  score_frame (vectorised)   {fast * 1000:8.1f} ms")
    print(f"  speed-up: {base / fast:.1f}x")


if __name__ == "__main__":
    main()
