"""The roles page under AppTest: the comparison and the role pages show every section of a role
(the impact and how the CTO and CPO work together included), our additions carry a visible
badge rather than a bracketed word, target levels follow each language's typography, and the
person's profile is drawn from the statements answered so far.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from quiz.describe import describe_role, ours_tag, profile_lines
from quiz.i18n import strings
from quiz.model import Bank
from quiz.scoring import quiz_order
from tests.support.pages import markdown, no_exception, open_page, page
from tests.support.personas import persona_answers

AppFactory = Callable[[], AppTest]
LANGS = {"fr-FR": "fr", "en-GB": "en"}


def roles_page(app_test: AppFactory, locale: str, compare: str = "cto,cpo") -> AppTest:
    at = app_test()
    at.context["locale"] = locale
    at.run()
    at.query_params["compare"] = compare
    at.switch_page(page("roles")).run()
    no_exception(at)
    return at


@pytest.mark.parametrize("locale", LANGS)
def test_the_comparison_shows_impact_and_practices_of_both_seed_roles(
    app_test: AppFactory, bank: Bank, locale: str
) -> None:
    t = strings(LANGS[locale])
    at = roles_page(app_test, locale)
    text = markdown(at)
    for role_id in ("cto", "cpo"):
        described = describe_role(bank, bank.role(role_id), t)
        names = [s.name for s in described.sections]
        assert {"impact", "practices"} <= set(names), role_id
        for section in described.sections:
            assert f"**{section.title}**" in text
    # Each side lists the CTO's, then the CPO's, sections in full.
    assert text.count(f"**{t.t('section.impact')}**") >= 2
    assert text.count(f"**{t.t('section.practices')}**") >= 2


@pytest.mark.parametrize("locale", LANGS)
def test_our_additions_carry_a_visible_badge(app_test: AppFactory, bank: Bank, locale: str) -> None:
    t = strings(LANGS[locale])
    word = t.t("roles.ours_tag")
    at = roles_page(app_test, locale)
    text = markdown(at)
    cto = describe_role(bank, bank.role("cto"), t)
    ours = [item for section in cto.sections for item in section.items if item.endswith(ours_tag(t))]
    assert ours, "the CTO has additions of ours"
    badge = f":violet-badge[{word}]"
    assert f"- {ours[0].removesuffix(ours_tag(t))} {badge}" in text.split("\n")
    assert ours_tag(t) not in text  # never the easily missed bracketed word
    # Target levels are our estimates, tagged too where the rationale is ours.
    assert text.count(badge) > len(ours)


def test_target_levels_follow_french_typography(app_test: AppFactory, bank: Bank) -> None:
    fr = strings("fr")
    at = roles_page(app_test, "fr-FR")
    text = markdown(at)
    tag = ours_tag(fr)
    for line in profile_lines(bank, bank.role("cto"), fr):
        shown = line.removesuffix(tag) + (f" :violet-badge[{fr.t('roles.ours_tag')}]" if line.endswith(tag) else "")
        assert f"- {shown}" in text.split("\n")
    assert f"{bank.dimension('tech').name('fr')}\u00a0: " in text
    assert f"{bank.dimension('tech').name('fr')}: " not in text


def test_a_role_page_in_the_browse_tab_shows_its_sections(app_test: AppFactory, bank: Bank) -> None:
    fr = strings("fr")
    at = roles_page(app_test, "fr-FR")
    cto = bank.role("cto")
    expander = next(e for e in at.expander if e.label.startswith(cto.name("fr")))
    text = "\n".join(m.value for m in expander.markdown)
    assert f"**{fr.t('section.impact')}**" in text and f"**{fr.t('section.practices')}**" in text


def test_the_profile_is_drawn_from_a_partial_quiz(app_test: AppFactory, bank: Bank) -> None:
    answers = persona_answers(bank, "cto")
    at = app_test()
    at.context["locale"] = "en-GB"
    at.session_state["answers"] = {q.id: answers[q.id] for q in quiz_order(bank)[:14]}
    open_page(at, "roles")
    no_exception(at)
    spec = at.get("plotly_chart")[0].proto.spec
    assert strings("en").t("chart.you") in spec
