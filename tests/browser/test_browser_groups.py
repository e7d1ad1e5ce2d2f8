"""End to end in Debian's Chromium: a coach's group session, from creation to deletion.

A coach creates a session; three participants join it in their own browser contexts and finish
the quiz; the dashboard shows all three with their top matches; the CSV and Excel exports open
in pandas with the numbers the app computes; a participant withdraws; the coach deletes the
session and the database keeps none of its rows. A second test runs two app servers on one
PostgreSQL: a participant finishing on one appears on the dashboard served by the other.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pandas as pd
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from quiz.export import CSV_ENCODING
from quiz.group import Participant, group_frame
from quiz.i18n import strings
from quiz.links import encode_answers
from quiz.model import Bank
from quiz.sessions import Store
from tests.support.browser import DESKTOP, TIMEOUT_MS, button, download, idle, open_app, shot, take_quiz, top_match
from tests.support.personas import persona_answers

pytestmark = pytest.mark.browser

EN = strings("en")
# Who takes part, and the role each answers as: their top match must come out as that role.
PEOPLE = {"Ana": "cto", "=Bob": "cpo", "Chloé": "digital_pm"}
ROW_HEIGHT = 35  # Streamlit's dataframe rows, header included


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    made: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(locale="en-GB", viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def create_session(page: Page, title: str) -> tuple[str, str]:
    """On the Coach page: create a session; its join code and coach secret, as shown."""
    page.locator('[data-testid="stTopNavLink"][href$="/coach"]').click()
    expect(page.locator("h1").first).to_have_text(EN.t("coach.title"))
    idle(page)
    page.locator(".st-key-session_title input").fill(title)
    page.get_by_role("button", name=EN.t("coach.create")).click()
    expect(page.get_by_text(EN.t("coach.secret_once"))).to_be_visible()
    link = page.locator(".st-key-join_link code").inner_text().strip()
    code = parse_qs(urlparse(link).query)["code"][0]
    secret = page.locator(".st-key-coach_secret code").inner_text().strip()
    return code, secret


def join(page: Page, pseudonym: str) -> None:
    idle(page)
    page.locator(".st-key-join_pseudonym input").fill(pseudonym)
    page.get_by_role("button", name=EN.t("group.join"), exact=True).click()
    expect(page.locator("h1").first).to_have_text(EN.t("quiz.title"))


def seat_query(page: Page) -> str:
    """The seat parameters of a participant's address (what a refresh keeps), as a query string."""
    params = parse_qs(urlparse(page.url).query)
    return urlencode({name: params[name][0] for name in ("group", "seat", "name")})


