"""End to end in Debian's Chromium: what a person keeps from the quiz, and links back into it.

A completed quiz gives a PDF report and a result link that shows the same ranking in a fresh
session (and another language); a half-finished quiz resumes from its "Continue later" link; a
what-if slider changes the top match; damaged links say so and load nothing; the way from the
home page to the report works with the keyboard alone and on a phone.

One completed quiz (the `finished` fixture, module-scoped) serves the tests that only read its
results; each test still runs alone, the fixture then taking the quiz for it. PDFs land in
artifacts/ and screenshots in artifacts/screenshots/ (both git-ignored).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from quiz.describe import chance
from quiz.explain import name_in_sentence
from quiz.i18n import Strings, strings
from quiz.links import decode_answers, encode_answers
from quiz.model import Bank, Question
from quiz.result import person_result
from quiz.scoring import quiz_order
from tests.support.browser import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    answer_step,
    button,
    download,
    focused,
    horizontal_overflow,
    idle,
    most_likely_pattern,
    open_app,
    option,
    pattern,
    question_radios,
    radio_input,
    shot,
    shown_ids,
    tab_until,
    take_quiz,
    top_match,
)
from tests.support.paths import ARTIFACTS

pytestmark = pytest.mark.browser

EN = strings("en")
MY_DATA_FILES = ("answers.csv", "scores.csv", "matches.csv", "my-data.json")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def my_data(page: Page, t: Strings, name: str) -> str:
    """A file of the results page's "My data" expander (opened if it is closed), as text."""
    expander = page.locator('[data-testid="stExpander"]').filter(has_text=t.t("results.my_data"))
    # By its text: the key `download_matches.csv` becomes the class `st-key-download_matches-csv`.
    target = expander.get_by_role("button", name=name, exact=True)
    if not target.is_visible():
        expander.locator("summary").click()
    expect(target).to_have_text(name)
    return download(page, target).decode("utf-8-sig")


def matches_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed (names may wrap across lines)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def check_report(data: bytes, top_role: str, name: str) -> None:
    assert data.startswith(b"%PDF"), data[:20]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)
    text = pdf_text(data)
    assert EN.t("report.title") in text, text[:300]
    assert top_role in text, text[:600]


@dataclass
class Finished:
    """A browser session that completed the quiz as a future CTO, in English."""

    page: Page

    def results(self) -> Page:
        """The results page of that session, going back to it by the top menu if a test left."""
        page = self.page
        if page.locator("h1").first.inner_text() != EN.t("results.title"):
            page.locator('[data-testid="stTopNavLink"][href$="/results"]').click()
        expect(page.locator("h1").first).to_have_text(EN.t("results.title"))
        expect(page.locator("h3").filter(has_text=most_likely_pattern(EN, named=False))).to_be_visible()
        return page


@pytest.fixture(scope="module")
def finished(browser: Browser, app_url: str, bank: Bank, cto_answers: dict[str, int]) -> Iterator[Finished]:
    context = browser.new_context(locale="en-GB", viewport={"width": DESKTOP["width"], "height": DESKTOP["height"]})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = open_app(context, app_url)
        button(page, "start").click()
        take_quiz(page, bank, cto_answers, EN)
        yield Finished(page)
    finally:
        context.close()


# ---------------------------------------------------------------------------------------------
# The report and the result link
# ---------------------------------------------------------------------------------------------


