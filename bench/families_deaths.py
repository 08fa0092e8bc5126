"""Benchmark: a Dukcapil death list read against a registry of covered people, then the
claims officer's tasks and the coverage-gap report.

    PYTHONPATH=src python bench/families_deaths.py [--people 100000] [--deaths 2000] [--pg URL]

Generates its own synthetic data (fixed seed): ``--people`` people, each with a membership
and a coverage period (90% paid through December 2024, 10% lapsed in June), 3 paid invoices
after the deaths' month for 10% of them (refunds), a family of four for a third; a death list
of ``--deaths`` rows (90% exact NIK, 5% one digit off, 5% refused). Times
``import_deaths`` (read, match, judge, record: memberships, periods, refunds, cancelled
invoice lines; the rows no NIK matches scored by the registry's deduplication model),
``tasks`` (expected benefit and heirs for each open death) and ``gap_report``, with the
Python CPU seconds of the import and the tasks and the process's peak resident memory, on
SQLite, and on PostgreSQL when ``--pg`` names a server database to create a scratch
database in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import create_engine, insert, text

from jaring.access import Actor
from jaring.families.actions import deaths
from jaring.families.queries import deaths as queries
from jaring.store import make_engine, migrate
from jaring.store.bulk import insert_frame
from jaring.store.tables.families import family, family_member
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person

SYSTEM = Actor.system()
TODAY = dt.date(2025, 1, 15)


def _letters(i: int) -> str:
    """A name part from a number, in letters (names lose their digits when normalised)."""
    out = ""
    while True:
        i, r = divmod(int(i), 26)
        out += "abcdefghijklmnopqrstuvwxyz"[r]
        if i == 0:
            return out.capitalize()


def _nik(i: np.ndarray, born: list[dt.date], district: np.ndarray) -> list[str]:
    return [
        f"9671{d:02d}{b.day:02d}{b.month:02d}{b.year % 100:02d}{k % 9000 + 1000:04d}"
        for k, b, d in zip(i, born, district, strict=True)
    ]


def build(url: str, n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    eng = make_engine(url)
    migrate(eng)
    ids = np.arange(1, n + 1, dtype=np.int64)
    born = [dt.date(1960 + int(y), int(m), int(d)) for y, m, d in zip(
        rng.integers(0, 40, n), rng.integers(1, 13, n), rng.integers(1, 28, n), strict=True)]  # fmt: skip
    district = rng.integers(1, 11, n)
    niks = _nik(ids // 3 + ids, born, district)
    people = pl.DataFrame(
        {
            "id": ids,
            "nik": niks,
            "name": [f"Warga {_letters(i)}" for i in ids],
            "name_norm": [f"warga {_letters(i).lower()}" for i in ids],
            "birth_date": born,
            "sex": rng.choice(["L", "P"], n),
            "province_code": "96",
            "regency_code": "96.71",
            "district_code": [f"96.71.{d:02d}" for d in district],
            "registered_on": dt.date(2023, 6, 1),
        }
    ).unique("nik", keep="first")
    lapsed = rng.random(people.height) < 0.1
    with eng.begin() as conn:
        insert_frame(conn, person, people)
        conn.execute(
            insert(program).values(
                id=1, name="Bench 2024", funder_type="apbd", funder_region="96.71",
                fiscal_year=2024, budget=10**12, segment="bpu", income_base=1_000_000,
                with_jht=False, period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
                rules={},
            )
        )  # fmt: skip
        pid = people["id"]
        insert_frame(
            conn,
            membership,
            pl.DataFrame({"id": pid, "program_id": 1, "person_id": pid, "segment": "bpu",
                          "income_base": 1_000_000, "with_jht": False, "state": "active",
                          "start_month": dt.date(2024, 1, 1)}),
        )  # fmt: skip
        insert_frame(
            conn,
            coverage_period,
            pl.DataFrame({"id": pid, "membership_id": pid, "person_id": pid, "program_id": 1,
                          "segment": "bpu", "start_date": dt.date(2024, 1, 1),
                          "end_date": [dt.date(2024, 6, 30) if x else dt.date(2024, 12, 31)
                                       for x in lapsed]}),
        )  # fmt: skip
        heads = people.filter(pl.col("id") % 3 == 0)
        now = dt.datetime(2024, 9, 1)
        insert_frame(conn, family, pl.DataFrame({
            "id": heads["id"], "kk_number": [f"967101{i:010d}" for i in heads["id"]],
            "source": "P3KE", "created_at": now, "updated_at": now}))  # fmt: skip
        rel = ["head", "spouse", "child", "child"]
        insert_frame(conn, family_member, pl.DataFrame({
            "family_id": np.repeat(heads["id"].to_numpy(), 4),
            "person_id": [int(h) if k == 0 else None for h in heads["id"] for k in range(4)],
            "name": [f"Anggota {h}-{k}" for h in heads["id"] for k in range(4)],
            "relation": rel * heads.height, "source": "P3KE", "status": "current",
            "birth_date": dt.date(1990, 1, 1), "created_at": now, "updated_at": now}))  # fmt: skip
    for t in ("person", "membership", "coverage_period", "family", "family_member"):
        with eng.begin() as conn:
            from jaring.store import dialect

            dialect.sync_sequence(conn, t)
    eng.dispose()
    return people.with_columns(pl.Series("lapsed", lapsed))


def death_list(people: pl.DataFrame, rows: int, path: Path, seed: int = 8) -> Path:
    rng = np.random.default_rng(seed)
    pick = people.sample(rows, seed=seed)
    niks, names, dates = [], [], []
    for i, r in enumerate(pick.iter_rows(named=True)):
        nik = r["nik"]
        if i % 20 == 1:  # one digit off: a near match
            nik = nik[:12] + str((int(nik[12]) + 1) % 10) + nik[13:]
        if i % 20 == 2:  # a date in the future: refused
            dates.append("03/02/2031")
        else:
            day = dt.date(2024, 10, 1) + dt.timedelta(days=int(rng.integers(0, 90)))
            dates.append(day.strftime("%d/%m/%Y"))
        niks.append(nik)
        names.append(r["name"])
    pl.DataFrame({"NIK": niks, "Nama Lengkap": names, "Tanggal Meninggal": dates,
                  "Tempat Meninggal": "RSUD Sorong"}).write_csv(path)  # fmt: skip
    return path


def run(url: str, label: str, n: int, rows: int, tmp: Path) -> None:
    t0 = time.perf_counter()
    people = build(url, n)
    built = time.perf_counter() - t0
    path = death_list(people, rows, tmp / f"deaths-{label}.csv")
    eng = make_engine(url)
    t0, c0 = time.perf_counter(), time.process_time()
    out = deaths.import_deaths(eng, SYSTEM, path, source="Dukcapil", today=TODAY)
    imp, imp_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    found = queries.tasks(eng, SYSTEM, today=TODAY)
    tasks_s, tasks_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    bands = queries.tasks_by_age(eng, SYSTEM, today=TODAY)
    bands_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    gaps = queries.gap_report(eng, SYSTEM, until=TODAY)
    gaps_s = time.perf_counter() - t0
    eng.dispose()
    print(
        f"{label}: {people.height:,} people (built in {built:.1f} s), death list {out.rows:,} rows"
    )
    print(f"  import_deaths {imp:.2f} s ({imp_cpu:.2f} CPU s in Python): {out.rows / imp:,.0f} rows/s;"
          f" recorded {out.recorded}, review {out.review}, refused {out.refused}")  # fmt: skip
    print(f"  tasks {tasks_s:.2f} s ({tasks_cpu:.2f} CPU s in Python) for {len(found):,} open "
          f"tasks; by age {bands_s:.2f} s ({sum(b.deaths for b in bands)}); gap report "
          f"{gaps_s:.2f} s ({gaps.gaps} gaps)")  # fmt: skip
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS so far {peak:,.0f} MiB; load average {os.getloadavg()}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--deaths", type=int, default=2_000)
    ap.add_argument("--pg", default=os.environ.get("JARING_BENCH_PG"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        run(f"sqlite:///{tmp / 'bench.db'}", "SQLite", a.people, a.deaths, tmp)
        if a.pg:
            name = f"jaring_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(a.pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                run(f"{a.pg.rsplit('/', 1)[0]}/{name}", "PostgreSQL", a.people, a.deaths, tmp)
            finally:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
