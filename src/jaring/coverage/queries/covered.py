"""Who is covered: set-based SQL over ``person`` and ``coverage_period`` that runs unchanged
on SQLite, PostgreSQL and DuckDB (no date arithmetic in SQL: cut-off dates are bound as
parameters; ``bench/coverage_indicators.py`` runs the same text on DuckDB).

"Covered on D" means a ``coverage_period`` with ``start_date <= D <= end_date``; a person
with several periods or programs on D is one person.

The statements are assembled from fixed pieces only: the column of a region level
(:data:`~jaring.coverage.regions.COLUMN_BY_LEVEL`, :func:`~jaring.access.region_column`) and
the age bands of :mod:`jaring.coverage.indicators`; every value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import polars as pl
from sqlalchemy import Connection, Date, bindparam, text

from jaring.access import Actor, region_column
from jaring.coverage.indicators import AGE_EDGES, UNKNOWN, age_cutoffs
from jaring.coverage.regions import COLUMN_BY_LEVEL
from jaring.store.bulk import read_frame

CELL_COLUMNS = (
    "district_code",
    "village_code",
    "segment",
    "sex",
    "age_group",
    "occupation",
    "desil",
)

_ACTIVE = "c.start_date <= :on AND c.end_date >= :on"


def _age_case() -> str:
    edges = AGE_EDGES
    parts = [
        f"WHEN p.birth_date IS NULL THEN '{UNKNOWN}'",
        f"WHEN p.birth_date > :a{edges[0]} THEN '<{edges[0]}'",
    ]
    for lo, hi in itertools.pairwise(edges):
        parts.append(f"WHEN p.birth_date > :a{hi} THEN '{lo}-{hi - 1}'")
    return "CASE " + " ".join(parts) + f" ELSE '{edges[-1]}+' END"


def scope_sql(actor: Actor | None) -> tuple[str, dict[str, str]]:
    """``AND (...)`` keeping only people (``p``) inside ``actor``'s regions, and its
    parameters; nothing for an actor who works everywhere."""
    if actor is None or actor.all_regions:
        return "", {}
    params = {f"scope_{i}": r for i, r in enumerate(actor.regions)}
    ors = " OR ".join(f"p.{region_column(r)} = :scope_{i}" for i, r in enumerate(actor.regions))
    return f" AND ({ors})", params


def people_sql(level: int | None) -> str:
    """One row per person covered on ``:on`` (in ``:region`` at ``level``, or everywhere when
    ``level`` is None), with the attributes coverage is broken down by."""
    where = "" if level is None else f"p.{COLUMN_BY_LEVEL[level]} = :region AND "
    return f"""
SELECT p.id AS person_id, p.province_code, p.regency_code, p.district_code, p.village_code,
  CASE WHEN EXISTS (SELECT 1 FROM coverage_period c
                    WHERE c.person_id = p.id AND c.segment = 'pu' AND {_ACTIVE})
       THEN 'pu' ELSE 'bpu' END AS segment,
  COALESCE(p.sex, '?') AS sex,
  {_age_case()} AS age_group,
  COALESCE(p.occupation, '{UNKNOWN}') AS occupation,
  p.desil AS desil
FROM person p
WHERE {where}EXISTS (SELECT 1 FROM coverage_period c WHERE c.person_id = p.id AND {_ACTIVE})
"""


def cells_sql(level: int | None, columns: tuple[str, ...] = CELL_COLUMNS) -> str:
    """Covered people on ``:on`` counted per combination of ``columns`` (``n``)."""
    cols = ", ".join(columns)
    return f"SELECT {cols}, COUNT(*) AS n FROM ({people_sql(level)}) AS covered GROUP BY {cols}"


def _params(on: dt.date, region: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"on": on, **age_cutoffs(on)}
    if region is not None:
        params["region"] = region
    return params


def _run(conn: Connection, sql: str, params: dict[str, Any]) -> pl.DataFrame:
    """Execute with every ``date`` parameter typed as Date (SQLite stores ISO text)."""
    stmt = text(sql).bindparams(
        *[bindparam(k, type_=Date) for k, v in params.items() if isinstance(v, dt.date)]
    )
    frame = read_frame(conn, stmt, params)
    if frame.height:
        return frame
    return frame.select(pl.all().cast(pl.String))  # empty: text columns, as callers expect


def cells(conn: Connection, region: str, level: int, on: dt.date) -> pl.DataFrame:
    """Covered people on ``on`` in ``region``, counted per cell (see :data:`CELL_COLUMNS`)."""
    df = _run(conn, cells_sql(level), _params(on, region))
    if df.height == 0:
        return pl.DataFrame(
            schema={**dict.fromkeys(CELL_COLUMNS, pl.String), "desil": pl.Int64, "n": pl.Int64}
        )
    return df.with_columns(pl.col("n").cast(pl.Int64), pl.col("desil").cast(pl.Int64))


def covered_count(conn: Connection, region: str, level: int, on: dt.date) -> int:
    """Distinct people covered on ``on`` in ``region`` (the figure the trend plots)."""
    sql = f"SELECT COUNT(*) FROM ({people_sql(level)}) AS covered"
    stmt = text(sql).bindparams(*[bindparam(k, type_=Date) for k in ("on", *age_cutoffs(on))])
    return int(conn.execute(stmt, _params(on, region)).scalar_one())


def covered_in_period(
    conn: Connection, region: str, level: int, start: dt.date, end: dt.date
) -> int:
    """Distinct people covered on at least one day of ``start..end`` (for rupiah per person)."""
    sql = f"""SELECT COUNT(DISTINCT c.person_id) FROM coverage_period c JOIN person p
