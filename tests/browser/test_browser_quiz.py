"""The adaptive quiz in Debian's Chromium (issues 10 and 11): a refresh or the browser's back
and forward keep the answers (their code is in the address); on a phone each step opens at its
first statement, the scale reads in order with 44 px touch targets; with the keyboard, every
option shows its focus, Next and Back move the focus to the new step, an unanswered statement
is marked and focused; the page says its language.

Screenshots land in artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from quiz.adaptive import next_step
from quiz.i18n import strings
from quiz.links import decode_answers
from quiz.model import Bank
from tests.support.browser import (
    LOCALES,
    PHONE,
    answer_step,
    button,
    idle,
    open_app,
    question_radios,
    shot,
    shown_ids,
    tab_until,
    take_quiz,
)

pytestmark = pytest.mark.browser

EN = strings("en")


def start_quiz(page: Page) -> list[str]:
    button(page, "start").click()
    expect(question_radios(page)).to_have_count(5)
    idle(page)
    return shown_ids(page)


def next_and_wait(page: Page, before: list[str], tap: bool = False) -> list[str]:
    """Press Next; the ids of the step it leads to."""
    target = button(page, "next")
    if tap:
        target.tap()
    else:
        target.click()
    expect(page.locator(f".st-key-q_{before[0]}")).to_have_count(0)
    expect(question_radios(page)).to_have_count(5)
    idle(page)
    return shown_ids(page)


def address_answers(page: Page, bank: Bank) -> dict[str, int]:
    """The answers whose code is in the page's address."""
    token = page.evaluate("new URLSearchParams(location.search).get('answers')")
    assert token, page.url
    return decode_answers(bank, str(token))


@pytest.mark.parametrize("locale", LOCALES)
def test_the_adaptive_quiz_ends_when_it_is_sure(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
    locale: str,
) -> None:
    t = strings(LOCALES[locale])
    page = open_app(new_context(locale), app_url)
    start_quiz(page)
    expect(page.get_by_text(t.t("quiz.progress_adaptive", answered=0, more=35))).to_be_visible()
    shot(page, screenshots, f"adaptive-{locale}-step-1")
    asked = take_quiz(page, bank, cto_answers, t)
    # The steps are the adaptive quiz's own, picked from the answers so far; it stopped early.
    given: dict[str, int] = {}
    for step in asked:
        assert step == [q.id for q in next_step(bank, given)]
        given.update((i, cto_answers[i]) for i in step)
    assert len(given) < len(bank.questions)
    expect(page.get_by_text(bank.role("cto").name(LOCALES[locale])).first).to_be_visible()
    shot(page, screenshots, f"adaptive-{locale}-results")


