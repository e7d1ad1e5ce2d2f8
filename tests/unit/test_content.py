"""The content a coach can vouch for: French that follows the house rules, our additions tagged,
every seed statement where it belongs, ladders of roles, and profiles the quiz can tell apart.

Unlike test_banks.py (the validator and its messages), these tests read the shipped bank and
say what must be true of its content.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from quiz.banks import MIN_PROFILE_DISTANCE, BankError, load_bank, profile_distance
from quiz.matching import TIE_MARGIN, match_matrix, rank_roles
from quiz.model import FAMILIES, LEVELS, REQUIRED_SECTIONS, Bank, Role
from quiz.scoring import DimensionScores
from quiz.sources import check_coverage, coverage_markdown, read_coverage
from quiz.typography import french_problems
from tests.support.bankfixtures import BANK_FILES, DATA_DIR, BankCopy
from tests.support.paths import ROOT

BANK: Bank = load_bank()
SEED_ROLES = ("cto", "cpo", "digital_pm", "marketing_pm")
SEEDS = ("seed:cto-cpo", "seed:pm-digital-marketing")
# The sections each seed article gives its roles: the banks must hold at least one seed row in each.
SEED_SECTIONS = {
    "cto": ("responsibilities", "skills", "kpis", "impact", "collaborators", "frictions", "practices"),
    "cpo": ("responsibilities", "skills", "kpis", "impact", "collaborators", "frictions", "practices"),
    "digital_pm": ("responsibilities", "skills", "kpis", "collaborators", "background"),
    "marketing_pm": ("responsibilities", "skills", "kpis", "collaborators", "background"),
}
# Roles issue 12 asks for (by their ids here).
REQUIRED_ROLES = (
    "qa_engineer",
    "devops_engineer",
    "data_engineer",
    "data_scientist",
    "software_architect",
    "scrum_master",
    "head_of_product",
    "vp_engineering",
    "cio",
    "cmo",
    "community_manager",
    "content_seo_manager",
    "customer_success_manager",
    "business_developer",
    "assistant_product_manager",
    "tech_lead",
    "engineering_manager",
    "security_lead",
    "soc_analyst",
)
# The quiz's measurement noise: a dimension score's standard error with 5 items (DESIGN.md).
SCORE_SE = 9.0

# Masculine plurals of job nouns that, alone, would leave out half the people doing the job.
JOB_NOUNS: dict[str, str] = {
    "développeurs": "développeuses",
    "testeurs": "testeuses",
    "ingénieurs": "ingénieures",
    "rédacteurs": "rédactrices",
    "influenceurs": "influenceuses",
    "chargés": "chargées",
    "salariés": "salariées",
    "experts": "expertes",
    "dirigeants": "dirigeantes",
    "administrateurs": "administratrices",
    "chefs": "cheffes",
}

# Words a 15-year-old does not know: where a role's description uses one, it says what it is.
JARGON: tuple[str, ...] = (
    "parties prenantes",
    "portefeuille de produits",
    "dette technique",
    "design system",
    "user stories",
)

# A French diploma in an English text says what it is.
DIPLOMAS: dict[str, str] = {
    r"\bBUT\b": "university technology degree",
    r"\bBTS\b": "two-year vocational",
    r"\bDN MADE\b": "design degree",
}


def french_texts(bank: Bank) -> list[tuple[str, str]]:
    """Every French text of the banks, with where it is, for a readable failure."""
    texts: list[tuple[str, str]] = []
    for d in bank.dimensions:
        texts += [(f"dimensions.csv {d.id}", t.fr) for t in (d.name, d.description, d.low, d.high)]
    texts += [(f"questions.csv {q.id}", q.text.fr) for q in bank.questions]
    for role in bank.roles:
        texts += [(f"roles.csv {role.id}", role.name.fr), (f"roles.csv {role.id}", role.summary.fr)]
        for name, items in role.sections:
            texts += [(f"role_sections.csv {role.id}/{name}", item.text.fr) for item in items]
        texts += [(f"profiles.csv {role.id}/{t.dimension}", t.rationale.fr) for t in role.profile]
    return texts


def role_texts(role: Role, lang: str) -> list[str]:
    """A role's description as shown: summary and every section item."""
    out = [role.summary.fr if lang == "fr" else role.summary.en]
    for _, items in role.sections:
        out += [item.text.fr if lang == "fr" else item.text.en for item in items]
    return out


