"""Answers in a link: a short code for a URL query parameter, so that a result opened on another
device shows the same result, and an unfinished quiz can be continued later, with no server
storage.

Rule: the code is a small frame of bytes written in URL-safe base64 without `=` padding, so it
holds only `A-Z a-z 0-9 _ -`:

    byte 0          format version (1)
    bytes 1-4       the bank's fingerprint: `bank.version`'s 8 hex digits as 4 bytes (a version
                    that is not 8 hex digits is hashed to 4 bytes with SHA-256)
    next k bytes    the answers, one base-6 digit per question in `quiz_order(bank)` (0 = not
                    answered yet, 1-5 = the answer), first question most significant, as an
                    unsigned big-endian integer of k = ceil(log2(6^n) / 8) bytes
    last 4 bytes    CRC-32 (zlib) of every byte before it, little-endian

For the 35 questions of the bank: 1 + 4 + 12 + 4 = 21 bytes, 28 characters.

Why these choices. The fingerprint lets a link made with another version of the questions be
explained ("other_bank") instead of scored against questions it was not answered to; 32 bits make
an accidental match about one in four billion. CRC-32, stored little-endian after the bytes it
covers, forms a proper CRC code word, so it catches *every* change confined to four consecutive
bytes (any one to four consecutive characters of the code), not only most of them; cut codes are
caught by their length. It is not a signature: anyone can make a valid code, as anyone can answer
the quiz. Every future format keeps the frame (version first, CRC-32 last), so that this one can
tell a newer link ("unsupported") from a damaged one.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import zlib
from collections.abc import Mapping
from typing import Literal

from quiz.model import Bank, Question
from quiz.scoring import SCALE, check_answers, quiz_order

__all__ = ["FORMAT_VERSION", "MAX_TOKEN_CHARS", "LinkError", "LinkErrorReason", "decode_answers", "encode_answers"]

FORMAT_VERSION = 1
# Far longer than any format needs: longer input is rejected before any decoding work.
MAX_TOKEN_CHARS = 512

LinkErrorReason = Literal["garbled", "truncated", "tampered", "other_bank", "unsupported"]

_FINGERPRINT_BYTES = 4
_CHECKSUM_BYTES = 4
_HEADER_BYTES = 1 + _FINGERPRINT_BYTES
_DIGITS = len(SCALE) + 1  # 0 for "not answered yet", then the scale
_TOKEN = re.compile(r"[A-Za-z0-9_-]*")
_HEX_VERSION = re.compile(r"[0-9a-f]{8}")
_RETRY = "copy the whole link again, or retake the quiz."


class LinkError(ValueError):
    """A results code that cannot be read. `reason` says why, for the app to word it:

    - "garbled": not a code of ours (characters a code never has, or a wrong structure);
    - "truncated": shorter than a code is, as when a link is cut when copied;
    - "tampered": the right length, but its check fails: a character was changed;
    - "other_bank": made with another version of the questions, so it cannot be scored;
    - "unsupported": made by a newer version of the quiz, in a format this one cannot read.
    """

    def __init__(self, reason: LinkErrorReason, message: str) -> None:
        super().__init__(message)
        self.reason: LinkErrorReason = reason


def encode_answers(bank: Bank, answers: Mapping[str, int]) -> str:
    """The code for `answers` (complete or not, even empty) to the questions of `bank`.

    Raises:
        AnswerError: an unknown question id, or a value that is not a whole number from 1 to 5.
    """
    check_answers(bank, answers, complete=False)
    order = quiz_order(bank)
    number = 0
    for question in order:
        number = number * _DIGITS + answers.get(question.id, 0)
    body = bytes([FORMAT_VERSION]) + _fingerprint(bank) + number.to_bytes(_answer_bytes(len(order)), "big")
    return _to_text(body + _checksum(body))


def decode_answers(bank: Bank, token: str) -> dict[str, int]:
    """The answers a code holds, answered questions only (id -> 1..5), for the questions of `bank`.

    Surrounding spaces and trailing `=` padding are ignored. Any other problem raises
    `LinkError`, never another exception, whatever the input.

    Raises:
        LinkError: the code is garbled, truncated, tampered with, made with another bank, or made
            in a newer format; `reason` says which.
    """
    text = _clean(token)
    order = quiz_order(bank)
    expected = _HEADER_BYTES + _answer_bytes(len(order)) + _CHECKSUM_BYTES
    data = _from_text(text)
    if data is None or len(data) <= _CHECKSUM_BYTES:
        # Not whole bytes, or too short to hold a check: a cut code if it starts like ours.
        if _starts_like_ours(text) and len(text) < len(_to_text(bytes(expected))):
            raise _truncated(text, expected)
        raise _garbled()
    body, checksum = data[:-_CHECKSUM_BYTES], data[-_CHECKSUM_BYTES:]
    if checksum != _checksum(body):
        if body[0] == FORMAT_VERSION and len(data) < expected:
            raise _truncated(text, expected)
        if body[0] == FORMAT_VERSION and len(data) == expected:
            raise LinkError(
                "tampered",
                "This results code has been changed since it was made (its check fails): copy the link "
                "again from where it was shared, or retake the quiz.",
            )
        raise _garbled()
    return _read_body(bank, order, body)


def _read_body(bank: Bank, order: tuple[Question, ...], body: bytes) -> dict[str, int]:
    """The answers in a frame whose checksum is right: check its version, bank and size."""
    version = body[0]
    if version > FORMAT_VERSION:
        raise LinkError(
            "unsupported",
            f"This results code was made by a newer version of the quiz (code format {version}; this one "
            f"reads format {FORMAT_VERSION}): open the link in the up-to-date app, or retake the quiz.",
        )
    if version != FORMAT_VERSION or len(body) < _HEADER_BYTES:
        raise _garbled()
    fingerprint = body[1:_HEADER_BYTES]
    if fingerprint != _fingerprint(bank):
        raise LinkError(
            "other_bank",
            f"This results code was made with another version of the questions ({fingerprint.hex()}; "
            f"the quiz now asks version {_fingerprint(bank).hex()}), so its answers cannot be scored "
            "against today's questions: retake the quiz.",
        )
    payload = body[_HEADER_BYTES:]
    number = int.from_bytes(payload, "big")
    if len(payload) != _answer_bytes(len(order)) or number >= _DIGITS ** len(order):
        raise _garbled()
    digits = []
    for _ in order:
        number, digit = divmod(number, _DIGITS)
        digits.append(digit)
    return {q.id: d for q, d in zip(order, reversed(digits), strict=True) if d}


def _fingerprint(bank: Bank) -> bytes:
    """4 bytes naming the bank: its version's hex digits, or a hash of a version of another form."""
    if _HEX_VERSION.fullmatch(bank.version):
        return bytes.fromhex(bank.version)
    return hashlib.sha256(bank.version.encode("utf-8")).digest()[:_FINGERPRINT_BYTES]


