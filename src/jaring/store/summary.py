"""The dashboard's per-distrik summary on PostgreSQL, kept by triggers and a refresh.

The dashboard counts, inside an actor's regions, people per distrik, people covered on a
day and memberships per state. Counted from ``person``, ``membership`` and
``coverage_period`` that is a pass over every person of the scope: 27.5 s for the nation at
10 million people. On PostgreSQL the counts are kept per (province, regency, distrik) of the
person in ``dashboard_people``, ``dashboard_membership`` and ``dashboard_coverage``
(:mod:`jaring.store.tables.coverage`), and a scope's figures are sums over a few thousand
rows.

How they stay exact:

- **Marks, in the writer's transaction.** Statement-level triggers (``AFTER ... FOR EACH
  STATEMENT`` with transition tables, so one ``COPY`` of a million people costs one
  ``SELECT DISTINCT`` over the new rows, not a million trigger calls) append the distrik
  each statement touched to ``dashboard_dirty``: people inserted, deleted, or whose region
  changed; memberships inserted, deleted, or whose state or person changed; coverage
  periods inserted, deleted, or whose dates or person changed (their person's distrik).
  ``TRUNCATE`` marks everything (``'*'``). Every writer is covered: the web, the API, the
  CLI, another server, ``psql``.
- **A refresh before each count** (:func:`refresh`): under a transaction-level advisory
  lock (one refresh at a time, so an older count never overwrites a newer one), it deletes
  the marks it sees and recounts those distrik from the contract tables, in the same
  transaction. ``dashboard_dirty`` has no key: a mark written by a transaction still open
  is invisible to the refresh's ``DELETE`` and survives it, and is recounted by the next
  refresh; with a unique key that mark would have been merged into one the refresh deleted,
  and the change lost.
- **Coverage on any day.** Each person's coverage periods are merged into disjoint runs
  (overlapping periods of two programs count once); the summary holds how many runs start
  and end on each day. People covered on D = runs started on or before D minus runs ended
  before D, exact for every D (not only today).

A recount costs the distrik's people (a few thousand: milliseconds); a change to every
distrik (a national bulk load) makes the next refresh a full recount. SQLite keeps no
summary: a city's store is small and counts directly (``kept`` is false).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

from jaring.store import dialect

ALL = "*"  # the mark of "everything" (TRUNCATE)
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('jaring.dashboard_summary'))"


def _by_person(changed: str) -> str:
    """The body of a trigger function marking the distrik of the people whose rows a
    statement inserted or deleted, or updated where ``changed`` (over ``o``ld and ``n``ew
    rows) holds."""
    return f"""
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dashboard_dirty (district_code)
    SELECT DISTINCT coalesce(p.district_code, '') FROM person p
    WHERE p.id IN (SELECT person_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO dashboard_dirty (district_code)
    SELECT DISTINCT coalesce(p.district_code, '') FROM person p
    WHERE p.id IN (SELECT person_id FROM old_rows);
  ELSE
    INSERT INTO dashboard_dirty (district_code)
    SELECT DISTINCT coalesce(p.district_code, '') FROM person p
    WHERE p.id IN (
      SELECT unnest(ARRAY[o.person_id, n.person_id])
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE {changed});
  END IF;
  RETURN NULL;
END"""


_FUNCTIONS = {
    "dashboard_mark_person": """
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dashboard_dirty (district_code)
    SELECT DISTINCT coalesce(district_code, '') FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO dashboard_dirty (district_code)
    SELECT DISTINCT coalesce(district_code, '') FROM old_rows;
  ELSE
    INSERT INTO dashboard_dirty (district_code)
    SELECT DISTINCT coalesce(d, '') FROM (
      SELECT unnest(ARRAY[o.district_code, n.district_code]) AS d
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.province_code, o.regency_code, o.district_code)
        IS DISTINCT FROM (n.province_code, n.regency_code, n.district_code)) x;
  END IF;
  RETURN NULL;
END""",
    "dashboard_mark_membership": _by_person(
        "o.state IS DISTINCT FROM n.state OR o.person_id <> n.person_id"
    ),
    "dashboard_mark_coverage": _by_person(
        "o.person_id <> n.person_id OR o.start_date <> n.start_date\n        OR o.end_date <> n.end_date"
    ),
    "dashboard_mark_all": """
BEGIN
  INSERT INTO dashboard_dirty (district_code) VALUES ('*');
  RETURN NULL;
