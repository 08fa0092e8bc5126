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


def check(password: str) -> None:
    """Refuse (``weak_password``, field ``password``) a password shorter than
    :data:`MIN_LENGTH` characters."""
    if len(password) < MIN_LENGTH:
        raise errors.WEAK_PASSWORD(minimum=MIN_LENGTH, field="password")


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
