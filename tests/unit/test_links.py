"""Answers in a link: a short URL-safe code that gives back exactly the answers, or says plainly
why it cannot (garbled, cut short, changed, another bank, a newer format), never a wrong result."""

from __future__ import annotations

import base64
import dataclasses
import re
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.banks import load_bank
from quiz.links import FORMAT_VERSION, LinkError, decode_answers, encode_answers
from quiz.model import Bank
from quiz.scoring import SCALE, AnswerError, quiz_order

BANK: Bank = load_bank()
ORDER = quiz_order(BANK)
IDS = [q.id for q in ORDER]
REASONS = {"garbled", "truncated", "tampered", "other_bank", "unsupported"}
URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# 35 questions: 1 version byte + 4 fingerprint bytes + 12 answer bytes + 4 check bytes = 28 characters.
MAX_LENGTH = 40
FUZZ = settings(max_examples=300, deadline=None)
PROPERTY = settings(max_examples=150, deadline=None)

partial_answers = st.dictionaries(st.sampled_from(IDS), st.sampled_from(SCALE))
complete_answers = st.lists(st.sampled_from(SCALE), min_size=len(IDS), max_size=len(IDS)).map(
    lambda values: dict(zip(IDS, values, strict=True))
)


def a_complete_answer_set() -> dict[str, int]:
    """Every value of the scale used, on questions of every dimension."""
    return {qid: SCALE[i % len(SCALE)] for i, qid in enumerate(IDS)}


def frame(body: bytes) -> str:
    """A code with a correct check around any bytes: how a valid-looking code from elsewhere is made."""
    data = body + zlib.crc32(body).to_bytes(4, "little")
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def assert_valid_decode_or_link_error(token: str) -> None:
    """The one promise for any input: answered questions on the scale, or a LinkError with a reason."""
    try:
        decoded = decode_answers(BANK, token)
    except LinkError as error:
        assert error.reason in REASONS
        assert str(error)
    else:
        assert set(decoded) <= set(IDS)
        assert all(type(v) is int and v in SCALE for v in decoded.values())


