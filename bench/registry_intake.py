"""Benchmark: intake + validation of 1 million worker rows (CSV, 10 columns) into the store,
on SQLite and PostgreSQL, beside what an analyst would do by hand (pandas.read_csv +
DataFrame.to_sql). Run: PYTHONPATH=src python bench/registry_intake.py [rows] [--jaring-only]

Each measured step runs in its own process. Printed per step: wall seconds, rows/s, CPU
seconds of the importing process (its threads and its child processes: the SQLite writer),
CPU seconds of the PostgreSQL server processes serving it (same machine), peak memory, and
the load average (the machine is shared; compare CPU seconds across runs), and the bytes
the source rows take per row stored (their chunks). Jaring's time is
one ``registry.actions.imports.import_files`` call (as the system): read + validate + store,
split as it reports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from registry_common import DATA, backend_cpu, load_average, measure_full, worker_csv

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_db() -> str:
    from sqlalchemy import create_engine, text

    name = f"jaring_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name


def _drop_pg(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def jaring_import(url: str, csv: str, pg: str | None) -> dict[str, Any]:
    import dataclasses
    import time

    from jaring.access import Actor
    from jaring.registry.actions import imports
    from jaring.store import make_engine, migrate

    eng = make_engine(url)
    migrate(eng)
    server0 = backend_cpu(pg) if pg else 0.0
    t0 = time.perf_counter()
    r = dataclasses.asdict(
        imports.import_files(eng, Actor.system(), [csv], "Bench", listed_on=dt.date(2024, 1, 1))
    )
    total = time.perf_counter() - t0
    server = backend_cpu(pg) - server0 if pg else 0.0  # before dispose: the pool holds it
    stored = _row_bytes(eng)
    eng.dispose()
    return {**r, "import_s": total, "server_cpu": server, "row_bytes": stored}


def _row_bytes(eng: Any) -> tuple[int, int]:
    """Bytes the source rows take in the store: their chunks (``registry_chunk``) alone, and
    with its indexes and the batch and file rows (SQLite: the pages ``dbstat`` counts;
    PostgreSQL: ``pg_table_size`` with TOAST, where chunks live)."""
    from sqlalchemy import text

    tables = ("registry_chunk", "registry_batch", "registry_file")
    with eng.connect() as c:
        if eng.dialect.name == "sqlite":
            table = c.execute(
                text("SELECT SUM(pgsize) FROM dbstat WHERE name = 'registry_chunk'")
            ).scalar_one()
            names = ", ".join(f"'{t}'" for t in tables)
            total = c.execute(
                text(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM "
                    f"sqlite_master WHERE tbl_name IN ({names}))"
                )
            ).scalar_one()
        else:
            table = c.execute(text("SELECT pg_table_size('registry_chunk')")).scalar_one()
            sizes = " + ".join(f"pg_total_relation_size('{t}')" for t in tables)
            total = c.execute(text(f"SELECT {sizes}")).scalar_one()
    return int(table or 0), int(total or 0)


def pandas_import(url: str, csv: str, pg: str | None) -> dict[str, Any]:
    import time

    import pandas as pd
    from sqlalchemy import create_engine

    from jaring.store.db import normalise_url

    eng = create_engine(normalise_url(url))
    with eng.connect():
        pass
    server0 = backend_cpu(pg) if pg else 0.0
    t0 = time.perf_counter()
    df = pd.read_csv(csv, dtype=str)
    df.to_sql("analyst", eng, if_exists="replace", index=False)
    total = time.perf_counter() - t0
    server = backend_cpu(pg) - server0 if pg else 0.0
    eng.dispose()
    return {"rows": len(df), "import_s": total, "server_cpu": server}


def main() -> None:
    ap = argparse.ArgumentParser(description="Intake of N worker rows into each dialect.")
    ap.add_argument("rows", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--jaring-only", action="store_true", help="skip the pandas comparison")
    args = ap.parse_args()
    rows, only_jaring = args.rows, args.jaring_only
    csv = DATA / f"workers_{rows}.csv"
    if not csv.exists():
        worker_csv(rows, csv, duplicate_share=0.0)
    print(f"{rows:,} rows, {csv.stat().st_size / 2**20:.0f} MiB CSV, 10 columns")
    print("goal: >= 500,000 rows/s into the store, each dialect")
    print(
        f"{'what':<36}{'wall s':>8}{'rows/s':>10}{'CPU s':>8}{'server':>8}{'peak MiB':>9}  load avg"
    )
    results = {}
    for dialect in ("sqlite", "postgresql"):
        for who, fn in (("jaring", jaring_import), ("pandas", pandas_import)):
            if only_jaring and who == "pandas":
                continue
            if dialect == "sqlite":
                db = DATA / f"bench_{who}.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                url, pg = f"sqlite:///{db}", None
            else:
                pg = _pg_db()
                url = PG_ADMIN.rsplit("/", 1)[0] + "/" + pg
            load = load_average()
            try:
                m = measure_full(fn, url, str(csv), pg)
            finally:
                if pg:
                    _drop_pg(pg)
            out = m["out"]
            secs = out["import_s"]
            results[(dialect, who)] = secs
            label = f"{who} {dialect}" + (
                " (read+validate+store)" if who == "jaring" else " (read_csv+to_sql)"
            )
            server = f"{out['server_cpu']:>8.1f}" if pg else f"{'-':>8}"
            print(
                f"{label:<36}{secs:>8.2f}{rows / secs:>10,.0f}{m['cpu']:>8.1f}{server}"
                f"{m['peak_mib']:>9,.0f}  {load}"
            )
            if who == "jaring" and "seconds" in out:  # (older versions did not report it)
                s = out["seconds"]
                print(
                    f"  of which read {s['read']:.2f} s, validate {s['validate']:.2f} s, "
                    f"store {s['store']:.2f} s; accepted {out['accepted']:,}, "
                    f"rejected {out['rejected']:,}, warnings {out['warnings']:,}"
                )
                table, total = out["row_bytes"]
                print(
                    f"  source rows: {table / rows:.0f} bytes per row in their chunks "
                    f"({total / rows:.0f} with batch, files and indexes; "
                    f"CSV {csv.stat().st_size / rows:.0f})"
                )
    for dialect in ("sqlite", "postgresql"):
        if only_jaring:
            j = results[(dialect, "jaring")]
            print(f"{dialect}: Jaring {rows / j:,.0f} rows/s")
            continue
        j, p = results[(dialect, "jaring")], results[(dialect, "pandas")]
        print(
            f"{dialect}: Jaring {rows / j:,.0f} rows/s "
            f"({'meets' if rows / j >= 500_000 else 'misses'} 500k); pandas takes {p / j:.1f}x "
            "Jaring's time"
        )
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    main()
