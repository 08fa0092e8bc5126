"""Benchmark: coverage indicators for 10 million memberships across all 514 regencies and
cities and ~7,000 districts at one date (the goal: under 5 s on DuckDB or PostgreSQL).

Generates synthetic people (ids and region codes only) and coverage periods with Polars,
loads them into DuckDB (from Arrow) and, with ``--pg URL``, into PostgreSQL (COPY), then runs
the very SQL Jaring runs (:func:`jaring.coverage.queries.covered.by_region_sql` per regency and
per district, and :func:`~jaring.coverage.queries.covered.cells_sql` for one city) and prints the times.

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

from jaring.coverage.indicators import age_cutoffs
from jaring.coverage.queries import covered
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


def report(name: str, secs: float, n: int, cpu: float | None = None) -> tuple[str, float, int]:
    """Print one measured step at once (a long run keeps what it measured) and return it."""
    cpu_text = f"{cpu:>8.2f}" if cpu is not None else f"{'-':>8}"
    print(f"{name:<50} {secs:>8.2f} {cpu_text} {n:>12,}", flush=True)
    return (name, secs, n)


CPU: dict[str, float] = {}


def timed(fn, repeat: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Best wall time of ``repeat`` runs; the CPU seconds this process spent in that run go
    to ``CPU["last"]`` (DuckDB runs in-process, so this is its work whatever the load)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall = time.perf_counter() - t0
        if wall < best:
            best, CPU["last"] = wall, time.process_time() - c0
    return best, out


def bench_duckdb(people: pl.DataFrame, periods: pl.DataFrame) -> list[tuple[str, float, int]]:
    con = duckdb.connect()
    con.register("people_arrow", people.to_arrow())
    con.register("periods_arrow", periods.to_arrow())
    t0 = time.perf_counter()
    con.execute("CREATE TABLE person AS SELECT * FROM people_arrow")
    con.execute("CREATE TABLE coverage_period AS SELECT * FROM periods_arrow")
    load = time.perf_counter() - t0
    rows = [report("duckdb load (Arrow)", load, periods.height)]
    params = {"on": ON}
    for level, label in ((2, "per regency/city"), (3, "per district")):
        sql = duck_sql(covered.by_region_sql(level))
        secs, out = timed(lambda sql=sql: con.sql(sql, params=params).pl())
        assert isinstance(out, pl.DataFrame)
        rows.append(report(f"duckdb covered {label}", secs, out.height, CPU["last"]))
    cells = duck_sql(covered.cells_sql(2))
    p = {"on": ON, "region": "96.71", **age_cutoffs(ON)}
    secs, out = timed(lambda: con.sql(cells, params=p).pl())
    rows.append(report("duckdb one city, all breakdowns", secs, out.height, CPU["last"]))  # type: ignore[union-attr]
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


def bench_pg(url: str, memberships: int, reuse: bool = False) -> list[tuple[str, float, int]]:
    """PostgreSQL: the rows are generated inside the server (``generate_series``, the same
    shape as :func:`generate`: 1.25 memberships a person, 10% PU, 15% lapsed) because pushing
    18 million rows through COPY from Python on a shared 2-core machine measures the pipe,
    not the query. Foreign keys are dropped in this scratch database; the indexes the
    migrations create are built after the load."""
    from sqlalchemy import text

    from jaring.store import make_engine, migrate

    _create_database(url)
    eng = make_engine(url)
    migrate(eng)
    n_people = int(memberships / 1.25)
    districts = regions().filter(pl.col("level") == 3).get_column("kode").to_list()
    rows: list[tuple[str, float, int]] = []
    with eng.connect() as conn:
        have = conn.execute(text("SELECT COUNT(*) FROM coverage_period")).scalar_one()
    if not (reuse and have == memberships):
        rows.append(report(*_pg_generate(eng, districts, n_people, memberships)))
    for work_mem in ("4MB", "256MB"):  # PostgreSQL's default, and a setting for analysts
        for level, label in ((2, "per regency/city"), (3, "per district")):
            with eng.connect() as conn:
                conn.execute(text(f"SET work_mem = '{work_mem}'"))
                secs, out = timed(
                    lambda conn=conn, level=level: covered.by_region(conn, level, ON), 1
                )
            assert isinstance(out, pl.DataFrame)
            rows.append(
                report(f"postgresql covered {label}, work_mem {work_mem}", secs, out.height)
            )
    with eng.connect() as conn:
        secs, out = timed(lambda conn=conn: covered.cells(conn, "96.71", 2, ON), repeat=1)
    rows.append(report("postgresql one city, all breakdowns", secs, out.height))  # type: ignore[union-attr]
    eng.dispose()
    return rows


def _pg_generate(
    eng, districts: list[str], n_people: int, memberships: int
) -> tuple[str, float, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    with eng.begin() as conn:
        conn.execute(text("TRUNCATE coverage_period, membership, program, person CASCADE"))
        for table, fk in (
            ("coverage_period", "fk_coverage_period_membership_id_membership"),
            ("coverage_period", "fk_coverage_period_person_id_person"),
            ("coverage_period", "fk_coverage_period_program_id_program"),
        ):
            conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {fk}"))
        for ix in (
            "ix_coverage_period_person_dates",
            "ix_coverage_period_membership_id",
            "ix_person_regency_code",
            "ix_person_district_code",
            "ix_person_nik",
            "ix_person_name_norm",
        ):
            conn.execute(text(f"DROP INDEX IF EXISTS {ix}"))
    t0 = time.perf_counter()
    with eng.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE bench_district (i int, code text)"))
        conn.execute(
            text("INSERT INTO bench_district VALUES (:i, :code)"),
            [{"i": i + 1, "code": c} for i, c in enumerate(districts)],
        )
        conn.execute(
            text(
                """INSERT INTO person (id, name, registered_on, sex, birth_date, province_code,
  regency_code, district_code, occupation, desil)
