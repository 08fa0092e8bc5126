"""The dashboard's figures: people, coverage on a date, money, by distrik; region-scoped.

Computed with set-based SQL over the contract tables (one query per figure, grouped in the
database), then cached for ``TTL`` seconds per (scope, date): the figures move when a list is
imported or a payment recorded, not from one second to the next, and a mayor's office
reloading the page must not make a million-row store recount. Every change made through the
web clears the cache (:func:`invalidate`), so an operator sees their own change at once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from sqlalchemy import Engine, and_, func, select

from jaring.registry.regions import name_of
from jaring.store.bulk import to_date
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person
from jaring.web.people import scope_clause
from jaring.web.roles import Principal

TTL = 60.0
_cache: dict[tuple[Any, ...], tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()
# one computation per (scope, date) at a time: requests arriving while it runs wait for it
# instead of starting the same million-row queries again (measured: 16 clients hitting a cold
# dashboard at once on 1M people got no answer within 4 s, each query slowed by the others)
_computing: dict[tuple[Any, ...], threading.Lock] = {}
_generation = 0  # bumped by invalidate(): figures computed before a change are not cached


def invalidate() -> None:
    global _generation
    with _lock:
        _cache.clear()
        _default_day.clear()
        _generation += 1


_default_day: dict[int, tuple[float, dt.date]] = {}


def default_day(engine: Engine) -> dt.date:
    """Today, or the last day anyone was covered when coverage ended before today (a demo or
    an archived year shows its figures instead of zeros). Cached like the figures."""
    t = time.monotonic()
    hit = _default_day.get(id(engine))
    if hit and hit[0] > t:
        return hit[1]
    today = dt.date.today()
    with engine.connect() as conn:
        last = to_date(
            conn.execute(select(func.max(coverage_period.c.end_date))).scalar_one_or_none()
        )
    day = last if last is not None and last < today else today
    _default_day[id(engine)] = (t + TTL, day)
    return day


def cached(
    engine: Engine, principal: Principal, on: dt.date | None = None
) -> dict[str, Any] | None:
    """The figures if they are in the cache and fresh, else ``None`` (no database work, so
    an async route may call it on the event loop)."""
    if on is None:
        day = _default_day.get(id(engine))
        if not day or day[0] <= time.monotonic():
            return None
        on = day[1]
    key = (id(engine), principal.regions, on)
    with _lock:
        hit = _cache.get(key)
    return hit[1] if hit and hit[0] > time.monotonic() else None


def dashboard(engine: Engine, principal: Principal, on: dt.date | None = None) -> dict[str, Any]:
    """Figures for the principal's regions on date ``on`` (default :func:`default_day`)."""
    on = on or default_day(engine)
    key = (id(engine), principal.regions, on)
    hit = cached(engine, principal, on)
    if hit is not None:
        return hit
    with _lock:
        flight = _computing.setdefault(key, threading.Lock())
    with flight:
        hit = cached(engine, principal, on)  # computed while this request waited
        if hit is not None:
            return hit
        t = time.monotonic()
        generation = _generation
        data = _compute(engine, principal, on)
        with _lock:
            if generation == _generation:
                _cache[key] = (t + TTL, data)
            _computing.pop(key, None)
    return data


def _compute(engine: Engine, principal: Principal, on: dt.date) -> dict[str, Any]:
    scope = scope_clause(principal)
    covered_now = and_(coverage_period.c.start_date <= on, coverage_period.c.end_date >= on)
    people_q = select(person.c.district_code, func.count().label("people")).group_by(
        person.c.district_code
    )
    covered_q = (
        select(
            person.c.district_code,
            func.count(func.distinct(coverage_period.c.person_id)).label("covered"),
        )
        .select_from(coverage_period.join(person, person.c.id == coverage_period.c.person_id))
        .where(covered_now)
        .group_by(person.c.district_code)
    )
    members_q = (
        select(membership.c.state, func.count().label("n"))
        .select_from(membership.join(person, person.c.id == membership.c.person_id))
        .group_by(membership.c.state)
    )
    if scope is not None:
        people_q = people_q.where(scope)
        covered_q = covered_q.where(scope)
        members_q = members_q.where(scope)
    programs_q = select(
        program.c.id,
        program.c.name,
        program.c.fiscal_year,
        program.c.budget,
        program.c.segment,
        program.c.funder_region,
        program.c.period_start,
        program.c.period_end,
    ).order_by(program.c.fiscal_year.desc(), program.c.name)
    with engine.connect() as conn:
        people = {r.district_code: int(r.people) for r in conn.execute(people_q)}
        covered = {r.district_code: int(r.covered) for r in conn.execute(covered_q)}
        states = {r.state: int(r.n) for r in conn.execute(members_q)}
        programs = [dict(r._mapping) for r in conn.execute(programs_q)]
    if not principal.all_regions:
        programs = [
            p
            for p in programs
            if p["funder_region"] is None
            or any(
                r.startswith(p["funder_region"]) or p["funder_region"].startswith(r)
                for r in principal.regions
            )
        ]
    districts = sorted(
        (
            {
                "code": code,
                "name": name_of(code) if code else None,
                "people": n,
                "covered": covered.get(code, 0),
                "share": (covered.get(code, 0) / n) if n else 0.0,
            }
            for code, n in people.items()
        ),
        key=lambda d: (-d["people"], d["code"] or ""),
    )
    total = sum(people.values())
    total_covered = sum(covered.values())
    return {
        "on": on,
        "regions": list(principal.regions),
        "people": total,
        "covered": total_covered,
        "coverage_share": (total_covered / total) if total else 0.0,
        "memberships": states,
        "programs": programs,
        "budget_total": sum(int(p["budget"]) for p in programs if p["fiscal_year"] == on.year),
        "districts": districts,
    }
