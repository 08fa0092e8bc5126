"""Benchmark: plan a budget for 1 million eligible people with 514 area quotas.

Run: ``PYTHONPATH=src python bench/programs_plan.py [--people 1000000] [--areas 514]``.
Generates its people in memory (seeded), prints a small table. The goal on the 2-core
machine: under 30 s with a proven optimality gap under 0.1%.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import numpy as np
import polars as pl

from jaring.access import Actor
from jaring.programs import actions, planning, targeting
from jaring.programs.pricing import Package, monthly_costs
from jaring.store import make_engine, migrate
from jaring.store.bulk import insert_frame


def population(n: int, areas: int, seed: int = 2024) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = dt.date(2020, 1, 1)
    # poverty differs by area, so "poorest first" alone would leave rich areas out and the
    # area quotas bind
    area = rng.integers(0, areas, n)
    area_level = rng.integers(0, 8, areas)
    desil = np.clip(area_level[area] + rng.integers(1, 4, n), 1, 10).astype(np.int16)
    return pl.DataFrame(
        {
            "person_id": np.arange(1, n + 1, dtype=np.int64),
            "desil": desil,
            "occupation": rng.choice(
                ["pedagang pasar", "ojek", "nelayan", "honorer", "petani", "buruh bangunan"], n
            ),
            "registered_on": pl.Series(rng.integers(0, 1460, n)).cast(pl.Int32),
            "district_code": pl.Series(
                [f"{91 + i // 100}.{i % 100:02d}.01" for i in range(areas)]
            ).gather(area),
            "village_code": None,
            "sex": rng.choice(["L", "P"], n),
        }
    ).with_columns(registered_on=pl.lit(start) + pl.duration(days=pl.col("registered_on")))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--areas", type=int, default=514)
    ap.add_argument("--budget", type=int, default=60_000_000_000)
    ap.add_argument("--women", type=float, default=None)
    ap.add_argument(
        "--store",
        action="store_true",
        help="also plan through the action on SQLite (reads people)",
    )
    args = ap.parse_args()

    t0 = time.perf_counter()
    people = population(args.people, args.areas)
    t_gen = time.perf_counter() - t0

    costs = monthly_costs(Package(), dt.date(2024, 1, 1), dt.date(2024, 12, 31))["total"].to_list()
    t1 = time.perf_counter()
    pool = targeting.with_priority(people, targeting.parse_priority("desil,risk"))
    t_prio = time.perf_counter() - t1
    quotas = [planning.parse_quota("distrik=0.2")]
    if args.women:
        quotas.append(planning.parse_quota(f"women={args.women}"))
    t2 = time.perf_counter()
    plan = planning.solve(pool, month_costs=costs, budget=args.budget, quotas=tuple(quotas))
    t_plan = time.perf_counter() - t2
    s = plan.summary
    rows = [
        ("people eligible", f"{args.people:,}"),
        (
            "area quotas",
            f"{args.areas} x distrik=0.2" + (f", women={args.women}" if args.women else ""),
        ),
        ("budget", f"Rp{args.budget:,}"),
        ("groups (IP integer variables)", f"{s['groups']:,}"),
        ("people covered x months", f"{s['people']:,} x {s['months']}"),
        ("cost / unspent", f"Rp{s['cost']:,} / Rp{s['unspent']:,}"),
        ("solver / status", f"{s['solver']} / {s['ip_status']}"),
        ("proven optimality gap", f"{s['optimal_gap']:.6%} (HiGHS mip_gap {s['mip_gap']})"),
        ("greedy gap vs IP", f"{s['greedy_gap']}"),
        ("quotas met", str(all(q["met"] for q in s["quotas"]))),
        ("generate data (s)", f"{t_gen:.2f}"),
        ("priorities (s)", f"{t_prio:.2f}"),
        ("greedy (s)", f"{s['greedy_seconds']:.2f}"),
        ("HiGHS IP (s)", f"{s['ip_seconds']:.2f}"),
        ("plan total incl. assignment (s)", f"{t_plan:.2f}"),
        ("priorities + plan (s)", f"{t_prio + t_plan:.2f}"),
    ]
    if args.store:
        rows += store_plan(people, args)
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


def store_plan(people: pl.DataFrame, args: argparse.Namespace) -> list[tuple[str, str]]:
    """The same plan through ``actions.plan_program`` on SQLite: people read from the store."""
    path = Path(__file__).parent / "data" / "programs_plan.db"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    frame = people.select(
        id="person_id",
        nik=pl.format("9171010101{}", pl.col("person_id").cast(pl.String).str.zfill(6)),
        name=pl.lit("Warga"),
        sex="sex",
        district_code="district_code",
        occupation="occupation",
        desil="desil",
        registered_on="registered_on",
    )
    with eng.begin() as conn:
        insert_frame(conn, "person", frame)
    system = Actor.system()
    actions.create_program(eng, system, name="Bench", fiscal_year=2024, budget=args.budget)
    t = time.perf_counter()
    out = actions.plan_program(eng, system, "Bench", priority="desil,risk", quotas=["distrik=0.2"])
    took = time.perf_counter() - t
    return [
        (
            "actions.plan_program on SQLite (s)",
            f"{took:.2f} (people {out.people:,}, gap {out.optimal_gap:.6%})",
        )
    ]


if __name__ == "__main__":
    main()
