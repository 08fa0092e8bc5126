"""Bounded load test of the web API on loopback: NIK look-up and dashboard, 1M people.

    PYTHONPATH=src python bench/web_load.py [--people 1000000] [--seconds 6] [--only sqlite]

For each dialect (SQLite file under ``bench/data/``, PostgreSQL database created and dropped
on 127.0.0.1) it bulk-loads ``--people`` synthetic people (60% with a paid coverage period),
starts ``jaring serve``'s app in a separate uvicorn process, and drives it from this process
with a small keep-alive HTTP/1.1 client on raw asyncio sockets (``--connections`` at once)
for ``--seconds`` per endpoint; the whole measured load stays under 30 s. Every request is
authenticated with an API token. Prints requests/s and p50/p99 latency per endpoint.
Generated data only; nothing real.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jaring.store import make_engine, migrate  # noqa: E402
from jaring.store.bulk import insert_frame  # noqa: E402

DATA = ROOT / "bench" / "data"
PG_ADMIN = os.environ.get("JARING_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DISTRICTS = [f"96.71.{i:02d}" for i in range(1, 11)]


def people_frame(n: int) -> pl.DataFrame:
    """``n`` synthetic people in Kota Sorong: unique NIKs (region + birth date + serial)."""
    ids = pl.int_range(1, n + 1, eager=True, dtype=pl.Int64)
    district = (ids % len(DISTRICTS)).cast(pl.Int64)
    first = [
        "Yohana",
        "Markus",
        "Siti",
        "Daniel",
        "Maria",
        "Yakob",
        "Agus",
        "Dewi",
        "Petrus",
        "Rina",
    ]
    last = ["Kambuaya", "Sawaki", "Rahmawati", "Fonataba", "Mayor", "Wanma", "Saputra", "Idris"]
    df = pl.DataFrame({"id": ids, "d": district}).with_columns(
        district_code=pl.col("d").replace_strict(
            dict(enumerate(DISTRICTS)), return_dtype=pl.String
        ),
        birth=pl.lit(dt.date(1960, 1, 1)) + pl.duration(days=(pl.col("id") * 7919) % 16000),
    )
    serial = (pl.col("id") % 9999 + 1).cast(pl.String).str.zfill(4)
    nik = pl.concat_str(
        [
            pl.col("district_code").str.replace_all(".", "", literal=True),
            pl.col("birth").dt.strftime("%d%m%y"),
            serial,
        ]
    )
    df = df.with_columns(
        nik=nik,
        name=pl.concat_str(
            [
                (pl.col("id") % len(first)).replace_strict(
                    dict(enumerate(first)), return_dtype=pl.String
                ),
                (pl.col("id") // 10 % len(last)).replace_strict(
                    dict(enumerate(last)), return_dtype=pl.String
                ),
            ],
            separator=" ",
        ),
    )
    # NIKs must be unique here: append a serial disambiguation where two people collide
    df = df.with_columns(
        nik=pl.when(pl.col("nik").is_duplicated())
        .then(pl.col("nik").str.slice(0, 12) + (pl.col("id") % 10000).cast(pl.String).str.zfill(4))
        .otherwise(pl.col("nik"))
    ).unique("nik", keep="first")
    return df.select(
        "id",
        "nik",
        "name",
        name_norm=pl.col("name").str.to_lowercase(),
        birth_date=pl.col("birth"),
        sex=pl.when(pl.col("id") % 2 == 0).then(pl.lit("L")).otherwise(pl.lit("P")),
        province_code=pl.lit("96"),
        regency_code=pl.lit("96.71"),
        district_code="district_code",
        village_code=pl.col("district_code") + ".1001",
        phone=pl.lit("+62812") + pl.col("id").cast(pl.String).str.zfill(8),
        desil=(pl.col("id") % 10 + 1).cast(pl.Int16),
        registered_on=pl.lit(dt.date(2024, 1, 2)),
    )


def load(url: str, n: int, reuse: bool = False) -> tuple[list[str], str]:
    """Migrate, bulk-load people, memberships and coverage; return sample NIKs and a token.
    With ``reuse`` and a store already holding ``n`` people, only a new token is made."""
    engine = make_engine(url)
    migrate(engine)
    if reuse:
        with engine.connect() as conn:
            have = conn.execute(text("SELECT count(*) FROM person")).scalar_one()
            sample = [
                r[0] for r in conn.execute(text("SELECT nik FROM person ORDER BY id LIMIT 5000"))
            ]
        if have == n:
            print(f"  reusing {have:,} people")
            return sample, _token(engine)
    t0 = time.perf_counter()
    people = people_frame(n)
    covered = people.filter(pl.col("id") % 10 < 6).select("id")
    members = covered.select(
        id=pl.col("id"),
        program_id=pl.lit(1),
        person_id=pl.col("id"),
        segment=pl.lit("bpu"),
        income_base=pl.lit(1_000_000, dtype=pl.Int64),
        with_jht=pl.lit(False),
        state=pl.lit("active"),
        start_month=pl.lit(dt.date(2024, 1, 1)),
    )
    periods = covered.select(
        id=pl.col("id"),
        membership_id=pl.col("id"),
        person_id=pl.col("id"),
        program_id=pl.lit(1),
        segment=pl.lit("bpu"),
        start_date=pl.lit(dt.date(2024, 1, 1)),
        end_date=pl.lit(dt.date(2024, 12, 31)),
    )
    with engine.begin() as conn:
        insert_frame(conn, "person", people)
        conn.execute(
            text(
                "INSERT INTO program (id, name, funder_type, funder_region, fiscal_year, budget, "
                "segment, income_base, with_jht, period_start, period_end, rules, created_at) "
                "VALUES (1, 'Bench 2024', 'apbd', '96.71', 2024, 120000000000, 'bpu', 1000000, "
                ":f, '2024-01-01', '2024-12-31', '{}', CURRENT_TIMESTAMP)"
            ),
            {"f": False},
        )
        insert_frame(conn, "membership", members)
        insert_frame(conn, "coverage_period", periods)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    load_s = time.perf_counter() - t0
    token = _token(engine)
    sample = people["nik"].sample(5000, seed=1).to_list()
    engine.dispose()
    print(f"  loaded {people.height:,} people, {members.height:,} memberships in {load_s:.1f} s")
    return sample, token


def _token(engine) -> str:  # type: ignore[no-untyped-def]
    from jaring.web import accounts

    accounts.ensure_admin(engine)
    admin = next(u for u in accounts.list_users(engine) if u["username"] == "admin")
    return str(accounts.create_token(engine, accounts.principal_of(admin), "bench")["token"])


SERVER = """
import sys, uvicorn
sys.path.insert(0, {src!r})
from jaring.store import make_engine
from jaring.web.app import create_app
uvicorn.run(create_app(make_engine({url!r})), host="127.0.0.1", port={port}, log_level="error",
            access_log=False)
