"""Tolerant name search: recall and latency on synthetic people, SQLite and PostgreSQL.

    PYTHONPATH=src python bench/web_search.py [--people 100000] [--queries 300] [--only sqlite]

For each dialect (SQLite file under ``bench/data/``, PostgreSQL database created and dropped
on 127.0.0.1) it bulk-loads ``--people`` synthetic people with three-part names, a quarter of
them with a second name they were also listed under (an alias, as a merged row gives),
builds the trigram index (``store.search``: FTS5 trigram / pg_trgm), then asks
``registry.queries.search.by_name`` for ``--queries`` names written wrong: one or two
letters changed, dropped or swapped, or the parts in another order, some by the alias.
Prints the share of queries with the right person in the first 10 (recall@10), the
p50/p95 latency and the CPU time of this process per query (the SQLite engine runs in it;
and on PostgreSQL the server's backends' CPU from ``/proc``), with the load average. Generated data only; nothing real.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

import polars as pl
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from jaring.access import Actor  # noqa: E402
from jaring.registry.queries import search  # noqa: E402
from jaring.store import make_engine, migrate  # noqa: E402
from jaring.store import search as index  # noqa: E402
from jaring.store.bulk import insert_frame  # noqa: E402
from registry_common import pids_cpu  # noqa: E402

DATA = ROOT / "bench" / "data"
PG_ADMIN = os.environ.get("JARING_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SYLLABLES = [
    "ma",
    "ri",
    "a",
    "yo",
    "ha",
    "na",
    "ku",
    "wa",
    "ti",
    "ra",
    "se",
    "sa",
    "ba",
    "ni",
    "ke",
    "lo",
    "pe",
    "du",
    "me",
    "ta",
    "wi",
    "ru",
    "bo",
    "si",
    "ya",
    "no",
    "go",
    "de",
    "la",
    "fa",
    "ro",
    "mu",
    "bi",
    "sa",
    "ka",
    "pu",
    "ne",
    "to",
    "wu",
    "ja",
    "di",
    "li",
]


def names(n: int, rng: random.Random) -> list[str]:
    """``n`` three-part names of 2-3 syllable words (Papua- and Malay-sounding, made up)."""

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3, 3))))

    return [" ".join(word() for _ in range(3)) for _ in range(n)]


def misspell(name: str, rng: random.Random) -> str:
    """One or two typing mistakes, or the parts reordered."""
    kind = rng.random()
    if kind < 0.25:
        parts = name.split()
        rng.shuffle(parts)
        return " ".join(parts)
    s = list(name)
    for _ in range(1 if kind < 0.7 else 2):
        i = rng.randrange(len(s))
        while s[i] == " ":
            i = rng.randrange(len(s))
        op = rng.choice(("sub", "del", "swap"))
        if op == "sub":
            s[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif op == "del" and len(s) > 5:
            del s[i]
        elif i + 1 < len(s) and s[i + 1] != " ":
            s[i], s[i + 1] = s[i + 1], s[i]
    return "".join(s)


def load(engine, n: int, rng: random.Random) -> tuple[list[str], dict[int, str]]:  # type: ignore[no-untyped-def]
    own = names(n, rng)
    aliases = {pid: names(1, rng)[0] for pid in rng.sample(range(1, n + 1), n // 4)}
    people = pl.DataFrame(
        {
            "id": list(range(1, n + 1)),
            "nik": [None] * n,
            "name": [x.title() for x in own],
            "name_norm": own,
            "province_code": ["96"] * n,
            "regency_code": ["96.71"] * n,
            "district_code": [f"96.71.{(i % 10) + 1:02d}" for i in range(n)],
            "registered_on": [None] * n,
        }
    ).with_columns(pl.lit("2024-01-02").str.to_date().alias("registered_on"))
    alias_frame = pl.DataFrame(
        {
            "person_id": list(range(1, n + 1)) + list(aliases),
            "name": own + list(aliases.values()),
        }
    ).with_row_index("id", offset=1)
    with engine.begin() as conn:
        insert_frame(conn, "person", people.with_columns(pl.col("nik").cast(pl.String)))
        insert_frame(conn, "person_alias", alias_frame.with_columns(pl.col("id").cast(pl.Int64)))
        t = time.perf_counter()
        index.reindex(conn)
        print(f"  index built in {time.perf_counter() - t:.1f} s")
    return own, aliases


def _server_pids(engine) -> list[int]:  # type: ignore[no-untyped-def]
    """The PostgreSQL backends serving this benchmark's database (none on SQLite)."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as c:
        return [
            int(p)
            for p in c.execute(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_type = 'client backend'"
                )
            ).scalars()
        ]


def _server_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) of the backends ``pids`` so far, from ``/proc`` (the
    server runs on this machine); 0 for a backend that cannot be read."""
    return pids_cpu(pids)


def run(engine, n: int, queries: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    t = time.perf_counter()
    own, aliases = load(engine, n, rng)
    print(f"  loaded {n:,} people, {len(aliases):,} aliases in {time.perf_counter() - t:.1f} s")
    actor = Actor.system()
    search.by_name(engine, actor, "warm up", limit=10)
    pids = _server_pids(engine)
    server0 = _server_cpu(pids)
    hits, times, cpu = 0, [], []
    for _ in range(queries):
        pid = rng.randrange(1, n + 1)
        target = aliases[pid] if pid in aliases and rng.random() < 0.5 else own[pid - 1]
        q = misspell(target, rng)
        t0, c0 = time.perf_counter(), time.process_time()
        found = search.by_name(engine, actor, q, limit=10)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        hits += any(f.person.id == pid for f in found)
    server = _server_cpu(pids) - server0
    times.sort()
    cpu.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    cpu95 = cpu[int(0.95 * (len(cpu) - 1))]
    print(
        f"  recall@10 {hits / queries:.1%} over {queries} misspelt names; "
        f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms; "
        f"CPU of this process per query p50 {statistics.median(cpu):.1f} ms, p95 {cpu95:.1f} ms; "
        + (
            f"PostgreSQL server CPU {server * 1000 / queries:.1f} ms a query (mean, "
            f"{len(pids)} backend(s), /proc, 10 ms ticks); "
            if pids
            else ""
        )
        + f"load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.only != "postgresql":
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / "web_search.db"
        for p in DATA.glob("web_search.db*"):
            p.unlink()
        engine = make_engine(f"sqlite:///{path}")
        migrate(engine)
        print(f"SQLite (FTS5 trigram), {args.people:,} people")
        run(engine, args.people, args.queries, args.seed)
        engine.dispose()
        for p in DATA.glob("web_search.db*"):
            p.unlink()
    if args.only != "sqlite":
        name = f"jaring_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            engine = make_engine(f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}")
            migrate(engine)
            print(f"PostgreSQL (pg_trgm), {args.people:,} people")
            run(engine, args.people, args.queries, args.seed)
            engine.dispose()
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
