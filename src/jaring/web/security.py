"""Who is asking and may they: sessions, API tokens, CSRF, and sign-in rate limiting.

A request is authenticated by ``Authorization: Bearer <token>`` (machine clients) or by the
``jaring_session`` cookie (browsers). Both resolve through a small in-process cache (a few
seconds) so that the hot path, a BPJS branch looking up NIKs, costs no extra query per request;
sign-out, password resets and role changes made in this process clear it at once, and the TTL
bounds how long another process can lag.

CSRF: a session-authenticated request that changes anything must carry the session's CSRF
token, as form field ``csrf_token`` or header ``X-CSRF-Token`` (HTMX sends the header from the
``<body hx-headers>``). Token-authenticated requests carry no ambient credential and need none.
The sign-in form, before any session exists, uses a signed double-submit cookie.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from jaring.access import Actor
from jaring.errors import Forbidden, JaringError
from jaring.web import accounts

SESSION_COOKIE = "jaring_session"
PRE_CSRF_COOKIE = "jaring_pre"
CACHE_SECONDS = 5.0
TOKEN_TOUCH_SECONDS = 60.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclasses.dataclass(frozen=True)
class Principal(Actor):
    """The web's actor: a signed-in user (``via="session"``, with the session's CSRF token) or
    an API token's owner (``via="token"``). Roles, rights, region scope and masking are
    settled in :mod:`jaring.access`."""

    via: str = "session"
    csrf_token: str | None = None
    must_change_password: bool = False


class LoginRequired(JaringError):
    """No valid session or token: pages redirect to sign-in, the API answers 401."""

    def __init__(self) -> None:
        super().__init__(
            "login_required",
            "Silakan masuk terlebih dahulu.",
            "Please sign in first.",
        )


class PasswordChangeRequired(JaringError):
    def __init__(self) -> None:
        super().__init__(
            "password_change_required",
            "Ganti kata sandi sementara Anda terlebih dahulu.",
            "Change your temporary password first.",
        )


class RateLimited(JaringError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "rate_limited",
            "Terlalu banyak percobaan masuk. Tunggu sebentar lalu coba lagi.",
            "Too many sign-in attempts. Wait a moment and try again.",
            retry_after=retry_after,
        )


class CsrfFailed(JaringError):
    def __init__(self) -> None:
        super().__init__(
            "csrf_failed",
            "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
            "The form expired or is not valid. Reload the page and try again.",
        )


class AuthCache:
    """digest(token) -> (principal, expires, token_id); cleared on any account change."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[Principal, float, int | None]] = {}
        self._touched: dict[int, float] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[Principal, int | None] | None:
        hit = self._data.get(key)
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0], hit[2]

    def put(self, key: str, principal: Principal, token_id: int | None = None) -> None:
        with self._lock:
            if len(self._data) > 10_000:
                self._data.clear()
            self._data[key] = (principal, time.monotonic() + CACHE_SECONDS, token_id)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def should_touch(self, token_id: int) -> bool:
        """Record a token's use at most once a minute (a write per request would cost more
        than the look-up it serves)."""
        t = time.monotonic()
        with self._lock:
            if self._touched.get(token_id, 0.0) > t:
                return False
            self._touched[token_id] = t + TOKEN_TOUCH_SECONDS
            return True


class LoginLimiter:
    """At most ``limit`` sign-in attempts per client address per ``window`` seconds, counted
    in the database (``web_login_attempt``) so that every worker of ``jaring serve --workers
    N`` shares one count (the per-account lock-out in :mod:`accounts` stops guessing one
    password from many addresses).

    Each check is one short transaction: forget attempts older than the window (everyone's,
    which keeps the table at a minute of attempts), count this address's, and record this
    attempt unless the limit is reached (a refused attempt is not counted, so a client waits
    out the window, as before). Two workers checking the same address at the same instant
    may both pass the last free slot: the bound is ``limit + workers - 1``, not ``limit x
    workers``. Addresses are stored as SHA-256 digests.
    """

    def __init__(self, engine: Engine, limit: int = 10, window: float = 60.0) -> None:
        self.engine = engine
        self.limit = limit
        self.window = window

    def check(self, client: str) -> None:
        from sqlalchemy import delete, func, insert, select

        from jaring.store.tables.web import web_login_attempt as t

        now = time.time()
        key = accounts.digest(client)
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(t.c.at <= now - self.window))
            count, oldest = conn.execute(
                select(func.count(), func.min(t.c.at)).where(t.c.address == key)
            ).one()
            if count < self.limit:
                conn.execute(insert(t).values(address=key, at=now))
        if count >= self.limit:
            raise RateLimited(max(1, int(oldest + self.window - now) + 1))


