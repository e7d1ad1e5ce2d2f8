"""Join codes and coach secrets: how they are drawn, typed, stored and checked.

- A join code has 8 characters from an alphabet without look-alike characters, shown as two
  groups of 4 (`ACDE-FG34`) and typed in any case, with or without the dash.
- A coach secret (128 random bits) is stored only as a salted scrypt hash and compared in
  constant time; a participant's key only as its SHA-256 digest.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "decoy_hash",
    "hash_secret",
    "is_code",
    "key_hash",
    "new_join_code",
    "new_secret",
    "normalise_code",
    "verify_secret",
]

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V: a code read aloud or copied from a projector survives.
CODE_ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 8

# scrypt's cost: 2**14 x 8 x 128 bytes = 16 MiB and ~50 ms a hash, the interactive-login
# parameters of the scrypt paper (Percival 2009), within hashlib's default 32 MiB limit.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_SALT_BYTES = 16
SCRYPT_HASH_BYTES = 32
SECRET_BYTES = 16

_CODE = re.compile(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def new_join_code() -> str:
    """A random join code: 8 characters drawn with `secrets.choice` from `CODE_ALPHABET`.

    Entropy: 23**8 = 7.8e10 codes, 36.2 bits. Guessing: one client is allowed 10 wrong codes per
    10 minutes, 1,440 a day; with 1,000 sessions alive at once each guess hits one with
    probability 1,000 / 7.8e10 = 1.3e-8, so a client finds a session about once in 150 years,
    and a thousand addresses together about once in two months. A hit only lets someone add a
    result to a workshop; the answers stay behind the coach secret (128 bits).
    """
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A typed code as stored: upper case, spaces and dashes dropped; nothing else is mapped
    (an `O` typed for a `0` stays wrong, and the alphabet has neither)."""
    return re.sub(r"[\s-]+", "", text).upper()


def is_code(normalised: str) -> bool:
    """Whether a normalised code could name a session (right length, right alphabet)."""
    return _CODE.fullmatch(normalised) is not None


def new_secret() -> str:
    """A fresh coach secret: 128 random bits, URL-safe text."""
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_secret(secret: str) -> str:
    """The stored form of a coach secret: `scrypt$N$r$p$<salt>$<hash>` with a fresh 16-byte salt,
    salt and hash in standard base64. Self-describing, so the cost can be raised later without
    breaking the hashes already stored."""
    salt = secrets.token_bytes(SCRYPT_SALT_BYTES)
    digest = _scrypt(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_HASH_BYTES)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)],
    )


def verify_secret(secret: str, stored: str) -> bool:
    """Whether `secret` is the one `stored` (from `hash_secret`) was made from. The digests are
    compared in constant time; a malformed `stored` is simply not a match."""
    try:
        scheme, n, r, p, salt_text, digest_text = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_text, validate=True), base64.b64decode(digest_text, validate=True)
        digest = _scrypt(secret, salt, int(n), int(r), int(p), len(expected))
    except ValueError:  # wrong field count, bad base64 or numbers, parameters scrypt refuses
        return False
    return hmac.compare_digest(digest, expected)


@functools.cache
def decoy_hash() -> str:
    """A hash no secret matches, verified for unknown codes so that they take as long to refuse
    as a wrong secret does."""
    return hash_secret(new_secret())


def key_hash(key: str) -> str:
    """The stored form of a participant's key or a client's identity: its SHA-256, in hex."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _scrypt(secret: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
