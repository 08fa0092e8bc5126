"""Benchmark: coverage indicators for 10 million memberships across all 514 regencies and
cities and ~7,000 districts at one date (issue 6; goal under 5 s on DuckDB or PostgreSQL).

Generates synthetic people (ids and region codes only) and coverage periods with Polars,
loads them into DuckDB (from Arrow) and, with ``--pg URL``, into PostgreSQL (COPY), then runs
the very SQL Jaring's service runs (:func:`jaring.coverage.repo.by_region_sql` per regency and
per district, and :func:`jaring.coverage.repo.cells_sql` for one city) and prints the times.

    PYTHONPATH=src python bench/coverage_indicators.py [--memberships 10000000] [--pg URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from jaring.coverage import repo
from jaring.coverage.indicators import age_cutoffs
from jaring.registry.regions import regions

ON = dt.date(2024, 12, 31)
DATA = Path(__file__).resolve().parent / "data"


def generate(memberships: int, seed: int = 6) -> tuple[pl.DataFrame, pl.DataFrame]:
    """People spread over every district; 1.25 memberships a person on average (a person in
    two programs is counted once); one coverage period a membership, 15% lapsed before ON."""
    rng = np.random.default_rng(seed)
    districts = regions().filter(pl.col("level") == 3).get_column("kode").to_numpy()
    n_people = int(memberships / 1.25)
    d = districts[rng.integers(0, len(districts), n_people)]
    people = pl.DataFrame(
        {
            "id": np.arange(1, n_people + 1, dtype=np.int64),
            "district_code": d,
        }
    ).with_columns(
        province_code=pl.col("district_code").str.slice(0, 2),
        regency_code=pl.col("district_code").str.slice(0, 5),
        village_code=pl.lit(None, pl.String),
        sex=pl.when(pl.int_range(pl.len()) % 2 == 0).then(pl.lit("L")).otherwise(pl.lit("P")),
        birth_date=pl.lit(dt.date(1960, 1, 1)) + pl.duration(days=pl.int_range(pl.len()) % 18_000),
        occupation=pl.lit("pedagang"),
        desil=(pl.int_range(pl.len()) % 10 + 1).cast(pl.Int16),
    )
    person_of = np.concatenate(
        [np.arange(1, n_people + 1), rng.integers(1, n_people + 1, memberships - n_people)]
    )
    start = np.datetime64("2024-01-01") + rng.integers(0, 300, memberships).astype("timedelta64[D]")
    lapsed = rng.random(memberships) < 0.15
    end = np.where(
        lapsed,
        np.datetime64("2024-10-31"),
        np.datetime64("2025-06-30"),
    )
    periods = pl.DataFrame(
        {
            "id": np.arange(1, memberships + 1, dtype=np.int64),
            "membership_id": np.arange(1, memberships + 1, dtype=np.int64),
            "person_id": person_of.astype(np.int64),
            "program_id": (np.arange(memberships) % 40 + 1).astype(np.int32),
            "segment": np.where(rng.random(memberships) < 0.1, "pu", "bpu"),
            "start_date": start,
            "end_date": end,
        }
    ).with_columns(pl.col("start_date", "end_date").cast(pl.Date))
    return people, periods


def duck_sql(sql: str) -> str:
    """``:name`` parameters -> DuckDB's ``$name``."""
    return re.sub(r"(?<!:):(\w+)", r"$\1", sql)


