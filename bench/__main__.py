"""Bulk results (`quiz.result.people_results`, what `python -m quiz score`, the group view and
the exports run) against the obvious per-person loop, in one run.

Two comparisons, each like for like:
- scores + ranking + response quality (the issue-9 target: at least 50x): `people_results`
  without probabilities on PEOPLE people, against a loop doing the same per person (the
  estimate, `rank_roles`, `assess_quality`) on LOOP_PEOPLE of them;
- the whole result with best-match probabilities (the Monte Carlo): `people_results` against
  the loop of `person_result` the results page runs, both on LOOP_PEOPLE people.
The loops are timed on a subset (they would take minutes at 100,000) and compared by rate,
people per second. The machines are shared and noisy, so the figure that matters is the ratio of
two timings taken side by side (best of several repeats), not either timing alone.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

import numpy as np

from quiz.banks import load_bank
from quiz.matching import rank_roles
from quiz.measurement import estimate_profile
from quiz.quality import assess_quality
from quiz.result import people_results, person_result
from quiz.scoring import quiz_order

PEOPLE = 100_000
LOOP_PEOPLE = 2_000
REPEATS = 3
TARGET = 50.0  # issue 9: vectorised scores + ranking at least 50x the per-person loop


def best(run: Callable[[], object], repeats: int = REPEATS) -> float:
    return min(timeit.repeat(run, number=1, repeat=repeats))


def main() -> None:
    bank = load_bank()
    rng = np.random.default_rng(2026)
    answers = rng.integers(1, 6, size=(PEOPLE, len(bank.questions))).astype(float)
    subset = answers[:LOOP_PEOPLE]
    order = [q.id for q in quiz_order(bank)]
    position = {q.id: j for j, q in enumerate(bank.questions)}
    people = [{qid: int(row[position[qid]]) for qid in order} for row in subset]

    def ranking_loop() -> None:
        # What one person's scores and ranking cost without probabilities, repeated for everyone.
        for person in people:
            estimate = estimate_profile(bank, person)
            rank_roles(bank, estimate.as_scores())
            assess_quality(bank, person, estimate)

    def ranking_bulk() -> None:
        people_results(bank, answers, probabilities=False)

    def result_loop() -> None:
        for person in people:
            person_result(bank, person)

    def result_bulk() -> None:
        people_results(bank, subset)

    loop = best(ranking_loop)
    bulk = best(ranking_bulk)
    loop_rate, bulk_rate = LOOP_PEOPLE / loop, PEOPLE / bulk
    speed_up = bulk_rate / loop_rate
    print(f"bulk results, best of {REPEATS} (bank: {len(bank.questions)} statements, {len(bank.roles)} roles)")
    print("scores + ranking + response quality (no probabilities):")
    print(f"  per-person loop, {LOOP_PEOPLE:>7,} people  {loop * 1000:9.1f} ms  {loop_rate:>11,.0f} people/s")
    print(f"  people_results,  {PEOPLE:>7,} people  {bulk * 1000:9.1f} ms  {bulk_rate:>11,.0f} people/s")
    verdict = "met" if speed_up >= TARGET else "NOT met"
    print(f"  speed-up: {speed_up:.1f}x (target >= {TARGET:g}x: {verdict})")

    loop = best(result_loop, repeats=1)
    bulk = best(result_bulk, repeats=1)
    print("the whole result, with best-match probabilities (Monte Carlo):")
    print(
        f"  person_result loop, {LOOP_PEOPLE:>5,} people  {loop * 1000:9.1f} ms  {LOOP_PEOPLE / loop:>9,.0f} people/s"
    )
    print(
        f"  people_results,     {LOOP_PEOPLE:>5,} people  {bulk * 1000:9.1f} ms  {LOOP_PEOPLE / bulk:>9,.0f} people/s"
    )
    print(f"  speed-up: {loop / bulk:.1f}x (the draws dominate: the same arithmetic either way)")


if __name__ == "__main__":
    main()
