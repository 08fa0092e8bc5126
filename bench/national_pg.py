"""A national instance on PostgreSQL at size: people, memberships and invoice lines loaded
into a store partitioned by province, then the web look-up and the dashboard measured.

    flock /work/notes/bench.lock nice -n 10 python bench/national_pg.py \\
        [--people 10000000] [--lines 100000000] [--runs 200] [--keep]

Creates the database ``bench_partition_national`` (dropped at the end unless ``--keep``),
migrates it with ``partition_by_province`` (``store.partition``: invoice lines partitioned
by the paying Pemda's province), and loads everything in SQL, never a row through Python:
``--people`` people over the 38 provinces (10 regencies of 10 districts each, unique
synthetic NIKs, names of two or three words drawn independently: :func:`name_sql`), their
names in ``person_alias`` and its trigram index, one membership each in their province's program, a coverage period
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


def _words(line: str) -> list[str]:
    return line.split()


# Name parts, each word of a name drawn independently of the others (name_sql). Given names
# (Indonesian and Papuan, common ones first: drawn with a skew towards the start, as a few
# given names are very common); a second given name for three people in four; a family word
# composed of three or four parts (Papuan in Papua's six provinces, Javanese or Malay
# elsewhere) or, for 15%, a well-known clan or family name of the region. A full name
# repeats as in a real registry (a common given name with a well-known family name: "Muhammad
# Santoso" 389 times in 3M); nine names in ten are held by one person at 3M.
GIVEN = _words(
    "muhammad siti agus budi sri dewi ahmad nur yohanes maria markus yosef andi rina eko "
    "fitri joko wahyu dian indah rudi yuni hendra lina petrus paulus martha yuliana ani "
    "bambang heru tri slamet rahmat ratna putri ayu novi dedi irwan asep ujang yusuf ibrahim "
    "abdul hasan husein fatimah aisyah nurul nia lia rizki fajar reza arif bayu dimas gilang "
    "ilham kurnia lukman mulyadi nanda oktavia puspita rahayu sari teguh umar vina wulan "
    "yanti zainal yakob elisabet yulius frans dominggus agustinus kornelis nikolas stefanus "
    "mathias obaja yonas lukas matius timotius daniel samuel abraham ester ruth debora "
    "magdalena katarina agnes theresia veronika yosina adolina naomi selfina yohana herman "
    "alfons benyamin demianus ferdinand gerson hengky isak klemens lambertus melkias "
    "nataniel oktovianus piet robert simon thomas urbanus viktor wempi yeremias zakeus "
    "anggi bagus cahya darma edi galih hadi imam jaya kartini larasati mega nining "
    "pratiwi rosa setyo tini utami wati yoga zulkifli suryani haryanto sugeng"
)
SECOND = _words(
    "putra putri sari dewi wati lestari rahayu pratama saputra wijaya kusuma hidayat "
    "nugroho santoso setiawan kurniawan permana ramadhan hakim maulana aditya purnama "
    "utama wibowo susanto gunawan hartono prasetyo wahyudi firmansyah hermawan sulistyo "
    "anggraini handayani rahmawati safitri yulianti astuti puspitasari kartika maharani "
    "ayu indah nur sri agustina kristina marlina yuliani paulina fransiska agustinus "
    "yohanes petrus stefanus kornelius yakobus frederik hendrik alexander benediktus "
    "kristian ronaldo jefri melki oktavianus natalia novita yosefina imanuel emanuel "
    "hosea mikha zefanya yosua kaleb gideon elia elisa rahel lea sara hana daud salomo "
    "abdullah rahman rahim karim aziz latif hamid majid rasyid said syarif fauzi ikhsan "
    "nurhayati syamsul bahri effendi hasibuan harahap nasution lubis siregar sinaga "
    "simanjuntak manurung tambunan pangaribuan sitompul hutapea panjaitan situmorang"
)
PAPUA_CLANS = _words(
    "sawaki kambu rumbiak mandacan wonda kogoya wenda tabuni yikwa murib mambor rumaropen "
    "ayomi yoku sroyer kareth fonataba wanma mayor korwa rumbewas karubaba msen kalami "
    "malak osok kladit sagisolo ulimpa mobalen sapisa momot ginuni kambuaya baru bleskadit "
    "kondjol kdise kasibu isir fatem howay salosa mansawan rumere ansaka bonay awom sanadi"
)
CLANS = _words(
    "santoso setiawan wahyuni lestari pratama saputra hidayat kurniawan nugroho susanto "
    "siregar nasution lubis harahap simanjuntak sitompul manurung pangaribuan tambunan "
    "hutapea sinaga rahman hasibuan wijaya gunawan halim tanjung pohan daulay ginting "
    "tarigan sembiring purba saragih damanik pardede napitupulu sihombing marpaung "
    "wattimena pattinama latuheru tuhumury lewerissa manuhutu sahetapy pelupessy"
)
# a composed family word: one part of each list, for half of the names a second middle part
PAPUA_PARTS = (
    _words(
        "rum man wa ka ko ma ya we ta mu sa ay fo kar ron ar bo in kam mam sr wo yik tab ut "
        "dim ki ra om nu"
    ),
    _words("ba bi da ka ma na ra sa wa ya bo do go ro to me se we ni ri ku mu ru tu ye"),
    _words(
        "ki bu biak can nda goya ni rib bor pen mi ku yer reth ba nma yor wa ri rai ma sai "
        "fle ar rem baw yan dow bay wi"
    ),
)
MALAY_PARTS = (
    _words(
        "su wi ha pra ku se sa gu nu ra har pur sur ju da bu ma ru si ti yu ad hid ram sap "
        "set kus lu wah ri"
    ),
    _words("har ri ra ma na sa ti wi ya di ja la li su hy mad tam dan lis kur bud gun san no rya"),
    _words(
        "to wan no di yanto ningsih wati yati sih tri ah ini man dja ana ati awan ono adi yo "
        "tama putra ani iyah ni ra na ita ya ko"
    ),
)
PAPUA = ("91", "92", "93", "94", "95", "96")  # Papua's six provinces
MONTH0 = dt.date(2025, 1, 1)


def _array(words: list[str] | tuple[str, ...]) -> str:
    return "ARRAY[" + ",".join(f"'{w}'" for w in words) + "]::text[]"


def name_sql(g: str, pr: str) -> str:
    """SQL for the name of person ``g`` (a bigint column) of province ``pr``: each word drawn
    independently of the others (``hashint8extended`` of the id with its own seed), the
    given names skewed towards the common ones (a uniform draw squared), a second given name
    for 75%, the family word composed of three or four parts (Papuan in Papua's provinces,
    Javanese or Malay elsewhere), for 15% a well-known clan or family name of the region
    (skewed). At 10M about nine names in ten are held by one person (``--help``)."""

    def u(seed: int) -> str:  # a uniform draw in [0, 1) for this person and seed
        return f"((hashint8extended({g}, {seed}) & 1073741823)::float8 / 1073741824)"

    def pick(words: list[str] | tuple[str, ...], seed: int, power: float = 1.0) -> str:
        draw = u(seed) if power == 1.0 else f"power({u(seed)}, {power})"
        return f"({_array(words)})[1 + floor({len(words)} * {draw})::integer]"

    def composed(parts: tuple[list[str], ...], seed: int) -> str:
        first, middle, last = parts
        extra = f"CASE WHEN {u(seed + 9)} < 0.5 THEN {pick(middle, seed + 8)} ELSE '' END"
        return " || ".join([pick(first, seed), pick(middle, seed + 1), extra, pick(last, seed + 2)])

    papua = f"{pr} IN ({','.join(repr(c) for c in PAPUA)})"
    family = (
        f"CASE WHEN {u(10)} < 0.15 THEN CASE WHEN {papua} THEN {pick(PAPUA_CLANS, 11, 1.3)} "
        f"ELSE {pick(CLANS, 12, 1.3)} END "
        f"WHEN {papua} THEN {composed(PAPUA_PARTS, 20)} ELSE {composed(MALAY_PARTS, 30)} END"
    )
    second = f"CASE WHEN {u(4)} < 0.75 THEN ' ' || initcap({pick(SECOND, 5, 1.5)}) ELSE '' END"
    return f"(initcap({pick(GIVEN, 1, 2.0)}) || {second} || ' ' || initcap({family}))"


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
NAMES_ONLY = ("programs", "people", "person_alias")


def load(
    eng: Engine,
    people: int,
    months: int,
    *,
    people_only: bool = False,
    name_index_too: bool = True,
    names_only: bool = False,
) -> dict[str, Any]:
    """Fill the store in SQL; per step its wall and server CPU seconds. ``people_only``: the
    programs, people, memberships and coverage periods (what the dashboard reads), no names
    index, invoices or lines. Without ``name_index_too`` the names are in ``person_alias``
    but neither indexed by trigrams nor by words (``--reuse --word-index`` builds both).
    ``names_only``: the people and their names (all the name search reads), nothing else."""
    steps: dict[str, Any] = {}
    provs = list(partition.PROVINCES)
    name = name_sql("g", "pr")
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
            f"FROM (SELECT g, pr, {name} AS nm FROM (SELECT g, ({prov_arr})[1 + g % 38] AS pr "
            f"FROM generate_series(1::bigint, {people}) g) p) s",
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
        if (people_only and label not in PEOPLE_ONLY) or (names_only and label not in NAMES_ONLY):
            continue
        steps[label] = _timed(eng, [sql])
        print(f"  {label}: {steps[label]}", flush=True)
    if names_only:
        steps["sequences"] = _timed(
            eng,
            [
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                for t in ("person", "person_alias")
            ],
        )
        steps["analyze"] = _timed(eng, ["ANALYZE"], autocommit=True)
        return steps
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
    if name_index_too:
        steps["trigram_index"] = trigram_index(eng)
        steps["word_index"] = word_index(eng)
    # statistics for the planner (a sample per table); the vacuum that sets the visibility
    # map is left to autovacuum, as after any bulk load
    steps["analyze"] = _timed(eng, ["ANALYZE"], autocommit=True)
    return steps


def trigram_index(eng: Engine) -> dict[str, float]:
    """The trigram index of the names (``store.search.ensure``, made on first use): wall and
    server CPU."""
    t0, c0 = time.perf_counter(), server_cpu(eng)
    with eng.begin() as conn:
        conn.execute(text("SET maintenance_work_mem = '512MB'"))
        name_index.ensure(conn)  # the trigram index the search creates on first use
    out = {
        "wall_s": round(time.perf_counter() - t0, 1),
        "server_cpu_s": round(server_cpu(eng) - c0, 1),
    }
    print(f"  trigram_index: {out}", flush=True)
    return out


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
    t1, c1 = time.perf_counter(), server_cpu(eng)
    name_index.vacuum(eng)  # as ``search_index.refresh`` does after a rebuild
    out = {
        "wall_s": round(t1 - t0, 1),
        "server_cpu_s": round(c1 - c0, 1),
        "client_cpu_s": round(own_cpu() - o0, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "vacuum_wall_s": round(time.perf_counter() - t1, 1),
        "vacuum_server_cpu_s": round(server_cpu(eng) - c1, 1),
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
            text("SELECT id, nik, name, birth_date FROM person WHERE id = ANY(:ids)"), {"ids": ids}
        ).fetchall()
    by_id = {int(r.id): r for r in rows}
    sample = [by_id[i] for i in ids]
    out: dict[str, Any] = {}
    found = {"nik": 0, "name": 0}

    def nik(i: int) -> None:
        r = client.get(f"/api/v1/people/by-nik/{sample[i].nik}")
        assert r.status_code == 200, r.status_code
        found["nik"] += str(sample[i].id) in r.text

    # a person not on the first page of a name many bear: the page says how many and asks
    # for the year of birth, and the user asks again with it (run after the measure)
    refine: dict[str, list[tuple[int, str]]] = {"name": [], "api": []}

    def name(i: int) -> None:
        q = typo(sample[i].name, rng)
        r = client.get("/people", params={"q": q})
        assert r.status_code == 200, r.status_code
        hit = f'/people/{sample[i].id}"' in r.text
        found["name"] += hit
        if not hit and "data-namesakes=" in r.text:
            refine["name"].append((i, f"{q} {sample[i].birth_date.year}"))

    def whole(i: int) -> None:
        # the name as registered
        r = client.get("/people", params={"q": sample[i].name})
        assert r.status_code == 200, r.status_code
        found["whole"] += f'/people/{sample[i].id}"' in r.text

    def api_name(i: int) -> None:
        # the API's search (the page's), the name with one letter wrong
        q = typo(sample[i].name, rng)
        r = client.get("/api/v1/people", params={"q": q})
        assert r.status_code == 200, r.status_code
        body = r.json()
        hit = any(p["id"] == sample[i].id for p in body["people"])
        found["api"] += hit
        if not hit and body.get("namesakes", 0) > len(body["people"]):
            refine["api"].append((i, f"{q} {sample[i].birth_date.year}"))

    def refined(kind: str) -> dict[str, int]:
        """The searches asked again with the year of birth, as the page suggests: how many,
        and in how many the person is then among the first 50."""
        hits = 0
        for i, q in refine[kind]:
            if kind == "name":
                r = client.get("/people", params={"q": q})
                hits += f'/people/{sample[i].id}"' in r.text
            else:
                r = client.get("/api/v1/people", params={"q": q})
                hits += any(p["id"] == sample[i].id for p in r.json()["people"])
        return {"asked_again_with_year": len(refine[kind]), "found_then": hits}

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

    def beginning_api(i: int) -> None:
        # the API's search (the page's), the same first letters as ``beginning``
        words = sample[i].name.lower().split(" ")
        r = client.get("/api/v1/people", params={"q": f"{words[-1][:3]} {words[0][:3]}"})
        assert r.status_code == 200, r.status_code
        found["beginning_api"] += any(p["id"] == sample[i].id for p in r.json()["people"])

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
        trigram=0,
        part=0,
        part_self=0,
        beginning=0,
        beginning_api=0,
        scoped=0,
        scoped_part=0,
        scoped_short=0,
        whole=0,
        api=0,
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
        out["name_refined_by_year"] = refined("name")
    if "whole" in only:
        out["name_whole"] = measure(eng, "whole name, page", whole, search_runs)
        out["name_whole_found_top50"] = found["whole"]
    if "api" in only:
        out["name_api"] = measure(eng, "one letter wrong, API", api_name, search_runs)
        out["name_api_found_top50"] = found["api"]
        out["name_api_refined_by_year"] = refined("api")
    if "part" in only:
        out["name_part"] = measure(eng, "family name alone, page", part, search_runs)
        out["name_part_found_any"] = found["part"]
        out["name_part_found_self_top50"] = found["part_self"]
        out["name_beginning"] = measure(eng, "first letters, page", beginning, search_runs)
        out["name_beginning_found_top50"] = found["beginning"]
        out["name_beginning_api"] = measure(eng, "first letters, API", beginning_api, search_runs)
        out["name_beginning_api_found_top50"] = found["beginning_api"]
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
        help="with --reuse: build the names' trigram index (if missing) and word index first, "
        "as the first search would",
    )
    ap.add_argument(
        "--no-name-index",
        action="store_true",
        help="load the names into person_alias without their trigram and word indexes "
        "(then --reuse --word-index builds both: a load and an index each under 20 minutes)",
    )
    ap.add_argument(
        "--names-only",
        action="store_true",
        help="load the people and their names only, not indexed (what the name search reads; "
        "then --reuse --word-index)",
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
            report["load"] = load(
                eng,
                args.people,
                months,
                people_only=args.people_only,
                names_only=args.names_only,
                name_index_too=not args.no_name_index,
            )
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
            report["trigram_index"] = trigram_index(eng)
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
