"""The dashboard's figures: people, coverage on a date, memberships, programs and their
budgets, by distrik; inside the actor's regions.

Set-based SQL: one grouped query per figure, over the contract tables (SQLite) or over the
per-distrik summary PostgreSQL keeps beside them (:mod:`jaring.store.summary`). The web
keeps the figures for a while (:mod:`jaring.web.dashboard`); nothing here caches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Engine, Table, and_, case, func, or_, select

from jaring.access import Actor, region_column
from jaring.registry.regions import name_of, with_parents
from jaring.store import summary
from jaring.store.dialect import to_date
from jaring.store.tables.coverage import dashboard_coverage, dashboard_membership, dashboard_people
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person

DEFAULT_REGION = "96.71"  # Kota Sorong, where Jaring began


@dataclass(frozen=True)
class DistrictFigures:
    code: str | None
    name: str | None
    people: int
    covered: int
    share: float  # covered / people


@dataclass(frozen=True)
class ProgramBudget:
    id: int
    name: str
    fiscal_year: int
    budget: int
    segment: str
    funder_region: str | None
    period_start: dt.date
    period_end: dt.date


@dataclass(frozen=True)
class Dashboard:
    """Figures for ``regions`` (empty: everywhere) on ``on``: ``people`` registered,
    ``covered`` on that day and their share, memberships by state, the programs that fund
    these regions with this year's budget, and the same by distrik (most people first)."""

    on: dt.date
    regions: list[str]
    people: int
    covered: int
    coverage_share: float
    memberships: dict[str, int]
    programs: list[ProgramBudget]
    budget_total: int
    districts: list[DistrictFigures]


#: the levels a dashboard groups its people by: province, regency or city, distrik
LEVELS = ("province", "regency", "district")


def rolled_up(districts: list[DistrictFigures]) -> tuple[str, list[DistrictFigures]]:
    """``districts`` grouped at the highest level where they fall into more than one
    region: provinces for a national store, regencies and cities for a province, distrik
    for a regency or city (a governor's or a minister's table is not thousands of distrik
    rows). Returns the level (:data:`LEVELS`) and the regions at it, named, most people
    first; people without a distrik stay one row without a code."""
    codes = [d.code for d in districts if d.code]
    level, width = "district", 3
    for name, n in (("province", 1), ("regency", 2)):
        if len({".".join(c.split(".")[:n]) for c in codes}) > 1:
            level, width = name, n
            break
    if level == "district":
        return level, sorted(districts, key=lambda d: (-d.people, d.code or ""))
    people: dict[str | None, int] = {}
    covered: dict[str | None, int] = {}
    for d in districts:
        key = ".".join(d.code.split(".")[:width]) if d.code else None
        people[key] = people.get(key, 0) + d.people
        covered[key] = covered.get(key, 0) + d.covered
    rows = [
        DistrictFigures(
            code=key,
            name=name_of(key) if key else None,
            people=n,
            covered=covered[key],
            share=(covered[key] / n) if n else 0.0,
        )
        for key, n in people.items()
    ]
    return level, sorted(rows, key=lambda d: (-d.people, d.code or ""))


def default_day(engine: Engine) -> dt.date:
    """Today, or the last day anyone was covered when coverage ended before today (a demo or
    an archived year shows its figures instead of zeros).

    Where the store keeps the dashboard's summary, the last covered day is the last day a
    run of coverage ends there (the same day: a run ends on its periods' last end), read
    after a refresh instead of a scan of ``coverage_period`` (0.64 s at 6M periods)."""
    today = dt.date.today()
    last_q = select(func.max(coverage_period.c.end_date))
    if summary.kept(engine):
        summary.refresh(engine)
        last_q = select(func.max(dashboard_coverage.c.day)).where(dashboard_coverage.c.ends > 0)
    with engine.connect() as conn:
        last = conn.execute(last_q).scalar_one_or_none()
    day = to_date(last) if last is not None else None
    return day if day is not None and day < today else today


def default_region(engine: Engine, actor: Actor) -> str:
    """The region a coverage page opens on: the actor's first region, else the region of the
    first program funded by a region, else Kota Sorong."""
    if actor.regions:
        return actor.regions[0]
    with engine.connect() as conn:
        first = conn.execute(
            select(program.c.funder_region)
            .where(program.c.funder_region.is_not(None))
            .order_by(program.c.id)
            .limit(1)
        ).scalar_one_or_none()
    return str(first) if first else DEFAULT_REGION


@dataclass(frozen=True)
class RegionOption:
    """A region a coverage page can show, by name: ``level`` 1 province, 2 regency or city,
    3 distrik."""

    code: str
    name: str
    level: int


