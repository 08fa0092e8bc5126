"""Who is asking and may they: the web's :class:`Principal`, sessions, API tokens, CSRF, and
sign-in rate limiting. The accounts, sessions and tokens themselves are the accounts domain's
(:mod:`jaring.accounts.actions`, :mod:`jaring.accounts.queries`); this module turns them into
the actor of a request and refuses with the domain's catalogue: ``login_required`` (401),
``password_change_required`` and ``csrf_failed`` (403), ``forbidden`` (403, the role lacks the
right), ``rate_limited`` (429).

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

from jaring import errors
from jaring.access import Actor
from jaring.accounts import actions, queries
from jaring.accounts import errors as account_errors
from jaring.accounts.tokens import digest
from jaring.audit import now

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


def principal_of(user: queries.User, via: str = "session", csrf: str | None = None) -> Principal:
    """The principal of an account that came ``via`` a session (with its CSRF token) or a
    token."""
    return Principal(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        regions=user.regions,
        via=via,
        csrf_token=csrf,
        must_change_password=user.must_change_password,
    )


def session_principal(engine: Engine, token: str) -> Principal | None:
    """The principal behind a session cookie, or ``None`` (unknown, expired, inactive)."""
    found = queries.session_user(engine, token, now())
    return None if found is None else principal_of(found.user, "session", found.csrf_token)


def token_principal(engine: Engine, token: str) -> tuple[Principal, int] | None:
    """The principal behind an API token and the token's id, or ``None``."""
    found = queries.token_user(engine, token)
    if found is None or found.token_id is None:
        return None
    return principal_of(found.user, "token"), found.token_id


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
    in the store so that every worker of ``jaring serve --workers N`` shares one count
    (:func:`jaring.accounts.actions.check_sign_in_rate`; the per-account lock-out in
    :func:`~jaring.accounts.actions.authenticate` stops guessing one password from many
    addresses)."""

    def __init__(self, engine: Engine, limit: int = 10, window: float = 60.0) -> None:
        self.engine = engine
        self.limit = limit
        self.window = window

    def check(self, client: str) -> None:
        """Count an attempt from ``client``; ``rate_limited`` beyond the limit."""
        actions.check_sign_in_rate(self.engine, client, limit=self.limit, window=self.window)


async def principal_or_none(request: Request) -> Principal | None:
    """The principal of this request, cached on it; ``None`` when anonymous."""
    if "principal" in request.state._state:
        return request.state.principal
    app = request.app.state
    principal: Principal | None = None
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        token = auth[7:].strip()
        key = "t:" + digest(token)
        hit = app.auth_cache.get(key)
        if hit is None:
            found = await run_in_threadpool(token_principal, app.engine, token)
            if found is not None:
                app.auth_cache.put(key, found[0], found[1])
                hit = found
        if hit is not None:
            principal, token_id = hit
            if token_id is not None and app.auth_cache.should_touch(token_id):
                await run_in_threadpool(actions.touch_token, app.engine, token_id)
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            key = "s:" + digest(cookie)
            hit = app.auth_cache.get(key)
            if hit is None:
                found_p = await run_in_threadpool(session_principal, app.engine, cookie)
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
        raise account_errors.CSRF_FAILED()


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
        raise account_errors.LOGIN_REQUIRED()
    if principal.must_change_password and principal.via == "session" and not allow_password_change:
        raise account_errors.PASSWORD_CHANGE_REQUIRED()
    if permission and not principal.can(permission):
        raise errors.FORBIDDEN(needs=permission, role=principal.role)
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
        raise account_errors.CSRF_FAILED()
    try:
        raw = URLSafeTimedSerializer(secret, salt="pre-csrf").loads(cookie, max_age=3600)
    except BadSignature as e:
        raise account_errors.CSRF_FAILED() from e
    if not secrets.compare_digest(str(raw), sent):
        raise account_errors.CSRF_FAILED()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