def open_participant(page: Page, row: int, name: str) -> None:
    """Click a row of the dashboard's participants table (a canvas grid: by position, on the
    row's selection box at the left); the result of `name` opens below it."""
    grid = page.locator(".st-key-people [data-testid='stDataFrameResizable']")
    expect(grid).to_be_visible()
    idle(page)
    grid.click(position={"x": 18, "y": ROW_HEIGHT * (row + 1) + ROW_HEIGHT // 2})
    heading = page.locator("h4").filter(has_text=EN.t("dashboard.person", name=""))
    expect(heading).to_have_text(EN.t("dashboard.person", name=name))


def test_a_coach_runs_a_session_from_creation_to_deletion(
    contexts: Callable[[], BrowserContext],
    server_factory: Callable[..., str],
    tmp_path: Path,
    bank: Bank,
    screenshots: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'groups.sqlite3'}"
    app = server_factory({"DATABASE_URL": url})

    coach = open_app(contexts(), app)
    code, secret = create_session(coach, "Atelier <b>**mars**</b>")
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    assert len(secret) >= 16
    shot(coach, screenshots, "group-created")
    button(coach, "coach_open_new").click()
    expect(coach.get_by_text(EN.t("dashboard.waiting", seconds=5))).to_be_visible()
    # The title is shown as typed, not as HTML or markdown.
    expect(coach.locator("h1").first).to_have_text("Atelier <b>**mars**</b>")

    withdraw_link = ""
    for index, (pseudonym, role_id) in enumerate(PEOPLE.items()):
        page = open_app(contexts(), f"{app}/join?code={code}")
        join(page, pseudonym)
        answers = persona_answers(bank, role_id)
        if index == 0:  # the first one clicks through every statement
            take_quiz(page, bank, answers, EN)
        else:  # the others finish from a "continue later" link, keeping their seat
            page.goto(f"{app}/results?answers={encode_answers(bank, answers)}&{seat_query(page)}")
        expect(page.get_by_text(EN.t("group.saved", title="Atelier <b>**mars**</b>"))).to_be_visible()
        role, _ = top_match(page, EN)
        assert role == bank.role(role_id).name("en")
        if index == 2:
            page.get_by_text(EN.t("group.withdraw_link")).click()
            withdraw_link = page.locator('[data-testid="stExpander"] code').last.inner_text().strip()
            shot(page, screenshots, "group-participant-saved")

    # The dashboard refreshes by itself: the three results arrive without a click.
    expect(coach.locator('[data-testid="stMetricValue"]')).to_have_text("3", timeout=30_000)
    shot(coach, screenshots, "group-dashboard")
    coach.get_by_role("tab", name=EN.t("dashboard.tab_people")).click()
    for row, (pseudonym, role_id) in enumerate(PEOPLE.items()):
        open_participant(coach, row, pseudonym)
        best = EN.t("results.most_likely", role=bank.role(role_id).name("en"), chance="").removesuffix(" ()")
        expect(coach.get_by_text(best).first).to_be_visible()
    shot(coach, screenshots, "group-dashboard-person")

    # Answers from a paper form: two rows scored and added, one rejected with its line.
    form = [
        ["pseudo", *[q.text("fr") for q in bank.questions]],
        ["Paper 1", *[persona_answers(bank, "cto")[q.id] for q in bank.questions]],
        ["Paper 2", *[persona_answers(bank, "marketing_pm")[q.id] for q in bank.questions]],
        ["Paper 3", *["7"] * len(bank.questions)],
    ]
    upload = tmp_path / "paper.csv"
    upload.write_text("\n".join(";".join(map(str, row)) for row in form), encoding="utf-8")
    coach.locator('[data-testid="stExpander"] summary').filter(has_text=EN.t("dashboard.import_title")).click()
    coach.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    expect(coach.get_by_text(EN.t("dashboard.import_ready", accepted=2, rejected=1))).to_be_visible()
    shot(coach, screenshots, "group-import")
    button(coach, "import_add").click()
    expect(coach.get_by_text(EN.t("dashboard.import_added", count=2))).to_be_visible()
    expect(coach.locator('[data-testid="stMetricValue"]')).to_have_text("5", timeout=30_000)
    coach.locator('[data-testid="stExpander"] summary').filter(has_text=EN.t("dashboard.import_title")).click()

    # The exports hold the numbers the app computes from the stored answers.
    store = Store(url)
    session_id = store.join(code, "test").id
    stored = [Participant(s.id, s.pseudonym, s.answers, s.submitted_at) for s in store.submissions(session_id)]
    expected = group_frame(bank, stored)
    idle(coach)
    exported = pd.read_csv(
        io.BytesIO(download(coach, button(coach, "export_csv"))), encoding=CSV_ENCODING, keep_default_na=False
    )
    excel = download(coach, button(coach, "export_xlsx"))
    workbook = pd.read_excel(io.BytesIO(excel), sheet_name=0)
    sheet = pd.read_excel(io.BytesIO(excel), sheet_name="reliability", header=None)
    assert sheet.iloc[0, 0] == "dimensions"
    assert sheet.iloc[2 : 2 + len(bank.dimension_ids), 0].tolist() == list(bank.dimension_ids)
    for table in (exported, workbook):
        assert len(table) == 5
        for dimension in bank.dimension_ids:
            assert table[dimension].tolist() == pytest.approx(expected[dimension].tolist(), abs=0.05)
        assert table["top_1"].tolist() == expected["top_1"].tolist() == [*PEOPLE.values(), "cto", "marketing_pm"]
    # "=Bob" stays text: the CSV cell is quoted against spreadsheet formulas.
    assert "'=Bob" in exported.to_string()

    # A participant withdraws with their personal link.
    leaver = contexts().new_page()
    leaver.goto(withdraw_link)
    leaver.get_by_role("button", name=EN.t("group.withdraw")).click()
    expect(leaver.get_by_text(EN.t("group.withdrawn"))).to_be_visible()
    expect(coach.locator('[data-testid="stMetricValue"]')).to_have_text("4", timeout=30_000)

    # The coach deletes the session; nothing of it is left in the database.
    coach.locator('[data-testid="stExpander"] summary').filter(has_text=EN.t("dashboard.delete")).click()
    idle(coach)
    coach.locator(".st-key-delete_sure label").click()
    expect(button(coach, "delete_session")).to_be_enabled()
    button(coach, "delete_session").click()
    expect(coach.get_by_text(EN.t("dashboard.deleted"))).to_be_visible()
    assert store.row_counts() == dict.fromkeys(store.row_counts(), 0), store.row_counts()
    # The secret no longer opens anything.
    coach.goto(f"{app}/coach")
    coach.get_by_role("tab", name=EN.t("coach.existing")).click()
    coach.locator(".st-key-open_code input").fill(code)
    coach.locator(".st-key-open_secret input").fill(secret)
    coach.get_by_role("button", name=EN.t("coach.open")).click()
    expect(coach.get_by_text(EN.t("coach.secret_wrong"))).to_be_visible()
    store.dispose()


def test_two_app_servers_on_one_postgresql_share_the_sessions(
    contexts: Callable[[], BrowserContext],
    server_factory: Callable[..., str],
    postgres_url: str,
    bank: Bank,
    screenshots: Path,
) -> None:
    """The coach's dashboard on server B shows a participant who finished on server A."""
    server_a = server_factory({"DATABASE_URL": postgres_url})
    server_b = server_factory({"DATABASE_URL": postgres_url})

    coach = open_app(contexts(), server_b)
    code, _ = create_session(coach, "Two servers")
    button(coach, "coach_open_new").click()
    expect(coach.locator('[data-testid="stMetricValue"]')).to_have_text("0")

    participant = open_app(contexts(), f"{server_a}/join?code={code}")
    join(participant, "Dana")
    answers = encode_answers(bank, persona_answers(bank, "cpo"))
    participant.goto(f"{server_a}/results?answers={answers}&{seat_query(participant)}")
    expect(participant.get_by_text(EN.t("group.saved", title="Two servers"))).to_be_visible()

    expect(coach.locator('[data-testid="stMetricValue"]')).to_have_text("1", timeout=30_000)
    coach.get_by_role("tab", name=EN.t("dashboard.tab_people")).click()
    open_participant(coach, 0, "Dana")
    shot(coach, screenshots, "group-two-servers")
