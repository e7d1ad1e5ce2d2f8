"""The banks: what the shipped content must hold, and how every kind of mistake in it is reported.

Each broken bank is a copy of `data/` with exactly one edit; the test computes the line the edit
landed on and checks the validator points there, in the `file:line: column: message` form a
person can follow in a spreadsheet, with a message that says how to fix it.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from quiz.banks import BankError, load_bank
from quiz.model import FAMILIES, LEVELS, REQUIRED_SECTIONS, Bank, Text
from quiz.scoring import quiz_order
from quiz.tables import Problem
from tests.support.bankfixtures import BANK_FILES, DATA_DIR, BankCopy, read_rows, write_rows

SEED_ROLES = ("cto", "cpo", "digital_pm", "marketing_pm")


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(DATA_DIR)


@pytest.fixture
def bank_copy(tmp_path: Path) -> BankCopy:
    return BankCopy.of_shipped_bank(tmp_path)


def assert_located(problem: Problem, file: str, line: int, column: str) -> None:
    """The problem reads `file:line: column: message`, pointing where the test broke the bank."""
    prefix = f"{file}:{line}: {column}: " if column else f"{file}:{line}: "
    assert str(problem).startswith(prefix), str(problem)
    assert len(str(problem)) > len(prefix) + 10, "the message after the location is missing"


class TestLoadBankOnTheShippedData:
    def test_the_shipped_bank_loads_without_problems(self, bank: Bank) -> None:
        assert bank.dimensions and bank.questions and bank.roles

    def test_there_are_at_least_six_dimensions(self, bank: Bank) -> None:
        assert len(bank.dimensions) >= 6
        assert len(set(bank.dimension_ids)) == len(bank.dimension_ids)

    def test_every_dimension_has_at_least_eight_questions(self, bank: Bank) -> None:
        counts = Counter(q.dimension for q in bank.questions)
        assert {d: counts[d] for d in bank.dimension_ids if counts[d] < 8} == {}

    def test_every_dimension_has_at_least_three_reverse_keyed_questions(self, bank: Bank) -> None:
        reverse = Counter(q.dimension for q in bank.questions if q.keyed == -1)
        assert {d: reverse[d] for d in bank.dimension_ids if reverse[d] < 3} == {}

    def test_keys_are_balanced_so_that_agreeing_with_everything_cancels_out(self, bank: Bank) -> None:
        for dimension in bank.dimension_ids:
            keys = Counter(q.keyed for q in bank.questions if q.dimension == dimension)
            assert abs(keys[1] - keys[-1]) <= 2, dimension

    def test_reverse_keyed_questions_are_spread_over_preference_skill_and_situation(self, bank: Bank) -> None:
        for dimension in bank.dimension_ids:
            kinds = {q.kind for q in bank.questions if q.dimension == dimension and q.keyed == -1}
            assert len(kinds) >= 2, dimension
        assert {q.kind for q in bank.questions if q.keyed == -1} == {"preference", "skill", "situation"}

    def test_every_dimension_has_a_reliability_between_0_and_1_with_its_source(self, bank: Bank) -> None:
        for dimension in bank.dimensions:
            assert 0 < dimension.reliability < 1 and dimension.score_sd > 0, dimension.id
            assert re.fullmatch(r"assumed:\d{4}-\d{2}|measured:\d{4}-\d{2}-\d{2}:n=\d+", dimension.reliability_source)

    def test_the_quiz_order_never_asks_two_statements_of_one_dimension_in_a_row(self, bank: Bank) -> None:
        order = quiz_order(bank)
        assert all(a.dimension != b.dimension for a, b in pairwise(order))

    def test_french_texts_put_a_non_breaking_space_before_high_punctuation_and_inside_guillemets(
        self, bank: Bank
    ) -> None:
        texts = [q.text.fr for q in bank.questions] + [
            t.fr for d in bank.dimensions for t in (d.name, d.description, d.low, d.high)
        ]
        for text in texts:
            assert not re.search(r"[ \w][:;?!»]|«[ \w]", text.replace("\u00a0", "¤")), text

    def test_risk_4_no_longer_opposes_the_security_the_cto_insists_on(self, bank: Bank) -> None:
        # Seed: the CTO is both more willing to take risks with new technology and the one who
        # insists on strong security; no statement of the risk dimension may be about security.
        for question in bank.questions:
            if question.dimension == "risk":
                assert "secur" not in question.text.en.lower() and "sécurité" not in question.text.fr.lower()
        assert "security" not in bank.dimension("risk").low.en.lower()

    def test_every_question_is_keyed_plus_or_minus_one(self, bank: Bank) -> None:
        assert {q.keyed for q in bank.questions} == {1, -1}

    def test_every_question_is_written_in_french_and_in_english(self, bank: Bank) -> None:
        for question in bank.questions:
            assert question.text("fr").strip() and question.text("en").strip(), question.id
            # The same sentence in both columns is a forgotten translation.
            assert question.text.fr != question.text.en, question.id

    def test_every_dimension_is_named_and_described_in_both_languages(self, bank: Bank) -> None:
        for dimension in bank.dimensions:
            for text in (dimension.name, dimension.description, dimension.low, dimension.high):
                assert text.fr and text.en and text.fr != text.en, dimension.id

    def test_the_four_seed_roles_are_there_and_sourced_from_the_seeds(self, bank: Bank) -> None:
        for role_id in SEED_ROLES:
            assert bank.role(role_id).source.startswith("seed:"), role_id

    def test_the_cto_and_the_cpo_carry_the_seed_frictions(self, bank: Bank) -> None:
        for role_id in ("cto", "cpo"):
            frictions = bank.role(role_id).section("frictions")
            assert frictions, role_id
            assert all(item.source.startswith("seed:") for item in frictions), role_id

    def test_at_least_eight_other_roles_span_several_seniority_levels(self, bank: Bank) -> None:
        others = [r for r in bank.roles if r.id not in SEED_ROLES]
        assert len(others) >= 8
        assert all(r.level in LEVELS and r.family in FAMILIES for r in bank.roles)
        assert len({r.level for r in others}) >= 2

    def test_every_role_above_entry_level_says_which_roles_lead_to_it(self, bank: Bank) -> None:
        assert [r.id for r in bank.roles if r.level != "entry" and not r.leads_from] == []

    def test_every_leads_from_path_points_at_another_existing_role(self, bank: Bank) -> None:
        role_ids = {r.id for r in bank.roles}
        for role in bank.roles:
            assert set(role.leads_from) <= role_ids - {role.id}, role.id

    def test_career_paths_never_loop_back_to_where_they_started(self, bank: Bank) -> None:
        def earlier(role_id: str) -> set[str]:
            found: set[str] = set()
            todo = list(bank.role(role_id).leads_from)
            while todo:
                previous = todo.pop()
                if previous not in found:
                    found.add(previous)
                    todo.extend(bank.role(previous).leads_from)
            return found

        assert [r.id for r in bank.roles if r.id in earlier(r.id)] == []

    def test_every_role_has_a_target_on_every_dimension_with_a_rationale(self, bank: Bank) -> None:
        for role in bank.roles:
            assert tuple(t.dimension for t in role.profile) == bank.dimension_ids, role.id
            for target in role.profile:
                assert 0 <= target.level <= 100 and target.weight in (1, 2, 3), (role.id, target.dimension)
                assert target.rationale.fr and target.rationale.en, (role.id, target.dimension)

    def test_every_role_has_every_required_section_in_both_languages(self, bank: Bank) -> None:
        for role in bank.roles:
            for name in REQUIRED_SECTIONS:
                items = role.section(name)
                assert items, (role.id, name)
                assert all(item.text.fr and item.text.en for item in items), (role.id, name)


class TestBankVersion:
    def test_the_version_is_eight_hexadecimal_characters(self, bank: Bank) -> None:
        assert re.fullmatch(r"[0-9a-f]{8}", bank.version)

    def test_the_same_files_give_the_same_version(self, bank: Bank, bank_copy: BankCopy) -> None:
        assert load_bank(bank_copy.folder).version == bank.version == load_bank(DATA_DIR).version

    @pytest.mark.parametrize(
        ("file", "column"),
        [
            ("dimensions.csv", "name_en"),
            ("questions.csv", "text_en"),
            ("roles.csv", "name_en"),
            ("role_sections.csv", "text_en"),
            ("profiles.csv", "rationale_en"),
        ],
    )
    def test_the_version_changes_when_any_file_changes(
        self, bank: Bank, bank_copy: BankCopy, file: str, column: str
    ) -> None:
        first = bank_copy.records(file)[0]
        key = bank_copy.header(file)[0]
        bank_copy.set_cell(file, column, first[column] + " (edited)", **{key: first[key]})
        assert load_bank(bank_copy.folder).version != bank.version


class TestLoadBankReportsQuestionMistakes:
    def test_an_unknown_dimension_is_reported_on_the_question_line(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("questions.csv", "dimension", "techh", id="tech_3")
        problem = bank_copy.problem_at("questions.csv", line, "dimension")
        assert_located(problem, "questions.csv", line, "dimension")
        assert "'techh'" in problem.message
        assert "use an id from dimensions.csv" in problem.message and "tech" in problem.message

    def test_a_duplicate_question_id_points_at_the_first_one(self, bank_copy: BankCopy) -> None:
        first = bank_copy.line_of("questions.csv", id="tech_1")
        line = bank_copy.append_row("questions.csv", bank_copy.records("questions.csv")[0])
        problem = bank_copy.problem_at("questions.csv", line, "id")
        assert_located(problem, "questions.csv", line, "id")
        assert f"first on line {first}" in problem.message and "make ids unique" in problem.message

    def test_a_missing_french_text_is_a_missing_translation(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("questions.csv", "text_fr", "", id="ux_2")
        problem = bank_copy.problem_at("questions.csv", line, "text_fr")
        assert_located(problem, "questions.csv", line, "text_fr")
        assert "missing translation" in problem.message and "fill in this cell" in problem.message

    def test_a_keyed_value_other_than_plus_or_minus_is_rejected(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("questions.csv", "keyed", "yes", id="data_1")
        problem = bank_copy.problem_at("questions.csv", line, "keyed")
        assert_located(problem, "questions.csv", line, "keyed")
        assert "'yes'" in problem.message and "write +" in problem.message and "-" in problem.message

    def test_an_unknown_kind_lists_the_allowed_kinds(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("questions.csv", "kind", "opinion", id="risk_2")
        problem = bank_copy.problem_at("questions.csv", line, "kind")
        assert_located(problem, "questions.csv", line, "kind")
        assert "use one of preference, skill, situation" in problem.message

    def test_a_dimension_with_too_few_questions_is_reported_on_its_dimension_line(self, bank_copy: BankCopy) -> None:
        bank_copy.delete_rows("questions.csv", id="marketing_4")
        line = bank_copy.line_of("dimensions.csv", id="marketing")
        problem = bank_copy.problem_at("dimensions.csv", line, "id")
        assert_located(problem, "dimensions.csv", line, "id")
        assert "has 7 question(s)" in problem.message and "at least 8" in problem.message

    def test_a_dimension_with_too_few_reverse_keyed_questions_is_reported(self, bank_copy: BankCopy) -> None:
        bank_copy.set_cell("questions.csv", "keyed", "+", id="leadership_4")
        bank_copy.set_cell("questions.csv", "keyed", "+", id="leadership_6")
        line = bank_copy.line_of("dimensions.csv", id="leadership")
        problem = bank_copy.problem_at("dimensions.csv", line, "id")
        assert_located(problem, "dimensions.csv", line, "id")
        assert "has 2 reverse-keyed question(s)" in problem.message and "at least 3" in problem.message

    def test_unbalanced_keys_are_reported(self, bank_copy: BankCopy) -> None:
        for extra in range(3):
            bank_copy.append_row(
                "questions.csv",
                {
                    "id": f"data_extra_{extra}",
                    "dimension": "data",
                    "keyed": "+",
                    "kind": "skill",
                    "text_en": f"Extra {extra}.",
                    "text_fr": f"En plus {extra}.",
                    "source": "ours",
                },
            )
        line = bank_copy.line_of("dimensions.csv", id="data")
        problem = bank_copy.problem_at("dimensions.csv", line, "id")
        assert "7 item(s) keyed + and 4 keyed -" in problem.message and "balance them" in problem.message

    def test_reverse_keyed_questions_of_one_kind_only_are_reported(self, bank_copy: BankCopy) -> None:
        for question_id in ("ux_6", "ux_7"):
            bank_copy.set_cell("questions.csv", "kind", "preference", id=question_id)
        line = bank_copy.line_of("dimensions.csv", id="ux")
        problem = bank_copy.problem_at("dimensions.csv", line, "id")
        assert "one kind only (preference)" in problem.message

    @pytest.mark.parametrize("value", ["0", "1", "1.2", "-0.5", "high", ""])
    def test_a_reliability_outside_0_to_1_is_rejected(self, bank_copy: BankCopy, value: str) -> None:
        line = bank_copy.set_cell("dimensions.csv", "reliability", value, id="tech")
        problem = bank_copy.problem_at("dimensions.csv", line, "reliability")
        assert_located(problem, "dimensions.csv", line, "reliability")

    def test_a_reliability_source_must_say_assumed_or_measured_with_date_and_n(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("dimensions.csv", "reliability_source", "measured", id="data")
        problem = bank_copy.problem_at("dimensions.csv", line, "reliability_source")
        assert "measured:YYYY-MM-DD:n=N" in problem.message

    def test_a_measured_reliability_with_its_date_and_sample_size_loads(self, bank_copy: BankCopy) -> None:
        bank_copy.set_cell("dimensions.csv", "reliability_source", "measured:2027-03-14:n=412", id="data")
        bank_copy.set_cell("dimensions.csv", "reliability", "0,79", id="data")
        dimension = load_bank(bank_copy.folder).dimension("data")
        assert (dimension.reliability, dimension.reliability_source) == (0.79, "measured:2027-03-14:n=412")


class TestLoadBankReportsProfileMistakes:
    def test_a_role_missing_a_dimension_is_reported_on_its_role_line(self, bank_copy: BankCopy) -> None:
        bank_copy.delete_rows("profiles.csv", role="pr_manager", dimension="ux")
        line = bank_copy.line_of("roles.csv", id="pr_manager")
        problem = bank_copy.problem_at("roles.csv", line, "id")
        assert_located(problem, "roles.csv", line, "id")
        assert "no target for ux" in problem.message and "add rows to profiles.csv" in problem.message

    @pytest.mark.parametrize("target", ["120", "-5", "abc", "75.5"])
    def test_a_target_that_is_not_a_whole_number_from_0_to_100_is_rejected(
        self, bank_copy: BankCopy, target: str
    ) -> None:
        line = bank_copy.set_cell("profiles.csv", "target", target, role="cpo", dimension="customer")
        problem = bank_copy.problem_at("profiles.csv", line, "target")
        assert_located(problem, "profiles.csv", line, "target")
        assert repr(target) in problem.message and "whole number from 0 to 100" in problem.message

    def test_a_target_written_nan_is_reported_rather_than_crashing(self, bank_copy: BankCopy) -> None:
        # "NaN" is what pandas and some sheets write for an empty number; parse_number accepts it.
        line = bank_copy.set_cell("profiles.csv", "target", "NaN", role="cpo", dimension="customer")
        assert_located(bank_copy.problem_at("profiles.csv", line, "target"), "profiles.csv", line, "target")

    def test_a_target_with_a_decimal_comma_loads_like_the_whole_number(self, bank_copy: BankCopy) -> None:
        bank_copy.set_cell("profiles.csv", "target", " 90,0 ", role="cto", dimension="tech")
        assert load_bank(bank_copy.folder).role("cto").target("tech").level == 90

    def test_a_weight_outside_1_to_3_is_rejected(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("profiles.csv", "weight", "5", role="ux_designer", dimension="ux")
        problem = bank_copy.problem_at("profiles.csv", line, "weight")
        assert_located(problem, "profiles.csv", line, "weight")
        assert "'5'" in problem.message and "1 (minor), 2 (important) or 3 (decisive)" in problem.message

    def test_a_second_row_for_the_same_role_and_dimension_points_at_the_first(self, bank_copy: BankCopy) -> None:
        first = bank_copy.line_of("profiles.csv", role="cto", dimension="tech")
        line = bank_copy.append_row("profiles.csv", bank_copy.records("profiles.csv")[0])
        problem = bank_copy.problem_at("profiles.csv", line, "dimension")
        assert_located(problem, "profiles.csv", line, "dimension")
        assert f"on line {first}" in problem.message and "keep one row per pair" in problem.message

    def test_an_unknown_role_in_profiles_is_rejected(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("profiles.csv", "role", "ceo", role="cto", dimension="tech")
        problem = bank_copy.problem_at("profiles.csv", line, "role")
        assert "unknown role 'ceo'" in problem.message and "use an id from roles.csv" in problem.message


class TestLoadBankReportsRoleMistakes:
    def test_an_unknown_role_in_role_sections_is_reported_on_its_line(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("role_sections.csv", "role", "ceo", role="cto", section="responsibilities")
        problem = bank_copy.problem_at("role_sections.csv", line, "role")
        assert_located(problem, "role_sections.csv", line, "role")
        assert "unknown role 'ceo'" in problem.message and "use an id from roles.csv" in problem.message

    def test_a_role_missing_a_required_section_is_reported_on_its_role_line(self, bank_copy: BankCopy) -> None:
        bank_copy.delete_rows("role_sections.csv", role="growth_marketer", section="kpis")
        line = bank_copy.line_of("roles.csv", id="growth_marketer")
        problem = bank_copy.problem_at("roles.csv", line, "id")
        assert_located(problem, "roles.csv", line, "id")
        assert "no 'kpis' items" in problem.message and "add rows to role_sections.csv" in problem.message

    def test_an_unknown_section_name_lists_the_allowed_sections(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("role_sections.csv", "section", "salary", role="cpo", section="skills")
        problem = bank_copy.problem_at("role_sections.csv", line, "section")
        assert_located(problem, "role_sections.csv", line, "section")
        assert "use one of responsibilities, skills" in problem.message

    def test_leads_from_naming_an_unknown_role_is_rejected(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("roles.csv", "leads_from", "tech_lead|chief_wizard", id="cto")
        problem = bank_copy.problem_at("roles.csv", line, "leads_from")
        assert_located(problem, "roles.csv", line, "leads_from")
        assert "'chief_wizard'" in problem.message and "list ids from roles.csv separated by |" in problem.message

    def test_a_role_cannot_lead_from_itself(self, bank_copy: BankCopy) -> None:
        line = bank_copy.set_cell("roles.csv", "leads_from", "tech_lead|cto", id="cto")
        assert "'cto' is not another role's id" in bank_copy.problem_at("roles.csv", line, "leads_from").message

    @pytest.mark.parametrize(("column", "value"), [("family", "sales"), ("level", "junior")])
    def test_an_unknown_family_or_level_lists_the_allowed_values(
        self, bank_copy: BankCopy, column: str, value: str
    ) -> None:
        line = bank_copy.set_cell("roles.csv", column, value, id="data_analyst")
        problem = bank_copy.problem_at("roles.csv", line, column)
        assert_located(problem, "roles.csv", line, column)
        allowed = FAMILIES if column == "family" else LEVELS
        assert f"unknown value {value!r}: use one of {', '.join(allowed)}" in problem.message


class TestLoadBankReportsSourceMistakes:
    @pytest.mark.parametrize("file", BANK_FILES)
    def test_a_source_that_is_neither_ours_nor_a_seed_is_rejected_in_every_file(
        self, bank_copy: BankCopy, file: str
    ) -> None:
        first = bank_copy.records(file)[0]
        key = bank_copy.header(file)[0]
        line = bank_copy.set_cell(file, "source", "wikipedia", **{key: first[key]})
        problem = bank_copy.problem_at(file, line, "source")
        assert_located(problem, file, line, "source")
        assert "'wikipedia'" in problem.message and "write `ours` or `seed:<seed-id>`" in problem.message


class TestLoadBankReportsFileMistakes:
    @pytest.mark.parametrize(
        ("file", "column"),
        [
            ("dimensions.csv", "low_fr"),
            ("questions.csv", "kind"),
            ("roles.csv", "leads_from"),
            ("role_sections.csv", "section"),
            ("profiles.csv", "weight"),
        ],
    )
    def test_a_missing_column_is_reported_on_the_header_line(self, bank_copy: BankCopy, file: str, column: str) -> None:
        expected_header = bank_copy.header(file)
        bank_copy.drop_column(file, column)
        problem = bank_copy.problem_at(file, 1, column)
        assert_located(problem, file, 1, column)
        assert f"the header must name: {', '.join(expected_header)}" in problem.message

    def test_a_header_in_mixed_case_is_accepted(self, bank_copy: BankCopy, bank: Bank) -> None:
        rows = read_rows(bank_copy.path("questions.csv"))
        rows[0] = [name.title() for name in rows[0]]
        write_rows(bank_copy.path("questions.csv"), rows)
        assert load_bank(bank_copy.folder).questions == bank.questions

    @pytest.mark.parametrize("file", BANK_FILES)
    def test_a_missing_file_is_reported_by_name_rather_than_crashing(self, bank_copy: BankCopy, file: str) -> None:
        bank_copy.path(file).unlink()
        problem = bank_copy.problem_at(file, 0, "")
        assert_located(problem, file, 0, "")
        assert "missing file" in problem.message

    def test_a_missing_file_message_says_how_to_fix_it(self, bank_copy: BankCopy) -> None:
        bank_copy.path("role_sections.csv").unlink()
        problem = bank_copy.problem_at("role_sections.csv", 0, "")
        # Every other message ends with what to do; "No such file or directory" alone does not.
        assert re.search(r"\b(restore|create|put|copy|add)\b", problem.message, re.IGNORECASE), problem.message

    def test_an_empty_file_asks_for_a_header_row(self, bank_copy: BankCopy) -> None:
        bank_copy.path("roles.csv").write_bytes(b"")
        problem = bank_copy.problem_at("roles.csv", 1, "")
        assert_located(problem, "roles.csv", 1, "")
        assert "empty" in problem.message and "header row" in problem.message

    def test_a_roles_file_with_only_its_header_asks_for_rows(self, bank_copy: BankCopy) -> None:
        write_rows(bank_copy.path("roles.csv"), [bank_copy.header("roles.csv")])
        problem = bank_copy.problem_at("roles.csv", 1, "")
        assert "no roles" in problem.message and "add at least two rows" in problem.message

    def test_a_folder_that_does_not_exist_is_a_bank_error(self, tmp_path: Path) -> None:
        with pytest.raises(BankError, match="no such folder"):
            load_bank(tmp_path / "nowhere")


class TestLoadBankReportsEveryProblem:
    def test_mistakes_in_five_files_are_all_reported_sorted_by_file_and_line(self, bank_copy: BankCopy) -> None:
        expected = {
            ("dimensions.csv", bank_copy.set_cell("dimensions.csv", "source", "blog", id="ux"), "source"),
            ("questions.csv", bank_copy.set_cell("questions.csv", "source", "blog", id="risk_3"), "source"),
            ("questions.csv", bank_copy.append_row("questions.csv", bank_copy.records("questions.csv")[7]), "id"),
            ("roles.csv", bank_copy.set_cell("roles.csv", "level", "junior", id="pr_manager"), "level"),
            ("roles.csv", bank_copy.set_cell("roles.csv", "leads_from", "intern", id="tech_lead"), "leads_from"),
            (
                "role_sections.csv",
                bank_copy.set_cell("role_sections.csv", "source", "blog", role="cpo", section="kpis"),
                "source",
            ),
            (
                "profiles.csv",
                bank_copy.set_cell("profiles.csv", "source", "blog", role="cpo", dimension="ux"),
                "source",
            ),
        }
        problems = bank_copy.problems()
        assert len(problems) == 7, "\n".join(map(str, problems))
        assert {(p.file, p.line, p.column) for p in problems} == expected
        assert list(problems) == sorted(problems)

    def test_the_error_message_has_one_line_per_problem(self, bank_copy: BankCopy) -> None:
        bank_copy.set_cell("questions.csv", "kind", "opinion", id="tech_5")
        bank_copy.set_cell("roles.csv", "family", "sales", id="cto")
        with pytest.raises(BankError) as raised:
            load_bank(bank_copy.folder)
        assert str(raised.value).splitlines() == [str(p) for p in raised.value.problems]
        assert len(raised.value.problems) >= 2

    def test_one_bad_cell_in_a_dimension_row_is_reported_once(self, bank_copy: BankCopy) -> None:
        # A dimension row with an empty translation must not make "risk" unknown everywhere else:
        # the person would be told to fix questions.csv and profiles.csv, which are right.
        line = bank_copy.set_cell("dimensions.csv", "name_fr", "", id="risk")
        problems = bank_copy.problems()
        assert [(p.file, p.line, p.column) for p in problems] == [("dimensions.csv", line, "name_fr")], "\n".join(
            map(str, problems)
        )


class TestLoadBankFromSpreadsheetSaves:
    @pytest.mark.parametrize(
        ("encoding", "delimiter", "lineterminator"),
        [
            pytest.param("cp1252", ";", "\r\n", id="excel-csv-french-windows"),
            pytest.param("utf-8-sig", ",", "\r\n", id="excel-csv-utf8"),
            pytest.param("utf-16", "\t", "\r\n", id="excel-unicode-text"),
        ],
    )
    def test_a_bank_resaved_by_a_spreadsheet_loads_to_the_same_content(
        self, bank: Bank, bank_copy: BankCopy, encoding: str, delimiter: str, lineterminator: str
    ) -> None:
        for file in BANK_FILES:
            rows = read_rows(bank_copy.path(file))
            write_rows(
                bank_copy.path(file), rows, encoding=encoding, delimiter=delimiter, lineterminator=lineterminator
            )
        assert bank_copy.path("questions.csv").read_bytes() != (DATA_DIR / "questions.csv").read_bytes()
        resaved = load_bank(bank_copy.folder)
        assert resaved.dimensions == bank.dimensions
        assert resaved.questions == bank.questions
        assert resaved.roles == bank.roles


class TestBankCopies:
    def test_replacing_the_roles_of_a_copy_leaves_the_original_untouched(self, bank: Bank) -> None:
        renamed = dataclasses.replace(bank.roles[0], name=Text("Renamed", "Renommé"))
        copy = dataclasses.replace(bank, roles=(renamed, *bank.roles[1:]))
        assert copy.role(renamed.id).name.en == "Renamed"
        assert bank.role(renamed.id).name.en != "Renamed"
