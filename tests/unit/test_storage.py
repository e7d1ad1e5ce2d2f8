"""Coach sessions in the database: every test that touches one runs on a SQLite file and on a
real PostgreSQL (the `store` and `store_url` fixtures of conftest.py). Time is passed in with
`now=`; nothing here sleeps.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

import quiz
from quiz.sessions import (
    ADDRESS_FAILURES,
    CODE_ALPHABET,
    JOIN_FAILURES,
    PSEUDONYM_MAX,
    RETENTION,
    TITLE_MAX,
    Base,
    CoachSession,
    JoinError,
    NotFoundError,
    SecretError,
    StorageError,
    Store,
    database_url,
    hash_secret,
    new_join_code,
    normalise_code,
    retention_from_env,
    verify_secret,
)
from tests.support.paths import ROOT

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
ANSWERS = {"q_tech_1": 5, "q_tech_2": 4, "q_people_1": 1}
PARTICIPANTS = 200
UNREACHABLE = "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/quiz"

R = TypeVar("R")


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def rows(store: Store, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Raw rows, straight from the database, bypassing the store."""
    with store.engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text(sql), params)]


def at_once(count: int, work: Callable[[int], R]) -> list[R]:
    """Run `work(0..count-1)` in `count` threads released together by a barrier; re-raise the
    first exception any of them met."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as error:  # the main thread re-raises it
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def session(store: Store) -> CoachSession:
    """An open session created at T0."""
    return store.create_session("Atelier mars", "fr", now=T0).session


@pytest.fixture
def second_store(store: Store, store_url: str) -> Iterator[Store]:
    """Another Store on the same database, as a second app server would have."""
    other = Store(store_url)
    yield other
    other.dispose()


# ---------------------------------------------------------------------------------------------
# Codes, secrets and configuration (no database)
# ---------------------------------------------------------------------------------------------


class TestJoinCodes:
    def test_a_code_is_eight_characters_from_the_alphabet(self) -> None:
        codes = {new_join_code() for _ in range(500)}

        assert all(len(code) == 8 and set(code) <= set(CODE_ALPHABET) for code in codes)
        assert len(codes) == 500

    def test_every_character_of_the_alphabet_is_drawn(self) -> None:
        drawn = set("".join(new_join_code() for _ in range(500)))

        assert drawn == set(CODE_ALPHABET)

    def test_the_alphabet_has_no_characters_that_look_alike(self) -> None:
        assert set(CODE_ALPHABET).isdisjoint("0O1IL2Z5S8BUV")
        assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 23

    def test_a_code_typed_in_lower_case_with_a_dash_and_spaces_is_normalised(self) -> None:
        assert normalise_code(" acde-fg34 ") == "ACDEFG34"
        assert normalise_code("acde fg34") == "ACDEFG34"

    def test_normalising_maps_nothing_else(self) -> None:
        assert normalise_code("o0i1") == "O0I1"

    def test_the_display_code_is_two_groups_of_four(self) -> None:
        session = CoachSession(1, "ACDEFG34", "t", "en", T0, None, False, T0 + RETENTION, None)

        assert session.display_code == "ACDE-FG34"


class TestSecretHashes:
    def test_a_hash_describes_its_scrypt_parameters(self) -> None:
        scheme, n, r, p, salt, digest = hash_secret("s3cret").split("$")

        assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
        assert len(salt) == 24 and len(digest) == 44  # 16 and 32 bytes in base64

    def test_the_right_secret_verifies_and_a_wrong_one_does_not(self) -> None:
        stored = hash_secret("s3cret")

        assert verify_secret("s3cret", stored)
        assert not verify_secret("s3cret ", stored)

    def test_the_same_secret_hashes_differently_each_time(self) -> None:
        assert hash_secret("s3cret") != hash_secret("s3cret")

    @pytest.mark.parametrize("stored", ["", "plain", "scrypt$1$2$3$x$y", "bcrypt$16384$8$1$AAAA$AAAA"])
    def test_a_malformed_hash_never_matches(self, stored: str) -> None:
        assert not verify_secret("s3cret", stored)


class TestDatabaseUrl:
    def test_the_environment_wins_over_the_secrets(self) -> None:
        assert database_url({"DATABASE_URL": "sqlite:///a.db"}, "sqlite:///b.db") == "sqlite:///a.db"

    def test_the_secrets_are_used_without_the_environment(self) -> None:
        assert database_url({}, "sqlite:///b.db") == "sqlite:///b.db"

    def test_the_default_is_a_sqlite_file_in_var_under_the_working_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)

        url = database_url({}, None)

        assert url.startswith("sqlite:///") and url.endswith("/var/quiz.sqlite3")
        assert Path(url.removeprefix("sqlite:///")).parent.parent == tmp_path

    def test_the_default_is_never_inside_the_package(self) -> None:
        path = Path(database_url({}, None).removeprefix("sqlite:///"))

        assert not path.is_relative_to(Path(quiz.__file__).resolve().parent)

    @pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
    def test_heroku_style_urls_get_the_psycopg_driver(self, scheme: str) -> None:
        url = database_url({"DATABASE_URL": f"{scheme}://u:p@db.example:5432/quiz"})

        assert url == "postgresql+psycopg://u:p@db.example:5432/quiz"

    def test_a_url_naming_its_driver_is_kept(self) -> None:
        assert database_url({"DATABASE_URL": "postgresql+psycopg://u@h/d"}) == "postgresql+psycopg://u@h/d"

    def test_retention_is_ninety_days_unless_the_environment_says_otherwise(self) -> None:
        assert retention_from_env({}) == timedelta(days=90)
        assert retention_from_env({"QUIZ_RETENTION_DAYS": "7"}) == timedelta(days=7)

    @pytest.mark.parametrize("value", ["0", "-3", "two", "1.5"])
    def test_a_retention_that_is_not_a_number_of_days_is_refused(self, value: str) -> None:
        with pytest.raises(ValueError, match="QUIZ_RETENTION_DAYS"):
            retention_from_env({"QUIZ_RETENTION_DAYS": value})


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


class TestCreatingAndJoining:
    def test_a_session_is_created_joined_and_opened_by_its_coach(self, store: Store) -> None:
        new = store.create_session("  Atelier mars  ", "fr", now=T0)

        joined = store.join(new.session.display_code.lower(), "client-a", now=T0 + minutes(5))
        opened = store.open_dashboard(new.session.code, new.secret, now=T0 + minutes(6))

        assert joined == opened == new.session == store.session(new.session.id, now=T0)
        assert new.session.title == "Atelier mars"
        assert new.session.lang == "fr"
        assert len(new.secret) >= 22  # token_urlsafe(16): 128 bits

    def test_times_come_back_as_aware_utc(self, store: Store) -> None:
        paris = datetime(2025, 3, 10, 10, 0, tzinfo=timezone(timedelta(hours=1)))
        new = store.create_session("t", "en", closes_at=T0 + timedelta(hours=2), now=paris)

        read = store.session(new.session.id, now=T0)
        assert read.created_at == T0 and read.created_at.tzinfo == UTC
        assert read.closes_at == T0 + timedelta(hours=2) and read.closes_at.tzinfo == UTC
        assert read.expires_at == read.created_at + RETENTION and read.expires_at.tzinfo == UTC

    def test_the_retention_can_be_set_in_the_environment(
        self, store_url: str, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("QUIZ_RETENTION_DAYS", "7")
        short = Store(store_url)

        session = short.create_session("t", "en", now=T0).session
        short.dispose()

        assert session.expires_at == T0 + timedelta(days=7)

    @pytest.mark.parametrize("title", ["", "   ", "x" * (TITLE_MAX + 1), "two\nlines"])
    def test_a_title_must_be_one_line_of_1_to_120_characters(self, store: Store, title: str) -> None:
        with pytest.raises(ValueError, match="title"):
            store.create_session(title, "en", now=T0)

    def test_a_title_of_120_characters_is_accepted(self, store: Store) -> None:
        assert store.create_session("é" * TITLE_MAX, "en", now=T0).session.title == "é" * TITLE_MAX

    def test_a_naive_or_past_closing_time_is_refused(self, store: Store) -> None:
        with pytest.raises(ValueError, match="aware"):
            store.create_session("t", "en", closes_at=datetime(2025, 3, 10, 12, 0), now=T0)
        with pytest.raises(ValueError, match="passed"):
            store.create_session("t", "en", closes_at=T0 - minutes(1), now=T0)

    def test_an_unknown_language_is_refused(self, store: Store) -> None:
        with pytest.raises(ValueError, match="language"):
            store.create_session("t", "de", now=T0)  # type: ignore[arg-type]

    def test_each_session_gets_its_own_code(self, store: Store) -> None:
        codes = {store.create_session(f"s{i}", "en", now=T0).session.code for i in range(5)}

        assert len(codes) == 5

    def test_a_coach_who_logged_in_finds_their_sessions_newest_first(self, store: Store) -> None:
        first = store.create_session("first", "en", owner="sub-1", now=T0).session
        second = store.create_session("second", "en", owner="sub-1", now=T0 + minutes(1)).session
        store.create_session("someone else's", "en", owner="sub-2", now=T0)
        store.create_session("no login", "en", now=T0)

        assert store.sessions_owned_by("sub-1", now=T0 + minutes(2)) == [second, first]
        assert store.sessions_owned_by("sub-1", now=T0 + RETENTION + minutes(2)) == []

    def test_a_session_that_does_not_exist_is_not_found(self, store: Store) -> None:
        with pytest.raises(NotFoundError):
            store.session(12345)

    def test_an_unknown_code_is_refused_as_unknown(self, store: Store, session: CoachSession) -> None:
        with pytest.raises(JoinError) as caught:
            store.join("ACDE-FG34" if session.code != "ACDEFG34" else "ACDE-FG36", "client-a", now=T0)

        assert caught.value.reason == "unknown" and caught.value.retry_after == 0


class TestJoinRateLimit:
    def wrong(self, store: Store, client: str, now: datetime) -> JoinError:
        with pytest.raises(JoinError) as caught:
            store.join("XXXX-XXXX", client, now=now)
        return caught.value

    def test_ten_wrong_codes_then_every_attempt_is_refused_for_ten_minutes(
        self, store: Store, session: CoachSession
    ) -> None:
        reasons = [self.wrong(store, "client-a", T0 + minutes(i / 2)).reason for i in range(10)]
        assert reasons == ["unknown"] * 10

        refused = self.wrong(store, "client-a", T0 + minutes(5))
        with pytest.raises(JoinError) as right_code:
            store.join(session.code, "client-a", now=T0 + minutes(5))

        assert (refused.reason, refused.retry_after) == ("rate_limited", 600 - 30)
        assert (right_code.value.reason, right_code.value.retry_after) == ("rate_limited", 600 - 30)
        # Another client is not held back, and the first is let in when the time is up.
        assert store.join(session.code, "client-b", now=T0 + minutes(5)) == session
        assert store.join(session.code, "client-a", now=T0 + minutes(14.5)) == session

    def test_the_count_is_shared_by_two_servers_on_one_database(
        self, store: Store, second_store: Store, session: CoachSession
    ) -> None:
        for i in range(10):
            self.wrong(store if i % 2 else second_store, "client-a", T0 + minutes(i / 10))

        assert self.wrong(second_store, "client-a", T0 + minutes(1)).reason == "rate_limited"
        assert self.wrong(store, "client-a", T0 + minutes(1)).reason == "rate_limited"

    def test_wrong_codes_spread_over_more_than_ten_minutes_are_not_blocked(self, store: Store) -> None:
        reasons = [self.wrong(store, "client-a", T0 + minutes(2 * i)).reason for i in range(20)]

        assert reasons == ["unknown"] * 20

    def test_the_client_is_stored_only_as_a_digest(self, store: Store) -> None:
        with pytest.raises(JoinError):
            store.join("XXXX-XXXX", "session-1", now=T0, address="203.0.113.7")

        assert "203.0.113.7" not in str(rows(store, "SELECT * FROM throttles"))

    def test_a_classroom_behind_one_address_is_not_locked_out_by_a_few_typos(
        self, store: Store, session: CoachSession
    ) -> None:
        """Thirty people in a room, one public address: a typo each leaves everyone free to join."""
        for person in range(30):
            with pytest.raises(JoinError) as typo:
                store.join("XXXX-XXXX", f"session-{person}", now=T0, address="203.0.113.7")
            assert typo.value.reason == "unknown"

        assert store.join(session.code, "session-30", now=T0, address="203.0.113.7") == session

    def test_a_new_browser_session_per_guess_is_stopped_by_the_address_limit(
        self, store: Store, session: CoachSession
    ) -> None:
        for guess in range(ADDRESS_FAILURES):
            with pytest.raises(JoinError) as wrong:
                store.join("XXXX-XXXX", f"session-{guess}", now=T0, address="198.51.100.9")
            assert wrong.value.reason == "unknown"

        with pytest.raises(JoinError) as refused:
            store.join(session.code, "yet-another-session", now=T0 + minutes(1), address="198.51.100.9")
        assert (refused.value.reason, refused.value.retry_after) == ("rate_limited", 600 - 60)
        # Someone elsewhere is not held back.
        assert store.join(session.code, "session-x", now=T0 + minutes(1), address="192.0.2.1") == session


class TestSessionByCode:
    """Looking a session up by a code the app kept (a participant's seat), not one a person typed."""

    def test_the_session_is_found_by_its_code_typed_in_any_form(self, store: Store, session: CoachSession) -> None:
        assert store.session_by_code(session.code, now=T0) == session
        assert store.session_by_code(f" {session.display_code.lower()} ", now=T0) == session

    def test_a_closed_session_is_returned_for_the_caller_to_check(self, store: Store, session: CoachSession) -> None:
        store.close_session(session.id)

        found = store.session_by_code(session.code, now=T0)

        assert found.id == session.id and found.closed and not found.is_open(T0)

    @pytest.mark.parametrize("code", ["XXXX-XXXX", "ACDE", "", "not a code at all"])
    def test_a_code_no_session_has_is_not_found(self, store: Store, session: CoachSession, code: str) -> None:
        with pytest.raises(NotFoundError, match="code"):
            store.session_by_code(code, now=T0)

    def test_a_deleted_session_is_not_found(self, store: Store, session: CoachSession) -> None:
        store.delete_session(session.id)

        with pytest.raises(NotFoundError, match="coach"):
            store.session_by_code(session.code, now=T0)

    def test_an_expired_session_is_not_found(self, store: Store, session: CoachSession) -> None:
        with pytest.raises(NotFoundError):
            store.session_by_code(session.code, now=T0 + RETENTION)

    def test_many_lookups_of_a_deleted_sessions_code_never_throttle_the_client(
        self, store: Store, session: CoachSession
    ) -> None:
        """A stale seat in the address is looked up on every rerun: that must never lock the
        participant out of joining a live session."""
        store.delete_session(session.id)
        live = store.create_session("live", "en", now=T0).session

        for _ in range(JOIN_FAILURES * 3):
            with pytest.raises(NotFoundError):
                store.session_by_code(session.code, now=T0)

        assert rows(store, "SELECT * FROM throttles") == []
        assert store.join(live.code, "client-a", now=T0, address="203.0.113.7") == live


class TestCoachSecret:
    def test_the_secret_is_stored_only_as_an_scrypt_hash(self, store: Store) -> None:
        new = store.create_session("t", "en", now=T0)

        stored = rows(store, "SELECT * FROM coach_sessions")

        assert len(stored) == 1
        assert all(new.secret not in str(value) for row in stored for value in row.values())
        assert stored[0]["secret_hash"].startswith("scrypt$16384$8$1$")
        assert verify_secret(new.secret, stored[0]["secret_hash"])

    def test_wrong_secrets_lock_the_dashboard_for_longer_and_longer(self, store: Store) -> None:
        new = store.create_session("t", "en", now=T0)
        now = T0

        def attempt(secret: str, at: datetime) -> tuple[str, int]:
            with pytest.raises(SecretError) as caught:
                store.open_dashboard(new.session.code, secret, now=at)
            return caught.value.reason, caught.value.retry_after

        assert [attempt("wrong", now) for _ in range(5)] == [("wrong", 0)] * 5
        # Locked for 30 s: even the right secret is refused until then.
        assert attempt(new.secret, now + timedelta(seconds=10)) == ("locked", 20)
        for expected in (60, 120, 240):
            now += timedelta(seconds=expected // 2)
            assert attempt("wrong", now) == ("wrong", 0)
            assert attempt("wrong", now) == ("locked", expected)
        # Capped at an hour.
        for _ in range(6):
            now += timedelta(hours=1)
            attempt("wrong", now)
        assert attempt("wrong", now) == ("locked", 3600)

    def test_the_right_secret_resets_the_count(self, store: Store) -> None:
        new = store.create_session("t", "en", now=T0)
        for _ in range(4):
            with pytest.raises(SecretError):
                store.open_dashboard(new.session.code, "wrong", now=T0)

        assert store.open_dashboard(new.session.display_code, new.secret, now=T0) == new.session
        assert store.row_counts()["throttles"] == 0
        for _ in range(4):
            with pytest.raises(SecretError, match="do not open"):
                store.open_dashboard(new.session.code, "wrong", now=T0)

    def test_an_unknown_code_answers_as_a_wrong_secret_does(self, store: Store) -> None:
        answers = []
        for _ in range(6):
            with pytest.raises(SecretError) as caught:
                store.open_dashboard("ACDE-FG34", "anything", now=T0)
            answers.append((caught.value.reason, str(caught.value)))

        assert answers[:5] == [("wrong", "This code and coach secret do not open a session: check both.")] * 5
        assert answers[5][0] == "locked"

    def test_the_secret_of_one_session_does_not_open_another(self, store: Store) -> None:
        one = store.create_session("one", "en", now=T0)
        other = store.create_session("other", "en", now=T0)

        with pytest.raises(SecretError, match="do not open"):
            store.open_dashboard(other.session.code, one.secret, now=T0)


# ---------------------------------------------------------------------------------------------
# Participants' results
# ---------------------------------------------------------------------------------------------


class TestSubmitting:
    def test_the_same_key_twice_stores_one_row(self, store: Store, session: CoachSession) -> None:
        first = store.submit(session.id, "key-1", "Ana", ANSWERS, "v1", now=T0)
        again = store.submit(session.id, "key-1", "Ana (again)", {"q_tech_1": 1}, "v1", now=T0 + minutes(1))

        assert (first, again) == (True, False)
        assert [(s.pseudonym, dict(s.answers)) for s in store.submissions(session.id)] == [("Ana", ANSWERS)]

    def test_a_submission_comes_back_as_it_was_saved(self, store: Store, session: CoachSession) -> None:
        store.submit(session.id, "key-2", "  Bob ", {"q_people_1": 2}, "v1", now=T0 + minutes(2))
        store.submit(session.id, "key-1", "", ANSWERS, "v1", now=T0 + minutes(1))

        saved = store.submissions(session.id)

        assert [(s.pseudonym, dict(s.answers), s.source, s.bank_version) for s in saved] == [
            ("", ANSWERS, "quiz", "v1"),
            ("Bob", {"q_people_1": 2}, "quiz", "v1"),
        ]
        assert [s.submitted_at for s in saved] == [T0 + minutes(1), T0 + minutes(2)]
        assert all(s.submitted_at.tzinfo == UTC and s.session_id == session.id for s in saved)
        assert len(store.submissions(session.id)) == 2

    def test_only_a_digest_of_the_key_is_stored(self, store: Store, session: CoachSession) -> None:
        store.submit(session.id, "my-personal-key", "Ana", ANSWERS, "v1", now=T0)

        assert "my-personal-key" not in str(rows(store, "SELECT * FROM submissions"))

    def test_a_pseudonym_longer_than_40_characters_is_refused(self, store: Store, session: CoachSession) -> None:
        assert store.submit(session.id, "k1", "x" * PSEUDONYM_MAX, ANSWERS, "v1", now=T0)
        with pytest.raises(ValueError, match="pseudonym"):
            store.submit(session.id, "k2", "x" * (PSEUDONYM_MAX + 1), ANSWERS, "v1", now=T0)

    @pytest.mark.parametrize("answers", [{"q": 0}, {"q": 6}, {"q": True}, {"q": 2.0}, {"": 3}])
    def test_answers_off_the_scale_are_refused(self, store: Store, session: CoachSession, answers: Any) -> None:
        with pytest.raises(ValueError, match="answers"):
            store.submit(session.id, "k", "Ana", answers, "v1", now=T0)

    def test_saving_to_a_deleted_session_is_refused_as_unknown(self, store: Store, session: CoachSession) -> None:
        store.delete_session(session.id)

        with pytest.raises(JoinError) as caught:
            store.submit(session.id, "k", "Ana", ANSWERS, "v1", now=T0)
        assert caught.value.reason == "unknown"

    def test_200_participants_saving_at_the_same_moment_make_200_rows(
        self, store: Store, session: CoachSession
    ) -> None:
        added = at_once(PARTICIPANTS, lambda i: store.submit(session.id, f"key-{i}", f"P{i}", ANSWERS, "v1", now=T0))

        assert added == [True] * PARTICIPANTS
        assert len(store.submissions(session.id)) == PARTICIPANTS
        assert len({s.pseudonym for s in store.submissions(session.id)}) == PARTICIPANTS

    def test_200_participants_each_saving_twice_at_once_make_200_rows(
        self, store: Store, second_store: Store, session: CoachSession
    ) -> None:
        # Each participant's two saves race each other, one through each server.
        def save(i: int) -> bool:
            server = store if i % 2 else second_store
            return server.submit(session.id, f"key-{i // 2}", f"P{i // 2}", ANSWERS, "v1", now=T0)

        added = at_once(2 * PARTICIPANTS, save)

        assert sum(added) == PARTICIPANTS
        assert all(added[2 * i] != added[2 * i + 1] for i in range(PARTICIPANTS))
        assert len(store.submissions(session.id)) == PARTICIPANTS


class TestWithdrawing:
    def test_a_participant_withdraws_with_their_key(self, store: Store, session: CoachSession) -> None:
        store.submit(session.id, "key-1", "Ana", ANSWERS, "v1", now=T0)
        store.submit(session.id, "key-2", "Bob", ANSWERS, "v1", now=T0)

        assert store.withdraw("key-1") is True
        assert store.withdraw("key-1") is False
        assert [s.pseudonym for s in store.submissions(session.id)] == ["Bob"]

    def test_a_key_that_saved_nothing_withdraws_nothing(self, store: Store) -> None:
        assert store.withdraw("never-used") is False
        assert store.withdraw("") is False


class TestImporting:
    def test_imported_results_are_added_in_one_go(self, store: Store, session: CoachSession) -> None:
        added = store.add_imported(session.id, [("Ana", ANSWERS), (" Bob ", {"q_tech_1": 2})], "v1", now=T0)

        saved = store.submissions(session.id)
        assert added == 2
        assert [(s.pseudonym, s.source) for s in saved] == [("Ana", "import"), ("Bob", "import")]

    def test_one_bad_row_adds_none(self, store: Store, session: CoachSession) -> None:
        with pytest.raises(ValueError):
            store.add_imported(session.id, [("Ana", ANSWERS), ("x" * 41, ANSWERS)], "v1", now=T0)

        assert len(store.submissions(session.id)) == 0

    def test_a_closed_session_takes_imports(self, store: Store, session: CoachSession) -> None:
        store.close_session(session.id)

        assert store.add_imported(session.id, [("Ana", ANSWERS)], "v1", now=T0) == 1

    def test_importing_into_a_session_that_is_gone_is_not_found(self, store: Store) -> None:
        with pytest.raises(NotFoundError):
            store.add_imported(999, [("Ana", ANSWERS)], "v1", now=T0)


class TestClosing:
    def test_a_closed_session_takes_no_one_and_no_result(self, store: Store, session: CoachSession) -> None:
        store.submit(session.id, "key-1", "Ana", ANSWERS, "v1", now=T0)
        store.close_session(session.id)

        with pytest.raises(JoinError) as joining:
            store.join(session.code, "client-a", now=T0)
        with pytest.raises(JoinError) as saving:
            store.submit(session.id, "key-2", "Bob", ANSWERS, "v1", now=T0)

        assert joining.value.reason == saving.value.reason == "closed"
        assert store.session(session.id, now=T0).closed
        # What was saved stays; saving it again is still "already saved", and it can be withdrawn.
        assert store.submit(session.id, "key-1", "Ana", ANSWERS, "v1", now=T0) is False
        assert store.withdraw("key-1") is True

    def test_past_its_closing_time_a_session_takes_no_one(self, store: Store) -> None:
        session = store.create_session("t", "en", closes_at=T0 + timedelta(hours=1), now=T0).session

        assert store.join(session.code, "client-a", now=T0 + minutes(59)) == session
        with pytest.raises(JoinError) as caught:
            store.join(session.code, "client-a", now=T0 + minutes(60))
        assert caught.value.reason == "closed"
        assert not session.is_open(T0 + minutes(60))

    def test_past_its_expiry_a_session_takes_no_one_and_no_result(self, store: Store, session: CoachSession) -> None:
        later = T0 + RETENTION

        with pytest.raises(JoinError) as joining:
            store.join(session.code, "client-a", now=later)
        with pytest.raises(JoinError) as saving:
            store.submit(session.id, "key-1", "Ana", ANSWERS, "v1", now=later)

        assert joining.value.reason == saving.value.reason == "expired"
        with pytest.raises(NotFoundError):
            store.session(session.id, now=later)

    def test_closing_a_session_that_is_gone_is_not_found(self, store: Store) -> None:
        with pytest.raises(NotFoundError):
            store.close_session(999)


class TestDeleting:
    def fill(self, store: Store, title: str, now: datetime) -> CoachSession:
        """A session with two results and a wrong-secret count."""
        session = store.create_session(title, "en", now=now).session
        store.submit(session.id, f"{title}-1", "Ana", ANSWERS, "v1", now=now)
        store.add_imported(session.id, [("Bob", ANSWERS)], "v1", now=now)
        with pytest.raises(SecretError):
            store.open_dashboard(session.code, "wrong", now=now)
        return session

    def left_of(self, store: Store, session: CoachSession) -> dict[str, int]:
        return {
            "coach_sessions": len(rows(store, "SELECT id FROM coach_sessions WHERE id = :id", id=session.id)),
            "submissions": len(rows(store, "SELECT id FROM submissions WHERE session_id = :id", id=session.id)),
            "throttles": len(rows(store, "SELECT key FROM throttles WHERE key = :code", code=session.code)),
        }

    def test_deleting_a_session_leaves_nothing_of_it(self, store: Store) -> None:
        gone = self.fill(store, "gone", T0)
        kept = self.fill(store, "kept", T0)
        assert store.row_counts() == {"coach_sessions": 2, "submissions": 4, "throttles": 2}

        store.delete_session(gone.id)

        assert self.left_of(store, gone) == {"coach_sessions": 0, "submissions": 0, "throttles": 0}
        assert self.left_of(store, kept) == {"coach_sessions": 1, "submissions": 2, "throttles": 1}
        assert store.row_counts() == {"coach_sessions": 1, "submissions": 2, "throttles": 1}
        with pytest.raises(SecretError):
            store.open_dashboard(gone.code, "wrong", now=T0)

    def test_deleting_a_session_twice_does_nothing_the_second_time(self, store: Store, session: CoachSession) -> None:
        store.delete_session(session.id)
        store.delete_session(session.id)

        assert store.row_counts()["coach_sessions"] == 0

    def test_expired_sessions_are_purged_with_everything_in_them(self, store: Store) -> None:
        old = self.fill(store, "old", T0)
        recent = self.fill(store, "recent", T0 + timedelta(days=60))

        assert store.purge_expired(now=T0 + RETENTION - minutes(1)) == 0
        assert store.purge_expired(now=T0 + RETENTION) == 1
        assert store.purge_expired(now=T0 + RETENTION) == 0

        assert self.left_of(store, old) == {"coach_sessions": 0, "submissions": 0, "throttles": 0}
        assert self.left_of(store, recent) == {"coach_sessions": 1, "submissions": 2, "throttles": 1}

    def test_creating_a_session_purges_the_expired_ones(self, store: Store) -> None:
        self.fill(store, "old", T0)

        store.create_session("new", "en", now=T0 + RETENTION + minutes(1))

        assert store.row_counts() == {"coach_sessions": 1, "submissions": 0, "throttles": 0}

    def test_stale_wrong_code_counts_are_purged(self, store: Store) -> None:
        with pytest.raises(JoinError):
            store.join("XXXX-XXXX", "client-a", now=T0)
        with pytest.raises(SecretError):
            store.open_dashboard("ACDE-FG34", "wrong", now=T0)

        store.purge_expired(now=T0 + minutes(9))
        assert store.row_counts()["throttles"] == 1  # the join count still holds within its window
        store.purge_expired(now=T0 + minutes(10))
        assert store.row_counts()["throttles"] == 0


# ---------------------------------------------------------------------------------------------
# Failures and migrations
# ---------------------------------------------------------------------------------------------


class TestUnreachableDatabase:
    @pytest.mark.parametrize(
        "call",
        [
            lambda s: s.migrate(),
            lambda s: s.submit(1, "key", "Ana", ANSWERS, "v1"),
            lambda s: s.join("ACDE-FG34", "client-a"),
            lambda s: s.create_session("t", "en"),
            lambda s: s.row_counts(),
        ],
        ids=["migrate", "submit", "join", "create_session", "row_counts"],
    )
    def test_an_unreachable_server_is_a_storage_error_at_once(self, call: Callable[[Store], object]) -> None:
        store = Store(UNREACHABLE)
        started = time.monotonic()

        with pytest.raises(StorageError) as caught:
            call(store)

        assert time.monotonic() - started < 10  # the 5 s connect timeout, not a hang
        assert "cannot be reached" in str(caught.value)
        assert "127.0.0.1:1" in str(caught.value) and "hunter2" not in str(caught.value)
        store.dispose()

    def test_the_folder_of_a_sqlite_file_is_made_on_first_use(self, tmp_path: Path) -> None:
        store = Store(f"sqlite:///{tmp_path / 'var' / 'quiz.sqlite3'}")
        store.migrate()
        store.dispose()

        assert (tmp_path / "var" / "quiz.sqlite3").is_file()

    def test_a_sqlite_file_whose_folder_cannot_be_made_is_a_storage_error(self, tmp_path: Path) -> None:
        (tmp_path / "a-file").write_text("")

        with pytest.raises(StorageError, match="folder"):
            Store(f"sqlite:///{tmp_path / 'a-file' / 'quiz.sqlite3'}")

    def test_a_url_that_is_not_a_database_is_a_value_error(self) -> None:
        with pytest.raises(ValueError, match="database URL"):
            Store("nodb+nodriver://x")


class TestMigrations:
    def test_the_migrated_schema_is_exactly_the_models(self, store: Store) -> None:
        with store.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)

        assert differences == []

    def test_migrating_again_changes_nothing(self, store: Store, session: CoachSession) -> None:
        store.migrate()
        store.migrate()

        assert rows(store, "SELECT version_num FROM alembic_version") == [{"version_num": "0001"}]
        assert store.session(session.id, now=T0) == session

    def test_threads_migrating_at_once_take_turns(self, store_url: str) -> None:
        stores = [Store(store_url) for _ in range(4)]
        try:
            at_once(len(stores), lambda i: stores[i].migrate())

            assert rows(stores[0], "SELECT version_num FROM alembic_version") == [{"version_num": "0001"}]
        finally:
            for store in stores:
                store.dispose()

    def test_a_server_starting_while_another_turns_a_new_sqlite_file_to_wal_waits_for_it(self, tmp_path: Path) -> None:
        """The first server on a new SQLite file switches it to WAL, holding its write lock for a
        moment; SQLite refuses a second switch at once ("database is locked"), without the busy
        timeout, so a server starting then must wait and try again. Here the moment lasts 0.3 s."""
        path = tmp_path / "quiz.sqlite3"
        first = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        first.execute("BEGIN IMMEDIATE")
        first.execute("CREATE TABLE held (x)")
        release = threading.Timer(0.3, first.rollback)
        release.start()
        store = Store(f"sqlite:///{path}")
        try:
            store.migrate()

            assert rows(store, "SELECT version_num FROM alembic_version") == [{"version_num": "0001"}]
            assert rows(store, "PRAGMA journal_mode") == [{"journal_mode": "wal"}]
        finally:
            release.join()
            first.close()
            store.dispose()

    def test_servers_starting_at_once_migrate_one_after_the_other(self, store_url: str) -> None:
        # Separate processes, as app servers are: only the database can make them take turns.
        # Each imports everything, then waits for a line on stdin, so that all start together.
        script = (
            "import sys\n"
            "from quiz.sessions import Store\n"
            f"store = Store({store_url!r})\n"
            "sys.stdin.readline()\n"
            "store.migrate()\n"
        )
        servers = [
            subprocess.Popen(
                [sys.executable, "-c", script], cwd=ROOT, stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(4)
        ]
        for server in servers:
            assert server.stdin is not None
            server.stdin.write("go\n")
            server.stdin.flush()
        outcomes = [(server.wait(timeout=120), server.communicate()[1]) for server in servers]

        assert [code for code, _ in outcomes] == [0] * len(servers), outcomes
        store = Store(store_url)
        assert rows(store, "SELECT version_num FROM alembic_version") == [{"version_num": "0001"}]
        assert store.create_session("t", "en", now=T0).session.id == 1
        store.dispose()
