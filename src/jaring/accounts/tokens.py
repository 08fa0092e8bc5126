"""Session and API tokens: 256-bit random values, of which only the SHA-256 digest is stored,
so a copy of the database gives nobody a way in (pure; no store).

A slow key derivation buys nothing for 256-bit random values and would cost milliseconds per
request; API tokens start with :data:`API_PREFIX` so that one pasted somewhere can be
recognised (the first :data:`SHOWN` characters are kept in clear to tell tokens apart).
"""

from __future__ import annotations

import hashlib
import secrets

API_PREFIX = "jrg_"
SHOWN = 10


def digest(token: str) -> str:
    """The SHA-256 hex digest under which ``token`` (or a client address) is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_session() -> tuple[str, str]:
    """A new session: ``(cookie value, CSRF token)``."""
    return secrets.token_urlsafe(32), secrets.token_urlsafe(32)


def new_api_token() -> str:
    """A new API token, ``jrg_`` and 43 URL-safe characters."""
    return API_PREFIX + secrets.token_urlsafe(32)


def new_secret_key() -> str:
    """A key for signing short-lived values (the pre-sign-in CSRF cookie)."""
    return secrets.token_hex(32)