async def principal_or_none(request: Request) -> Principal | None:
    """The principal of this request, cached on it; ``None`` when anonymous."""
    if "principal" in request.state._state:
        return request.state.principal  # type: ignore[no-any-return]
    app = request.app.state
    principal: Principal | None = None
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        token = auth[7:].strip()
        key = "t:" + accounts.digest(token)
        hit = app.auth_cache.get(key)
        if hit is None:
            found = await run_in_threadpool(accounts.token_principal, app.engine, token)
            if found is not None:
                app.auth_cache.put(key, found[0], found[1])
                hit = found
        if hit is not None:
            principal, token_id = hit
            if token_id is not None and app.auth_cache.should_touch(token_id):
                await run_in_threadpool(accounts.touch_token, app.engine, token_id)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            key = "s:" + accounts.digest(cookie)
            hit = app.auth_cache.get(key)
            if hit is None:
                found_p = await run_in_threadpool(accounts.session_principal, app.engine, cookie)
                if found_p is not None:
                    app.auth_cache.put(key, found_p)
                    principal = found_p
            else:
                principal = hit[0]
    request.state.principal = principal
    return principal


async def check_csrf(request: Request, principal: Principal) -> None:
    if request.method in SAFE_METHODS or principal.via != "session":
        return
    sent = request.headers.get("x-csrf-token")
    if not sent:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if (
        not sent
        or not principal.csrf_token
        or not secrets.compare_digest(sent, principal.csrf_token)
    ):
        raise CsrfFailed()


def require(
    permission: str | None = None, *, allow_password_change: bool = False
) -> Callable[[Request], Coroutine[Any, Any, Principal]]:
    """A dependency: the signed-in principal holding ``permission`` (401/403 otherwise), with
    CSRF checked on changes."""

    async def dependency(request: Request) -> Principal:
        return await authorise(request, permission, allow_password_change=allow_password_change)

    return dependency


async def authorise(
    request: Request, permission: str | None = None, *, allow_password_change: bool = False
) -> Principal:
    """The checks behind :func:`require`, callable outside FastAPI's dependency system (the
    look-up's hot path in :mod:`jaring.web.hotpath` runs exactly these)."""
    principal = await principal_or_none(request)
    if principal is None:
        raise LoginRequired()
    if principal.must_change_password and principal.via == "session" and not allow_password_change:
        raise PasswordChangeRequired()
    if permission and not principal.can(permission):
        raise Forbidden(
            "forbidden",
            "Peran Anda tidak mengizinkan tindakan ini.",
            "Your role does not allow this.",
            needs=permission,
            role=principal.role,
        )
    await check_csrf(request, principal)
    return principal


# --- the sign-in form's double-submit cookie -------------------------------------------------


def pre_csrf_pair(secret: str) -> tuple[str, str]:
    """(cookie value, form value) for the sign-in form."""
    raw = secrets.token_urlsafe(24)
    signed = URLSafeTimedSerializer(secret, salt="pre-csrf").dumps(raw)
    return signed, raw


def check_pre_csrf(secret: str, cookie: str | None, sent: str | None) -> None:
    if not cookie or not sent:
        raise CsrfFailed()
    try:
        raw = URLSafeTimedSerializer(secret, salt="pre-csrf").loads(cookie, max_age=3600)
    except BadSignature as e:
        raise CsrfFailed() from e
    if not secrets.compare_digest(str(raw), sent):
        raise CsrfFailed()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