def _answer_bytes(count: int) -> int:
    """How many bytes hold `count` base-6 digits: enough for the largest number, 6^count - 1."""
    largest: int = _DIGITS**count - 1
    return (largest.bit_length() + 7) // 8


def _checksum(body: bytes) -> bytes:
    # Little-endian, because zlib's CRC-32 reads each byte from its low bit: body + checksum is
    # then a CRC code word, which is what guarantees catching every short burst of changes.
    return zlib.crc32(body).to_bytes(_CHECKSUM_BYTES, "little")


def _to_text(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _from_text(text: str) -> bytes | None:
    """The bytes a code spells, or None unless it is canonical unpadded URL-safe base64.

    Canonical: re-encoding gives the same text. Base64 decoders ignore the unused low bits of a
    last character; requiring them to be 0 means that changing any character changes the bytes.
    """
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if _to_text(data) == text else None


def _clean(token: str) -> str:
    """The code without the spaces and padding copying may add; LinkError if it cannot be ours."""
    text = token.strip().rstrip("=")
    if not text:
        raise LinkError("garbled", f"The link holds an empty results code: {_RETRY}")
    if len(text) > MAX_TOKEN_CHARS:
        raise LinkError("garbled", f"This results code is far too long to be one the quiz makes: {_RETRY}")
    if not _TOKEN.fullmatch(text):
        bad = "".join(sorted({c for c in text if not _TOKEN.fullmatch(c)}))[:10]
        raise LinkError(
            "garbled",
            f"This results code holds characters a code never has ({bad!r}; a code has only letters, "
            f"digits, - and _): {_RETRY}",
        )
    return text


def _starts_like_ours(text: str) -> bool:
    """Whether the text could be the start of a code in this format: its first byte is our version.
    One character holds only 6 of the first byte's 8 bits; two hold all of them."""
    if len(text) == 1:
        return text == _to_text(bytes([FORMAT_VERSION]))[0]
    first_byte: int = base64.urlsafe_b64decode(text[:2] + "==")[0]
    return first_byte == FORMAT_VERSION


def _garbled() -> LinkError:
    return LinkError("garbled", f"This results code is not one the quiz makes: {_RETRY}")


def _truncated(text: str, expected_bytes: int) -> LinkError:
    expected = len(_to_text(bytes(expected_bytes)))
    return LinkError(
        "truncated",
        f"This results code is cut short ({len(text)} of its {expected} characters): the link was probably "
        "not copied whole. Copy the whole link again.",
    )