"""


BARE = """
import sqlite3, threading, uvicorn
from fastapi import FastAPI
app = FastAPI()
local = threading.local()
@app.get("/nik/{{nik}}")
async def nik(nik: str):
    con = getattr(local, "con", None) or sqlite3.connect({path!r}, check_same_thread=False)
    local.con = con
    rows = con.execute("SELECT id, nik, name FROM person WHERE nik = ?", (nik,)).fetchall()
    return {{"people": [dict(zip(("id", "nik", "name"), r)) for r in rows]}}
uvicorn.run(app, host="127.0.0.1", port={port}, log_level="error", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, bare: str | None = None) -> tuple[subprocess.Popen, int]:
    port = free_port()
    code = (
        BARE.format(path=bare, port=port)
        if bare
        else SERVER.format(src=str(ROOT / "src"), url=url, port=port)
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


async def _worker(
    port: int, paths, token: str, stop: float, lat: list[float], errors: list[int]
) -> None:  # type: ignore[no-untyped-def]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop:
            path = next(paths)
            req = (
                f"GET {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
                "Accept: application/json\r\n\r\n"
            ).encode()
            t0 = time.perf_counter()
            writer.write(req)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length:
                await reader.readexactly(length)
            lat.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


def drive(
    port: int, paths: list[str], token: str, seconds: float, connections: int
) -> dict[str, float]:
    import itertools

    cycle = itertools.cycle(paths)
    lat: list[float] = []
    errors: list[int] = []

    async def main() -> float:
        # warm-up: one request per connection path, not measured
        w: list[float] = []
        await _worker(port, itertools.cycle(paths[:50]), token, time.perf_counter() + 0.5, w, [])
        start = time.perf_counter()
        stop = start + seconds
        await asyncio.gather(
            *(_worker(port, cycle, token, stop, lat, errors) for _ in range(connections))
        )
        return time.perf_counter() - start

    elapsed = asyncio.run(main())
    lat.sort()
    return {
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50_ms": lat[len(lat) // 2] * 1000,
        "p99_ms": lat[int(len(lat) * 0.99)] * 1000,
        "errors": len(errors),
    }


def cold_dashboard(url: str, token: str, port: int) -> float:
    """One dashboard request with an empty cache (a new date): the cost of the queries."""
    import urllib.request

    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/dashboard?on=2024-07-15",
        headers={"Authorization": f"Bearer {token}"},
    )
    t0 = time.perf_counter()
    urllib.request.urlopen(req).read()
    return (time.perf_counter() - t0) * 1000


