"""A national instance on PostgreSQL: the invoice lines partitioned by province.

Chosen when the national database is created (``jaring db upgrade --partition-by-province``,
or ``JARING_PARTITION_BY_PROVINCE=1`` in the environment of the first migration), never for
SQLite or for the PostgreSQL of a city or a province, which stay as they are. Revision 0028
calls :func:`apply` when asked; :func:`apply` is idempotent and also converts a database
that is already past 0028 (its rows copied once).

**The design (2026-12-05), and why.** PostgreSQL 15 requires a partitioned table's partition
key in its primary key and in every unique constraint, and a foreign key to a partitioned
table must name columns that include the key. Three ways were weighed:

1. *Composite keys* ``(province, id)`` on ``person``, ``membership`` and the tables that
   refer to them, the province carried in every referencing row: every domain's joins,
   foreign keys, bulk writers and URLs change (``person.id`` is the contract of eight
   packages). Rejected: the diff is the whole system, for a layout only a national
   instance uses.
2. *Ids in per-province ranges* (``id BETWEEN p*10^k AND (p+1)*10^k``) so that ``RANGE
   (id)`` partitioning is partitioning by province with keys unchanged. Sound for tables whose
   ids the database assigns, but ``person`` and ``membership`` ids are reserved by the bulk
   writers themselves (``store.bulk.next_ids``: maximum + 1, so that links can be written
   in the same transaction), in the registry's linking and decisions and in enrolment; each
   would have to learn each new row's province and take ids from that province's range.
   A ``BEFORE INSERT`` trigger on a partitioned table cannot do it for them: PostgreSQL
   routes the row before the trigger runs and refuses to move it afterwards.
3. *Partition the tables nothing refers to.* ``invoice_line`` is the largest table by an
   order of magnitude (one row per membership and month: 100 million for 10 million
   people over ten months), has no foreign key in or out, and its primary key
   ``(invoice_id, membership_id)`` starts with the invoice. An invoice belongs to one
   program, and a program to the Pemda that pays for it (``program.funder_region``), whose
   people live in its province. So ``invoice_line`` is partitioned by ``RANGE
   (invoice_id)``, and the *invoice's* id is drawn from its funder's province range by a
   ``BEFORE INSERT`` trigger on ``invoice`` (an ordinary table, where a trigger may set the
   id): ``id = province * 10,000,000 + n``, ``n`` from the province's own sequence
   ``invoice_id_pNN``. The primary key, every query and every writer stay as they are:
   ``create_invoice`` already lets the database assign the id and reads it back
   (``RETURNING``), and every read of lines names their invoice, so the planner prunes to
   the one partition (``EXPLAIN`` shows a single ``invoice_line_pNN``).

Option 3 is taken: no domain module changes. What it leaves out, measured in
``bench/national_pg.py`` and written in ``docs/national.md``: ``person`` (10 million rows
nationally) stays one table; its look-ups are B-tree and trigram index probes whose cost
grows with the logarithm of its size, not with it; ``membership``, ``coverage_period`` and
``membership_event`` stay one table each, being referred to (membership) or keyed by a
surrogate id (the other two).

Ids: program funded by a region of province ``p`` (``funder_region`` '96.71' -> 96):
``p * 10^7 + n``, 1 <= n < 10^7 (ten million invoices per province: a program-month each);
national programs (no ``funder_region``, e.g. APBN) and a province with no sequence (a
province created after the database) take the table's own serial, below 10^7, and their
lines land in ``invoice_line_p00``, where the lines of invoices issued before a conversion
lie too. An explicit id (a restore) is kept; ids outside every range land in
``invoice_line_default``. ``invoice.id`` is a 32-bit integer: 96 * 10^7 + 10^7 < 2^31.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Connection, Engine, text

from jaring.store import dialect

ENV_VAR = "JARING_PARTITION_BY_PROVINCE"

#: The 38 provinces of Kepmendagri 100.1.1-6117/2022 (as in ``data/wilayah/wilayah.csv``,
#: 2026-12-05). A province created later gets its partition with :func:`add_province`.
PROVINCES: tuple[str, ...] = (
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33",
    "34", "35", "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72",
    "73", "74", "75", "76", "81", "82", "91", "92", "93", "94", "95", "96",
)  # fmt: skip

#: Invoice ids per province: province ``p`` owns ``[p * BLOCK, (p + 1) * BLOCK)``.
BLOCK = 10_000_000
TABLE = "invoice_line"
FUNCTION = "jaring_invoice_id"
TRIGGER = "invoice_id_by_province"


def wanted(attributes: dict[str, Any] | None = None) -> bool:
    """Whether partitioning was asked for this migration run: the migration's
    ``partition_by_province`` attribute (``store.db.migrate``), else the environment
    variable ``JARING_PARTITION_BY_PROVINCE`` (``1``, ``true`` or ``yes``)."""
    if attributes and attributes.get("partition_by_province") is not None:
        return bool(attributes["partition_by_province"])
    return os.environ.get(ENV_VAR, "").strip().lower() in ("1", "true", "yes")


def is_partitioned(bind: Connection | Engine, table: str = TABLE) -> bool:
    """Whether ``table`` is partitioned in this store (always ``False`` on SQLite)."""
    if dialect.of(bind) is not dialect.POSTGRESQL:
        return False
    sql = text(
        "SELECT EXISTS (SELECT 1 FROM pg_partitioned_table p JOIN pg_class c "
        "ON c.oid = p.partrelid WHERE c.relname = :t AND pg_table_is_visible(c.oid))"
    )
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return bool(conn.execute(sql, {"t": table}).scalar_one())
    return bool(bind.execute(sql, {"t": table}).scalar_one())


def province_of_invoice(invoice_id: int) -> str:
    """The two-digit province code an invoice id was drawn for (``'00'``: none)."""
    p = invoice_id // BLOCK
    code = f"{p:02d}"
    return code if code in PROVINCES else "00"


def partition_name(province: str) -> str:
    """The partition holding the invoice lines of ``province`` ('96' -> invoice_line_p96)."""
    return f"{TABLE}_p{province}"


def apply(conn: Connection) -> bool:
    """Partition ``invoice_line`` by province and draw invoice ids by province, in the
    caller's transaction. PostgreSQL only; a no-op (``False``) on SQLite or when already
    done. Existing lines are copied into the partitioned table (their invoices keep their
    ids and so land in ``invoice_line_p00``)."""
    if dialect.of(conn) is not dialect.POSTGRESQL or is_partitioned(conn):
        return False
    q = conn.exec_driver_sql
    q(f"LOCK TABLE invoice, {TABLE} IN ACCESS EXCLUSIVE MODE")
    # the plain table's secondary indexes (none today; a later revision may add some)
    extra = [
        (name, ddl)
        for name, ddl in conn.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = :t "
                "AND i.schemaname = current_schema() AND i.indexname <> :pk"
            ),
            {"t": TABLE, "pk": f"pk_{TABLE}"},
        )
    ]
    q(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_plain")
    q(f"ALTER TABLE {TABLE}_plain RENAME CONSTRAINT pk_{TABLE} TO pk_{TABLE}_plain")
    for name, _ddl in extra:
        q(f'DROP INDEX "{name}"')
    q(
        f"CREATE TABLE {TABLE} (LIKE {TABLE}_plain INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
        f" INCLUDING STORAGE, CONSTRAINT pk_{TABLE} PRIMARY KEY (invoice_id, membership_id))"
        " PARTITION BY RANGE (invoice_id)"
    )
    q(
        f"CREATE TABLE {partition_name('00')} PARTITION OF {TABLE} FOR VALUES FROM (MINVALUE) TO ({BLOCK})"
    )
    for code in PROVINCES:
        _add_partition(conn, code)
    q(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
    for _name, ddl in extra:  # read before the rename: they name ``invoice_line`` already
        q(ddl)
    q(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_plain ORDER BY invoice_id, membership_id")
    q(f"DROP TABLE {TABLE}_plain")
    # invoice ids drawn from the funder's province: the column default goes, the trigger
    # fills a missing id (an explicit one, as a restore writes, is kept)
    q("ALTER TABLE invoice ALTER COLUMN id DROP DEFAULT")
    q(
        f"""
        CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            prov text;
            seq regclass;
        BEGIN
            IF NEW.id IS NOT NULL THEN
                RETURN NEW;
            END IF;
            SELECT left(funder_region, 2) INTO prov FROM program WHERE id = NEW.program_id;
            IF prov ~ '^[0-9][0-9]$' THEN
                seq := to_regclass('invoice_id_p' || prov);
            END IF;
            IF seq IS NULL THEN
                NEW.id := nextval(pg_get_serial_sequence('invoice', 'id'));
            ELSE
                NEW.id := prov::integer * {BLOCK} + nextval(seq);
            END IF;
            RETURN NEW;
        END
        $$"""
    )
    q(
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT ON invoice FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    return True


def _add_partition(conn: Connection, code: str) -> None:
    p = int(code)
    conn.exec_driver_sql(
        f"CREATE TABLE {partition_name(code)} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ({p * BLOCK}) TO ({(p + 1) * BLOCK})"
    )
    conn.exec_driver_sql(f"CREATE SEQUENCE invoice_id_p{code} MINVALUE 1 MAXVALUE {BLOCK - 1}")


def add_province(conn: Connection, code: str) -> None:
    """Give a province created after the database its partition and its invoice ids (its
    lines went to ``invoice_line_p00`` until then). Refuses a code that is not two digits."""
    if len(code) != 2 or not code.isdigit() or code == "00":
        raise ValueError(f"not a province code: {code!r}")
    if not is_partitioned(conn):
        return
    # rows of the new range sitting in the default partition must move out first
    conn.exec_driver_sql(f"ALTER TABLE {TABLE} DETACH PARTITION {TABLE}_default")
    _add_partition(conn, code)
    p = int(code)
    conn.exec_driver_sql(
        f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_default "
        f"WHERE invoice_id >= {p * BLOCK} AND invoice_id < {(p + 1) * BLOCK}"
    )
    conn.exec_driver_sql(
        f"DELETE FROM {TABLE}_default WHERE invoice_id >= {p * BLOCK} AND invoice_id < {(p + 1) * BLOCK}"
    )
    conn.exec_driver_sql(f"ALTER TABLE {TABLE} ATTACH PARTITION {TABLE}_default DEFAULT")


def undo(conn: Connection) -> bool:
    """Back to one plain ``invoice_line`` and serial invoice ids (revision 0028's
    downgrade); the lines are copied back. A no-op (``False``) when not partitioned."""
    if not is_partitioned(conn):
        return False
    q = conn.exec_driver_sql
    q(f"DROP TRIGGER IF EXISTS {TRIGGER} ON invoice")
    q(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    for code in PROVINCES:
        q(f"DROP SEQUENCE IF EXISTS invoice_id_p{code}")
    seq = conn.execute(text("SELECT pg_get_serial_sequence('invoice', 'id')")).scalar_one()
    q(f"ALTER TABLE invoice ALTER COLUMN id SET DEFAULT nextval({_literal(conn, seq)}::regclass)")
    q(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_parted")
    q(f"ALTER TABLE {TABLE}_parted RENAME CONSTRAINT pk_{TABLE} TO pk_{TABLE}_parted")
    q(
        f"CREATE TABLE {TABLE} (LIKE {TABLE}_parted INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
        f" INCLUDING STORAGE, CONSTRAINT pk_{TABLE} PRIMARY KEY (invoice_id, membership_id))"
    )
    q(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_parted ORDER BY invoice_id, membership_id")
    q(f"DROP TABLE {TABLE}_parted CASCADE")
    return True


def _literal(conn: Connection, value: str) -> str:
    """``value`` as an SQL string literal (a sequence's name read from the catalogue)."""
    return str(conn.execute(text("SELECT quote_literal(:v)"), {"v": value}).scalar_one())
