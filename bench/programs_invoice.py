"""Benchmark: the invoice run for 1 million memberships x 12 months.

Run: ``PYTHONPATH=src python bench/programs_invoice.py [--members 1000000] [--write-months 2]``.
1. Lines computed: every membership x month priced from the law (``billing.invoice_lines``),
   in membership-months per second. Goal: >= 10M/s.
2. Lines written: one month of ``invoice_line`` rows (1M) through the bulk path
   (``store.bulk.insert_frame``: COPY on PostgreSQL, multi-row INSERT on SQLite) into a store
   holding 1M people and 1M memberships, rows per second. Goals: >= 500k/s and >= 300k/s.
   Measured once right after seeding (the server still vacuums and checkpoints the 2M rows
   just loaded) and then ``--write-repeat`` times once the store has settled (VACUUM ANALYZE
   and CHECKPOINT on PostgreSQL, ANALYZE and a WAL checkpoint on SQLite), the state a monthly
   invoice run meets. Each write is one transaction, rolled back. Wall and CPU seconds of
   this process are printed, and on PostgreSQL the CPU seconds of its server backend (read
   from /proc when the server runs on this machine).
3. The whole ``actions.create_invoice`` (lapse check, members read, priced, written) for one
   month of 1M memberships on each database, for ``--invoices`` months in turn.
Data is generated here; the SQLite file lives in bench/data/ (git-ignored); the PostgreSQL
database is created and dropped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import Connection, Engine, create_engine, text

from jaring.access import Actor
from jaring.programs import actions, billing
from jaring.programs.months import month_range
from jaring.store import dialect, make_engine, migrate
from jaring.store.bulk import insert_frame

PG_ADMIN = os.environ.get("JARING_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def members_frame(n: int) -> pl.DataFrame:
    rng = np.random.default_rng(7)
    jht = rng.random(n) < 0.1
    return pl.DataFrame(
        {
            "membership_id": np.arange(1, n + 1, dtype=np.int64),
            "segment": "bpu",
            "income_base": np.where(jht, 2_500_000, 1_000_000).astype(np.int64),
            "risk": pl.Series([None] * n, dtype=pl.String),
            "with_jht": jht,
            "paid_by": "apbd",
        }
    )


def seed_store(eng: Engine, n: int) -> None:
    """People, a program and n active memberships, written through the bulk path."""
    ids = pl.Series(np.arange(1, n + 1, dtype=np.int64))
    people = pl.DataFrame({"id": ids}).select(
        "id",
        name=pl.format("Warga {}", pl.col("id")),
        registered_on=pl.lit(dt.date(2023, 1, 1)),
    )
    with eng.begin() as conn:
        insert_frame(conn, "person", people)
    actions.create_program(
        eng, Actor.system(), name="Bench", fiscal_year=2024, budget=250_000_000_000
    )
    members = pl.DataFrame({"id": ids}).select(
        "id",
        program_id=pl.lit(1, dtype=pl.Int64),
        person_id="id",
        segment=pl.lit("bpu"),
        income_base=pl.lit(1_000_000, dtype=pl.Int64),
        with_jht=pl.lit(False),
        kpj=(pl.col("id") + 20_000_000_000).cast(pl.String),
        state=pl.lit("active"),
        start_month=pl.lit(dt.date(2024, 1, 1)),
    )
    with eng.begin() as conn:
        insert_frame(conn, "membership", members)


def settle(eng: Engine) -> None:
    """Let the store finish the work the seeding left behind before timing writes."""
    if dialect.of(eng) is dialect.POSTGRESQL:
        with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
            conn.execute(text("CHECKPOINT"))
    else:
        with eng.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def backend_cpu(conn: Connection) -> Callable[[], float]:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 if unreadable)."""
    if dialect.of(conn) is not dialect.POSTGRESQL:
        return lambda: 0.0
    pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def read() -> float:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return 0.0

    return read


def write_rate(eng: Engine, lines: pl.DataFrame, label: str) -> float:
    """Rows/s of invoice_line through the bulk path (one transaction, then rolled back)."""
    with eng.connect() as conn:
        trans = conn.begin()
        server = backend_cpu(conn)
        inv = conn.execute(
            text(
                "INSERT INTO invoice (number, program_id, month, lines, amount) "
                "VALUES ('W', 1, '2024-12-01', 0, 0) RETURNING id"
            )
        ).scalar_one()
        frame = billing.stored_lines(inv, lines)
        t, c, sv = time.perf_counter(), time.process_time(), server()
        insert_frame(conn, "invoice_line", frame)
        wall, cpu, srv = time.perf_counter() - t, time.process_time() - c, server() - sv
        trans.rollback()
    rate = frame.height / wall
    extra = f", server CPU {srv:.2f} s" if dialect.of(eng) is dialect.POSTGRESQL else ""
    print(
        f"{label:<40} {frame.height:>12,} rows   = {rate / 1e3:6.0f}k rows/s "
        f"(wall {wall:.2f} s, CPU {cpu:.2f} s{extra}; load {os.getloadavg()[0]:.1f})"
    )
    return rate


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3, help="times to compute the lines")
    ap.add_argument("--write-repeat", type=int, default=3, help="timed writes once settled")
    ap.add_argument("--compute-only", action="store_true")
    ap.add_argument("--invoices", type=int, default=2, help="months invoiced through the action")
    args = ap.parse_args()
    n = args.members
    months = month_range(dt.date(2024, 1, 1), dt.date(2024, args.months, 1))
    members = members_frame(n)

    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    billing.invoice_lines(members.head(10), months)  # warm the law's parameter cache
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        lines = billing.invoice_lines(members, months)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        print(
            f"{'lines computed':<40} {lines.height:>12,} in {wall:6.2f} s = "
            f"{lines.height / wall / 1e6:6.1f}M /s (CPU {cpu:.2f} s = {lines.height / cpu / 1e6:.1f}M /s)"
        )
    total = int(lines["amount"].sum())
    print(f"{'  total billed (Rp)':<40} {total:>12,}")
    if args.compute_only:
        return
    one_month = lines.filter(pl.col("month") == months[0])

    data = Path(__file__).parent / "data"
    data.mkdir(exist_ok=True)
    sqlite_path = data / "programs_invoice.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(sqlite_path) + suffix).unlink(missing_ok=True)
    name = f"jaring_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    pg_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        for label, url in (("PostgreSQL", pg_url), ("SQLite", f"sqlite:///{sqlite_path}")):
            eng = make_engine(url)
            migrate(eng)
            seed_store(eng, n)
            write_rate(eng, one_month, f"invoice_line written, {label}, unsettled")
            settle(eng)
            rates = [
                write_rate(eng, one_month, f"invoice_line written, {label}")
                for _ in range(args.write_repeat)
            ]
            goal = 500 if label == "PostgreSQL" else 300
            print(
                f"{'  best, ' + label:<40} {max(rates) / 1e3:>12,.0f}k rows/s (goal >= {goal}k rows/s)"
            )
            for m in months[: args.invoices]:
                t, c = time.perf_counter(), time.process_time()
                inv = actions.create_invoice(eng, Actor.system(), "Bench", m)
                took, cpu = time.perf_counter() - t, time.process_time() - c
                print(
                    f"{'create_invoice ' + f'{m:%Y-%m}' + ', ' + label:<40} {inv.lines:>12,} lines in {took:6.2f} s"
                    f" = {inv.lines / took / 1e3:6.0f}k lines/s (CPU {cpu:.2f} s; load {os.getloadavg()[0]:.1f})"
                )
            eng.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