class TestRoundTrip:
    def test_a_complete_answer_set_comes_back_unchanged(self) -> None:
        answers = a_complete_answer_set()

        assert decode_answers(BANK, encode_answers(BANK, answers)) == answers

    def test_no_answer_at_all_comes_back_as_no_answer(self) -> None:
        assert decode_answers(BANK, encode_answers(BANK, {})) == {}

    @pytest.mark.parametrize("question_id", [IDS[0], IDS[len(IDS) // 2], IDS[-1]])
    def test_a_single_answer_comes_back_alone(self, question_id: str) -> None:
        assert decode_answers(BANK, encode_answers(BANK, {question_id: 4})) == {question_id: 4}

    @pytest.mark.parametrize("value", SCALE)
    def test_every_value_of_the_scale_survives_on_every_question(self, value: int) -> None:
        answers = dict.fromkeys(IDS, value)

        assert decode_answers(BANK, encode_answers(BANK, answers)) == answers

    def test_an_unfinished_quiz_keeps_which_questions_are_still_open(self) -> None:
        answers = {qid: 5 for qid in IDS[: len(IDS) // 2]}

        decoded = decode_answers(BANK, encode_answers(BANK, answers))

        assert decoded == answers
        assert set(IDS) - set(decoded) == set(IDS[len(IDS) // 2 :])

    @PROPERTY
    @given(answers=partial_answers)
    def test_any_partial_answer_set_comes_back_unchanged(self, answers: dict[str, int]) -> None:
        assert decode_answers(BANK, encode_answers(BANK, answers)) == answers

    @PROPERTY
    @given(answers=complete_answers)
    def test_any_complete_answer_set_comes_back_unchanged(self, answers: dict[str, int]) -> None:
        assert decode_answers(BANK, encode_answers(BANK, answers)) == answers

    def test_spaces_and_padding_added_when_copying_are_ignored(self) -> None:
        answers = a_complete_answer_set()
        token = encode_answers(BANK, answers)

        assert decode_answers(BANK, f"  {token}==\n") == answers


class TestTheCode:
    @PROPERTY
    @given(answers=partial_answers)
    def test_it_holds_only_url_safe_characters(self, answers: dict[str, int]) -> None:
        assert URL_SAFE.fullmatch(encode_answers(BANK, answers))

    def test_it_is_short_for_the_whole_quiz(self) -> None:
        assert len(IDS) == 56
        assert len(encode_answers(BANK, a_complete_answer_set())) <= MAX_LENGTH

    @PROPERTY
    @given(answers=partial_answers)
    def test_its_length_does_not_depend_on_the_answers(self, answers: dict[str, int]) -> None:
        # A fixed length is what lets a cut code be recognised as cut.
        assert len(encode_answers(BANK, answers)) == len(encode_answers(BANK, {}))

    def test_different_answers_give_different_codes(self) -> None:
        answers = a_complete_answer_set()
        changed = answers | {IDS[-1]: 6 - answers[IDS[-1]] if answers[IDS[-1]] != 3 else 4}

        assert encode_answers(BANK, answers) != encode_answers(BANK, changed)

    def test_it_starts_with_the_format_version_and_the_bank_version(self) -> None:
        data = base64.urlsafe_b64decode(encode_answers(BANK, {}) + "==")

        assert data[0] == FORMAT_VERSION
        assert data[1:5].hex() == BANK.version

    def test_an_unknown_question_is_refused_when_encoding(self) -> None:
        with pytest.raises(AnswerError, match="unknown question"):
            encode_answers(BANK, {"nope_1": 3})

    @pytest.mark.parametrize("value", [0, 6, -1, True, 3.0])
    def test_a_value_off_the_scale_is_refused_when_encoding(self, value: object) -> None:
        with pytest.raises(AnswerError, match="whole numbers from 1 to 5"):
            encode_answers(BANK, {IDS[0]: value})  # type: ignore[dict-item]


class TestAnotherBank:
    def test_a_code_made_with_another_version_of_the_questions_is_explained_not_scored(self) -> None:
        other = dataclasses.replace(BANK, version="deadbeef")
        token = encode_answers(other, a_complete_answer_set())

        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, token)

        assert caught.value.reason == "other_bank"
        assert "deadbeef" in str(caught.value)
        assert "retake" in str(caught.value)

    def test_a_code_from_a_bank_with_more_questions_is_another_bank_too(self) -> None:
        # A new version of the bank may have more questions: the code's length differs as well.
        body = bytes([FORMAT_VERSION]) + bytes.fromhex("deadbeef") + bytes(20)

        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, frame(body))

        assert caught.value.reason == "other_bank"

    def test_a_bank_version_that_is_not_hex_still_gets_its_own_fingerprint(self) -> None:
        other = dataclasses.replace(BANK, version="edited by hand")
        answers = a_complete_answer_set()

        assert decode_answers(other, encode_answers(other, answers)) == answers
        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, encode_answers(other, answers))
        assert caught.value.reason == "other_bank"


class TestDamagedCodes:
    TOKEN = encode_answers(BANK, a_complete_answer_set())

    @pytest.mark.parametrize("cut", range(1, len(TOKEN)))
    def test_a_code_cut_short_is_reported_as_cut_never_decoded(self, cut: int) -> None:
        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, self.TOKEN[:-cut])

        assert caught.value.reason in {"truncated", "garbled"}

    def test_a_code_cut_by_one_character_says_it_is_cut_and_how_long_it_should_be(self) -> None:
        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, self.TOKEN[:-1])

        assert caught.value.reason == "truncated"
        assert f"{len(self.TOKEN) - 1} of its {len(self.TOKEN)} characters" in str(caught.value)

    def test_a_code_cut_by_a_few_characters_is_reported_as_truncated(self) -> None:
        for cut in range(1, 9):
            with pytest.raises(LinkError) as caught:
                decode_answers(BANK, self.TOKEN[:-cut])
            assert caught.value.reason == "truncated", cut

    @pytest.mark.parametrize("position", range(len(TOKEN)))
    def test_changing_any_one_character_to_any_other_is_caught(self, position: int) -> None:
        # Every position and every replacement: a CRC-32 catches all of them, not just most.
        for replacement in ALPHABET:
            if replacement == self.TOKEN[position]:
                continue
            changed = self.TOKEN[:position] + replacement + self.TOKEN[position + 1 :]
            with pytest.raises(LinkError) as caught:
                decode_answers(BANK, changed)
            assert caught.value.reason in {"tampered", "garbled", "other_bank", "unsupported"}

    def test_a_changed_character_in_the_answers_is_reported_as_tampered(self) -> None:
        position = len(self.TOKEN) // 2
        replacement = "A" if self.TOKEN[position] != "A" else "B"
        changed = self.TOKEN[:position] + replacement + self.TOKEN[position + 1 :]

        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, changed)

        assert caught.value.reason == "tampered"

    def test_swapping_two_neighbouring_characters_is_caught(self) -> None:
        for i in range(len(self.TOKEN) - 1):
            swapped = self.TOKEN[:i] + self.TOKEN[i + 1] + self.TOKEN[i] + self.TOKEN[i + 2 :]
            if swapped == self.TOKEN:
                continue
            with pytest.raises(LinkError):
                decode_answers(BANK, swapped)

    def test_an_extra_character_is_caught(self) -> None:
        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, self.TOKEN + "A")

        assert caught.value.reason == "garbled"

    def test_a_code_from_a_newer_format_is_unsupported_not_garbled(self) -> None:
        body = bytes([FORMAT_VERSION + 1]) + bytes.fromhex(BANK.version) + bytes(30)

        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, frame(body))

        assert caught.value.reason == "unsupported"
        assert "newer version" in str(caught.value)

    def test_a_well_framed_code_holding_impossible_answers_is_garbled(self) -> None:
        # 12 bytes of 0xff is more than 6^35 - 1: no answer set gives that number.
        body = bytes([FORMAT_VERSION]) + bytes.fromhex(BANK.version) + b"\xff" * 12

        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, frame(body))

        assert caught.value.reason == "garbled"

    def test_a_well_framed_code_of_the_wrong_size_is_garbled(self) -> None:
        body = bytes([FORMAT_VERSION]) + bytes.fromhex(BANK.version) + bytes(11)

        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, frame(body))

        assert caught.value.reason == "garbled"

    def test_a_well_framed_code_of_format_zero_is_garbled(self) -> None:
        body = bytes([0]) + bytes.fromhex(BANK.version) + bytes(12)

        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, frame(body))

        assert caught.value.reason == "garbled"


