"""A national instance on PostgreSQL at size: people, memberships and invoice lines loaded
into a store partitioned by province, then the web look-up and the dashboard measured.

    flock /work/notes/bench.lock nice -n 10 python bench/national_pg.py \\
        [--people 10000000] [--lines 100000000] [--runs 200] [--keep]

Creates the database ``bench_partition_national`` (dropped at the end unless ``--keep``),
migrates it with ``partition_by_province`` (``store.partition``: invoice lines partitioned
by the paying Pemda's province), and loads everything in SQL, never a row through Python:
``--people`` people over the 38 provinces (10 regencies of 10 districts each, unique
synthetic NIKs and three-part names of 40 syllables), their names in ``person_alias`` and
its trigram index, one membership each in their province's program, a coverage period
for 60% of them, and ``--lines`` / ``--people`` monthly invoices per program issued
through the ``invoice`` table (the trigger draws the ids) with one line per membership,
written invoice by invoice in key order (``INSERT ... SELECT``, as billing writes them).

Then, in-process through the web app (FastAPI's TestClient, signed in as an
administrator): the NIK look-up (``/api/v1/people/by-nik``), the name search (``/people?q=``
with one letter wrong), the person page (``/people/{id}``) and the dashboard (``/``: its
query cold, for the nation and for one province's officer, and the page as served);
p50/p95 wall, the benchmark's CPU and the database server's CPU per request. Load time per
step (wall and server CPU), the size on disk per table and partition pruning (EXPLAIN of one
invoice's lines) are printed too. Generated data only; nothing real.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from jaring.access import Actor  # noqa: E402
from jaring.accounts import actions, queries  # noqa: E402
from jaring.coverage.queries.dashboard import dashboard  # noqa: E402
from jaring.registry.queries.search import by_name, find  # noqa: E402
from jaring.store import make_engine, migrate, partition  # noqa: E402
from jaring.store import search as name_index  # noqa: E402
from jaring.store.tables.web import web_user  # noqa: E402
from jaring.web.app import create_app  # noqa: E402
from jaring.web.dashboard import invalidate  # noqa: E402
from registry_common import pids_cpu  # noqa: E402

PG_ADMIN = os.environ.get("JARING_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DB_NAME = os.environ.get("JARING_BENCH_DB", "bench_partition_national")
PASSWORD = "bench-rahasia-123"
SYLLABLES = [
    "ba",
    "ka",
    "la",
    "ma",
    "na",
    "pa",
    "ra",
    "sa",
    "ta",
    "wa",
    "bi",
    "di",
    "gi",
    "ki",
    "li",
    "mi",
    "ni",
    "ri",
    "si",
    "ti",
    "bu",
    "du",
    "gu",
    "ku",
    "lu",
    "mu",
    "nu",
    "ru",
    "su",
    "tu",
    "be",
    "de",
    "ke",
    "le",
    "me",
    "ne",
    "re",
    "se",
    "te",
    "we",
]
MONTH0 = dt.date(2025, 1, 1)


def server_cpu(eng: Engine) -> float:
    """CPU seconds (user + system) of every server process of the bench database so far."""
    with eng.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        return pids_cpu(list(pids))


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


PEOPLE_ONLY = ("programs", "people", "memberships", "coverage_periods")


def load(eng: Engine, people: int, months: int, *, people_only: bool = False) -> dict[str, Any]:
    """Fill the store in SQL; per step its wall and server CPU seconds. ``people_only``: the
    programs, people, memberships and coverage periods (what the dashboard reads), no names
    index, invoices or lines."""
    steps: dict[str, Any] = {}
    provs = list(partition.PROVINCES)
    syl = "ARRAY[" + ",".join(f"'{s}'" for s in SYLLABLES) + "]"
    word = (
        f"initcap(({syl})[1 + (({{v}}) % 40)] || ({syl})[1 + (({{v}}) / 40 % 40)] "
        f"|| ({syl})[1 + (({{v}}) / 1600 % 40)])"
    )
    # three words: first from g's low digits, then the next, then the next (unique for g)
    name = " || ' ' || ".join(
        [word.format(v="g"), word.format(v="g / 64000"), word.format(v="(g * 7919) % 64000")]
    )
    prov_arr = "ARRAY[" + ",".join(f"'{p}'" for p in provs) + "]"
    sqls: list[tuple[str, str]] = [
        (
            "programs",
            "INSERT INTO program (name, funder_type, funder_region, fiscal_year, budget, "
            "segment, income_base, with_jht, with_jp, period_start, period_end, rules) "
            "SELECT 'Program provinsi ' || p, 'apbd', p, 2025, 1000000000000, 'bpu', "
            f"1000000, false, false, DATE '2025-01-01', DATE '2025-12-31', '{{}}' "
            f"FROM unnest({prov_arr}) p",
        ),
        (
            "people",
            "INSERT INTO person (id, nik, name, name_norm, birth_date, sex, province_code, "
            "regency_code, district_code, village_code, address, phone, occupation, desil, "
            "registered_on) "
            "SELECT g, pr || lpad((1 + g / 38 % 10)::text, 2, '0') "
            "|| lpad((1 + g / 380 % 10)::text, 2, '0') || lpad(g::text, 10, '0'), "
            f"nm, lower(nm), DATE '1960-01-01' + (g * 37 % 16000)::integer, "
            "CASE WHEN g % 2 = 0 THEN 'L' ELSE 'P' END, pr, "
            "pr || '.' || lpad((1 + g / 38 % 10)::text, 2, '0'), "
            "pr || '.' || lpad((1 + g / 38 % 10)::text, 2, '0') || '.' "
            "|| lpad((1 + g / 380 % 10)::text, 2, '0'), NULL, 'Jl. Uji ' || g, "
            "'+62812' || lpad(g::text, 8, '0'), 'pedagang', (1 + g % 10)::smallint, "
            "DATE '2023-01-01' + (g % 365)::integer "
            f"FROM (SELECT g, ({prov_arr})[1 + g % 38] AS pr, {name} AS nm "
            f"FROM generate_series(1::bigint, {people}) g) s",
        ),
        (
            "person_alias",
            "INSERT INTO person_alias (id, person_id, name) "
            "SELECT id, id, name_norm FROM person ORDER BY id",
        ),
        (
            "memberships",
            "INSERT INTO membership (id, program_id, person_id, segment, income_base, "
            "with_jht, state, start_month) "
            "SELECT p.id, g.id, p.id, 'bpu', 1000000, false, 'active', DATE '2025-01-01' "
            "FROM person p JOIN program g ON g.funder_region = p.province_code ORDER BY p.id",
        ),
        (
            "coverage_periods",
            "INSERT INTO coverage_period (id, membership_id, person_id, program_id, segment, "
            "start_date, end_date) SELECT id, id, person_id, program_id, 'bpu', "
            f"DATE '2025-01-01', DATE '2025-01-01' + interval '{months} months' - interval "
            "'1 day' FROM membership WHERE id % 10 < 6 ORDER BY id",
        ),
        (
            "invoices",
            "INSERT INTO invoice (number, program_id, month, lines, amount) "
            "SELECT 'INV-' || g.id || '-' || to_char(m, 'YYYY-MM'), g.id, m, 0, 0 "
            "FROM program g, generate_series(DATE '2025-01-01', DATE '2025-01-01' + "
            f"interval '{months - 1} months', interval '1 month') m ORDER BY g.id, m",
        ),
    ]
    for label, sql in sqls:
        if people_only and label not in PEOPLE_ONLY:
            continue
        steps[label] = _timed(eng, [sql])
        print(f"  {label}: {steps[label]}", flush=True)
    if people_only:
        steps["sequences"] = _timed(
            eng,
            [
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                for t in ("person", "membership", "coverage_period")
            ],
        )
        # statistics and the visibility map (index-only scans), as autovacuum leaves them
        steps["vacuum_analyze"] = _timed(eng, ["VACUUM ANALYZE"], autocommit=True)
        return steps
    with eng.connect() as conn:
        invoices = conn.execute(text("SELECT id, program_id FROM invoice ORDER BY id")).fetchall()
    # invoice lines: one INSERT ... SELECT per invoice, each in key order (billing's way)
    line_sqls = [
        "INSERT INTO invoice_line (invoice_id, membership_id, jkk, jkm, jht, amount, paid) "
        f"SELECT {int(i)}, m.id, 2400, 6800, 0, 9200, CASE WHEN m.id % 10 < 6 THEN 9200 ELSE 0 "
        f"END FROM membership m WHERE m.program_id = {int(p)} ORDER BY m.id"
        for i, p in invoices
    ]
    steps["invoice_lines"] = _timed(eng, line_sqls, progress=True)
    print(f"  invoice_lines: {steps['invoice_lines']}", flush=True)
    steps["invoice_totals"] = _timed(
        eng,
        [
            "UPDATE invoice i SET lines = s.n, amount = s.a FROM (SELECT invoice_id, count(*) n, "
            "sum(amount) a FROM invoice_line GROUP BY invoice_id) s WHERE s.invoice_id = i.id"
        ],
    )
    steps["sequences"] = _timed(
        eng,
        [
            f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
            for t in ("person", "person_alias", "membership", "coverage_period")
        ],
    )
    t0, c0 = time.perf_counter(), server_cpu(eng)
    with eng.begin() as conn:
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        name_index.ensure(conn)  # the trigram index the search creates on first use
    steps["trigram_index"] = {
        "wall_s": round(time.perf_counter() - t0, 1),
        "server_cpu_s": round(server_cpu(eng) - c0, 1),
    }
    print(f"  trigram_index: {steps['trigram_index']}", flush=True)
    steps["word_index"] = word_index(eng)
    # statistics for the planner (a sample per table); the vacuum that sets the visibility
    # map is left to autovacuum, as after any bulk load
    steps["analyze"] = _timed(eng, ["ANALYZE"], autocommit=True)
    return steps


def word_index(eng: Engine) -> dict[str, float]:
    """The word index of the names in ``person_alias`` built whole (``store.search.reindex``,
    what the first name search after an import runs once it has written the names) and the
    names marked indexed: wall, server CPU, the benchmark's CPU (Polars splits the names into
    words here) and its peak memory."""
    t0, c0, o0 = time.perf_counter(), server_cpu(eng), own_cpu()
    with eng.begin() as conn:
        conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        name_index.reindex(conn)
        conn.execute(text("DELETE FROM search_dirty"))
        conn.execute(
            text(
                "INSERT INTO web_setting (key, value) VALUES ('search:mark', :v) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {
                "v": json.dumps(
                    {
                        "person": conn.execute(text("SELECT max(id) FROM person")).scalar(),
                        "row": 0,
                    }
                )
            },
        )
    out = {
        "wall_s": round(time.perf_counter() - t0, 1),
        "server_cpu_s": round(server_cpu(eng) - c0, 1),
        "client_cpu_s": round(own_cpu() - o0, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(f"  word_index: {out}", flush=True)
    return out


def _timed(
    eng: Engine, sqls: list[str], *, progress: bool = False, autocommit: bool = False
) -> dict[str, float]:
    t0 = time.perf_counter()
    c0 = server_cpu(eng)
    opts = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    with eng.connect().execution_options(**opts) as conn:
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        for n, sql in enumerate(sqls, 1):
            conn.execute(text(sql))
            if not autocommit:
                conn.commit()
            if progress and n % 20 == 0:
                print(f"    {n}/{len(sqls)} {time.perf_counter() - t0:.0f} s", flush=True)
        c1 = server_cpu(eng)
    return {"wall_s": round(time.perf_counter() - t0, 1), "server_cpu_s": round(c1 - c0, 1)}


def sizes(eng: Engine) -> dict[str, Any]:
    with eng.connect() as conn:
        db = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        tables = conn.execute(
            text(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace "
                "AND NOT c.relispartition ORDER BY 2 DESC LIMIT 8"
            )
        ).fetchall()
        parts = conn.execute(
            text(
                "SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits "
                "WHERE inhparent = 'invoice_line'::regclass"
            )
        ).scalar_one()
        biggest = conn.execute(
            text(
                "SELECT inhrelid::regclass::text, pg_total_relation_size(inhrelid) "
                "FROM pg_inherits WHERE inhparent = 'invoice_line'::regclass "
                "ORDER BY 2 DESC LIMIT 1"
            )
        ).one()
    gib = 1024**3
    return {
        "database_gib": round(db / gib, 2),
        "tables_gib": {t: round(s / gib, 2) for t, s in tables if s},
        "invoice_line_partitions_gib": round(int(parts or 0) / gib, 2),
        "largest_partition": [biggest[0], round(biggest[1] / gib, 2)],
    }


def measure(eng: Engine, label: str, fn: Callable[[int], Any], runs: int) -> dict[str, float]:
    """p50/p95 wall ms of ``fn(i)`` over ``runs`` calls; CPU ms per call of this process
    and of the database server."""
    fn(0)  # a first call outside the figures (connections, templates)
    walls = []
    c0, s0 = own_cpu(), server_cpu(eng)
    for i in range(1, runs + 1):
        t = time.perf_counter()
        fn(i)
        walls.append((time.perf_counter() - t) * 1000)
    c1, s1 = own_cpu(), server_cpu(eng)
    walls.sort()
    out = {
        "p50_ms": round(statistics.median(walls), 1),
        "p95_ms": round(walls[int(0.95 * (len(walls) - 1))], 1),
        "max_ms": round(walls[-1], 1),
        "cpu_ms": round((c1 - c0) * 1000 / runs, 2),
        "server_cpu_ms": round((s1 - s0) * 1000 / runs, 2),
        "runs": runs,
    }
    print(f"  {label}: {out}", flush=True)
    return out


def typo(name: str, rng: random.Random) -> str:
    """One letter of ``name`` replaced (not a space)."""
    chars = list(name)
    at = rng.choice([i for i, c in enumerate(chars) if c != " "])
    chars[at] = "x" if chars[at] != "x" else "y"
    return "".join(chars)


def web(eng: Engine, people: int, runs: int, only: set[str]) -> dict[str, Any]:
    rng = random.Random(5)
    if not any(u.username == "bench" for u in queries.list_users(eng, Actor.system())):
        u = actions.create_user(
            eng, Actor.system(), username="bench", role="administrator", password=PASSWORD
        )
        with eng.begin() as c:
            c.execute(
                update(web_user).where(web_user.c.id == u.id).values(must_change_password=False)
            )
    client = TestClient(create_app(eng, rate_limit=1_000_000))
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    ids = [rng.randint(1, people) for _ in range(max(runs, 20) + 1)]
    with eng.connect() as conn:
        rows = conn.execute(
            text("SELECT id, nik, name FROM person WHERE id = ANY(:ids)"), {"ids": ids}
        ).fetchall()
    by_id = {int(r.id): r for r in rows}
    sample = [by_id[i] for i in ids]
    out: dict[str, Any] = {}
    found = {"nik": 0, "name": 0}

    def nik(i: int) -> None:
        r = client.get(f"/api/v1/people/by-nik/{sample[i].nik}")
        assert r.status_code == 200, r.status_code
        found["nik"] += str(sample[i].id) in r.text

    def name(i: int) -> None:
        r = client.get("/people", params={"q": typo(sample[i].name, rng)})
        assert r.status_code == 200, r.status_code
        found["name"] += f'/people/{sample[i].id}"' in r.text

    def part(i: int) -> None:
        # a family name alone (the last word), as typed: every name holding it qualifies
        r = client.get("/people", params={"q": sample[i].name.split(" ")[-1]})
        assert r.status_code == 200, r.status_code
        found["part"] += "/people/" in r.text
        found["part_self"] += f'/people/{sample[i].id}"' in r.text

    def beginning(i: int) -> None:
        # the first three letters of the first and last words, last first
        words = sample[i].name.lower().split(" ")
        r = client.get("/people", params={"q": f"{words[-1][:3]} {words[0][:3]}"})
        assert r.status_code == 200, r.status_code
        found["beginning"] += f'/people/{sample[i].id}"' in r.text

    def scoped(i: int) -> None:
        # an operator of the person's distrik, the name with one letter wrong
        d = local[i % len(local)]
        actor = Actor(username="bench-op", role="operator", regions=(d.district_code,))
        got = find(eng, actor, typo(d.name, rng))
        found["scoped"] += any(p.id == d.id for p in got.search.people)

    def scoped_part(i: int) -> None:
        # an operator of the person's distrik, the family name alone
        d = local[i % len(local)]
        actor = Actor(username="bench-op", role="operator", regions=(d.district_code,))
        got = find(eng, actor, d.name.split(" ")[-1])
        found["scoped_part"] += any(p.id == d.id for p in got.search.people)

    def scoped_short(i: int) -> None:
        # an operator of the person's distrik, the first two letters of the family name
        d = local[i % len(local)]
        actor = Actor(username="bench-op", role="operator", regions=(d.district_code,))
        got = find(eng, actor, d.name.split(" ")[-1][:2])
        found["scoped_short"] += len(got.search.people) > 0

    def person_page(i: int) -> None:
        r = client.get(f"/people/{sample[i].id}")
        assert r.status_code == 200, r.status_code

    def home(_i: int) -> None:
        r = client.get("/")
        assert r.status_code == 200, r.status_code

    def trigram(i: int) -> None:
        found["trigram"] += any(
            f.person.id == sample[i].id for f in by_name(eng, system, typo(sample[i].name, rng))
        )

    system = Actor.system()
    found.update(
        trigram=0, part=0, part_self=0, beginning=0, scoped=0, scoped_part=0, scoped_short=0
    )
    with eng.connect() as conn:
        local = conn.execute(
            text(
                "SELECT id, name, district_code FROM person WHERE id = ANY(:ids) "
                "AND district_code IS NOT NULL ORDER BY id"
            ),
            {"ids": ids},
        ).fetchall()
    search_runs = max(20, runs // 4)
    if "nik" in only:
        out["nik_lookup"] = measure(eng, "NIK look-up", nik, runs)
        out["nik_found"] = found["nik"]
    if "name" in only:
        out["name_search"] = measure(eng, "name search page", name, search_runs)
        out["name_found_top50"] = found["name"]
    if "part" in only:
        out["name_part"] = measure(eng, "family name alone, page", part, search_runs)
        out["name_part_found_any"] = found["part"]
        out["name_part_found_self_top50"] = found["part_self"]
        out["name_beginning"] = measure(eng, "first letters, page", beginning, search_runs)
        out["name_beginning_found_top50"] = found["beginning"]
    if "scoped" in only:
        out["name_scoped"] = measure(eng, "name search, distrik operator", scoped, search_runs)
        out["name_scoped_found"] = found["scoped"]
        out["name_scoped_part"] = measure(
            eng, "family name alone, distrik operator", scoped_part, search_runs
        )
        out["name_scoped_part_found"] = found["scoped_part"]
        out["name_scoped_short"] = measure(
            eng, "two letters, distrik operator", scoped_short, search_runs
        )
        out["name_scoped_short_found_any"] = found["scoped_short"]
    if "trigram" in only:
        out["name_search_trigram"] = measure(eng, "name search, trigram", trigram, search_runs)
        out["trigram_found_top10"] = found["trigram"]
    if "person" in only:
        out["person_page"] = measure(eng, "person page", person_page, search_runs)
    if "dashboard" in only:
        on = MONTH0 + dt.timedelta(days=40)
        out["dashboard_query_nation_cold"] = measure(
            eng, "dashboard query, nation", lambda _i: dashboard(eng, system, on), 3
        )
        province = Actor(username="bench-prov", role="viewer", regions=("96",))
        out["dashboard_query_province_cold"] = measure(
            eng, "dashboard query, one province", lambda _i: dashboard(eng, province, on), 5
        )
        regency = Actor(username="bench-kab", role="viewer", regions=("96.01",))
        out["dashboard_query_regency_cold"] = measure(
            eng, "dashboard query, one regency", lambda _i: dashboard(eng, regency, on), 5
        )
        out["dashboard_page"] = measure(eng, "dashboard page as served", home, search_runs)

        def first_visit(_i: int) -> None:
            invalidate()  # as after a change through the web: the cache forgotten
            home(_i)

        out["dashboard_page_first_visit"] = measure(
            eng, "dashboard page, first visit (cache cleared)", first_visit, 3
        )
        # one membership's state changed in a random distrik, then the nation counted (the
        # summary, where kept, recounts that distrik); the change is undone at the end
        changed = [rng.randint(1, people) for _ in range(4)]

        def after_change(i: int) -> None:
            with eng.begin() as conn:
                conn.execute(
                    text(
                        "UPDATE membership SET state = CASE state WHEN 'active' THEN "
                        "'suspended' ELSE 'active' END WHERE person_id = :p"
                    ),
                    {"p": changed[i]},
                )
            dashboard(eng, system, on)

        out["dashboard_query_nation_after_change"] = measure(
            eng, "dashboard query, nation, after one change", after_change, 3
        )
        with eng.begin() as conn:  # undone: each changed person's state back to active
            conn.execute(
                text("UPDATE membership SET state = 'active' WHERE person_id = ANY(:p)"),
                {"p": changed},
            )
    return out


def upgrade(eng: Engine) -> dict[str, float]:
    """Migrate to head (0029's indexes, 0030's dashboard summary: its first count), then
    fresh statistics: wall and server CPU."""
    t0, c0 = time.perf_counter(), server_cpu(eng)
    migrate(eng)
    with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE person"))
    return {
        "wall_s": round(time.perf_counter() - t0, 1),
        "server_cpu_s": round(server_cpu(eng) - c0, 1),
    }


def pruning(eng: Engine) -> str:
    with eng.connect() as conn:
        iid = conn.execute(text("SELECT max(id) FROM invoice")).scalar_one()
        plan = conn.execute(
            text("EXPLAIN (COSTS OFF) SELECT sum(amount) FROM invoice_line WHERE invoice_id = :i"),
            {"i": iid},
        ).scalars()
        return " / ".join(p.strip() for p in plan)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=10_000_000)
    ap.add_argument("--lines", type=int, default=100_000_000)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument(
        "--only", default="nik,name,trigram,person,dashboard", help="measures, comma-separated"
    )
    ap.add_argument("--reuse", action="store_true", help="measure a kept database, no load")
    ap.add_argument(
        "--no-analyze",
        action="store_true",
        help="with --reuse: keep the statistics as they are (a copy of a loaded store)",
    )
    ap.add_argument(
        "--word-index",
        action="store_true",
        help="with --reuse: build the names' word index first, as the first search would",
    )
    ap.add_argument(
        "--people-only",
        action="store_true",
        help="load people, memberships and coverage only (no names index, invoices or lines)",
    )
    ap.add_argument(
        "--index-before-after",
        action="store_true",
        help="measure at revision 0028 (with --reuse: at the store's revision), then upgrade "
        "to head (0029's indexes, 0030's dashboard summary) and measure again",
    )
    args = ap.parse_args()
    months = max(1, args.lines // args.people)
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    url = admin.url.set(database=DB_NAME).render_as_string(hide_password=False)
    report: dict[str, Any] = {
        "people": args.people,
        "lines": args.people * months,
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_before": os.getloadavg(),
    }
    if not args.reuse:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    eng = make_engine(url)
    try:
        if not args.reuse:
            migrate(eng, "0028" if args.index_before_after else "head", partition_by_province=True)
            assert partition.is_partitioned(eng)
            t0 = time.perf_counter()
            report["load"] = load(eng, args.people, months, people_only=args.people_only)
            report["load_wall_s"] = round(time.perf_counter() - t0, 1)
            report["load_average_after_load"] = os.getloadavg()
        if args.reuse:  # a load cut short: the planner needs statistics all the same
            with eng.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                if not args.no_analyze:
                    conn.execute(text("ANALYZE"))
                report["people"] = conn.execute(text("SELECT count(*) FROM person")).scalar()
                report["lines_estimated"] = conn.execute(  # ANALYZE's estimate
                    text(
                        "SELECT sum(c.reltuples)::bigint FROM pg_inherits i JOIN pg_class c "
                        "ON c.oid = i.inhrelid WHERE i.inhparent = 'invoice_line'::regclass"
                    )
                ).scalar()
        if args.reuse and args.word_index:
            report["word_index"] = word_index(eng)
        report["size"] = sizes(eng)
        print(f"  size: {report['size']}", flush=True)
        report["pruning"] = pruning(eng)
        only = set(args.only.split(","))
        if args.index_before_after:
            report["web_before_upgrade"] = web(eng, int(report["people"]), args.runs, only)
            report["upgrade_to_head"] = upgrade(eng)
            print(f"  upgrade to head: {report['upgrade_to_head']}", flush=True)
            invalidate()  # the page's cache of the figures measured before
        report["web"] = web(eng, int(report["people"]), args.runs, only)
        report["load_average_after"] = os.getloadavg()
        report["benchmark_peak_rss_mib"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
    finally:
        eng.dispose()
        if not args.keep:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        admin.dispose()
    print(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
