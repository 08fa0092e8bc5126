"""Benchmark: eligibility and entitlement for 100,000 claims in one batch against 1,000,000
memberships with 12 months of payment history.

    PYTHONPATH=src python bench/claims_batch.py [--members 1000000] [--claims 100000] [--store]

Generates its own synthetic data (fixed seed). Times (1) the set-based pass over frames
(``jaring.claims.batch.assess_frame``: coverage joins, law column functions) and, with
``--store``, (2) the same pass reading the claimed memberships' history from a SQLite store
built once under ``bench/data/`` (``jaring.claims.queries.assess_batch``, as the system).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import create_engine, insert, text

from jaring.access import Actor
from jaring.claims.batch import assess_frame
from jaring.claims.queries import assess_batch
from jaring.store import make_engine, migrate
from jaring.store.bulk import insert_frame
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person

DATA = Path(__file__).parent / "data"


def generate(
    members: int, claims: int, seed: int = 5
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = np.arange(1, members + 1, dtype=np.int64)
    # Joined in 2023 or 2024 (first day of a month); 12 months of 2024 paid, 15% with a gap of
    # 1-4 unpaid months (two coverage periods), 5% stopped paying for good mid-year.
    join_month = rng.integers(0, 24, members)
    start = pl.Series(
        [dt.date(2023 + m // 12, m % 12 + 1, 1) for m in range(24)], dtype=pl.Date
    ).gather(join_month)
    memberships = pl.DataFrame(
        {
            "membership_id": ids,
            "start_month": start,
            "segment": np.where(rng.random(members) < 0.9, "bpu", "pu"),
            "income_base": rng.choice([1_000_000, 1_200_000, 2_000_000, 3_500_000], members),
        }
    )
    kind = rng.random(members)
    gap_from = rng.integers(2, 9, members)
    gap_len = rng.integers(1, 5, members)
    base = memberships.select(
        "membership_id",
        pl.col("start_month").alias("start_date"),
        pl.lit(dt.date(2024, 12, 31)).alias("end_date"),
        pl.Series("kind", kind),
        pl.Series("gap_from", gap_from),
        pl.Series("gap_len", gap_len),
    )
    gap_start = pl.date(2024, pl.col("gap_from"), 1)
    gap_end = pl.date(2024, pl.col("gap_from") + pl.col("gap_len"), 1)
    whole = base.filter(pl.col("kind") >= 0.2)
    stopped = base.filter(pl.col("kind") < 0.05).with_columns(
        pl.max_horizontal(pl.col("start_date"), pl.lit(dt.date(2024, 1, 1))).alias("start_date"),
        (gap_start - pl.duration(days=1)).alias("end_date"),
    )
    gapped = base.filter(pl.col("kind").is_between(0.05, 0.2, closed="left"))
    first = gapped.with_columns((gap_start - pl.duration(days=1)).alias("end_date"))
    second = gapped.with_columns(gap_end.alias("start_date"))
    periods = (
        pl.concat([whole, stopped, first, second])
        .filter(pl.col("start_date") <= pl.col("end_date"))
        .select("membership_id", "start_date", "end_date")
        .sort("membership_id", "start_date")
    )
    who = rng.choice(ids, claims, replace=False)
    event = pl.Series(
        [dt.date(2024, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 366, claims)],
        dtype=pl.Date,
    )
    t = rng.random(claims)
    claims_frame = pl.DataFrame(
        {
            "claim_ref": np.arange(1, claims + 1, dtype=np.int64),
            "membership_id": who,
            "type": np.select(
                [t < 0.80, t < 0.90, t < 0.97],
                ["jkm", "jkk_death", "jkk_disability"],
                "jkk_medical",
            ),
            "event_date": event,
            "filed_on": event.dt.offset_by("30d"),
            "disability": np.where(rng.random(claims) < 0.2, "total", "partial"),
            "percent": rng.choice([20.0, 35.0, 40.0, 70.0], claims),
            "cost": rng.choice([1_500_000, 4_000_000, 12_500_000], claims),
        }
    )
    return claims_frame, memberships, periods


def build_store(memberships: pl.DataFrame, periods: pl.DataFrame, pg: str | None = None) -> str:
    """A store holding the memberships and their periods: a SQLite file under bench/data
    (built once, then reused), or a fresh PostgreSQL database on the server ``pg``."""
    if pg:
        name = f"jaring_bench_claims_{memberships.height}"
        url = f"{pg.rsplit('/', 1)[0]}/{name}"
        admin = create_engine(pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            exists = c.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if exists.first() is not None:  # built by an earlier run (drop it to rebuild)
                admin.dispose()
                return url
            c.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    else:
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"claims_{memberships.height}.db"
        url = f"sqlite:///{path}"
        if path.exists():
            return url
    eng = make_engine(url)
    migrate(eng)
    n = memberships.height
    with eng.begin() as conn:
        conn.execute(
            insert(program).values(
                id=1, name="Bench", funder_type="apbd", fiscal_year=2024, budget=0, segment="bpu",
                income_base=1_000_000, with_jht=False, period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2024, 12, 31), rules={},
            )
        )  # fmt: skip
        insert_frame(
            conn,
            person,
            pl.DataFrame({"id": memberships["membership_id"], "name": ["x"] * n,
                          "registered_on": [dt.date(2023, 1, 1)] * n}),
        )  # fmt: skip
        insert_frame(
            conn,
            membership,
            memberships.select(
                pl.col("membership_id").alias("id"), pl.lit(1).alias("program_id"),
                pl.col("membership_id").alias("person_id"), "segment", "income_base",
                pl.lit(False).alias("with_jht"), pl.lit("active").alias("state"), "start_month",
            ),
        )  # fmt: skip
        insert_frame(
            conn,
            coverage_period,
            periods.with_row_index("id", offset=1).join(
                memberships.select("membership_id", "segment"), on="membership_id"
            ).with_columns(pl.col("id").cast(pl.Int64), pl.col("membership_id").alias("person_id"),
                           pl.lit(1).alias("program_id")),
        )  # fmt: skip
    eng.dispose()
    return url


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--claims", type=int, default=100_000)
    ap.add_argument("--store", action="store_true", help="also time the read from a SQLite store")
    ap.add_argument(
        "--pg",
        help="also time it on PostgreSQL (admin URL; database jaring_bench_claims_N is created "
        "once and kept for the next run: drop it when done)",
    )
    args = ap.parse_args()

    t0 = time.perf_counter()
    claims, memberships, periods = generate(args.members, args.claims)
    t_gen = time.perf_counter() - t0
    rows = [("generate data (not timed against the goal)", t_gen)]

    assess_frame(claims.head(1000), memberships, periods)  # warm: parameters, imports
    t0 = time.perf_counter()
    out = assess_frame(claims, memberships, periods)
    rows.append(("eligibility + entitlement, frames in memory", time.perf_counter() - t0))

    if args.store:
        t0 = time.perf_counter()
        url = build_store(memberships, periods)
        rows.append(
            ("build SQLite store (once, not timed against the goal)", time.perf_counter() - t0)
        )
        eng = make_engine(url)
        t0 = time.perf_counter()
        out2 = assess_batch(eng, Actor.system(), claims)
        rows.append(("same, reading history from SQLite", time.perf_counter() - t0))
        assert out2.sort("claim_ref")["amount"].equals(out.sort("claim_ref")["amount"])
    if args.pg:
        t0 = time.perf_counter()
        url = build_store(memberships, periods, pg=args.pg)
        rows.append(
            ("build PostgreSQL store (COPY, not timed against the goal)", time.perf_counter() - t0)
        )
        eng = make_engine(url)
        with eng.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        t0 = time.perf_counter()
        out3 = assess_batch(eng, Actor.system(), claims)
        rows.append(("same, reading history from PostgreSQL", time.perf_counter() - t0))
        assert out3.sort("claim_ref")["amount"].equals(out.sort("claim_ref")["amount"])
        eng.dispose()

    print(f"memberships {memberships.height:,}  coverage periods {periods.height:,}  "
          f"claims {claims.height:,}")  # fmt: skip
    print(f"{'step':<55} {'seconds':>8}")
    for name, secs in rows:
        print(f"{name:<55} {secs:>8.2f}")
    elig = out["eligible"].sum()
    print(f"eligible {elig:,} of {out.height:,}; payable Rp{int(out['amount'].sum()):,}; "
          f"early deaths {int(out['early_death'].sum()):,}")  # fmt: skip


if __name__ == "__main__":
    main()