class TestFrenchTypography:
    def test_every_french_bank_text_follows_the_typography_and_writing_rules(self) -> None:
        texts = [(where, text) for where, text in french_texts(BANK) if not where.startswith("questions.csv")]
        problems = [f"{where}: {p}" for where, text in texts for p in french_problems(text)]

        assert problems == []

    def test_every_question_follows_the_typography_and_writing_rules(self) -> None:
        texts = [(where, text) for where, text in french_texts(BANK) if where.startswith("questions.csv")]
        problems = [f"{where}: {p}" for where, text in texts for p in french_problems(text)]

        assert problems == []

    def test_the_bank_files_hold_no_narrow_no_break_space(self) -> None:
        # Windows-1252, which Excel may save the banks in, has U+00A0 but no U+202F.
        assert [f for f in BANK_FILES if "\u202f" in (DATA_DIR / f).read_text("utf-8")] == []

    def test_people_named_by_their_job_are_named_in_both_forms(self) -> None:
        # The convention (README): both words in full, or an epicene wording. "École d'ingénieurs"
        # and "diplôme d'ingénieur" name a school and a degree, not people.
        missing = []
        for where, text in french_texts(BANK):
            plain = re.sub(r"(école|écoles|diplôme) d'ingénieurs?", "", text.lower())
            missing += [(where, m) for m, f in JOB_NOUNS.items() if re.search(rf"\b{m}\b", plain) and f not in plain]

        assert missing == []

    def test_french_role_names_give_the_feminine_form_rome_style(self) -> None:
        masculine = re.compile(r"\b(Directeur|Développeur|Chef|Ingénieur|Testeur|Chargé|Assistant)\b")
        feminine = re.compile(r"(Directrice|Développeuse|Cheffe|Ingénieure|Testeuse|Chargée|Assistante)")
        wrong = [r.name.fr for r in BANK.roles if masculine.search(r.name.fr) and not feminine.search(r.name.fr)]

        assert wrong == []


class TestJargonAndDiplomas:
    @pytest.mark.parametrize("term", JARGON)
    def test_jargon_is_explained_in_a_few_words_in_every_role_that_uses_it(self, term: str) -> None:
        unexplained = []
        for role in BANK.roles:
            texts = [t for t in role_texts(role, "fr") if term in t]
            if texts and not any(re.search(rf"{term}\s*(\(|, c'est-à-dire)", t) for t in texts):
                unexplained.append(role.id)

        assert unexplained == []

    def test_the_backlog_is_explained_where_a_role_description_first_uses_it(self) -> None:
        for role in BANK.roles:
            texts = [t for t in role_texts(role, "fr") if "backlog" in t]
            if texts:
                assert re.search(r"backlog \(", texts[0]), role.id

    def test_french_diplomas_are_explained_in_the_english_texts(self) -> None:
        unexplained = []
        for role in BANK.roles:
            for text in role_texts(role, "en"):
                unexplained += [
                    (role.id, text) for d, gloss in DIPLOMAS.items() if re.search(d, text) and gloss not in text
                ]

        assert unexplained == []


