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
import re
import resource
import shutil
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
    from jaring.access import Actor
    from jaring.accounts import actions, queries

    actions.ensure_admin(engine)
    admin = next(u for u in queries.list_users(engine, Actor.system()) if u.username == "admin")
    return actions.create_token(engine, admin.actor(), "bench").token


SERVER = """
import os, sys, uvicorn
sys.path.insert(0, {src!r})
os.environ["PYTHONPATH"] = {src!r}
os.environ["JARING_DATABASE_URL"] = {url!r}
uvicorn.run("jaring.web.app:app_from_env", factory=True, host="127.0.0.1", port={port},
            log_level="error", access_log=False, workers={workers})
"""

# The machine's ceiling: FastAPI + sqlite3, one query, no auth, no scope, no SQLAlchemy. Written
# as a module (not ``-c``) so that uvicorn can start it with the same ``--workers``.
BARE = """
import os, sqlite3, threading
from fastapi import FastAPI
app = FastAPI()
local = threading.local()
PATH = os.environ["JARING_BARE_DB"]
@app.get("/nik/{nik}")
async def nik(nik: str):
    con = getattr(local, "con", None) or sqlite3.connect(PATH, check_same_thread=False)
    local.con = con
    rows = con.execute("SELECT id, nik, name FROM person WHERE nik = ?", (nik,)).fetchall()
    return {"people": [dict(zip(("id", "nik", "name"), r)) for r in rows]}
"""

BARE_SERVER = """
import os, uvicorn
os.environ["JARING_BARE_DB"] = {path!r}
uvicorn.run("web_bare_app:app", app_dir={dir!r}, host="127.0.0.1", port={port},
            log_level="error", access_log=False, workers={workers})
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    url: str, bare: str | None = None, workers: int = 1
) -> tuple[subprocess.Popen, int]:  # type: ignore[type-arg]
    port = free_port()
    if bare:
        (DATA / "web_bare_app.py").write_text(BARE)
        code = BARE_SERVER.format(path=bare, dir=str(DATA), port=port, workers=workers)
    else:
        code = SERVER.format(src=str(ROOT / "src"), url=url, port=port, workers=workers)
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            if workers > 1:
                time.sleep(3)  # let every worker finish importing before measuring
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("server did not start")


def stop_server(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the server process and its worker processes so far,
    from /proc (0.0 where /proc is missing)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    proc = Path("/proc")
    if not proc.exists():
        return 0.0
    family = {pid}
    stats: dict[int, list[str]] = {}
    for d in proc.iterdir():
        if d.name.isdigit():
            try:
                raw = (d / "stat").read_text()
            except OSError:
                continue
            stats[int(d.name)] = raw[raw.rindex(")") + 2 :].split()
    changed = True
    while changed:  # the process tree below pid (uvicorn's supervisor, its workers)
        changed = False
        for p, f in stats.items():
            if p not in family and int(f[1]) in family:
                family.add(p)
                changed = True
    for p in family:
        f = stats.get(p)
        if f:
            total += int(f[11]) + int(f[12])  # utime, stime
    return total / tick


# --- the load generators ---------------------------------------------------------------------


WRK_SCRIPT = """
local paths = {{{paths}}}
local reqs = {{}}
local n = #paths
local i = 0
function init(args)
  for k = 1, n do reqs[k] = wrk.format(nil, paths[k]) end
  i = math.random(n) - 1
end
function request()
  i = i % n + 1
  return reqs[i]
end
"""


def _wrk_ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        raise ValueError(f"wrk latency {value!r}")
    return float(m[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[m[2]]


def drive_wrk(
    pid: int,
    port: int,
    paths: list[str],
    token: str,
    seconds: float,
    connections: int,
    threads: int,
    warmup: float = 1.0,
) -> dict[str, float]:
    """wrk (C, event loop per thread) drives the server: it needs a fraction of the CPU our
    Python client needs, so more of the 2 cores go to the server being measured."""
    script = DATA / "web_load.lua"
    script.write_text(WRK_SCRIPT.format(paths=", ".join(f'"{p}"' for p in paths)))
    base = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        "-H",
        f"Authorization: Bearer {token}",
        "-H",
        "Accept: application/json",
        "--latency",
        "-s",
        str(script),
    ]
    url = f"http://127.0.0.1:{port}"
    # warm-up, not measured: 1 s, or 3 s with several workers (each worker computes its own
    # cold dashboard, about a second on 1M people, before it answers from its cache)
    subprocess.run([*base, f"-d{warmup:g}s", url], check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0 = server_cpu(pid)
    run = subprocess.run(
        [*base, f"-d{seconds:g}s", url], check=True, capture_output=True, text=True
    )
    out = run.stdout
    cpu1 = server_cpu(pid)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if not done or "50" not in pct or "99" not in pct:
        raise RuntimeError(f"could not read wrk's output:\n{out}\n{run.stderr}")
    elapsed = float(done[2]) * (60 if done[3] == "m" else 1)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad[1]) if bad else 0
    if sock:
        errors += sum(int(x) for x in sock.groups())
    return {
        "requests": int(done[1]),
        "rps": int(done[1]) / elapsed,
        "p50_ms": _wrk_ms(pct["50"]),
        "p99_ms": _wrk_ms(pct["99"]),
        "errors": errors,
        "client_cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "server_cpu": cpu1 - cpu0,
    }


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


def drive_python(
    pid: int, port: int, paths: list[str], token: str, seconds: float, connections: int
) -> dict[str, float]:
    """The fallback client: keep-alive HTTP/1.1 on raw asyncio sockets in this process. It
    takes a large share of the 2 cores from the server, so its figures are lower than wrk's."""
    import itertools

    cycle = itertools.cycle(paths)
    lat: list[float] = []
    errors: list[int] = []

    async def main() -> float:
        # warm-up, not measured
        w: list[float] = []
        await _worker(port, itertools.cycle(paths[:50]), token, time.perf_counter() + 0.5, w, [])
        cpu[0] = server_cpu(pid)
        start = time.perf_counter()
        stop = start + seconds
        await asyncio.gather(
            *(_worker(port, cycle, token, stop, lat, errors) for _ in range(connections))
        )
        return time.perf_counter() - start

    cpu = [0.0]
    before = resource.getrusage(resource.RUSAGE_SELF)
    elapsed = asyncio.run(main())
    server = server_cpu(pid) - cpu[0]
    after = resource.getrusage(resource.RUSAGE_SELF)
    lat.sort()
    return {
        "requests": len(lat),
        "rps": len(lat) / elapsed,
        "p50_ms": lat[len(lat) // 2] * 1000,
        "p99_ms": lat[int(len(lat) * 0.99)] * 1000,
        "errors": len(errors),
        "client_cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "server_cpu": server,
    }


def drive(
    proc: subprocess.Popen,  # type: ignore[type-arg]
    port: int,
    paths: list[str],
    token: str,
    seconds: float,
    args: argparse.Namespace,
) -> dict[str, float]:
    """One measured run with the chosen client (after an unmeasured warm-up), with the CPU
    seconds the server and the client spent during it."""
    if args.client == "wrk":
        warmup = 1.0 if args.workers == 1 else 3.0
        return drive_wrk(
            proc.pid, port, paths, token, seconds, args.connections, args.threads, warmup
        )
    return drive_python(proc.pid, port, paths, token, seconds, args.connections)


def cold_dashboard(path: str, token: str, port: int) -> float:
    """One dashboard request with an empty cache (a date not asked before): the cost of the
    queries. It also fills the cache that the measured requests then read."""
    import urllib.request

    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Authorization": f"Bearer {token}"},
    )
    t0 = time.perf_counter()
    urllib.request.urlopen(req).read()
    return (time.perf_counter() - t0) * 1000


