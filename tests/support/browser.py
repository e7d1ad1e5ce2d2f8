"""Helpers for the browser tests: opening the app, waiting for reruns, finding widgets,
answering the quiz, screenshots and downloads."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from quiz.i18n import Strings
from quiz.model import Bank, Question

TIMEOUT_MS = 20_000  # the first run of a fresh server imports pandas and plotly
LOCALES = {"fr-FR": "fr", "en-GB": "en"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}
QUESTION_NUMBER = re.compile(r"^\s*\d+\.\s*")


def open_app(context: BrowserContext, url: str) -> Page:
    """A new page at `url`, once its first run has finished (a fresh server's first run imports
    pandas and plotly: a click before it ends can be lost)."""
    page = context.new_page()
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible()
    idle(page)
    return page


def button(page: Page, key: str) -> Locator:
    return page.locator(f".st-key-{key} button")


def idle(page: Page) -> None:
    """Wait for the app's rerun to end. On a busy machine, a click or a key press made while a
    rerun is still replacing the page can land on an element about to be replaced, and be lost."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute("data-test-script-state", "notRunning")


def question_radios(page: Page) -> Locator:
    return page.locator('[data-testid="stElementContainer"][class*="st-key-q_"]')


def shot(page: Page, folder: Path, name: str) -> None:
    """A full-page screenshot. Streamlit scrolls inside its own container rather than the
    document, so `full_page` alone stops at the viewport: grow the viewport to the content."""
    page.wait_for_timeout(300)  # let the last rerun's fade-in settle
    content = int(
        page.evaluate(
            """() => Math.max(document.documentElement.scrollHeight, ...Array.from(
                document.querySelectorAll('[data-testid="stAppViewContainer"], [data-testid="stMain"]'),
                (el) => el.scrollHeight))"""
        )
    )
    size = page.viewport_size or DESKTOP
    if content > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(content, 6000)})
        page.wait_for_timeout(300)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    if content > size["height"]:
        page.set_viewport_size(size)


def horizontal_overflow(page: Page) -> tuple[int, list[str]]:
    """The document's scroll width, and the visible elements sticking out on the right."""
    width = page.evaluate("document.documentElement.scrollWidth")
    offenders = page.evaluate(
        """() => {
            const limit = window.innerWidth + 1;
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
                const box = el.getBoundingClientRect();
                const style = getComputedStyle(el);
                if (box.width === 0 || style.visibility === 'hidden' || style.opacity === '0') continue;
                if (box.right > limit) {
                    const id = el.getAttribute('data-testid') || el.className || el.tagName;
                    out.push(`${el.tagName}.${String(id).slice(0, 60)} right=${Math.round(box.right)}`);
                }
            }
            return out.slice(0, 15);
        }"""
    )
    return int(width), list(offenders)


def focused(page: Page) -> str:
    """What has the keyboard focus: tag, type and text or label."""
    return str(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el) return '';
                const text = (el.innerText || el.getAttribute('aria-label') || el.value || '').trim();
                return `${el.tagName}|${el.type || ''}|${text.slice(0, 80)}`;
            }"""
        )
    )


def tab_until(page: Page, matches: Callable[[str], bool], limit: int = 40) -> list[str]:
    """Press Tab until the focused element matches; return the focus path (for the message)."""
    path = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        path.append(focused(page))
        if matches(path[-1]):
            return path
    pytest.fail(f"Tab never reached the target in {limit} presses; focus went: {path}")


def pattern(template: str, named: bool = True) -> re.Pattern[str]:
    """A regular expression matching a UI string, each `{placeholder}` a group: named for Python,
    plain for Playwright's `has_text` (JavaScript does not read `(?P<name>...)`)."""
    parts = re.split(r"\{(\w+)\}", template)
    group = "(?P<{}>.+?)" if named else "(.+?)"
    return re.compile("".join(re.escape(p) if i % 2 == 0 else group.format(p) for i, p in enumerate(parts)))