def region_options(engine: Engine, actor: Actor) -> list[RegionOption]:
    """The regions whose coverage the actor may read, by code: every province, regency and
    distrik where the registry has people, inside the actor's regions. Needs
    ``coverage.read``."""
    actor.require("coverage.read")
    with engine.connect() as conn:
        districts = conn.execute(
            select(person.c.district_code).where(person.c.district_code.is_not(None)).distinct()
        ).scalars()
        codes = with_parents(districts)
    return [
        RegionOption(c, name_of(c) or c, c.count(".") + 1) for c in codes if actor.covers_region(c)
    ]


def _funds(funder_region: str | None, actor: Actor) -> bool:
    """Whether a program funded by ``funder_region`` concerns the actor's regions."""
    if actor.all_regions or funder_region is None:
        return True
    return any(r.startswith(funder_region) or funder_region.startswith(r) for r in actor.regions)


Counts = tuple[dict[str | None, int], dict[str | None, int], dict[str, int]]


def _direct_counts(conn: Connection, actor: Actor, on: dt.date) -> Counts:
    """People and people covered on ``on`` per distrik, memberships per state, inside the
    actor's regions, counted from the contract tables."""
    scope = actor.region_clause(person)
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
    people = {r.district_code: int(r.people) for r in conn.execute(people_q)}
    covered = {r.district_code: int(r.covered) for r in conn.execute(covered_q)}
    states = {r.state: int(r.n) for r in conn.execute(members_q)}
    return people, covered, states


def _in(table: Table, region: str) -> ColumnElement[bool]:
    """A summary table's rows of ``region`` (a province, regency or distrik)."""
    return table.c[region_column(region)] == region


def _summary_counts(conn: Connection, actor: Actor, on: dt.date) -> Counts:
    """The same counts summed from the per-distrik summary (:mod:`jaring.store.summary`,
    refreshed by the caller); ``''`` there is a person without that code."""
    sp, sm, sc = dashboard_people, dashboard_membership, dashboard_coverage
    people_q = select(sp.c.district_code, func.sum(sp.c.people).label("n")).group_by(
        sp.c.district_code
    )
    covered_q = (
        select(
            sc.c.district_code,
            (
                func.sum(sc.c.starts) - func.coalesce(func.sum(case((sc.c.day < on, sc.c.ends))), 0)
            ).label("n"),
        )
        .where(sc.c.day <= on)
        .group_by(sc.c.district_code)
    )
    members_q = select(sm.c.state, func.sum(sm.c.memberships).label("n")).group_by(sm.c.state)
    if actor.regions:
        people_q = people_q.where(or_(*(_in(sp, r) for r in actor.regions)))
        covered_q = covered_q.where(or_(*(_in(sc, r) for r in actor.regions)))
        members_q = members_q.where(or_(*(_in(sm, r) for r in actor.regions)))
    people = {r.district_code or None: int(r.n) for r in conn.execute(people_q)}
    covered = {r.district_code or None: int(r.n) for r in conn.execute(covered_q) if r.n}
    states = {r.state: int(r.n) for r in conn.execute(members_q)}
    return people, covered, states


def dashboard(engine: Engine, actor: Actor, on: dt.date) -> Dashboard:
    """The dashboard's figures on ``on`` inside ``actor``'s regions. Refuses ``forbidden``
    without ``dashboard.read``.

    On a store that keeps the per-distrik summary (PostgreSQL, :mod:`jaring.store.summary`)
    the distrik changed since the last count are recounted first, then the scope's figures
    are sums over the summary: equal to the direct count, in milliseconds at any size. An
    actor limited to villages, and SQLite, count directly."""
    actor.require("dashboard.read")
    from_summary = all(r.count(".") < 3 for r in actor.regions) and summary.kept(engine)
    if from_summary:
        summary.refresh(engine)
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
        counts = _summary_counts if from_summary else _direct_counts
        people, covered, states = counts(conn, actor, on)
        programs = [
            ProgramBudget(
                id=int(r.id),
                name=r.name,
                fiscal_year=int(r.fiscal_year),
                budget=int(r.budget),
                segment=r.segment,
                funder_region=r.funder_region,
                period_start=to_date(r.period_start),
                period_end=to_date(r.period_end),
            )
            for r in conn.execute(programs_q)
            if _funds(r.funder_region, actor)
        ]
    districts = sorted(
        (
            DistrictFigures(
                code=code,
                name=name_of(code) if code else None,
                people=n,
                covered=covered.get(code, 0),
                share=(covered.get(code, 0) / n) if n else 0.0,
            )
            for code, n in people.items()
        ),
        key=lambda d: (-d.people, d.code or ""),
    )
    total = sum(people.values())
    total_covered = sum(covered.values())
    return Dashboard(
        on=on,
        regions=list(actor.regions),
        people=total,
        covered=total_covered,
        coverage_share=(total_covered / total) if total else 0.0,
        memberships=states,
        programs=programs,
        budget_total=sum(p.budget for p in programs if p.fiscal_year == on.year),
        districts=districts,
    )
