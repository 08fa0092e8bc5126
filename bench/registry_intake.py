"""Benchmark: intake + validation of 1 million worker rows (CSV, 10 columns) into the store,
on SQLite and PostgreSQL, beside what an analyst would do by hand (pandas.read_csv +
DataFrame.to_sql). Run: PYTHONPATH=src python bench/registry_intake.py [rows]"""

from __future__ import annotations

import datetime as dt
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from registry_common import DATA, measure, worker_csv

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


def jaring_import(url: str, csv: str) -> dict:
    from jaring.registry import intake, service
    from jaring.store import make_engine, migrate

    eng = make_engine(url)
    migrate(eng)
    t0 = time.perf_counter()
    f = intake.read_file(csv)
    staged = intake.canonical(f.sheets[0])
    t_read = time.perf_counter() - t0
    t1 = time.perf_counter()
    intake.validate_rows(staged, listed_on=dt.date(2024, 1, 1), region="96.71")
    t_validate = time.perf_counter() - t1
    t2 = time.perf_counter()
    r = service.import_files(eng, [csv], "Bench", listed_on=dt.date(2024, 1, 1))
    total = time.perf_counter() - t2
    return {**r, "read_s": t_read, "validate_s": t_validate, "import_s": total}


def pandas_import(url: str, csv: str) -> dict:
    import pandas as pd
    from sqlalchemy import create_engine

    from jaring.store.db import normalise_url

    t0 = time.perf_counter()
    df = pd.read_csv(csv, dtype=str)
    df.to_sql("analyst", create_engine(normalise_url(url)), if_exists="replace", index=False)
    return {"rows": len(df), "import_s": time.perf_counter() - t0}


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    csv = DATA / f"workers_{rows}.csv"
    if not csv.exists():
        worker_csv(rows, csv, duplicate_share=0.0)
    print(f"{rows:,} rows, {csv.stat().st_size / 2**20:.0f} MiB CSV, 10 columns")
    print(f"{'what':<34}{'seconds':>9}{'rows/s':>11}{'peak MiB':>10}")
    results = {}
    for dialect in ("sqlite", "postgresql"):
        for who, fn in (("jaring", jaring_import), ("pandas", pandas_import)):
            if dialect == "sqlite":
                db = DATA / f"bench_{who}.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                url, pg = f"sqlite:///{db}", None
            else:
                pg = _pg_db()
                url = PG_ADMIN.rsplit("/", 1)[0] + "/" + pg
            try:
                _secs, peak, out = measure(fn, url, str(csv))
            finally:
                if pg:
                    _drop_pg(pg)
            results[(dialect, who)] = out["import_s"]
            label = f"{who} {dialect}" + (
                " (read+validate+store)" if who == "jaring" else " (read_csv+to_sql)"
            )
            print(
                f"{label:<34}{out['import_s']:>9.1f}{rows / out['import_s']:>11,.0f}{peak:>10,.0f}"
            )
            if who == "jaring":
                print(
                    f"  of which read {out['read_s']:.1f} s, validate {out['validate_s']:.1f} s; "
                    f"accepted {out['accepted']:,}, rejected {out['rejected']:,}, warnings {out['warnings']:,}"
                )
    for dialect in ("sqlite", "postgresql"):
        ratio = results[(dialect, "pandas")] / results[(dialect, "jaring")]
        print(f"pandas/jaring time ratio, {dialect}: {ratio:.1f}x")


if __name__ == "__main__":
    main()
