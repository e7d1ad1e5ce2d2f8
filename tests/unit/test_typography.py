"""quiz.typography: what counts as a French typography problem, and the spacing fixer."""

from __future__ import annotations

import pytest

from quiz.typography import NARROW_NBSP, NBSP, fix_spacing, french_problems


def rules(text: str) -> list[str]:
    return [p.rule for p in french_problems(text)]


class TestFrenchProblems:
    @pytest.mark.parametrize(
        "text",
        [
            f"Objectif{NBSP}: construire des systèmes fiables.",
            f"Et si{NARROW_NBSP}?",
            f"Le poste{NBSP}; le rôle{NARROW_NBSP}!",
            f"Le mot{NBSP}«{NBSP}ajout{NBSP}» est visible.",
            f"Le match pèse les niveaux (70{NBSP}%).",
            "Rendez-vous à 10:30 sur https://example.org.",
            f"Vraiment{NBSP}?!",
            "L'entreprise s'assure que l'équipe livre.",
        ],
    )
    def test_text_that_follows_every_rule_has_no_problem(self, text: str) -> None:
        assert french_problems(text) == []

    @pytest.mark.parametrize(
        ("text", "rule"),
        [
            ("Expertise technique: 90", "space_before"),
            ("Et si ?", "space_before"),
            (f"Objectif{NBSP}:construire", "space_after"),
            ("Le mot « ajout » est visible.", "guillemets"),
            ('Le mot "ajout" est visible.', "straight_quote"),
            ("L’entreprise", "apostrophe"),
            ("Le match pèse les niveaux (70 %).", "percent"),
            ("Apprendre seul(e)", "inclusive"),
            ("Les développeur·euses", "inclusive"),
            ("Vitesse vs qualité", "anglicism"),
            ("Aligner la technologie avec les objectifs", "anglicism"),
            ("Les CTO poussent pour des technologies de pointe", "anglicism"),
            ("utiliser une appli plutôt qu'apprendre à la construire", "anglicism"),
        ],
    )
    def test_each_rule_is_found(self, text: str, rule: str) -> None:
        assert rule in rules(text)

    def test_the_curly_apostrophe_convention_reports_the_straight_one(self) -> None:
        assert rules(
            "L’entreprise",
        ) == ["apostrophe"]
        assert [p.rule for p in french_problems("L'entreprise", apostrophe="’")] == ["apostrophe"]
        assert french_problems("L’entreprise", apostrophe="’") == []

    def test_a_problem_says_where_it_is_and_what_to_do(self) -> None:
        (problem,) = french_problems("Expertise technique: 90")

        assert problem.position == len("Expertise technique")
        assert "technique: 90" in problem.excerpt
        assert "U+00A0" in problem.message
        assert str(problem).startswith("space_before at 19")


class TestFixSpacing:
    def test_it_puts_non_breaking_spaces_where_the_rules_want_them(self) -> None:
        fixed = fix_spacing("Impact : aider ; vraiment ? oui! « ajout » 70 %")

        assert fixed == f"Impact{NBSP}: aider{NBSP}; vraiment{NBSP}? oui{NBSP}! «{NBSP}ajout{NBSP}» 70{NBSP}%"
        assert french_problems(fixed) == []

    def test_narrow_spaces_go_before_semicolon_question_and_exclamation_marks_on_request(self) -> None:
        assert fix_spacing("Et si ? Oui : non", narrow=True) == f"Et si{NARROW_NBSP}? Oui{NBSP}: non"

    def test_it_leaves_urls_times_and_correct_text_alone(self) -> None:
        for text in ("https://example.org", "10:30", f"Objectif{NBSP}: fiable"):
            assert fix_spacing(text) == text

    def test_it_is_idempotent(self) -> None:
        once = fix_spacing("Impact : « ajout » ; 5 % ?")

        assert fix_spacing(once) == once