class TestOurAdditionsAreTagged:
    def test_every_row_names_a_seed_or_ours(self) -> None:
        sources = {r.source for r in BANK.roles}
        sources |= {i.source for r in BANK.roles for _, items in r.sections for i in items}
        sources |= {t.source for r in BANK.roles for t in r.profile}

        assert sources <= {"ours", *SEEDS}

    def test_a_role_of_ours_has_nothing_but_rows_of_ours(self) -> None:
        for role in BANK.roles:
            if role.source == "ours":
                assert {i.source for _, items in role.sections for i in items} == {"ours"}, role.id
                assert {t.source for t in role.profile} == {"ours"}, role.id

    def test_a_seed_role_cites_only_its_own_seed(self) -> None:
        for role_id in SEED_ROLES:
            role = BANK.role(role_id)
            assert role.source in SEEDS, role_id
            cited = {i.source for _, items in role.sections for i in items} | {t.source for t in role.profile}
            assert cited <= {"ours", role.source}, role_id

    def test_a_target_the_source_says_nothing_about_is_marked_ours(self) -> None:
        silent = re.compile(r"says nothing|ne parle pas|not in the source|assumed|suppose", re.IGNORECASE)
        wrong = [
            (r.id, t.dimension)
            for r in BANK.roles
            for t in r.profile
            if silent.search(t.rationale.en + t.rationale.fr) and t.source != "ours"
        ]

        assert wrong == []

    def test_backgrounds_of_the_cto_and_cpo_are_ours_since_the_source_gives_none(self) -> None:
        for role_id in ("cto", "cpo"):
            assert {i.source for i in BANK.role(role_id).section("background")} == {"ours"}, role_id


class TestSeedCoverage:
    @pytest.mark.parametrize("role_id", SEED_ROLES)
    def test_every_seed_section_of_every_seed_role_is_there(self, role_id: str) -> None:
        role = BANK.role(role_id)
        for name in SEED_SECTIONS[role_id]:
            assert any(i.source == role.source for i in role.section(name)), (role_id, name)

    def test_every_seed_statement_is_carried_by_a_real_row_or_left_out_with_a_reason(self) -> None:
        assert check_coverage(BANK, read_coverage()) == []

    def test_both_sources_are_covered_in_full(self) -> None:
        statements = read_coverage()
        for seed in SEEDS:
            assert len([s for s in statements if s.seed == seed and s.carried]) >= 30, seed

    def test_docs_sources_md_is_up_to_date_with_the_coverage_table(self) -> None:
        assert (ROOT / "docs" / "sources.md").read_text("utf-8") == coverage_markdown(read_coverage()) + "\n"

    def test_impact_statements_are_not_filed_as_kpis(self) -> None:
        for role_id in ("cto", "cpo"):
            kpis = [i.text.fr for i in BANK.role(role_id).section("kpis")]
            assert not [t for t in kpis if re.search(r"impact|influence|améliore", t, re.IGNORECASE)], role_id


class TestLadders:
    def test_there_are_at_least_28_roles_including_those_the_issue_asks_for(self) -> None:
        ids = {r.id for r in BANK.roles}

        assert len(ids) >= 28
        assert set(REQUIRED_ROLES) <= ids

    @pytest.mark.parametrize("family", FAMILIES)
    def test_every_family_has_a_ladder_from_entry_to_senior_or_executive(self, family: str) -> None:
        levels = {r.level for r in BANK.roles if r.family == family}

        assert "entry" in levels and levels & {"senior", "executive"}, (family, levels)

    def test_every_role_above_entry_level_is_reached_from_an_entry_role(self) -> None:
        def entries(role_id: str, seen: frozenset[str] = frozenset()) -> set[str]:
            role = BANK.role(role_id)
            if role.level == "entry":
                return {role.id}
            found: set[str] = set()
            for previous in role.leads_from:
                if previous not in seen:
                    found |= entries(previous, seen | {role_id})
            return found

        assert [r.id for r in BANK.roles if not entries(r.id)] == []

    def test_a_route_never_goes_down_the_ladder(self) -> None:
        rank = {level: i for i, level in enumerate(LEVELS)}
        down = [
            (previous, r.id)
            for r in BANK.roles
            for previous in r.leads_from
            if rank[BANK.role(previous).level] > rank[r.level]
        ]

        assert down == []

    def test_every_role_has_a_level_and_every_required_section_in_both_languages(self) -> None:
        for role in BANK.roles:
            assert role.level in LEVELS, role.id
            for name in REQUIRED_SECTIONS:
                assert role.section(name), (role.id, name)
                assert all(i.text.fr.strip() and i.text.en.strip() for i in role.section(name)), (role.id, name)

    def test_every_target_is_a_multiple_of_5_with_a_rationale_in_both_languages(self) -> None:
        for role in BANK.roles:
            for t in role.profile:
                assert t.level % 5 == 0, (role.id, t.dimension)
                assert t.rationale.fr.strip() and t.rationale.en.strip(), (role.id, t.dimension)