def timed(fn, repeat: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def bench_duckdb(people: pl.DataFrame, periods: pl.DataFrame) -> list[tuple[str, float, int]]:
    con = duckdb.connect()
    con.register("people_arrow", people.to_arrow())
    con.register("periods_arrow", periods.to_arrow())
    t0 = time.perf_counter()
    con.execute("CREATE TABLE person AS SELECT * FROM people_arrow")
    con.execute("CREATE TABLE coverage_period AS SELECT * FROM periods_arrow")
    load = time.perf_counter() - t0
    rows: list[tuple[str, float, int]] = [("duckdb load (Arrow)", load, periods.height)]
    params = {"on": ON}
    for level, label in ((2, "per regency/city"), (3, "per district")):
        sql = duck_sql(repo.by_region_sql(level))
        secs, out = timed(lambda sql=sql: con.sql(sql, params=params).pl())
        assert isinstance(out, pl.DataFrame)
        rows.append((f"duckdb covered {label}", secs, out.height))
    cells = duck_sql(repo.cells_sql(2))
    p = {"on": ON, "region": "96.71", **age_cutoffs(ON)}
    secs, out = timed(lambda: con.sql(cells, params=p).pl())
    rows.append(("duckdb one city, all breakdowns", secs, out.height))  # type: ignore[union-attr]
    return rows


def _create_database(url: str) -> None:
    """Create the scratch database if it does not exist (through the server's ``postgres``)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from jaring.store.db import normalise_url

    u = make_url(normalise_url(url))
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        if not c.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}
        ).first():
            c.execute(text(f'CREATE DATABASE "{u.database}"'))
    admin.dispose()


def bench_pg(url: str, people: pl.DataFrame, periods: pl.DataFrame) -> list[tuple[str, float, int]]:
    from sqlalchemy import text

    from jaring.store import make_engine, migrate
    from jaring.store.bulk import insert_frame

    _create_database(url)
    eng = make_engine(url)
    migrate(eng)
    rows: list[tuple[str, float, int]] = []
    with eng.begin() as conn:
        conn.execute(text("TRUNCATE coverage_period, membership, program, person CASCADE"))
    # a scratch copy for reading: load without foreign keys (checked per row, they dominate
    # the load), then index as the migrations do
    with eng.begin() as conn:
        for table, fk in (
            ("coverage_period", "fk_coverage_period_membership_id_membership"),
            ("coverage_period", "fk_coverage_period_person_id_person"),
            ("coverage_period", "fk_coverage_period_program_id_program"),
            ("membership", "fk_membership_person_id_person"),
            ("membership", "fk_membership_program_id_program"),
        ):
            conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {fk}"))
        for ix in (
            "ix_coverage_period_person_dates",
            "ix_coverage_period_membership_id",
            "ix_membership_person_id",
            "ix_person_regency_code",
            "ix_person_district_code",
        ):
            conn.execute(text(f"DROP INDEX IF EXISTS {ix}"))
    t0 = time.perf_counter()
    with eng.begin() as conn:
        insert_frame(
            conn,
            "person",
            people.with_columns(name=pl.lit("x"), registered_on=pl.lit(dt.date(2024, 1, 1))),
        )
        progs = pl.DataFrame(
            {
                "id": list(range(1, 41)),
                "name": [f"bench {i}" for i in range(1, 41)],
                "funder_type": ["apbd"] * 40,
                "fiscal_year": [2024] * 40,
                "budget": [0] * 40,
                "segment": ["bpu"] * 40,
                "income_base": [1_000_000] * 40,
                "with_jht": [False] * 40,
                "period_start": [dt.date(2024, 1, 1)] * 40,
                "period_end": [dt.date(2024, 12, 31)] * 40,
                "rules": ["{}"] * 40,
            }
        )
        insert_frame(conn, "program", progs)
        conn.execute(
            text(
                "ALTER TABLE membership DROP CONSTRAINT IF EXISTS uq_membership_program_id_person_id"
            )
        )
        insert_frame(
            conn,
            "membership",
            periods.select(
                pl.col("membership_id").alias("id"),
                "program_id",
                "person_id",
                "segment",
                income_base=pl.lit(1_000_000),
                with_jht=pl.lit(False),
                state=pl.lit("active"),
                start_month=pl.col("start_date").dt.truncate("1mo"),
            ),
        )
        insert_frame(conn, "coverage_period", periods)
        conn.execute(
            text(
                "CREATE INDEX ix_coverage_period_person_dates ON coverage_period (person_id, start_date, end_date)"
            )
        )
        conn.execute(text("CREATE INDEX ix_person_regency_code ON person (regency_code)"))
        conn.execute(text("CREATE INDEX ix_person_district_code ON person (district_code)"))
    with eng.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        for table in ("person", "membership", "coverage_period"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))
    rows.append(("postgresql load (COPY) + analyze", time.perf_counter() - t0, periods.height))
    for level, label in ((2, "per regency/city"), (3, "per district")):
        with eng.connect() as conn:
            secs, out = timed(
                lambda conn=conn, level=level: repo.by_region(conn, level, ON), repeat=2
            )
        assert isinstance(out, pl.DataFrame)
        rows.append((f"postgresql covered {label}", secs, out.height))
    with eng.connect() as conn:
        secs, out = timed(lambda conn=conn: repo.cells(conn, "96.71", 2, ON), repeat=2)
    rows.append(("postgresql one city, all breakdowns", secs, out.height))  # type: ignore[union-attr]
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--memberships", type=int, default=10_000_000)
    ap.add_argument("--pg", help="PostgreSQL URL of a scratch database (its tables are emptied)")
    args = ap.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    people, periods = generate(args.memberships)
    print(
        f"generated {people.height:,} people, {periods.height:,} memberships/periods "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    rows = bench_duckdb(people, periods)
    if args.pg:
        rows += bench_pg(args.pg, people, periods)
    print(f"{'step':<42} {'seconds':>8} {'rows':>12}")
    for name, secs, n in rows:
        print(f"{name:<42} {secs:>8.2f} {n:>12,}")


if __name__ == "__main__":
    main()