def test_a_refresh_and_back_forward_keep_the_answers(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    page = open_app(new_context("en-GB"), app_url)
    first = start_quiz(page)
    answer_step(page, None, cto_answers, bank=bank)
    second = next_and_wait(page, first)
    answer_step(page, None, cto_answers, bank=bank)
    third = next_and_wait(page, second)
    given = {i: cto_answers[i] for i in first + second}
    assert address_answers(page, bank) == given  # the code follows every step

    page.reload()
    expect(question_radios(page)).to_have_count(5)
    idle(page)
    assert shown_ids(page) == third  # back at the step where the person was
    expect(page.get_by_text(EN.t("quiz.progress_adaptive", answered=10, more=0).split(" · ")[0])).to_be_visible()
    shot(page, screenshots, "refresh-mid-quiz")

    # Back to the second step: its answers are checked.
    page.locator('[data-testid="stRadio"]').first.wait_for()
    button(page, "back").click()
    expect(page.locator(f".st-key-q_{second[0]}")).to_be_visible()
    for question_id in second:
        radio = page.locator(f".st-key-q_{question_id} input[type=radio]").nth(cto_answers[question_id] - 1)
        expect(radio).to_be_checked()

    # The browser's back goes to the address before the last step was sent; forward returns.
    page.go_back()
    page.wait_for_timeout(500)
    idle(page)
    expect(question_radios(page)).to_have_count(5)
    page.go_forward()
    page.wait_for_timeout(500)
    idle(page)
    expect(question_radios(page)).to_have_count(5)
    assert set(address_answers(page, bank)) <= set(given)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_on_a_phone_each_step_opens_at_its_first_statement(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    page = open_app(new_context("fr-FR", PHONE, has_touch=True, is_mobile=True), app_url)
    first = start_quiz(page)
    box = page.locator(f".st-key-q_{first[0]}")
    # The scale reads in order, one option under the other, each at least 44 px to tap.
    options = box.locator('[data-testid="stRadioOption"]')
    expect(options).to_have_count(5)
    boxes = [options.nth(i).bounding_box() for i in range(5)]
    assert all(b is not None for b in boxes)
    tops = [b["y"] for b in boxes if b]
    assert tops == sorted(tops) and len(set(tops)) == 5, tops
    assert all(b["height"] >= 44 and b["width"] >= 44 for b in boxes if b), boxes
    for i in range(5):
        assert options.nth(i).inner_text().strip() == str(i + 1)

    answer_step(page, None, cto_answers, tap=True, bank=bank)
    second = next_and_wait(page, first, tap=True)
    page.wait_for_timeout(500)  # the scroll runs once the new step is drawn
    top = page.evaluate(
        f"""() => {{
            const box = document.querySelector('.st-key-q_{second[0]}').getBoundingClientRect();
            const header = document.querySelector('[data-testid="stHeader"]');
            return [box.top, header ? header.getBoundingClientRect().bottom : 0, window.innerHeight];
        }}"""
    )
    statement_top, header_bottom, height = top
    assert header_bottom - 1 <= statement_top < height / 3, top  # the first statement, in view
    shot(page, screenshots, "phone-fr-step-2")
    page.screenshot(path=str(screenshots / "phone-fr-step-2-viewport.png"))


def test_keyboard_focus_is_visible_and_follows_the_steps(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    page = open_app(new_context("en-GB"), app_url)
    assert page.evaluate("document.documentElement.lang") == "en"
    first = start_quiz(page)
    in_first = f"() => document.activeElement.closest('.st-key-q_{first[0]}') !== null"
    tab_until(page, lambda f: f.startswith("INPUT|radio|") and bool(page.evaluate(in_first)))
    # The focused option is outlined in a colour of at least 3:1 against the page.
    outline = page.evaluate(
        """() => {
            const label = document.activeElement.closest('[data-testid="stRadioOption"]');
            const style = getComputedStyle(label);
            return [style.outlineStyle, parseFloat(style.outlineWidth), style.outlineColor];
        }"""
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    assert contrast(outline[2], "rgb(255, 255, 255)") >= 3, outline
    page.screenshot(path=str(screenshots / "keyboard-focus-option.png"))

    # Next with nothing answered: the first statement is marked and has the focus.
    tab_until(page, lambda f: f.startswith("BUTTON|") and EN.t("quiz.next") in f)
    page.keyboard.press("Enter")
    expect(page.get_by_text(EN.t("quiz.unanswered", number=1))).to_be_visible()
    idle(page)
    page.wait_for_function(in_first)
    shot(page, screenshots, "keyboard-missing")

    # Answered, Next moves the focus to the new step's first statement; Back to the previous one.
    answer_step(page, None, cto_answers, bank=bank)
    second = next_and_wait(page, first)
    page.wait_for_function(f"() => document.activeElement.closest('.st-key-q_{second[0]}') !== null")
    button(page, "back").click()
    expect(page.locator(f".st-key-q_{first[0]}")).to_be_visible()
    page.wait_for_function(in_first)

    # The page's language follows the switch.
    page.locator(".st-key-lang [data-testid='stRadioOption']").nth(0).click()  # Français
    expect(page.locator("h1").first).to_have_text(strings("fr").t("quiz.title"))
    page.wait_for_function("document.documentElement.lang === 'fr'")


def contrast(color: str, background: str) -> float:
    """The WCAG contrast ratio of two `rgb(r, g, b)` colours."""

    def luminance(css: str) -> float:
        channels = [float(v) / 255 for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(color), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
