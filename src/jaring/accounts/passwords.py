"""Passwords: how strong one must be, and how it is kept (pure; no store).

Passwords are hashed with argon2id (argon2-cffi's defaults, the RFC 9106 low-memory profile:
64 MiB, 3 passes). A failed check against an unknown account still verifies a real hash
(:func:`verify_nothing`), so the time a sign-in takes does not tell whether the account exists.
There is no default password anywhere.

>>> check("kata-sandi-panjang")
>>> check("pendek")
Traceback (most recent call last):
...
jaring.errors.JaringError: weak_password
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from jaring.accounts import errors

MIN_LENGTH = 10

hasher = PasswordHasher()
# A real hash to verify against when the username is unknown.
_DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


# Passwords people choose first, in Indonesia and everywhere (lists of leaked passwords), and
# the words they are built from. Compared without case, spaces, digits and symbols at the
# ends: "Password123!" is "password".
COMMON = frozenset(
    [
        "password",
        "passw0rd",
        "p4ssw0rd",
        "qwerty",
        "qwertyuiop",
        "asdfghjkl",
        "zxcvbnm",
        "abc",
        "abcdef",
        "abcdefghij",
        "admin",
        "administrator",
        "administrator123",
        "root",
        "user",
        "guest",
        "welcome",
        "login",
        "letmein",
        "iloveyou",
        "sunshine",
        "princess",
        "football",
        "baseball",
        "dragon",
        "monkey",
        "master",
        "shadow",
        "superman",
        "batman",
        "trustno",
        "rahasia",
        "katasandi",
        "sandi",
        "kunci",
        "masuk",
        "indonesia",
        "jakarta",
        "bandung",
        "surabaya",
        "sorong",
        "papua",
        "merdeka",
        "garuda",
        "pancasila",
        "bismillah",
        "alhamdulillah",
        "sayang",
        "cinta",
        "kasih",
        "sayangku",
        "cintaku",
        "bpjs",
        "jaring",
        "jaringpengaman",
        "ketenagakerjaan",
        "disnaker",
        "pemda",
        "operator",
        "supervisor",
        "changeme",
        "default",
        "test",
        "testing",
        "demo",
        "example",
        "secret",
    ]
)
_RUNS = (
    "0123456789012345678901234567890",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnmqwertyuiop",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)


def check(password: str, username: str | None = None) -> None:
    """Refuse a password that is too short (``weak_password``: fewer than
    :data:`MIN_LENGTH` characters, spaces not counted) or too easy to guess
    (``common_password``): a common password or word with digits or symbols around it, one
    character repeated or fewer than four different ones, a run of keys or digits forwards or
    backwards, or the username. Field ``password``."""
    if len(password.strip()) < MIN_LENGTH:
        raise errors.WEAK_PASSWORD(minimum=MIN_LENGTH, field="password")
    low = password.lower()
    core = low.strip("0123456789!@#$%^&*()_-+=.,;:?/ ")
    squeezed = "".join(low.split())
    if (
        core in COMMON
        or squeezed in COMMON
        or len(set(squeezed)) < 4
        or any(squeezed in run or squeezed in run[::-1] for run in _RUNS)
        or (username and username.lower() in low and len(low) - len(username) < MIN_LENGTH)
    ):
        raise errors.COMMON_PASSWORD(field="password")


def hash_of(password: str) -> str:
    """The argon2id hash to store for ``password``."""
    return hasher.hash(password)


def verify(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (False for a malformed hash too)."""
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_nothing(password: str) -> None:
    """Spend the time of one verification, for an account that does not exist."""
    verify(_DUMMY_HASH, password)


def one_time() -> str:
    """A random temporary password (the first administrator's), 16 characters."""
    return secrets.token_urlsafe(12)