ON p.id = c.person_id WHERE p.{COLUMN_BY_LEVEL[level]} = :region
AND c.start_date <= :end AND c.end_date >= :start"""
    stmt = text(sql).bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date))
    return int(conn.execute(stmt, {"region": region, "start": start, "end": end}).scalar_one())


def people(conn: Connection, region: str, level: int, on: dt.date) -> pl.DataFrame:
    """The covered people themselves (ids and breakdown attributes, no personal data)."""
    return _run(conn, people_sql(level), _params(on, region))


def periods_of(conn: Connection, person_ids: list[int], on: dt.date) -> pl.DataFrame:
    """The coverage periods (and memberships) that make these people covered on ``on``."""
    if not person_ids:
        return pl.DataFrame(
            schema={
                "coverage_period_id": pl.Int64,
                "membership_id": pl.Int64,
                "person_id": pl.Int64,
                "program_id": pl.Int64,
                "segment": pl.String,
                "start_date": pl.Date,
                "end_date": pl.Date,
            }
        )
    frames = []
    stmt = text(
        f"""SELECT c.id AS coverage_period_id, c.membership_id, c.person_id, c.program_id,
c.segment, c.start_date, c.end_date FROM coverage_period c
WHERE {_ACTIVE} AND c.person_id IN :ids ORDER BY c.person_id, c.id"""
    ).bindparams(bindparam("on", type_=Date), bindparam("ids", expanding=True))
    for i in range(0, len(person_ids), 5000):  # bounded IN lists on every dialect
        frames.append(read_frame(conn, stmt, {"on": on, "ids": person_ids[i : i + 5000]}))
    return pl.concat(frames, how="vertical_relaxed")


def by_region_sql(level: int, scope: str = "") -> str:
    """Covered people on ``:on`` per region at ``level`` and segment, for the whole store in
    one pass (``scope``: a :func:`scope_sql` fragment). People with an active period are a
    semi-join (``IN``), not a group-by over periods: a person is counted once without
    building a per-person aggregate (docs/benchmarks/coverage.md). The PU flag is a left
    join to the distinct PU people (10% of rows), never an ``IN`` in the select list, which
    PostgreSQL evaluates row by row when the set does not fit in ``work_mem``. Plain SQL:
    the same text runs on SQLite, PostgreSQL and DuckDB."""
    col = COLUMN_BY_LEVEL[level]
    return f"""
SELECT p.{col} AS code, COUNT(*) - COUNT(u.person_id) AS bpu, COUNT(u.person_id) AS pu,
  COUNT(*) AS covered
FROM person p
LEFT JOIN (SELECT DISTINCT c.person_id FROM coverage_period c
           WHERE c.segment = 'pu' AND {_ACTIVE}) AS u ON u.person_id = p.id
WHERE p.id IN (SELECT c.person_id FROM coverage_period c WHERE {_ACTIVE}){scope}
GROUP BY p.{col}
ORDER BY p.{col}
"""


def by_region(
    conn: Connection, level: int, on: dt.date, actor: Actor | None = None
) -> pl.DataFrame:
    """Covered people on ``on`` per region at ``level`` (``code``, ``bpu``, ``pu``,
    ``covered``), counting only people inside ``actor``'s regions when given."""
    scope, params = scope_sql(actor)
    return _run(conn, by_region_sql(level, scope), {"on": on, **params})
