"""The adaptive quiz: a start covering every dimension, steps chosen from the answers, stopping
when the leader is sure enough, and the full form one choice away."""

from __future__ import annotations

import time
from collections import Counter
from itertools import pairwise

from quiz.adaptive import START_PER_DIMENSION, STOP_PROBABILITY, asked_order, next_step, progress
from quiz.banks import load_bank
from quiz.model import Bank
from quiz.scoring import QUESTIONS_PER_STEP
from tests.support.personas import persona_answers

BANK: Bank = load_bank()


def run(given: dict[str, int], *, every_statement: bool = False) -> tuple[dict[str, int], list[tuple[str, ...]]]:
    answers: dict[str, int] = {}
    steps = []
    while not (state := progress(BANK, answers, every_statement=every_statement)).done:
        steps.append(tuple(q.id for q in state.next_questions))
        answers |= {q.id: given[q.id] for q in state.next_questions}
    return answers, steps


class TestStart:
    def test_the_first_steps_cover_every_dimension_twice_with_both_keys(self) -> None:
        _, steps = run({q.id: 3 for q in BANK.questions})
        start = [BANK.question(q) for step in steps[:3] for q in step][: START_PER_DIMENSION * len(BANK.dimensions)]
        per_dimension = Counter(q.dimension for q in start)
        assert all(per_dimension[d] >= START_PER_DIMENSION for d in BANK.dimension_ids)
        for dimension in BANK.dimension_ids:
            assert {q.keyed for q in start if q.dimension == dimension} == {1, -1}

    def test_every_step_holds_five_statements_none_twice(self) -> None:
        answers, steps = run(persona_answers(BANK, "cpo"))
        asked = [q for step in steps for q in step]
        assert len(asked) == len(set(asked)) == len(answers)
        assert all(len(step) == QUESTIONS_PER_STEP for step in steps[:-1])

    def test_consecutive_statements_come_from_different_dimensions(self) -> None:
        _, steps = run(persona_answers(BANK, "digital_pm"))
        asked = [BANK.question(q).dimension for step in steps for q in step]
        repeats = sum(a == b for a, b in pairwise(asked))
        assert repeats <= len(steps)  # only when a step must hold 3 of one dimension


class TestStopping:
    def test_a_clear_profile_stops_early_because_the_leader_is_sure(self) -> None:
        answers, _ = run(persona_answers(BANK, "cto"))
        state = progress(BANK, answers)
        assert state.done and state.reason == "sure" and state.leader == "cto"
        assert state.stay_first >= STOP_PROBABILITY
        assert len(answers) < len(BANK.questions)

    def test_answer_every_statement_asks_the_whole_bank(self) -> None:
        answers, _ = run(persona_answers(BANK, "cto"), every_statement=True)
        assert set(answers) == {q.id for q in BANK.questions}
        assert progress(BANK, answers).reason == "exhausted"

    def test_about_n_more_is_a_whole_number_of_statements_left(self) -> None:
        state = progress(BANK, {q.id: 3 for q in next_step(BANK, {})})
        assert 0 < state.about_more <= len(BANK.questions) - state.answered

    def test_a_step_costs_a_few_milliseconds(self) -> None:
        answers, _ = run(persona_answers(BANK, "marketing_pm"))
        partial = dict(list(answers.items())[:15])
        started = time.process_time()
        for _ in range(10):
            progress(BANK, partial)
        assert (time.process_time() - started) / 10 < 0.05  # generous: a shared machine


class TestAskedOrder:
    def test_the_order_asked_is_recomputed_from_the_answers(self) -> None:
        answers, steps = run(persona_answers(BANK, "marketing_pm"))
        assert asked_order(BANK, answers) == tuple(q for step in steps for q in step)