END""",
}
_TABLES = {
    "person": "dashboard_mark_person",
    "membership": "dashboard_mark_membership",
    "coverage_period": "dashboard_mark_coverage",
}
_REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}

# The recount of the distrik chosen by ``{where}`` (a condition on ``person p``).
_RECOUNT = [
    "INSERT INTO dashboard_people (province_code, regency_code, district_code, people) "
    "SELECT coalesce(p.province_code, ''), coalesce(p.regency_code, ''), "
    "coalesce(p.district_code, ''), count(*) FROM person p WHERE {where} GROUP BY 1, 2, 3",
    "INSERT INTO dashboard_membership (province_code, regency_code, district_code, state, "
    "memberships) SELECT coalesce(p.province_code, ''), coalesce(p.regency_code, ''), "
    "coalesce(p.district_code, ''), m.state, count(*) FROM membership m "
    "JOIN person p ON p.id = m.person_id WHERE {where} GROUP BY 1, 2, 3, 4",
    # a person's periods in (start, end) order; a period starting after every earlier one
    # ended opens a new run; runs are disjoint, so "covered on D" counts each person once
    "WITH c AS (SELECT coalesce(p.province_code, '') AS pc, coalesce(p.regency_code, '') AS rc, "
    "coalesce(p.district_code, '') AS dc, c.person_id, c.start_date, c.end_date, "
    "max(c.end_date) OVER (PARTITION BY c.person_id ORDER BY c.start_date, c.end_date "
    "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end "
    "FROM coverage_period c JOIN person p ON p.id = c.person_id WHERE {where}), "
    "r AS (SELECT pc, rc, dc, person_id, start_date, end_date, "
    "count(*) FILTER (WHERE before_end IS NULL OR start_date > before_end) "
    "OVER (PARTITION BY person_id ORDER BY start_date, end_date ROWS UNBOUNDED PRECEDING) "
    "AS run FROM c), "
    "s AS (SELECT pc, rc, dc, min(start_date) AS first_day, max(end_date) AS last_day "
    "FROM r GROUP BY pc, rc, dc, person_id, run) "
    "INSERT INTO dashboard_coverage (province_code, regency_code, district_code, day, starts, "
    "ends) SELECT pc, rc, dc, day, sum(st), sum(en) FROM ("
    "SELECT pc, rc, dc, first_day AS day, 1 AS st, 0 AS en FROM s UNION ALL "
    "SELECT pc, rc, dc, last_day, 0, 1 FROM s) x GROUP BY pc, rc, dc, day",
]
_SUMMARY = ("dashboard_people", "dashboard_membership", "dashboard_coverage")


def kept(bind: Connection | Engine) -> bool:
    """Whether this store keeps the summary: PostgreSQL at revision 0030 or later."""
    if dialect.of(bind) is not dialect.POSTGRESQL:
        return False
    sql = text("SELECT to_regclass('dashboard_dirty') IS NOT NULL")
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return bool(conn.execute(sql).scalar())
    return bool(bind.execute(sql).scalar())


def install(conn: Connection) -> None:
    """Create the triggers that mark changed distrik (PostgreSQL; the tables exist)."""
    for name, body in _FUNCTIONS.items():
        conn.execute(
            text(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
                f"AS $fn${body}$fn$"
            )
        )
    for table, fn in _TABLES.items():
        for op, referencing in _REFERENCING.items():
            conn.execute(
                text(
                    f"CREATE TRIGGER dashboard_{table}_{op} AFTER {op.upper()} ON {table} "
                    f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
                )
            )
        conn.execute(
            text(
                f"CREATE TRIGGER dashboard_{table}_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_all()"
            )
        )


def uninstall(conn: Connection) -> None:
    """Drop the triggers and their functions (PostgreSQL)."""
    for table in _TABLES:
        for op in (*_REFERENCING, "truncate"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS dashboard_{table}_{op} ON {table}"))
    for name in _FUNCTIONS:
        conn.execute(text(f"DROP FUNCTION IF EXISTS {name}()"))


def recount(conn: Connection, districts: set[str] | None = None) -> None:
    """Recount the summary rows of ``districts`` (``''``: people without a distrik; ``None``:
    every row) from the contract tables, in the caller's transaction."""
    if districts is None:
        for table in _SUMMARY:
            conn.execute(text(f"DELETE FROM {table}"))
        where, params = "TRUE", {}
    else:
        codes = sorted(d for d in districts if d)
        for table in _SUMMARY:
            conn.execute(
                text(f"DELETE FROM {table} WHERE district_code = ANY(:keys)"),
                {"keys": sorted(districts)},
            )
        where = "p.district_code = ANY(:codes)"
        if "" in districts:
            where = f"({where} OR p.district_code IS NULL)"
        params = {"codes": codes}
    for sql in _RECOUNT:
        conn.execute(text(sql.format(where=where)), params)


def refresh(engine: Engine) -> int:
    """Bring the summary up to date: recount every distrik marked since the last refresh, in
    one transaction under an advisory lock. Returns how many distrik were marked (0: the
    summary was current, and nothing was locked or written)."""
    with engine.connect() as conn:
        if not conn.execute(text("SELECT EXISTS (SELECT 1 FROM dashboard_dirty)")).scalar():
            return 0
    with engine.begin() as conn:
        conn.execute(text(_LOCK))
        marks = conn.execute(text("DELETE FROM dashboard_dirty RETURNING district_code"))
        districts = set(marks.scalars())
        if districts:
            recount(conn, None if ALL in districts else districts)
        return len(districts)
