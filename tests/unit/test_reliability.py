"""The coach's measurement report (`quiz.reliability`), checked against pingouin (a test-only
dependency), closed forms and direct computations."""

from __future__ import annotations

import doctest
from datetime import date

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

import quiz.reliability as rel
from quiz.banks import load_bank
from quiz.model import Bank
from quiz.reliability import (
    Undetermined,
    alpha_from_covariance,
    alpha_if_deleted,
    calibrate,
    feldt_interval,
    interpret,
    item_total_correlations,
    omega_from_covariance,
    pairwise_covariance,
    reliability_report,
    rewrite_reliabilities,
    spearman_brown,
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def simulate(bank: Bank, people: int, seed: int, loading: float = 0.65, missing: float = 0.0) -> np.ndarray:
    """Answers of attentive people: one trait per dimension, each statement loading `loading` on
    it (its key applied), rounded onto 1-5; a share `missing` of cells not asked."""
    rng = np.random.default_rng(seed)
    traits = rng.normal(size=(people, len(bank.dimension_ids)))
    answers = np.empty((people, len(bank.questions)))
    for i, question in enumerate(bank.questions):
        z = loading * traits[:, bank.dimension_ids.index(question.dimension)]
        z += np.sqrt(1 - loading**2) * rng.normal(size=people)
        answers[:, i] = np.clip(np.round(3 + 1.1 * z * question.keyed), 1, 5)
    answers[rng.random(answers.shape) < missing] = np.nan
    return answers


def columns_of(bank: Bank, dimension: str) -> list[int]:
    return [i for i, q in enumerate(bank.questions) if q.dimension == dimension]


class TestTheDocstringExamples:
    def test_every_example_runs(self) -> None:
        result = doctest.testmod(rel)
        assert result.attempted >= 15 and result.failed == 0


class TestAlphaAgreesWithPingouin:
    def test_on_pingouins_own_likert_data_set(self) -> None:
        data = pg.read_dataset("cronbach_alpha").pivot(index="Subj", columns="Items", values="Scores")
        expected, interval = pg.cronbach_alpha(data=data)
        cov, _ = pairwise_covariance(data.to_numpy(dtype=float))
        alpha = alpha_from_covariance(cov)
        assert alpha == pytest.approx(expected, abs=1e-12)
        low, high = feldt_interval(alpha, n=len(data), k=data.shape[1])
        assert [round(low, 3), round(high, 3)] == pytest.approx(list(interval), abs=1e-9)

    def test_with_missing_values_pairwise(self) -> None:
        data = pg.read_dataset("cronbach_wide_missing")
        expected, _ = pg.cronbach_alpha(data=data, nan_policy="pairwise")
        cov, _ = pairwise_covariance(data.to_numpy(dtype=float))
        assert alpha_from_covariance(cov) == pytest.approx(expected, abs=1e-12)

    def test_each_dimension_of_the_report_on_complete_simulated_answers(self, bank: Bank) -> None:
        answers = simulate(bank, 120, seed=1)
        report = reliability_report(bank, answers)
        keyed = rel.keyed_answers(bank, answers)
        for dimension in bank.dimension_ids:
            frame = pd.DataFrame(keyed[:, columns_of(bank, dimension)])
            expected, (low, high) = pg.cronbach_alpha(data=frame)
            result = report.dimension(dimension)
            assert result.alpha == pytest.approx(expected, abs=1e-12)
            assert (round(result.alpha_low, 3), round(result.alpha_high, 3)) == pytest.approx((low, high), abs=1e-9)
            assert result.n == result.pair_n == 120 and result.k == result.k_bank == 8

    def test_pairwise_covariance_is_pandas_pairwise_covariance(self, bank: Bank) -> None:
        answers = simulate(bank, 80, seed=2, missing=0.4)
        cov, counts = pairwise_covariance(answers)
        np.testing.assert_allclose(cov, pd.DataFrame(answers).cov().to_numpy(), atol=1e-12)
        given = (~np.isnan(answers)).astype(int)
        np.testing.assert_array_equal(counts, given.T @ given)

    def test_the_report_with_adaptive_gaps_is_pingouins_pairwise_alpha(self, bank: Bank) -> None:
        answers = simulate(bank, 150, seed=3, missing=0.45)
        report = reliability_report(bank, answers)
        keyed = rel.keyed_answers(bank, answers)
        for dimension in bank.dimension_ids:
            expected, _ = pg.cronbach_alpha(data=pd.DataFrame(keyed[:, columns_of(bank, dimension)]))
            result = report.dimension(dimension)
            assert result.alpha == pytest.approx(expected, abs=1e-12)
            # The interval rests on the pairs, not on everybody: fewer people than rows.
            assert result.pair_n < result.n <= 150


class TestDistributions:
    @pytest.mark.parametrize(("p", "d1", "d2"), [(0.975, 29, 203), (0.025, 29, 203), (0.5, 1, 1), (0.99, 4, 8)])
    def test_f_quantiles_are_scipys(self, p: float, d1: int, d2: int) -> None:
        assert rel.f_quantile(p, d1, d2) == pytest.approx(stats.f.ppf(p, d1, d2), rel=1e-8)

    @pytest.mark.parametrize("degrees", [1, 2, 7, 31, 56])
    def test_chi_square_quantiles_are_scipys(self, degrees: int) -> None:
        assert rel.chi_square_quantile(0.999, degrees) == pytest.approx(stats.chi2.ppf(0.999, degrees), rel=1e-8)

    def test_the_in_sample_distance_cut_off_tends_to_the_chi_square_one(self) -> None:
        assert rel.distance_cut_off(0.001, 1_000_000, 30) == pytest.approx(stats.chi2.ppf(0.999, 30), rel=1e-3)
        assert rel.distance_cut_off(0.001, 45, 30) < stats.chi2.ppf(0.999, 30)


class TestOmega:
    def test_matches_the_closed_form_on_congeneric_data_with_known_loadings(self) -> None:
        rng = np.random.default_rng(4)
        loadings = np.array([0.9, 0.7, 0.5, 0.8, 0.4, 0.6])
        unique = np.array([0.5, 0.8, 1.0, 0.3, 1.2, 0.6])
        factor = rng.normal(size=(40_000, 1))
        data = factor * loadings + rng.normal(size=(40_000, 6)) * np.sqrt(unique)
        expected = loadings.sum() ** 2 / (loadings.sum() ** 2 + unique.sum())
        omega = omega_from_covariance(np.cov(data, rowvar=False))
        assert isinstance(omega, float) and omega == pytest.approx(expected, abs=0.005)

    def test_equals_alpha_for_parallel_items(self) -> None:
        r = np.full((5, 5), 0.4) + 0.6 * np.eye(5)
        omega = omega_from_covariance(r)
        assert isinstance(omega, float) and omega == pytest.approx(alpha_from_covariance(r), abs=1e-6)

    def test_needs_three_items(self) -> None:
        assert omega_from_covariance(np.array([[1.0, 0.5], [0.5, 1.0]])) == Undetermined("two_items")


class TestItemStatistics:
    def test_item_total_and_alpha_if_deleted_are_the_direct_computations(self, bank: Bank) -> None:
        answers = simulate(bank, 90, seed=5)
        report = reliability_report(bank, answers)
        keyed = rel.keyed_answers(bank, answers)
        for dimension in ("tech", "ux"):
            block = keyed[:, columns_of(bank, dimension)]
            for j, item in enumerate(report.dimension(dimension).items):
                rest = np.delete(block, j, axis=1)
                direct_r = np.corrcoef(block[:, j], rest.sum(axis=1))[0, 1]
                direct_alpha, _ = pg.cronbach_alpha(data=pd.DataFrame(rest))
                assert item.item_total == pytest.approx(direct_r, abs=1e-12)
                assert item.alpha_if_deleted == pytest.approx(direct_alpha, abs=1e-12)
                assert item.flags == ()

    def test_a_wrong_reverse_key_is_flagged_as_working_against_its_dimension(self, bank: Bank) -> None:
        answers = simulate(bank, 100, seed=6)
        wrong = columns_of(bank, "risk")[0]
        answers[:, wrong] = 6 - answers[:, wrong]  # as if the bank's key were the wrong way round
        item = report_item(reliability_report(bank, answers), bank.questions[wrong].id)
        assert isinstance(item.item_total, float) and item.item_total < 0
        assert "negative" in item.flags and "raises_alpha" in item.flags

    def test_a_statement_answered_at_random_is_weak(self, bank: Bank) -> None:
        answers = simulate(bank, 300, seed=7)
        noisy = columns_of(bank, "data")[2]
        answers[:, noisy] = np.random.default_rng(8).integers(1, 6, size=300)
        item = report_item(reliability_report(bank, answers), bank.questions[noisy].id)
        assert "weak" in item.flags

    def test_the_formulas_agree_with_each_other(self) -> None:
        r = np.full((3, 3), 0.5) + 0.5 * np.eye(3)
        assert item_total_correlations(r) == pytest.approx(np.full(3, 1 / np.sqrt(3)))
        assert alpha_if_deleted(r) == pytest.approx(np.full(3, 2 / 3))


def report_item(report: rel.ReliabilityReport, question: str) -> rel.ItemStatistics:
    return next(item for d in report.dimensions for item in d.items if item.question == question)


class TestWhatCannotBeSaid:
    def test_fewer_than_three_people_give_a_reason_never_a_number(self, bank: Bank) -> None:
        report = reliability_report(bank, simulate(bank, 2, seed=9))
        for result in report.dimensions:
            for figure in (result.alpha, result.alpha_low, result.alpha_high, result.omega, result.sem):
                assert figure == Undetermined("too_few_people")
            assert interpret(result).level == "too_few_people"
        assert Undetermined("too_few_people").message.startswith("fewer than 3 people")

    def test_a_constant_item_is_left_out_with_its_reason(self, bank: Bank) -> None:
        answers = simulate(bank, 60, seed=10)
        constant = columns_of(bank, "ux")[3]
        answers[:, constant] = 4
        result = reliability_report(bank, answers).dimension("ux")
        assert result.k == 7 and isinstance(result.alpha, float)
        item = report_item(reliability_report(bank, answers), bank.questions[constant].id)
        assert item.item_total == item.alpha_if_deleted == Undetermined("constant_item")
        keyed = rel.keyed_answers(bank, answers)
        others = [c for c in columns_of(bank, "ux") if c != constant]
        assert result.alpha == pytest.approx(pg.cronbach_alpha(data=pd.DataFrame(keyed[:, others]))[0])

    def test_a_dimension_with_one_answered_item_says_so(self, bank: Bank) -> None:
        answers = simulate(bank, 40, seed=11)
        answers[:, columns_of(bank, "leadership")[1:]] = np.nan
        result = reliability_report(bank, answers).dimension("leadership")
        assert result.alpha == result.omega == result.sem == Undetermined("one_item")
        assert interpret(result) == rel.Interpretation("cannot_say", "cannot_say", "cannot_say", "one_item")

    def test_two_items_give_alpha_but_no_omega(self, bank: Bank) -> None:
        answers = simulate(bank, 40, seed=12)
        answers[:, columns_of(bank, "data")[2:]] = np.nan
        result = reliability_report(bank, answers).dimension("data")
        assert isinstance(result.alpha, float) and result.omega == Undetermined("two_items")
        assert result.items[0].alpha_if_deleted == Undetermined("two_items")

    def test_a_statement_rarely_answered_with_the_others_is_left_out(self, bank: Bank) -> None:
        answers = simulate(bank, 40, seed=13)
        column = columns_of(bank, "tech")[5]
        answers[2:, column] = np.nan  # only two people saw it
        result = reliability_report(bank, answers).dimension("tech")
        assert result.k == 7
        assert report_item(reliability_report(bank, answers), bank.questions[column].id).item_total == Undetermined(
            "too_few_answers"
        )

    def test_bad_input_is_refused_with_a_message(self, bank: Bank) -> None:
        with pytest.raises(ValueError, match="1 to 5"):
            reliability_report(bank, np.full((4, len(bank.questions)), 7.0))
        with pytest.raises(ValueError, match="people x 56"):
            reliability_report(bank, np.ones((4, 3)))


class TestPlainWords:
    @pytest.mark.parametrize(
        ("alpha", "level", "reading"),
        [
            (0.93, "excellent", "individuals"),
            (0.85, "good", "groups"),
            (0.72, "acceptable", "groups"),
            (0.65, "questionable", "with_care"),
            (0.55, "poor", "not_meaningful"),
            (0.2, "unacceptable", "not_meaningful"),
        ],
    )
    def test_levels_follow_george_and_mallery_and_nunnally(self, alpha: float, level: str, reading: str) -> None:
        result = rel.DimensionReliability("tech", 50, 50, 8, 8, alpha, alpha - 0.1, alpha + 0.05, alpha, 7.0, ())
        words = interpret(result)
        assert (words.level, words.reading, words.reason) == (level, reading, None)

    def test_the_sure_level_is_that_of_the_interval_lower_end(self) -> None:
        result = rel.DimensionReliability("tech", 30, 30, 8, 8, 0.82, 0.69, 0.9, 0.83, 7.0, ())
        assert interpret(result).sure_level == "questionable"


class TestPeopleFlags:
    def test_random_clicking_is_an_outlier_and_attentive_people_are_not(self, bank: Bank) -> None:
        answers = simulate(bank, 200, seed=14)
        answers[:10] = np.random.default_rng(15).integers(1, 6, size=(10, len(bank.questions)))
        persons = reliability_report(bank, answers).persons
        assert sum("outlier" in p.flags for p in persons[:10]) >= 8
        assert sum("outlier" in p.flags for p in persons[10:]) <= 2

    def test_the_long_string_rule_is_the_individual_results_rule(self, bank: Bank) -> None:
        answers = simulate(bank, 30, seed=16)
        answers[0] = 4
        assert "long_string" in reliability_report(bank, answers).persons[0].flags

    def test_agreeing_with_statements_and_their_opposites_is_inconsistent(self, bank: Bank) -> None:
        answers = simulate(bank, 200, seed=17)
        report = reliability_report(bank, answers)
        assert len(report.antonym_pairs) >= 8
        # Person 0 answers every + statement as the - one of its pair (and the other way round).
        person = answers[0].copy()
        position = {q.id: i for i, q in enumerate(bank.questions)}
        for plus, minus, _ in report.antonym_pairs:
            person[position[minus]] = person[position[plus]]
        answers[0] = person
        quality = reliability_report(bank, answers).persons[0]
        assert isinstance(quality.antonym_r, float) and quality.antonym_r > 0 and "inconsistent" in quality.flags
        assert sum("inconsistent" in p.flags for p in report.persons) <= 0.03 * 200

    def test_too_fast_only_where_times_exist(self, bank: Bank) -> None:
        answers = simulate(bank, 20, seed=18)
        times = np.full(answers.shape, 6.0)
        times[3] = 1.2
        times[4] = np.nan
        persons = reliability_report(bank, answers, times).persons
        assert "too_fast" in persons[3].flags and "too_fast" not in persons[0].flags
        assert persons[4].seconds_per_item == Undetermined("no_times")
        assert reliability_report(bank, answers).persons[0].seconds_per_item == Undetermined("no_times")

    def test_few_people_give_reasons_for_the_distance(self, bank: Bank) -> None:
        persons = reliability_report(bank, simulate(bank, 30, seed=19)).persons
        assert {p.distance for p in persons} == {Undetermined("too_few_people_for_distance")}


class TestCalibration:
    def test_spearman_brown_steps_up_to_the_full_bank(self) -> None:
        assert spearman_brown(0.75, 8 / 5) == pytest.approx(1.6 * 0.75 / (1 + 0.6 * 0.75))
        assert spearman_brown(0.8, 1) == pytest.approx(0.8)

    def test_measured_values_carry_the_date_and_n(self, bank: Bank) -> None:
        answers = simulate(bank, 40, seed=20)
        calibrations = calibrate(bank, answers, date(2027, 1, 15))
        report = reliability_report(bank, answers)
        for c in calibrations:
            assert c.changes and c.source == "measured:2027-01-15:n=40"
            assert c.new == round(report.dimension(c.dimension).alpha, 2)

    def test_statements_left_out_are_stepped_up_with_spearman_brown(self, bank: Bank) -> None:
        answers = simulate(bank, 40, seed=21)
        answers[:, columns_of(bank, "risk")[:2]] = np.nan  # 6 of 8 statements answered
        c = next(c for c in calibrate(bank, answers, date(2027, 1, 15)) if c.dimension == "risk")
        assert isinstance(c.observed, float) and c.k == 6
        assert c.new == round(spearman_brown(c.observed, 8 / 6), 2)

    def test_fewer_than_the_minimum_keep_the_old_value(self, bank: Bank) -> None:
        for c in calibrate(bank, simulate(bank, 29, seed=22), date(2027, 1, 15)):
            assert not c.changes and c.new == Undetermined("too_few_people_to_calibrate")

    def test_rewriting_keeps_every_other_byte(self) -> None:
        raw = (
            "\ufeffid;name_fr;reliability;reliability_source;score_sd\r\n"
            'tech;"Expertise; technique";0,83;assumed:2026-12;18\r\n'
            'data;"Données\r\nsur deux lignes";0.83;assumed:2026-12;18\r\n'
        ).encode()
        rewritten = rewrite_reliabilities(raw, {"data": (0.774, "measured:2027-01-15:n=41")})
        assert rewritten == raw.replace(b"0.83;assumed:2026-12", b"0.77;measured:2027-01-15:n=41")

    def test_a_file_without_the_columns_is_refused(self) -> None:
        with pytest.raises(rel.CalibrationError, match="reliability"):
            rewrite_reliabilities(b"id,name_en\ntech,Tech\n", {"tech": (0.8, "measured:2027-01-15:n=40")})


# --- the words a coach reads, and the export sheet ------------------------------------------------


WORD_CODES = {
    "level": (*(code for code, _ in rel.LEVELS), "too_few_people", "cannot_say"),
    "reading": (*(code for code, _ in rel.READINGS), "cannot_say"),
    "reason": tuple(rel.REASONS),
    "item": rel.ITEM_FLAGS,
    "person": rel.PERSON_FLAGS,
}


class TestWordKey:
    @pytest.mark.parametrize("kind", WORD_CODES)
    def test_every_code_has_its_words_in_both_languages(self, kind: str) -> None:
        from quiz.i18n import strings

        for lang in ("en", "fr"):
            table = strings(lang).table
            assert [c for c in WORD_CODES[kind] if rel.word_key(kind, c) not in table] == []

    def test_an_unknown_kind_is_refused(self) -> None:
        with pytest.raises(ValueError, match="Unknown kind"):
            rel.word_key("colour", "good")


class TestReliabilitySheet:
    def test_the_excel_export_has_a_reliability_sheet_with_the_three_tables_in_the_sessions_language(
        self, bank: Bank
    ) -> None:
        import io
        from datetime import UTC, datetime

        from openpyxl import load_workbook

        from quiz.export import session_xlsx
        from quiz.group import Participant
        from tests.support.personas import persona_answers

        rng = np.random.default_rng(7)
        people = [
            Participant(
                i,
                f"P{i}",
                {q: int(np.clip(v + rng.integers(-1, 2), 1, 5)) for q, v in persona_answers(bank, role.id).items()},
                datetime(2026, 12, 1, tzinfo=UTC),
            )
            for i, role in enumerate(bank.roles[:20])
        ]
        people.append(Participant(99, "=Same", {q.id: 3 for q in bank.questions}, datetime(2026, 12, 1, tzinfo=UTC)))
        book = load_workbook(io.BytesIO(session_xlsx(bank, people, "fr", datetime(2026, 12, 1, tzinfo=UTC))))

        rows = [[c.value for c in row] for row in book["reliability"].iter_rows()]
        titles = [r[0] for r in rows if r[0] in ("dimensions", "statements", "participants")]
        assert titles == ["dimensions", "statements", "participants"]
        header = rows[1]
        assert header[:3] == ["dimension", "dimension_name", "n"] and "level_words" in header
        dims = rows[2 : 2 + len(bank.dimension_ids)]
        assert [r[0] for r in dims] == list(bank.dimension_ids)
        assert [r[1] for r in dims] == [d.name("fr") for d in bank.dimensions]
        people_at = next(i for i, r in enumerate(rows) if r[0] == "participants")
        same = next(r for r in rows[people_at + 2 :] if r[0] == "'=Same")  # a formula stays text
        assert "long_string" in same[2]


class TestInconsistentPairs:
    # Six people, about half the statements each (as the adaptive quiz leaves them; "." = not
    # asked): the pairwise covariances of one dimension give an alpha above 1. Found by the
    # browser test of a coach's session, where the report failed with "math domain error".
    ROWS = (
        "...1.23..3...2225...23.4.3.4.5...3.144.5435321..2...22.3",
        ".3.235.1..3.42..53.3..423.3..33..44.3.55..2.22.1.....3..",
        ".2...4..34....313.24...52..4....4.22..44...3.44...2.3.1.",
        "3...343.3.22.3.3.3..3..2232.333..3.124.42224414.35...34.",
        ".53242.342...222..3..1....4..34.4.51.2...2344..4.343.1.2",
        "..3..542343.4.2133.323.322.434..4..454.5.42.....3..44...",
    )

    def test_an_alpha_above_1_from_pairwise_data_gives_no_figure_and_says_why(self, bank: Bank) -> None:
        answers = np.array([[np.nan if c == "." else float(c) for c in row] for row in self.ROWS])

        report = reliability_report(bank, answers)

        for d in report.dimensions:
            assert not isinstance(d.alpha, float) or d.alpha <= 1.0
        blank = [d for d in report.dimensions if isinstance(d.alpha, rel.Undetermined)]
        assert "inconsistent_pairs" in {d.alpha.reason for d in blank if isinstance(d.alpha, rel.Undetermined)}
        assert rel.interpret(blank[0]).level == "cannot_say"
