"""End to end in Debian's Chromium: the results, What if? and roles pages on a 390 px phone and
a 1200 px laptop, in French and English.

- Results: under the most likely role, before the ranking, what the job is (its summary and
  three key points) and the buttons that matter; the full ranking reads on a phone: every role
  name whole, and the chance, the level and the too-close marker in view without scrolling
  sideways.
- What if?: the effect of a moved slider is said right under it, in view.
- Roles: the CTO and CPO compared in French on a phone show their impact and practices
  sections and a visible "ajout" badge on our additions.

Results are opened from a result link (the answers in the address), so no test takes the
quiz. Screenshots land in artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from quiz.describe import chance, describe_role, headline
from quiz.i18n import strings
from quiz.links import encode_answers
from quiz.model import Bank
from quiz.result import person_result
from quiz.whatif import rank_what_if
from tests.support.browser import DESKTOP, PHONE, button, horizontal_overflow, idle, shot, top_match
from tests.support.personas import persona_answers

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "laptop": DESKTOP}
TABLE = '[data-testid="stTableStyledTable"]'


def open_at(new_context: Callable[..., BrowserContext], locale: str, size: str, url: str) -> Page:
    phone = size == "phone"
    context = new_context(locale, SIZES[size], has_touch=phone, is_mobile=phone)
    page = context.new_page()
    page.goto(url)
    expect(page.locator("h1").first).to_be_visible()
    idle(page)
    return page


def top_of(page: Page, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not drawn"
    return float(box["y"])


@pytest.mark.parametrize(("locale", "size"), [("fr-FR", "phone"), ("en-GB", "phone"), ("en-GB", "laptop")])
def test_results_show_the_job_first_and_a_ranking_that_reads_whole(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path, locale: str, size: str
) -> None:
    t = strings("fr" if locale == "fr-FR" else "en")
    answers = persona_answers(bank, "cpo")  # ties with its neighbour: the marker is shown
    result = person_result(bank, answers)
    page = open_at(new_context, locale, size, f"{app_url}/results?answers={encode_answers(bank, answers)}")
    expect(page.locator(f"{TABLE} td").first).to_be_visible()
    idle(page)

    role, said = top_match(page, t)
    assert (role, said) == (bank.role("cpo").name(t.lang), chance(result.most_likely.probability or 0.0, t))
    assert headline(bank, result, t).ties
    # Under the best match, before the ranking: what the job is, and the buttons that matter.
    described = describe_role(bank, bank.role("cpo"), t)
    summary = page.get_by_text(described.summary, exact=True).first  # the full description repeats it below
    expect(summary).to_be_visible()
    first_points = [page.locator("li").filter(has_text=item).first for item in described.sections[0].items[:3]]
    ranking = top_of(page, "h3:has-text('" + t.t("results.ranking").replace("'", "\\'") + "')")
    below_best = top_of(page, "h3")
    for element in [summary, *first_points, button(page, "download_report"), button(page, "what_if")]:
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box and below_best < box["y"] < ranking

    # The whole ranking in view at this width: no sideways scroll, no cut role name, and the
    # chance, score and marker columns inside the screen.
    width, offenders = horizontal_overflow(page)
    shot(page, screenshots, f"results-{t.lang}-{size}")
    assert width <= SIZES[size]["width"] + 1, offenders
    table = page.locator(TABLE)
    box = table.bounding_box()
    assert box and box["x"] + box["width"] <= SIZES[size]["width"] + 1
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(bank.roles))
    cut = page.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel + ' td, ' + sel + ' th'))
            .filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.innerText)""",
        TABLE,
    )
    assert cut == []
    marked = [rows.nth(i).locator("td").last.inner_text().strip() for i in range(len(result.too_close_to_call) + 1)]
    assert marked == ["="] * len(result.too_close_to_call) + [""]
    assert rows.first.locator("td").nth(1).inner_text().startswith(bank.role("cpo").name(t.lang))


def test_a_moved_what_if_slider_says_its_effect_right_under_it_on_a_phone(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path
) -> None:
    en = strings("en")
    answers = persona_answers(bank, "cto")
    page = open_at(new_context, "en-GB", "phone", f"{app_url}/explore?answers={encode_answers(bank, answers)}")
    slider = page.locator(".st-key-whatif_risk")
    thumb = slider.get_by_role("slider")
    expect(thumb).to_be_visible()
    thumb.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    idle(page)

    scores = person_result(bank, answers).scores
    real = round(scores["risk"])
    now = rank_what_if(bank, scores, {"risk": real - 20}).top
    said = en.t(
        "explore.slider_effect",
        score=real - 20,
        real=real,
        role=bank.role(now.role_id).name("en"),
        match=round(now.match),
    )
    effect = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=said)
    expect(effect).to_have_count(1)
    expect(effect).to_be_in_viewport()
    under, caption = slider.bounding_box(), effect.bounding_box()
    assert under and caption and 0 <= caption["y"] - (under["y"] + under["height"]) < 60
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, screenshots, "whatif-phone")


def test_the_cto_and_cpo_in_french_on_a_phone_show_impact_practices_and_our_tag(
    new_context: Callable[..., BrowserContext], app_url: str, bank: Bank, screenshots: Path
) -> None:
    fr = strings("fr")
    page = open_at(new_context, "fr-FR", "phone", f"{app_url}/roles?compare=cto,cpo")
    for role_id in ("cto", "cpo"):
        expect(page.locator("h3").filter(has_text=bank.role(role_id).name("fr"))).to_be_visible()
    compare = page.get_by_role("tabpanel").first  # the comparison (the browse tab is hidden)
    for section in ("impact", "practices"):
        expect(compare.get_by_text(fr.t(f"section.{section}"), exact=True)).to_have_count(2)
    badge = compare.get_by_text(fr.t("roles.ours_tag"), exact=True).first
    expect(badge).to_be_visible()
    colour = badge.evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), "our tag is drawn as a badge"
    width, offenders = horizontal_overflow(page)
    shot(page, screenshots, "role-cto-fr-phone")
    assert width <= PHONE["width"] + 1, offenders
