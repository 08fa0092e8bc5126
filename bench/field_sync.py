"""Benchmark: field sync, a registration day of a team arriving at the server.

    PYTHONPATH=src python bench/field_sync.py [--records 2000] [--per-sync 500] [--pg URL]

Generates its own synthetic records (fixed seed; real Kota Sorong region codes, made-up NIK
serials and names; 5% needing a fix, 5% a NIK sent twice). Times, on a fresh SQLite store
under ``bench/data/`` (and on PostgreSQL with ``--pg``): the first sync of every record, in
syncs of ``--per-sync`` (each answered per record and entered into the registrar's batch of
the day), then the same syncs again (every record answered as before, nothing stored).
"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from jaring.access import Actor
from jaring.field import actions
from jaring.field.rules import Record
from jaring.store import make_engine, migrate

DATA = Path(__file__).parent / "data"
REGISTRAR = Actor(username="reg1", role="registrar", regions=("96.71",))
VILLAGES = {
    "96.71.01": ["96.71.01.1001", "96.71.01.1002", "96.71.01.1004"],
    "96.71.02": ["96.71.02.1001", "96.71.02.1002"],
    "96.71.06": ["96.71.06.1002", "96.71.06.1005"],
}


def records(n: int, seed: int = 5) -> list[Record]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        district = rng.choice(list(VILLAGES))
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(60, 99)
        female = rng.random() < 0.6
        nik = f"{district.replace('.', '')}{day + 40 * female:02d}{month:02d}{year:02d}{i + 1:04d}"
        if rng.random() < 0.05:  # an impossible date: needs a fix
            nik = nik[:6] + "32" + nik[8:]
        if out and rng.random() < 0.05:  # the same worker again
            nik = out[rng.randrange(len(out))].nik
        out.append(
            Record(
                client_id=str(uuid.UUID(int=rng.getrandbits(128))),
                nik=nik,
                name=f"Pedagang {i}",
                birth_date=f"19{year:02d}-{month:02d}-{day:02d}",
                sex="P" if female else "L",
                address=f"Jl. Pasar {i}",
                district_code=district,
                village_code=rng.choice(VILLAGES[district]),
                phone=f"0812{rng.randint(10**7, 10**8 - 1)}",
                occupation="pedagang pasar",
                market="Pasar Remu",
                income=str(rng.randint(5, 40) * 100_000),
                consent=True,
                consent_name=f"Pedagang {i}",
                registered_at="2026-12-05T09:00:00+09:00",
                device="bench",
            )
        )
    return out


def run(url: str, recs: list[Record], per_sync: int) -> None:
    engine = make_engine(url)
    migrate(engine)
    chunks = [recs[i : i + per_sync] for i in range(0, len(recs), per_sync)]
    for label in ("first", "again"):
        t0 = time.perf_counter()
        answers = []
        for chunk in chunks:
            answers.extend(actions.sync(engine, REGISTRAR, chunk).answers)
        s = time.perf_counter() - t0
        by: dict[str, int] = {}
        for a in answers:
            by[a.status] = by.get(a.status, 0) + 1
        print(
            f"{engine.dialect.name:10} {label:5} {len(recs):6} records in {len(chunks)} syncs: "
            f"{s:6.2f} s, {len(recs) / s:7.0f} records/s, {s / len(chunks) * 1000:6.0f} ms/sync "
            f"{dict(sorted(by.items()))}"
        )
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--per-sync", type=int, default=500)
    ap.add_argument("--pg", default=None, help="a PostgreSQL admin URL (a database is made)")
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    recs = records(a.records)
    DATA.mkdir(exist_ok=True)
    db = DATA / "field_sync.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    run(f"sqlite:///{db}", recs, a.per_sync)
    if a.pg:
        admin = create_engine(a.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text("DROP DATABASE IF EXISTS jaring_bench_field"))
            c.execute(text("CREATE DATABASE jaring_bench_field"))
        try:
            run(a.pg.rsplit("/", 1)[0] + "/jaring_bench_field", recs, a.per_sync)
        finally:
            with admin.connect() as c:
                c.execute(text("DROP DATABASE IF EXISTS jaring_bench_field WITH (FORCE)"))
            admin.dispose()


if __name__ == "__main__":
    main()