class TestAnyInput:
    @pytest.mark.parametrize(
        "token",
        [
            "",
            " ",
            "=",
            "====",
            "A",
            "AQ",
            "AQ==",
            "A" * 28,
            "_" * 28,
            "A" * 10_000,
            "é" * 28,
            "💥",
            "\x00" * 28,
            "AReglnoCYEYbJzrHTRCwMhPBjAS\u0660",  # an Arabic-Indic zero: a digit, but not ours
            "AReglnoCYEYbJzrHTRCwMhPB.jASg",
            "AReglnoCYEYbJzrHTRCwMhPB+jAS/",
            "null",
            "undefined",
            "%3D%3D",
        ],
    )
    def test_odd_inputs_raise_a_link_error_with_a_reason(self, token: str) -> None:
        with pytest.raises(LinkError) as caught:
            decode_answers(BANK, token)

        assert caught.value.reason in REASONS
        assert str(caught.value)

    def test_an_empty_code_is_garbled_and_says_so(self) -> None:
        with pytest.raises(LinkError, match="empty") as caught:
            decode_answers(BANK, "")

        assert caught.value.reason == "garbled"

    def test_a_character_no_code_has_is_named(self) -> None:
        with pytest.raises(LinkError, match="'!'") as caught:
            decode_answers(BANK, "AReglnoCYEY!")

        assert caught.value.reason == "garbled"

    def test_the_link_error_is_a_value_error(self) -> None:
        with pytest.raises(ValueError):
            decode_answers(BANK, "?")

    @FUZZ
    @given(token=st.text())
    def test_any_text_gives_answers_or_a_link_error(self, token: str) -> None:
        assert_valid_decode_or_link_error(token)

    @FUZZ
    @given(token=st.text(alphabet=ALPHABET + "="))
    def test_any_text_in_the_codes_alphabet_gives_answers_or_a_link_error(self, token: str) -> None:
        assert_valid_decode_or_link_error(token)

    @FUZZ
    @given(data=st.binary(max_size=64), urlsafe=st.booleans(), padded=st.booleans())
    def test_any_base64_bytes_give_answers_or_a_link_error(self, data: bytes, urlsafe: bool, padded: bool) -> None:
        token = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data).decode("ascii")
        assert_valid_decode_or_link_error(token if padded else token.rstrip("="))

    @FUZZ
    @given(payload=st.binary(max_size=24), version=st.integers(0, 255))
    def test_any_well_framed_bytes_give_answers_or_a_link_error(self, payload: bytes, version: int) -> None:
        # The check passes here, so this reaches the reading of versions, banks and answers.
        assert_valid_decode_or_link_error(frame(bytes([version]) + bytes.fromhex(BANK.version) + payload))

    @FUZZ
    @given(answers=partial_answers, data=st.data())
    def test_any_edit_of_a_real_code_gives_a_link_error_or_the_same_answers(
        self, answers: dict[str, int], data: st.DataObject
    ) -> None:
        token = encode_answers(BANK, answers)
        start = data.draw(st.integers(0, len(token)))
        end = data.draw(st.integers(start, len(token)))
        inserted = data.draw(st.text(alphabet=ALPHABET, max_size=6))
        edited = token[:start] + inserted + token[end:]

        try:
            decoded = decode_answers(BANK, edited)
        except LinkError as error:
            assert error.reason in REASONS
        else:
            # Only an edit that changes nothing may decode; anything else is caught.
            assert edited == token
            assert decoded == answers
