"""The web's cache of the dashboard's figures (:func:`jaring.coverage.queries.dashboard`).

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

from sqlalchemy import Engine

from jaring.access import Actor
from jaring.coverage import queries
from jaring.coverage.queries import Dashboard

TTL = 60.0
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