def run_dialect(
    name: str, url: str, args: argparse.Namespace
) -> list[tuple[str, str, dict[str, float]]]:
    print(f"{name}:", flush=True)
    niks, token = load(url, args.people, args.reuse)
    rows = []
    if "lookup" in args.endpoints or "dashboard" in args.endpoints:
        proc, port = start_server(url, workers=args.workers)
        try:
            if "lookup" in args.endpoints:
                lookups = [f"/api/v1/people/by-nik/{n}" for n in niks]
                rows.append(
                    (name, "NIK look-up", drive(proc, port, lookups, token, args.seconds, args))
                )
            if "dashboard" in args.endpoints:
                path = "/api/v1/dashboard?on=2024-06-01"
                cold = cold_dashboard(path, token, port)
                dash = drive(proc, port, [path], token, args.seconds / 2, args)
                dash["cold_ms"] = cold
                rows.append((name, "dashboard", dash))
        finally:
            stop_server(proc)
    if name == "SQLite" and args.bare:
        # the same machine, load and client against a bare FastAPI + sqlite3 look-up (no
        # auth, no ORM, no scope): the ceiling this machine allows right now
        proc, port = start_server(url, bare=url.removeprefix("sqlite:///"), workers=args.workers)
        try:
            bare_paths = [f"/nik/{n}" for n in niks]
            rows.append(
                (name, "bare look-up", drive(proc, port, bare_paths, token, args.seconds / 2, args))
            )
        finally:
            stop_server(proc)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument(
        "--endpoints",
        default="lookup,dashboard",
        help="comma-separated: lookup, dashboard (default both)",
    )
    ap.add_argument("--reuse", action="store_true", help="keep and reuse the generated stores")
    ap.add_argument("--bare", action="store_true", help="also measure a bare FastAPI look-up")
    ap.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk when installed (auto), else the Python client",
    )
    ap.add_argument("--threads", type=int, default=1, help="wrk threads")
    ap.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    args = ap.parse_args()
    args.endpoints = {e.strip() for e in args.endpoints.split(",") if e.strip()}
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "python"
    assert args.seconds * 1.5 * 2 <= 30, "keep the measured load under 30 s"
    DATA.mkdir(parents=True, exist_ok=True)
    load0 = os.getloadavg()
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
    load1 = os.getloadavg()
    print()
    print(
        f"{'store':<11} {'endpoint':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6} {'cold ms':>8} {'srv CPU s':>9} {'ms CPU/req':>10} "
        f"{'client CPU s':>12}"
    )
    for store, endpoint, r in rows:
        cold = f"{r['cold_ms']:8.0f}" if "cold_ms" in r else f"{'':>8}"
        print(
            f"{store:<11} {endpoint:<12} {r['requests']:>9,} {r['rps']:>8,.0f} "
            f"{r['p50_ms']:>7.2f} {r['p99_ms']:>7.2f} {r['errors']:>6} {cold} "
            f"{r['server_cpu']:>9.2f} {1000 * r['server_cpu'] / max(r['requests'], 1):>10.3f} "
            f"{r['client_cpu']:>12.2f}"
        )
    client = (
        f"wrk ({args.threads} thread{'s' if args.threads > 1 else ''})"
        if args.client == "wrk"
        else "Python asyncio client (in the bench process)"
    )
    print(
        f"\n{args.people:,} people; client: {client}, {args.connections} connections; "
        f"server: {args.workers} uvicorn worker process{'es' if args.workers > 1 else ''}; "
        f"load average {load0[0]:.2f} before, {load1[0]:.2f} after; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print("Goals: look-up >= 2,000 req/s with p99 < 20 ms; dashboard p99 < 300 ms.")


if __name__ == "__main__":
    main()
