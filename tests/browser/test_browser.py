"""End to end in Debian's Chromium: a person takes the whole quiz in French and in English, the
app fits a phone, works with the keyboard alone, and the roles page compares CTO and CPO.

Screenshots land in artifacts/screenshots/ (git-ignored) to look at after a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from quiz.adaptive import next_step, progress
from quiz.i18n import strings
from quiz.model import Bank
from tests.support.browser import (
    LOCALES,
    PHONE,
    QUESTION_NUMBER,
    button,
    horizontal_overflow,
    idle,
    open_app,
    question_radios,
    shot,
    tab_until,
)

pytestmark = pytest.mark.browser

# ---------------------------------------------------------------------------------------------
# The whole quiz
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_taking_the_quiz_as_a_future_cto(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
    locale: str,
) -> None:
    lang = LOCALES[locale]
    t = strings(lang)
    # What a person answers, found from the statement they read (as shown, without its number).
    by_text = {q.text(lang): cto_answers[q.id] for q in bank.questions}

    page = open_app(new_context(locale), app_url)
    expect(page.locator("h1").first).to_have_text(t.t("home.title"))
    expect(button(page, "start")).to_have_text(t.t("home.start"))
    shot(page, screenshots, f"{locale}-0-home")
    button(page, "start").click()

    given: dict[str, int] = {}
    step = 0
    while True:
        # The adaptive quiz picks each step from the answers so far; it ends when it is sure.
        now = progress(bank, given)
        if now.done:
            break
        shown = now.next_questions
        # Skeletons and the previous step render first: wait for this step's own widgets.
        expect(page.locator(f".st-key-q_{shown[0].id}")).to_be_visible()
        radios = question_radios(page)
        expect(radios).to_have_count(len(shown))
        # The step is a form: the progress counts what earlier steps sent, and about how many
        # are still to come.
        expect(
            page.get_by_text(t.t("quiz.progress_adaptive", answered=len(given), more=now.about_more))
        ).to_be_visible()
        for index in range(len(shown)):
            radio = radios.nth(index)
            label = QUESTION_NUMBER.sub("", radio.locator('[data-testid="stWidgetLabel"]').inner_text()).strip()
            assert label in by_text, f"step {step + 1}: statement not in the {lang} bank: {label!r}"
            answer = by_text[label]
            options = radio.locator('[data-testid="stRadioOption"]')
            expect(options).to_have_count(5)
            # Each option is a number of the scale, its word in the page's language as a caption.
            expect(options.nth(answer - 1)).to_have_text(str(answer))
            expect(radio.locator('[data-testid="stRadioCaption"]').nth(answer - 1)).to_have_text(t.t(f"scale.{answer}"))
            idle(page)
            options.nth(answer - 1).click()
            expect(radio.locator("input").nth(answer - 1)).to_be_checked()
        shot(page, screenshots, f"{locale}-{step + 1}-quiz")
        expect(button(page, "next")).to_have_text(t.t("quiz.next"))
        button(page, "next").click()
        given.update((q.id, cto_answers[q.id]) for q in shown)
        step += 1
        expect(page.locator(f".st-key-q_{shown[0].id}")).to_have_count(0)

    top = bank.role("cto").name(lang)
    expect(page.locator("h1").first).to_have_text(t.t("results.title"))
    expect(page.get_by_text(t.t("results.most_likely", role=top, chance="").removesuffix("()"))).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] svg.main-svg').first).to_be_visible()
    expect(page.get_by_text(t.t("section.responsibilities"), exact=True).first).to_be_visible()
    expect(page.locator('[data-testid="stTable"]').first).to_be_visible()  # the ranking
    assert page.locator('[data-testid="stException"]').count() == 0
    assert len(given) < len(bank.questions)  # sure before the end
    shot(page, screenshots, f"{locale}-{step + 1}-results")


# ---------------------------------------------------------------------------------------------
# Phone width, keyboard, roles
# ---------------------------------------------------------------------------------------------


def test_phone_width_has_no_horizontal_overflow(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path
) -> None:
    t = strings("en")
    page = open_app(new_context("en-GB", PHONE), app_url)
    expect(button(page, "start")).to_be_visible()
    home_width, home_offenders = horizontal_overflow(page)
    shot(page, screenshots, "phone-home")

    button(page, "start").click()
    expect(question_radios(page)).to_have_count(len(next_step(bank, {})))
    expect(page.locator("h1").first).to_have_text(t.t("quiz.title"))
    quiz_width, quiz_offenders = horizontal_overflow(page)
    shot(page, screenshots, "phone-quiz")

    limit = PHONE["width"] + 1
    assert home_width <= limit, f"home is {home_width}px wide on a {PHONE['width']}px phone: {home_offenders}"
    assert quiz_width <= limit, f"quiz is {quiz_width}px wide on a {PHONE['width']}px phone: {quiz_offenders}"


def test_keyboard_only_reaches_the_quiz_and_answers(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path
) -> None:
    t = strings("en")
    first = next_step(bank, {})[0]
    page = open_app(new_context("en-GB"), app_url)
    expect(button(page, "start")).to_be_visible()

    tab_until(page, lambda f: f.startswith("BUTTON|") and t.t("home.start") in f)
    page.keyboard.press("Enter")
    expect(page.locator("h1").first).to_have_text(t.t("quiz.title"))
    expect(question_radios(page)).to_have_count(len(next_step(bank, {})))

    inputs = page.locator(f".st-key-q_{first.id} input[type=radio]")
    in_first_question = f"() => document.activeElement.closest('.st-key-q_{first.id}') !== null"
    tab_until(page, lambda f: f.startswith("INPUT|radio|") and bool(page.evaluate(in_first_question)))
    # Nothing is chosen yet: Space picks the focused (first) option, arrows move the choice.
    page.keyboard.press("Space")
    expect(inputs.nth(0)).to_be_checked()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(inputs.nth(3)).to_be_checked()
    # The step is a form: Enter on Next sends the choice; the progress then counts one answer
    # (and Next names the four statements still unanswered).
    tab_until(page, lambda f: f.startswith("BUTTON|") and t.t("quiz.next") in f)
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"^1 statements? answered"))).to_be_visible()
    expect(inputs.nth(3)).to_be_checked()
    shot(page, screenshots, "keyboard-quiz")


def test_roles_page_compares_cto_and_cpo(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path
) -> None:
    t = strings("en")
    page = open_app(new_context("en-GB"), app_url)
    button(page, "explore").click()
    expect(page.locator("h1").first).to_have_text(t.t("roles.title"))

    digital, marketing = bank.role("digital_pm").name("en"), bank.role("marketing_pm").name("en")
    button(page, "pair_digital_pm_marketing_pm").click()
    expect(page.get_by_role("heading", name=digital, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=marketing, exact=True)).to_be_visible()
    # Visible only: the "Browse" tab holds every role too (CTO and CPO included), hidden.
    expect(page.get_by_text(t.t("section.frictions"), exact=True).filter(visible=True)).to_have_count(0)

    cto, cpo = bank.role("cto").name("en"), bank.role("cpo").name("en")
    pair = button(page, "pair_cto_cpo")
    expect(pair).to_have_text(f"{cto} ↔ {cpo}")
    pair.click()
    expect(page.get_by_role("heading", name=cto, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=cpo, exact=True)).to_be_visible()
    frictions = page.get_by_text(t.t("section.frictions"), exact=True).filter(visible=True)
    expect(frictions).to_have_count(2)  # one per role, side by side
    expect(frictions.first).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] svg.main-svg').first).to_be_visible()
    assert "compare=cto%2Ccpo" in page.url or "compare=cto,cpo" in page.url
    shot(page, screenshots, "roles-cto-cpo")


def test_deep_link_on_a_fresh_server(
    new_context: Callable[..., BrowserContext], server_factory: Callable[[], str], screenshots: Path
) -> None:
    """Opening a page's address first, right after `streamlit run`, must show that page.

    Were the page scripts in a folder named `pages/`, Streamlit would run in its legacy
    multipage mode until app.py's `st.navigation` had run once in the process: /quiz would run
    the page without app.py (no session defaults, no language) and raise KeyError 'answers'.
    """
    t = strings("en")
    fresh = server_factory()
    page = new_context("en-GB").new_page()
    page.goto(f"{fresh}/quiz")
    expect(page.locator("h1, [data-testid='stException']").first).to_be_visible()
    shot(page, screenshots, "deep-link-fresh-server")
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator("body").inner_text()[:600]
    expect(page.locator("h1").first).to_have_text(t.t("quiz.title"))


# ---------------------------------------------------------------------------------------------
# Language switch
# ---------------------------------------------------------------------------------------------


def test_switching_language_mid_quiz_keeps_the_answers_on_screen(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    """Answers chosen in French stay checked, relabelled, after switching to English, and after
    going to the next step and back."""
    en = strings("en")
    shown = next_step(bank, {})
    page = open_app(new_context("fr-FR"), app_url)
    button(page, "start").click()
    expect(question_radios(page)).to_have_count(len(shown))
    for question in shown:
        idle(page)
        page.locator(f".st-key-q_{question.id} [data-testid='stRadioOption']").nth(cto_answers[question.id] - 1).click()
        expect(page.locator(f".st-key-q_{question.id} input").nth(cto_answers[question.id] - 1)).to_be_checked()

    idle(page)
    page.locator(".st-key-lang [data-testid='stRadioOption']").nth(1).click()  # English
    expect(page.locator("h1").first).to_have_text(en.t("quiz.title"))
    idle(page)
    button(page, "next").click()
    second = next_step(bank, {q.id: cto_answers[q.id] for q in shown})
    expect(page.locator(f".st-key-q_{second[0].id}")).to_be_visible()
    idle(page)
    button(page, "back").click()
    for question in shown:
        radio = page.locator(f".st-key-q_{question.id}")
        expect(radio.locator('[data-testid="stWidgetLabel"]')).to_contain_text(question.text("en"))
        expect(radio.locator("input").nth(cto_answers[question.id] - 1)).to_be_checked()
        expect(radio.locator('[data-testid="stRadioCaption"]').nth(cto_answers[question.id] - 1)).to_have_text(
            en.t(f"scale.{cto_answers[question.id]}")
        )
    shot(page, screenshots, "language-switch-quiz")


def test_switching_language_on_the_roles_page_relabels_the_chosen_roles(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path
) -> None:
    """The roles picked for the comparison are shown under their names in the new language."""
    page = open_app(new_context("en-GB"), app_url)
    button(page, "explore").click()
    first, second = page.locator(".st-key-compare_a input"), page.locator(".st-key-compare_b input")
    expect(first).to_have_value(bank.role("cto").name("en"))  # a combobox: the choice is its value
    page.locator(".st-key-lang [data-testid='stRadioOption']").nth(0).click()  # Français
    expect(page.locator("h1").first).to_have_text(strings("fr").t("roles.title"))
    expect(first).to_have_value(bank.role("cto").name("fr"))
    expect(second).to_have_value(bank.role("cpo").name("fr"))
    shot(page, screenshots, "language-switch-roles")