def option(page: Page, question: Question, answer: int) -> Locator:
    return page.locator(f".st-key-q_{question.id} [data-testid='stRadioOption']").nth(answer - 1)


def radio_input(page: Page, question: Question, answer: int) -> Locator:
    return page.locator(f".st-key-q_{question.id} input[type=radio]").nth(answer - 1)


def shown_ids(page: Page) -> list[str]:
    """The question ids of the step on screen, in the order shown (from the widgets' keys)."""
    found = []
    for classes in question_radios(page).evaluate_all("(els) => els.map((el) => el.className)"):
        key = next(c for c in str(classes).split() if c.startswith("st-key-q_"))
        found.append(key.removeprefix("st-key-q_"))
    return found


def answer_step(
    page: Page,
    shown: Sequence[Question] | None,
    answers: Mapping[str, int],
    tap: bool = False,
    bank: Bank | None = None,
) -> list[str]:
    """Click (or tap) the answers of the step on screen, each checked before the next: the
    given statements, or (`shown` None, with the bank) whatever the step shows. Returns their ids."""
    if shown is None:
        assert bank is not None, "answering whatever is shown needs the bank"
        expect(question_radios(page).first).to_be_visible()
        idle(page)
        shown = [bank.question(i) for i in shown_ids(page)]
    expect(page.locator(f".st-key-q_{shown[0].id}")).to_be_visible()
    for question in shown:
        idle(page)
        choice = option(page, question, answers[question.id])
        if tap:
            choice.tap()
        else:
            choice.click()
        expect(radio_input(page, question, answers[question.id])).to_be_checked()
    return [q.id for q in shown]


def take_quiz(
    page: Page, bank: Bank, answers: Mapping[str, int], t: Strings, tap: bool = False, limit: int = 20
) -> list[list[str]]:
    """From the quiz step on screen to the results page, answering from `answers` whatever
    each step shows (the adaptive quiz picks them); returns the steps asked."""
    asked: list[list[str]] = []
    results = page.locator("h1").first
    while True:
        expect(page.locator("h1").first).to_have_text(
            re.compile(f"^({re.escape(t.t('quiz.title'))}|{re.escape(t.t('results.title'))})$")
        )
        idle(page)
        if results.inner_text() == t.t("results.title"):
            return asked
        assert len(asked) < limit, f"the quiz never ended: {asked}"
        before = shown_ids(page)
        asked.append(answer_step(page, None, answers, tap, bank))
        target = button(page, "next")
        if tap:
            target.tap()
        else:
            target.click()
        # Wait for the next step (other statements) or the results page.
        expect(page.locator(f".st-key-q_{before[0]}")).to_have_count(0)


def most_likely_pattern(t: Strings, named: bool = True) -> re.Pattern[str]:
    """The results page's "Most likely: {role} ({chance})" subheader as a regular expression.
    Role names may hold parentheses ("Chief Technology Officer (CTO)"): the role is everything up
    to the last parenthesis, which holds the chance."""
    role, chance = ("(?P<role>.+)", "(?P<chance>[^()]+)") if named else ("(.+)", "([^()]+)")
    template = re.escape(t.t("results.most_likely", role="\0", chance="\1"))
    return re.compile(template.replace(re.escape("\0"), role).replace(re.escape("\1"), chance))


def top_match(page: Page, t: Strings) -> tuple[str, str]:
    """The role and its chance named by the results page's "Most likely" subheader."""
    heading = page.locator("h3").filter(has_text=most_likely_pattern(t, named=False))
    expect(heading).to_have_count(1)
    found = most_likely_pattern(t).fullmatch(heading.inner_text().strip())
    assert found, heading.inner_text()
    return found["role"], found["chance"]


def download(page: Page, target: Locator, tap: bool = False) -> bytes:
    """Press a download button; the downloaded file's bytes."""
    with page.expect_download() as info:
        if tap:
            target.tap()
        else:
            target.click()
    path = info.value.path()
    assert info.value.failure() is None, info.value.failure()
    return Path(path).read_bytes()