def on_profile(role: Role) -> DimensionScores:
    return DimensionScores(BANK.dimension_ids, tuple(float(t.level) for t in role.profile))


class TestRolesCanBeToldApart:
    def test_no_two_roles_are_closer_than_the_minimum_distance(self) -> None:
        roles = BANK.roles
        close = [
            (a.id, b.id, round(profile_distance(a, b), 1))
            for i, a in enumerate(roles)
            for b in roles[i + 1 :]
            if profile_distance(a, b) < MIN_PROFILE_DISTANCE
        ]

        assert close == []

    @pytest.mark.parametrize("role_id", [r.id for r in BANK.roles])
    def test_a_person_exactly_on_a_roles_profile_gets_it_first_with_a_clear_lead(self, role_id: str) -> None:
        ranking = rank_roles(BANK, on_profile(BANK.role(role_id)))

        assert ranking.top.role_id == role_id
        assert ranking.tied_top == (ranking.top,)
        assert ranking.matches[0].match - ranking.matches[1].match > TIE_MARGIN

    def test_with_the_quizs_noise_no_role_is_outranked_by_another_for_more_than_1_person_in_12(self) -> None:
        # The justification of MIN_PROFILE_DISTANCE, measured: people standing on a role's profile,
        # each dimension measured with a standard error of 9 points (clipped to 0-100).
        rng = np.random.default_rng(12)
        worst: list[tuple[float, str, str]] = []
        for i, role in enumerate(BANK.roles):
            people = np.clip(on_profile(role).as_array()[None, :] + rng.normal(0, SCORE_SE, (3000, 7)), 0, 100)
            match, _, _ = match_matrix(BANK, people)
            beaten = (match > match[:, [i]]).mean(axis=0)
            beaten[i] = 0.0
            j = int(beaten.argmax())
            worst.append((float(beaten[j]), role.id, BANK.roles[j].id))

        assert max(w[0] for w in worst) < 1 / 12, sorted(worst)[-5:]


class TestFamiliesAndLevelsAreKnown:
    def test_families_and_levels_are_those_of_the_model(self) -> None:
        by_family: dict[str, set[str]] = defaultdict(set)
        for role in BANK.roles:
            by_family[role.family].add(role.level)

        assert set(by_family) == set(FAMILIES)


class TestTheValidatorRejectsRolesTooClose:
    def test_a_role_copied_onto_another_ones_profile_is_reported_on_its_line(self, tmp_path: Path) -> None:
        bank_copy = BankCopy.of_shipped_bank(tmp_path)
        for target in BANK.role("marketing_pm").profile:
            bank_copy.set_cell(
                "profiles.csv",
                "target",
                str(target.level),
                role="assistant_product_manager",
                dimension=target.dimension,
            )
        line = bank_copy.line_of("roles.csv", id="assistant_product_manager")

        with pytest.raises(BankError) as caught:
            load_bank(bank_copy.folder)

        (problem,) = caught.value.problems
        assert str(problem).startswith(f"roles.csv:{line}: id: roles 'marketing_pm' and 'assistant_product_manager'")
        assert "0.0 points apart" in problem.message and f"minimum is {MIN_PROFILE_DISTANCE:g}" in problem.message

    def test_the_distance_is_symmetric_and_zero_only_for_the_same_targets(self) -> None:
        a, b = BANK.role("cto"), BANK.role("cpo")

        assert profile_distance(a, b) == pytest.approx(profile_distance(b, a))
        assert profile_distance(a, a) == 0.0
        assert profile_distance(a, b) > MIN_PROFILE_DISTANCE
