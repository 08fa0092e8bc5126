"""The web's cache of the dashboard's figures (:func:`jaring.coverage.queries.dashboard`).

The work queue of each user ("Tugas saya": rows to fix, pairs to review, claims waiting,
refusals to correct) is kept the same way for ``TASKS_TTL`` seconds per user, and forgotten
after every successful change through the web or the API.

The figures are counted over every person in the actor's regions; they move when a list is
imported or a payment recorded, not from one second to the next, and a mayor's office
reloading the page must not make a million-row store recount. So they are kept for ``TTL``
seconds per (store, regions, date). Every change made through the web clears the cache
(:func:`invalidate`, which the other areas' pages and API call after a change), so an
operator sees their own change at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import TypeVar, cast

from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jaring.access import Actor
from jaring.coverage import queries
from jaring.coverage.queries import Dashboard

TTL = 60.0
T = TypeVar("T")
_cache: dict[tuple[object, ...], tuple[float, Dashboard]] = {}
_lock = threading.Lock()
# one computation per (scope, date) at a time: requests arriving while it runs wait for it
# instead of starting the same million-row queries again (16 clients hitting a cold
# dashboard at once on 1M people got no answer within 4 s, each query slowed by the others)
_computing: dict[tuple[object, ...], threading.Lock] = {}
_generation = 0  # bumped by invalidate(): figures computed before a change are not cached
_default_day: dict[int, tuple[float, dt.date]] = {}
_compute = queries.dashboard  # the computation (a test may watch it)


def invalidate() -> None:
    """Forget every cached figure (call after any change to people, programs or money)."""
    global _generation
    with _lock:
        _cache.clear()
        _default_day.clear()
        _generation += 1
    _bump()


def default_day(engine: Engine) -> dt.date:
    """:func:`jaring.coverage.queries.default_day`, kept like the figures."""
    t = time.monotonic()
    hit = _default_day.get(id(engine))
    if hit and hit[0] > t:
        return hit[1]
    day = queries.default_day(engine)
    _default_day[id(engine)] = (t + TTL, day)
    return day


def cached(engine: Engine, actor: Actor, on: dt.date | None = None) -> Dashboard | None:
    """The figures if they are in the cache and fresh, else ``None`` (no database work, so
    an async route may call it on the event loop)."""
    if on is None:
        day = _default_day.get(id(engine))
        if not day or day[0] <= time.monotonic():
            return None
        on = day[1]
    key = (id(engine), actor.regions, on)
    with _lock:
        hit = _cache.get(key)
    return hit[1] if hit and hit[0] > time.monotonic() else None


def dashboard(engine: Engine, actor: Actor, on: dt.date | None = None) -> Dashboard:
    """Figures for the actor's regions on date ``on`` (default :func:`default_day`), from the
    cache when fresh. Refuses ``forbidden`` without ``dashboard.read``."""
    actor.require("dashboard.read")
    on = on or default_day(engine)
    key = (id(engine), actor.regions, on)
    hit = cached(engine, actor, on)
    if hit is not None:
        return hit
    with _lock:
        flight = _computing.setdefault(key, threading.Lock())
    with flight:
        hit = cached(engine, actor, on)  # computed while this request waited
        if hit is not None:
            return hit
        t = time.monotonic()
        generation = _generation
        data = _compute(engine, actor, on)
        with _lock:
            if generation == _generation:
                _cache[key] = (t + TTL, data)
            _computing.pop(key, None)
    return data


# --------------------------------------------------------------------------- the work queue

#: How long a user's work queue ("Tugas saya") is kept. Every successful change made
#: through the web or the API forgets it at once (:class:`ForgetTasksOnWrite`); the TTL
#: bounds how long a change made elsewhere (the CLI, another server) takes to show.
TASKS_TTL = 20.0
_tasks: dict[tuple[object, ...], tuple[float, object]] = {}


def tasks(engine: Engine, actor: Actor, part: str, compute: Callable[[], T]) -> T:
    """A part of the actor's work queue (``part`` names it) from the cache when fresh, else
    ``compute()`` (then kept for :data:`TASKS_TTL` seconds). Kept per user, role and
    regions: a queue is the user's own (rows routed to their distrik, claims at the steps
    they act on)."""
    key = (id(engine), part, actor.username, actor.role, actor.regions)
    t = time.monotonic()
    with _lock:
        hit = _tasks.get(key)
        generation = _tasks_generation
    if hit and hit[0] > t:
        return cast(T, hit[1])
    value = compute()
    with _lock:
        if generation == _tasks_generation:  # no change landed while it was counted
            _tasks[key] = (t + TASKS_TTL, value)
    return value


_tasks_generation = 0


def _bump() -> None:
    global _tasks_generation
    with _lock:
        _tasks.clear()
        _tasks_generation += 1


class ForgetTasksOnWrite:
    """Pure ASGI middleware: after a successful (status < 400) request other than GET, HEAD
    or OPTIONS, every cached work queue is forgotten, so a user sees the row they fixed or
    the claim they approved leave their queue at once. Reads pass straight through (the
    NIK look-up's hot path pays one comparison)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 400:
                _bump()
            await send(message)

        await self.app(scope, receive, sending)
