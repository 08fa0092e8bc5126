"""The figures a region entered, as they apply on a date: the working population (BPS), the
target and UCJ as BPJS TK reported it. Each keeps its source, because a ratio is only as good
as the denominator behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, select

from jaring.coverage.indicators import Target
from jaring.store.dialect import to_date
from jaring.store.tables.coverage import coverage_denominator, coverage_target, ucj_report


@dataclass(frozen=True)
class EnteredDenominator:
    value: int
    year: int
    source: str


@dataclass(frozen=True)
class UcjRow:
    as_of: dt.date
    segment: str
    participants: int
    working_population: int | None
    source: str


def denominator(
    conn: Connection, region: str, year: int, segment: str = "all"
) -> EnteredDenominator | None:
    """The working population entered for ``region`` for ``year`` (or the latest year
    before)."""
    t = coverage_denominator
    row = conn.execute(
        select(t.c.value, t.c.year, t.c.source)
        .where(t.c.region_code == region, t.c.segment == segment, t.c.year <= year)
        .order_by(t.c.year.desc())
        .limit(1)
    ).first()
    return None if row is None else EnteredDenominator(int(row.value), int(row.year), row.source)


def target(conn: Connection, region: str, year: int, segment: str = "all") -> Target | None:
    """The target for exactly ``year`` (a target of another year is not this year's)."""
    t = coverage_target
    row = conn.execute(
        select(t.c.year, t.c.ratio_bp, t.c.people, t.c.source).where(
            t.c.region_code == region, t.c.year == year, t.c.segment == segment
        )
    ).first()
    if row is None:
        return None
    return Target(
        year=int(row.year),
        ratio_bp=None if row.ratio_bp is None else int(row.ratio_bp),
        people=None if row.people is None else int(row.people),
        source=row.source,
    )


def ucj(conn: Connection, region: str, on: dt.date) -> list[UcjRow]:
    """The latest BPJS-reported UCJ figures for ``region`` on or before ``on``, per segment."""
    t = ucj_report
    latest = conn.execute(
        select(t.c.as_of)
        .where(t.c.region_code == region, t.c.as_of <= on)
        .order_by(t.c.as_of.desc())
        .limit(1)
    ).scalar()
    if latest is None:
        return []
    rows = conn.execute(
        select(t.c.as_of, t.c.segment, t.c.participants, t.c.working_population, t.c.source)
        .where(t.c.region_code == region, t.c.as_of == latest)
        .order_by(t.c.segment)
    )
    return [
        UcjRow(
            as_of=to_date(r.as_of),
            segment=r.segment,
            participants=int(r.participants),
            working_population=None if r.working_population is None else int(r.working_population),
            source=r.source,
        )
        for r in rows
    ]
