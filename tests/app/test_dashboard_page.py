"""The coach's dashboard with a real group (AppTest against the temporary SQLite database of
conftest's `test_database`): each participant's most likely role with its chance and the roles
too close to call, the top matches shared for too-close sets, the Reliability tab in the
session's language, and the 5-second refresh recomputing nothing when nobody new finished."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import quiz.group
import quiz.result
from quiz.describe import headline
from quiz.i18n import strings
from quiz.model import Bank
from quiz.result import person_result
from quiz.sessions import Store
from tests.support.pages import no_exception, open_page

EN, FR = strings("en"), strings("fr")

AppFactory = Callable[[], AppTest]


@pytest.fixture
def store(test_database: str) -> Iterator[Store]:
    store = Store(test_database)
    store.migrate()
    yield store
    store.dispose()


def simulated(bank: Bank, n: int, seed: int) -> list[tuple[str, dict[str, int]]]:
    """`n` people near the roles' profiles (each dimension 12 points off at random), answering
    with noise (a standard deviation of 0.8 scale points), reverse keys respected."""
    rng = np.random.default_rng(seed)
    people = []
    for i in range(n):
        role = bank.roles[i % len(bank.roles)]
        level = {d: float(np.clip(role.target(d).level + rng.normal(0, 12), 0, 100)) for d in bank.dimension_ids}
        answers = {}
        for q in bank.questions:
            point = int(np.clip(round(1 + level[q.dimension] / 25 + rng.normal(0, 0.8)), 1, 5))
            answers[q.id] = point if q.keyed > 0 else 6 - point
        people.append((f"P{i + 1}", answers))
    return people


def dashboard(app_test: AppFactory, session_id: int) -> AppTest:
    at = app_test()
    at.session_state["lang"] = "en"
    at.session_state["coach_session"] = session_id
    return open_page(at, "dashboard")


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_each_participant_shows_their_most_likely_role_its_chance_and_the_roles_too_close_to_call(
    app_test: AppFactory, store: Store, bank: Bank
) -> None:
    session = store.create_session("Workshop", "en").session
    store.add_imported(session.id, [*simulated(bank, 12, 1), ("Flat", {q.id: 3 for q in bank.questions})], bank.version)
    at = dashboard(app_test, session.id)

    no_exception(at)
    people = table_with(at, EN.t("dashboard.col_chance"))
    assert people[EN.t("dashboard.col_chance")].str.fullmatch(r"\d+%|under 1%|").all()
    flat = people[people[EN.t("dashboard.col_name")] == "Flat"].iloc[0]
    assert (flat[EN.t("dashboard.col_top")], flat[EN.t("dashboard.col_chance")]) == (EN.t("dashboard.flat"), "")
    # Someone with runners-up has them named, and their chances add up with the first's.
    stored = [s for s in store.submissions(session.id) if s.pseudonym != "Flat"]
    frame = quiz.group.group_frame(
        bank, [quiz.group.Participant(s.id, s.pseudonym, s.answers, s.submitted_at) for s in stored]
    )
    for _, row in frame.iterrows():
        shown = people[people[EN.t("dashboard.col_name")] == row["name"]].iloc[0]
        assert shown[EN.t("dashboard.col_top")] == bank.role(row["top_1"]).name("en")
        runners_up = [bank.role(r).name("en") for r in row["tied_roles"].split("|")[1:]]
        assert shown[EN.t("dashboard.col_close")] == ", ".join(runners_up)


def test_the_top_matches_count_each_participant_once_sharing_a_too_close_set(
    app_test: AppFactory, store: Store, bank: Bank
) -> None:
    session = store.create_session("Workshop", "en").session
    store.add_imported(session.id, simulated(bank, 9, 2), bank.version)
    at = dashboard(app_test, session.id)

    no_exception(at)
    chart = next(
        json.loads(c.proto.spec) for c in at.get("plotly_chart") if json.loads(c.proto.spec)["data"][0]["type"] == "bar"
    )
    counts = [value for trace in chart["data"] for value in trace["x" if trace.get("orientation") == "h" else "y"]]
    assert sum(counts) == pytest.approx(9, abs=0.05)


def test_opening_a_participant_shows_the_headline_with_chance_and_a_ranking_with_chances(
    app_test: AppFactory, store: Store, bank: Bank, cto_answers: dict[str, int]
) -> None:
    session = store.create_session("Workshop", "en").session
    store.add_imported(session.id, [("Ana", cto_answers)], bank.version)
    at = dashboard(app_test, session.id)
    people = next(df for df in at.dataframe if EN.t("dashboard.col_chance") in df.value.columns)
    assert people.key is not None  # the table is keyed: a selection survives the refreshes
    at.session_state[people.key] = {"selection": {"rows": [0], "columns": [], "cells": []}}  # a click on the row
    at.run()

    no_exception(at)
    said = headline(bank, person_result(bank, cto_answers), EN)
    shown = "\n".join(m.value for m in at.markdown)
    assert f"**{said.best}** · " in shown
    assert said.why in [m.value for m in at.markdown]
    ranking = table_with(at, EN.t("results.col_probability"))
    assert len(ranking) == len(bank.roles)
    assert ranking[EN.t("results.col_role")].iloc[0] == bank.role("cto").name("en")


def test_the_reliability_tab_speaks_the_sessions_language_and_names_the_participants_to_read_with_care(
    app_test: AppFactory, store: Store, bank: Bank
) -> None:
    session = store.create_session("Atelier", "fr").session
    same = {q.id: 4 for q in bank.questions}
    store.add_imported(session.id, [*simulated(bank, 40, 3), ("Toujours 4", same)], bank.version)
    at = dashboard(app_test, session.id)  # the coach's own page is in English

    no_exception(at)
    dimensions = table_with(at, FR.t("reliability.col_level"))
    assert dimensions[FR.t("reliability.col_dimension")].tolist() == [d.name("fr") for d in bank.dimensions]
    levels = {FR.t(f"reliability.level_{code}") for code in ("excellent", "good", "acceptable")}
    assert set(dimensions[FR.t("reliability.col_level")]) <= levels
    assert dimensions[FR.t("reliability.col_people")].tolist() == [41] * len(bank.dimensions)
    flagged = table_with(at, FR.t("reliability.col_flags"))
    row = flagged[flagged[FR.t("reliability.col_person")] == "Toujours 4"].iloc[0]
    assert FR.t("reliability.person_long_string") in row[FR.t("reliability.col_flags")]


def test_with_two_participants_the_reliability_tab_says_too_few_people_rather_than_a_figure(
    app_test: AppFactory, store: Store, bank: Bank
) -> None:
    session = store.create_session("Workshop", "en").session
    store.add_imported(session.id, simulated(bank, 2, 4), bank.version)
    at = dashboard(app_test, session.id)

    no_exception(at)
    dimensions = table_with(at, EN.t("reliability.col_level"))
    assert set(dimensions[EN.t("reliability.col_level")]) == {EN.t("reliability.level_too_few_people")}
    assert set(dimensions[EN.t("reliability.col_alpha")]) == {""}
    assert set(dimensions[EN.t("reliability.col_reason")]) == {EN.t("reliability.reason_too_few_people")}


def test_a_refresh_with_nobody_new_recomputes_nothing_and_a_new_result_is_counted(
    app_test: AppFactory, store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 9: 200 people's Monte Carlo is not redone every 5 seconds."""
    computed: list[int] = []
    people_results = quiz.result.people_results

    def counting(*args: object, **kwargs: object) -> object:
        computed.append(1)
        return people_results(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(quiz.group, "people_results", counting)
    session = store.create_session("Workshop", "en").session
    store.add_imported(session.id, simulated(bank, 5, 5), bank.version)
    at = dashboard(app_test, session.id)
    for _ in range(3):  # as the fragment's refreshes
        at.run()

    no_exception(at)
    assert len(computed) == 1
    store.add_imported(session.id, simulated(bank, 1, 6), bank.version)
    at.run()
    assert len(computed) == 2
    assert at.metric[0].value == "6"