def test_report_download_and_result_link_in_a_fresh_french_session(
    finished: Finished,
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    page = finished.results()
    role, english_chance = top_match(page, EN)
    assert role == bank.role("cto").name("en")

    report = download(page, button(page, "download_report"))
    check_report(report, role, "browser-report-en.pdf")

    # The result link: this page's address with the code of the answers given (the adaptive
    # quiz may stop before the last statement: those it asked, each as the person answered it).
    link = page.locator('[data-testid="stCode"]').filter(has_text="?answers=")
    expect(link).to_have_count(1)
    url = link.inner_text().strip()
    given = decode_answers(bank, url.partition("?answers=")[2])
    assert given and given == {question: cto_answers[question] for question in given}
    assert url == f"{app_url}/results?answers={encode_answers(bank, given)}"
    # The chance in each language's words, rounded the same way (the domain says which).
    result = person_result(bank, given)
    probability = result.most_likely.probability or 0.0
    assert english_chance == chance(probability, EN)
    english = matches_rows(my_data(page, EN, "matches.csv"))

    # A fresh session, in French: the same ranking, named in French.
    fr = strings("fr")
    other = new_context("fr-FR").new_page()
    other.goto(url)
    expect(other.locator("h1").first).to_have_text(fr.t("results.title"))
    assert top_match(other, fr) == (bank.role("cto").name("fr"), chance(probability, fr))
    assert other.locator('[data-testid="stException"]').count() == 0
    french = matches_rows(my_data(other, fr, "matches.csv"))
    shot(other, screenshots, "keep-result-link-fr")

    def same_language_free(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
        return [(r["rank"], r["role_id"], r["match"], r["probability"], r["tied_with_top"]) for r in rows]

    assert len(english) == len(bank.roles)
    # My data holds each role's chance and whether it is too close to call, as the page ranks them.
    expected = result.ranking.matches
    assert [r["role_id"] for r in english] == [m.role_id for m in expected]
    assert all(r["probability"] != "" for r in english)
    assert [r["tied_with_top"] for r in english] == ["true" if m.tied_with_top else "false" for m in expected]
    assert same_language_free(french) == same_language_free(english)
    assert [r["role"] for r in french] == [bank.role(r["role_id"]).name("fr") for r in french]
    assert [r["role"] for r in english] == [bank.role(r["role_id"]).name("en") for r in english]


def test_every_my_data_file_downloads(finished: Finished) -> None:
    page = finished.results()
    for name in MY_DATA_FILES:
        assert my_data(page, EN, name).strip(), f"{name} is empty"


# ---------------------------------------------------------------------------------------------
# Continue later
# ---------------------------------------------------------------------------------------------


def test_a_half_finished_quiz_resumes_from_its_link(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    page = open_app(new_context("en-GB"), app_url)
    button(page, "start").click()
    steps: list[list[str]] = []
    for _ in range(2):  # two whole steps, whatever the adaptive quiz asks
        steps.append(answer_step(page, None, cto_answers, bank=bank))
        button(page, "next").click()
        expect(page.locator(f".st-key-q_{steps[-1][0]}")).to_have_count(0)
    step_three = shown_ids(page)
    given = [*steps[0], *steps[1], *step_three[:2]]
    partial = {qid: cto_answers[qid] for qid in given}
    by_id = {q.id: q for q in bank.questions}
    answer_step(page, [by_id[qid] for qid in step_three[:2]], cto_answers)
    button(page, "next").click()  # sends the two choices (and names the three still missing)
    answered = re.compile(re.escape(EN.t("quiz.progress_adaptive", answered=len(given), more="§")).split("§")[0])
    expect(page.get_by_text(answered)).to_be_visible()

    page.locator('[data-testid="stExpander"] summary').filter(has_text=EN.t("links.continue_later")).click()
    code = page.locator('[data-testid="stCode"]').filter(has_text="?answers=")
    expect(code).to_contain_text(f"{app_url}/quiz?answers={encode_answers(bank, partial)}")
    url = code.inner_text().strip()
    shot(page, screenshots, "keep-continue-later")

    other = new_context("en-GB").new_page()
    other.goto(url)
    expect(other.locator(f".st-key-q_{step_three[0]}")).to_be_visible()
    expect(question_radios(other)).to_have_count(len(step_three))
    expect(other.get_by_text(answered)).to_be_visible()
    for question_id in step_three:
        checked = other.locator(f".st-key-q_{question_id} input[type=radio]:checked")
        if question_id in partial:
            expect(radio_input(other, by_id[question_id], partial[question_id])).to_be_checked()
        else:
            expect(checked).to_have_count(0)
    shot(other, screenshots, "keep-resumed")

    idle(other)
    button(other, "back").click()
    expect(other.locator(f".st-key-q_{steps[1][0]}")).to_be_visible()
    for question_id in steps[1]:
        expect(radio_input(other, by_id[question_id], partial[question_id])).to_be_checked()


# ---------------------------------------------------------------------------------------------
# What if?
# ---------------------------------------------------------------------------------------------


def test_moving_a_what_if_slider_changes_the_top_match(finished: Finished, bank: Bank, screenshots: Path) -> None:
    page = finished.results()
    button(page, "what_if").click()
    expect(page.locator("h1").first).to_have_text(EN.t("explore.title"))
    subheader = page.locator("h3").filter(has_text=pattern(EN.t("explore.top_now"), named=False))
    expect(subheader).to_contain_text(bank.role("cto").name("en"))

    # The first "would come first" sentence: which role, which dimension, how far.
    templates = {1: pattern(EN.t("explore.change_up")), -1: pattern(EN.t("explore.change_down"))}
    items = page.locator("li").filter(has_text=re.compile(re.escape(EN.t("explore.change_up").split("}")[-1])))
    expect(items.first).to_be_visible()
    sentence = items.first.inner_text().strip()
    found = next(((sign, m) for sign, p in templates.items() if (m := p.fullmatch(sentence))), None)
    assert found, f"not a change sentence: {sentence!r}"
    sign, parts = found
    dimensions = {name_in_sentence(d.name("en")): d.id for d in bank.dimensions}
    roles = {r.name("en"): r.id for r in bank.roles}
    assert parts["dimension"] in dimensions, sentence
    assert parts["role"] in roles, sentence
    dimension, role = dimensions[parts["dimension"]], parts["role"]
    points, score = int(parts["points"]), int(parts["score"])
    assert points % 5 == 0, sentence
    shot(page, screenshots, "keep-whatif-before")

    # The thumb is a visually hidden <input type="range"> (react-aria), focusable, with the value.
    thumb = page.locator(f".st-key-whatif_{dimension}").get_by_role("slider")
    expect(thumb).to_have_value(str(score - sign * points))
    thumb.focus()
    for _ in range(points // 5):
        page.keyboard.press("ArrowRight" if sign > 0 else "ArrowLeft")
    expect(thumb).to_have_value(str(score))
    expect(subheader).to_contain_text(f": {role} ·")
    expect(page.get_by_text(EN.t("explore.top_was", role=bank.role("cto").name("en")))).to_be_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, screenshots, "keep-whatif-after")


# ---------------------------------------------------------------------------------------------
# Damaged links
# ---------------------------------------------------------------------------------------------


def test_a_garbled_link_says_so_and_starts_again(
    new_context: Callable[..., BrowserContext], app_url: str, screenshots: Path
) -> None:
    page = new_context("en-GB").new_page()
    page.goto(f"{app_url}/results?answers=garbage!!")
    expect(page.get_by_text(EN.t("links.error_garbled"))).to_be_visible()
    expect(page.locator("h1").first).to_have_text(EN.t("results.title"))
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, screenshots, "keep-link-garbled")
    button(page, "link_start_again").click()
    expect(page.locator("h1").first).to_have_text(EN.t("home.title"))
    expect(page.get_by_text(EN.t("links.error_garbled"))).to_have_count(0)
    assert "answers=" not in page.url


def test_a_link_error_does_not_follow_the_person_into_the_quiz(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path
) -> None:
    """Once the person leaves the bad link for the quiz and answers, "Nothing was loaded: start
    again, or copy the whole link again" no longer applies and should not stay on every page."""
    page = new_context("en-GB").new_page()
    page.goto(f"{app_url}/results?answers=garbage!!")
    error = page.get_by_text(EN.t("links.error_garbled"))
    expect(error).to_be_visible()
    button(page, "to_quiz").click()
    expect(page.locator("h1").first).to_have_text(EN.t("quiz.title"))
    assert "answers=" not in page.url
    first = quiz_order(bank)[0]
    option(page, first, 3).click()
    expect(radio_input(page, first, 3)).to_be_checked()
    shot(page, screenshots, "keep-link-error-in-quiz")
    expect(error).to_have_count(0, timeout=5_000)


def test_a_link_with_one_character_changed_loads_nothing(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    token = encode_answers(bank, cto_answers)
    middle = len(token) // 2
    changed = token[:middle] + ("B" if token[middle] != "B" else "C") + token[middle + 1 :]
    page = new_context("en-GB").new_page()
    page.goto(f"{app_url}/results?answers={changed}")
    errors = {EN.t(key) for key in EN.table if key.startswith("links.error_")}
    alert = page.locator('[data-testid="stAlertContentError"]')
    expect(alert).to_be_visible()
    assert alert.inner_text().strip() in errors
    total = len(bank.questions)
    expect(page.get_by_text(EN.t("results.incomplete", missing=total, total=total))).to_be_visible()
    expect(page.locator("h3").filter(has_text=most_likely_pattern(EN, named=False))).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, screenshots, "keep-link-changed")


# ---------------------------------------------------------------------------------------------
# Keyboard only, and a phone
# ---------------------------------------------------------------------------------------------


def in_question(page: Page, question: Question) -> Callable[[str], bool]:
    script = f"() => document.activeElement.closest('.st-key-q_{question.id}') !== null"
    return lambda focus: focus.startswith("INPUT|radio|") and bool(page.evaluate(script))


def on_button(label: str) -> Callable[[str], bool]:
    return lambda focus: focus.startswith("BUTTON|") and label in focus


def test_keyboard_only_from_home_to_the_report(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    page = open_app(new_context("en-GB"), app_url)
    expect(button(page, "start")).to_be_visible()
    tab_until(page, on_button(EN.t("home.start")))
    page.keyboard.press("Enter")
    expect(page.locator("h1").first).to_have_text(EN.t("quiz.title"))

    by_id = {q.id: q for q in bank.questions}
    forward = (EN.t("quiz.next"), EN.t("quiz.finish"))
    for _ in range(len(bank.questions)):  # at most one step per statement
        idle(page)
        if page.locator("h1").first.inner_text() == EN.t("results.title"):
            break
        shown = [by_id[qid] for qid in shown_ids(page)]
        expect(page.locator(f".st-key-q_{shown[0].id}")).to_be_visible()
        for question in shown:
            # Into the group (after Next the focus is already on the step's first statement;
            # else Tab to it: its first option when nothing is chosen), Space picks it, each
            # ArrowRight moves the choice one point up the scale.
            idle(page)
            if not in_question(page, question)(focused(page)):
                tab_until(page, in_question(page, question))
            page.keyboard.press("Space")
            expect(radio_input(page, question, 1)).to_be_checked()
            for _ in range(cto_answers[question.id] - 1):
                idle(page)
                page.keyboard.press("ArrowRight")
            expect(radio_input(page, question, cto_answers[question.id])).to_be_checked()
        tab_until(page, lambda f: f.startswith("BUTTON|") and any(label in f for label in forward))
        page.keyboard.press("Enter")
        expect(page.locator(f".st-key-q_{shown[0].id}")).to_have_count(0)

    expect(page.locator("h1").first).to_have_text(EN.t("results.title"))
    role, _ = top_match(page, EN)
    assert role == bank.role("cto").name("en")
    # The whole page first (a person sees it load); then Tab from where the focus is.
    expect(page.locator('[data-testid="stPlotlyChart"] svg.main-svg').first).to_be_visible()
    expect(button(page, "download_report")).to_be_visible()
    expect(button(page, "explore_roles")).to_be_visible()
    tab_until(page, on_button(EN.t("results.report")))
    shot(page, screenshots, "keep-keyboard-results")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    check_report(Path(info.value.path()).read_bytes(), role, "browser-report-keyboard.pdf")


def test_phone_takes_the_quiz_by_tapping_and_gets_the_report(
    new_context: Callable[..., BrowserContext],
    app_url: str,
    bank: Bank,
    cto_answers: dict[str, int],
    screenshots: Path,
) -> None:
    page = open_app(new_context("en-GB", PHONE, has_touch=True, is_mobile=True), app_url)
    button(page, "start").tap()
    take_quiz(page, bank, cto_answers, EN, tap=True)
    role, _ = top_match(page, EN)
    assert role == bank.role("cto").name("en")
    # The whole page, its widest parts included, before measuring it.
    expect(page.locator('[data-testid="stTableStyledTable"] td').first).to_be_visible()  # the ranking
    expect(page.locator('[data-testid="stPlotlyChart"] svg.main-svg').first).to_be_visible()
    expect(button(page, "explore_roles")).to_be_visible()
    width, offenders = horizontal_overflow(page)
    shot(page, screenshots, "keep-phone-results")

    report = download(page, button(page, "download_report"), tap=True)
    check_report(report, role, "browser-report-phone.pdf")
    limit = PHONE["width"] + 1
    assert width <= limit, f"results are {width}px wide on a {PHONE['width']}px phone: {offenders}"