def run_dialect(
    name: str, url: str, args: argparse.Namespace
) -> list[tuple[str, str, dict[str, float]]]:
    print(f"{name}:")
    niks, token = load(url, args.people, args.reuse)
    proc, port = start_server(url)
    rows = []
    try:
        lookups = [f"/api/v1/people/by-nik/{n}" for n in niks]
        rows.append(
            (name, "NIK look-up", drive(port, lookups, token, args.seconds, args.connections))
        )
        cold = cold_dashboard(url, token, port)
        dash = drive(
            port, ["/api/v1/dashboard?on=2024-06-01"], token, args.seconds / 2, args.connections
        )
        dash["cold_ms"] = cold
        rows.append((name, "dashboard", dash))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if name == "SQLite" and args.bare:
        # the same machine, load and client against a bare FastAPI + sqlite3 look-up (no
        # auth, no ORM, no scope): the ceiling this machine allows right now
        proc, port = start_server(url, bare=url.removeprefix("sqlite:///"))
        try:
            rows.append(
                (
                    name,
                    "bare look-up",
                    drive(
                        port, [f"/nik/{n}" for n in niks], token, args.seconds / 2, args.connections
                    ),
                )
            )
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument("--reuse", action="store_true", help="keep and reuse the generated stores")
    ap.add_argument("--bare", action="store_true", help="also measure a bare FastAPI look-up")
    args = ap.parse_args()
    assert args.seconds * 1.5 * 2 <= 30, "keep the measured load under 30 s"
    DATA.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.only in (None, "sqlite"):
        db = DATA / "web_load.db"
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
        rows += run_dialect("SQLite", f"sqlite:///{db}", args)
    if args.only in (None, "postgresql"):
        name = "jaring_bench_web"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            exists = c.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if not (args.reuse and exists):
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            rows += run_dialect("PostgreSQL", PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", args)
        finally:
            if not args.reuse:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print()
    print(
        f"{'store':<11} {'endpoint':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'cold ms':>8}"
    )
    for store, endpoint, r in rows:
        cold = f"{r['cold_ms']:8.0f}" if "cold_ms" in r else f"{'':>8}"
        print(
            f"{store:<11} {endpoint:<12} {r['requests']:>9,} {r['rps']:>8,.0f} "
            f"{r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f} {r['errors']:>6} {cold}"
        )
    print(
        f"\n{args.people:,} people; {args.connections} connections; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )


if __name__ == "__main__":
    main()