SELECT s.g, 'x', DATE '2024-01-01', CASE WHEN s.g % 2 = 0 THEN 'L' ELSE 'P' END,
  DATE '1960-01-01' + (s.g % 18000)::int, substr(d.code, 1, 2), substr(d.code, 1, 5), d.code,
  'pedagang', (s.g % 10 + 1)::smallint
FROM (SELECT g, 1 + ((g * 2654435761) % :nd) AS di FROM generate_series(1::bigint, :np) AS g) AS s
JOIN bench_district d ON d.i = s.di"""
            ),
            {"nd": len(districts), "np": n_people},
        )
        conn.execute(
            text(
                """INSERT INTO coverage_period (id, membership_id, person_id, program_id, segment,
  start_date, end_date)
SELECT g, g, CASE WHEN g <= :np THEN g ELSE 1 + ((g * 40503) % :np) END, (g % 40 + 1)::int,
  CASE WHEN (g * 7919) % 10 = 0 THEN 'pu' ELSE 'bpu' END,
  DATE '2024-01-01' + ((g * 31) % 300)::int,
  CASE WHEN (g * 104729) % 100 < 15 THEN DATE '2024-10-31' ELSE DATE '2025-06-30' END
FROM generate_series(1::bigint, :nm) AS g"""
            ),
            {"np": n_people, "nm": memberships},
        )
        conn.execute(
            text(
                "CREATE INDEX ix_coverage_period_person_dates"
                " ON coverage_period (person_id, start_date, end_date)"
            )
        )
        conn.execute(text("CREATE INDEX ix_person_regency_code ON person (regency_code)"))
        conn.execute(text("CREATE INDEX ix_person_district_code ON person (district_code)"))
    with eng.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        for table in ("person", "coverage_period"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))
    return ("postgresql generate + index + analyze", time.perf_counter() - t0, memberships)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--memberships", type=int, default=10_000_000)
    ap.add_argument("--pg", help="PostgreSQL URL of a scratch database (its tables are emptied)")
    ap.add_argument("--pg-reuse", action="store_true", help="keep rows generated by a last run")
    ap.add_argument("--no-duckdb", action="store_true")
    args = ap.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"{'step':<50} {'wall s':>8} {'cpu s':>8} {'rows':>12}", flush=True)
    t0 = time.perf_counter()
    rows: list[tuple[str, float, int]] = []
    if not args.no_duckdb:
        people, periods = generate(args.memberships)
        rows.append(report("generate with Polars", time.perf_counter() - t0, periods.height))
        rows += bench_duckdb(people, periods)
        del people, periods
    if args.pg:
        rows += bench_pg(args.pg, args.memberships, args.pg_reuse)
    print(f"{len(rows)} steps measured")


if __name__ == "__main__":
    main()
