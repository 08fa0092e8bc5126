"""A national instance on PostgreSQL: invoice lines partitioned by province.

The whole demo chain (import, dedupe, plan, enrol, BPJS files, invoice, pay, coverage,
claims, deaths) runs on a database migrated with ``partition_by_province``; its lines must
land in the paying Pemda's province partition and a read of one invoice's lines must touch
that partition only. SQLite and an ordinary PostgreSQL stay unpartitioned.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, insert, select, text

from jaring import demo
from jaring.demo import registry as registry_step
from jaring.store import make_engine, migrate, partition
from jaring.store.db import _alembic_config, current_revision
from jaring.store.tables.programs import invoice, invoice_line, program


@pytest.fixture
def national(pg_server: str) -> Iterator[Engine]:
    """A new PostgreSQL database migrated as a national instance's."""
    name = f"jaring_national_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    eng = make_engine(url)
    try:
        migrate(eng, partition_by_province=True)
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _lines_by_partition(eng: Engine) -> dict[str, int]:
    with eng.connect() as conn:
        rows = conn.execute(
            text("SELECT tableoid::regclass::text, count(*) FROM invoice_line GROUP BY 1")
        )
        return {str(t): int(n) for t, n in rows}


def _plan(eng: Engine, sql: str, analyse: bool = False, **params: object) -> str:
    how = "(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)" if analyse else "(COSTS OFF)"
    with eng.connect() as conn:
        conn.execute(text("SET enable_hashjoin = off"))  # the nested loop a look-up gets
        rows = conn.execute(text(f"EXPLAIN {how} " + sql), params).scalars()
        return "\n".join(rows)


def test_the_demo_chain_lands_in_the_province_partition(
    national: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert partition.is_partitioned(national)
    monkeypatch.setattr(registry_step, "N_PEOPLE", 500)  # a small Kota Sorong
    steps = {s["step"]: s for s in demo.run(national, out_dir=tmp_path / "demo")}
    assert steps["programs"]["balanced"]
    assert steps["registry"]["people"] > 0

    with national.connect() as conn:
        ids = [int(i) for i in conn.execute(select(invoice.c.id)).scalars()]
        funders = set(conn.execute(select(program.c.funder_region)).scalars())
    assert ids and funders == {"96.71"}
    # invoice ids drawn from Papua Barat Daya's range, lines in its partition only
    assert all(partition.province_of_invoice(i) == "96" for i in ids)
    placed = _lines_by_partition(national)
    assert set(placed) == {partition.partition_name("96")}
    with national.connect() as conn:
        total = conn.execute(select(invoice.c.lines)).scalars().all()
    assert placed[partition.partition_name("96")] == sum(total) > 0

    # a read of one invoice's lines is pruned to its partition, planned or at run time
    one = _plan(national, "SELECT sum(amount) FROM invoice_line WHERE invoice_id = :i", i=ids[0])
    assert "invoice_line_p96" in one
    assert "invoice_line_p00" not in one and "invoice_line_p11" not in one
    with national.connect() as conn:
        number = conn.execute(select(invoice.c.number).where(invoice.c.id == ids[0])).scalar_one()
    joined = _plan(
        national,
        "SELECT l.amount FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id "
        "WHERE i.number = :n",
        analyse=True,
        n=number,
    )
    scans = [ln for ln in joined.splitlines() if re.search(r"Scan on invoice_line_\w+ l", ln)]
    ran = [ln for ln in scans if "never executed" not in ln]
    assert len(scans) == len(partition.PROVINCES) + 2  # every partition planned...
    assert len(ran) == 1 and "invoice_line_p96" in ran[0]  # ...one read


def test_invoice_ids_follow_the_funder(national: Engine) -> None:
    with national.begin() as conn:
        common = {
            "fiscal_year": 2025,
            "budget": 1,
            "segment": "bpu",
            "income_base": 1_000_000,
            "period_start": dt.date(2025, 1, 1),
            "period_end": dt.date(2025, 12, 31),
            "rules": {},
        }
        aceh = conn.execute(
            insert(program).values(name="Aceh", funder_type="apbd", funder_region="11", **common)
        ).inserted_primary_key[0]
        nation = conn.execute(
            insert(program).values(name="APBN", funder_type="apbn", funder_region=None, **common)
        ).inserted_primary_key[0]
        made = {}
        for pid, month in ((aceh, 1), (aceh, 2), (nation, 1)):
            made[(pid, month)] = int(
                conn.execute(
                    insert(invoice).values(
                        number=f"INV-{pid}-{month}",
                        program_id=pid,
                        month=dt.date(2025, month, 1),
                        lines=0,
                        amount=0,
                    )
                ).inserted_primary_key[0]
            )
        # an explicit id (as a restore writes it) is kept
        conn.execute(
            insert(invoice).values(
                id=123, number="INV-kept", program_id=nation, month=dt.date(2025, 3, 1),
                lines=0, amount=0,
            )
        )  # fmt: skip
        for i, iid in enumerate([*made.values(), 123]):
            conn.execute(
                insert(invoice_line).values(
                    invoice_id=iid, membership_id=i + 1, jkk=1, jkm=1, jht=0, amount=2, paid=0
                )
            )
    assert made[(aceh, 1)] == 11 * partition.BLOCK + 1
    assert made[(aceh, 2)] == 11 * partition.BLOCK + 2
    assert made[(nation, 1)] < partition.BLOCK
    assert _lines_by_partition(national) == {"invoice_line_p11": 2, "invoice_line_p00": 2}


def test_a_province_created_later(national: Engine) -> None:
    with national.begin() as conn:
        conn.execute(
            insert(invoice_line).values(
                invoice_id=25 * partition.BLOCK + 1, membership_id=1, jkk=1, jkm=1, jht=0,
                amount=2, paid=0,
            )
        )  # fmt: skip
    assert _lines_by_partition(national) == {"invoice_line_default": 1}
    with national.begin() as conn:
        partition.add_province(conn, "25")
    assert _lines_by_partition(national) == {"invoice_line_p25": 1}
    with pytest.raises(ValueError), national.begin() as conn:
        partition.add_province(conn, "9x")


def test_downgrade_and_upgrade_keep_the_lines(national: Engine) -> None:
    with national.begin() as conn:
        conn.execute(
            insert(invoice_line).values(
                invoice_id=96 * partition.BLOCK + 7, membership_id=3, jkk=1, jkm=1, jht=0,
                amount=2, paid=0,
            )
        )  # fmt: skip
    command.downgrade(_alembic_config(national), "0025")  # revision 0028's downgrade
    assert not partition.is_partitioned(national)
    assert _lines_by_partition(national) == {"invoice_line": 1}
    migrate(national, partition_by_province=False)  # asked not to: stays one table
    assert current_revision(national) is not None
    assert not partition.is_partitioned(national)
    migrate(national, partition_by_province=True)  # past 0028: converted at once
    assert _lines_by_partition(national) == {"invoice_line_p96": 1}


def test_cities_and_provinces_stay_unpartitioned(engine: Engine) -> None:
    """Neither SQLite nor the ordinary PostgreSQL of the test template is partitioned."""
    assert not partition.is_partitioned(engine)


def test_sqlite_refuses_partitioning_asked_for_by_name(tmp_path: Path) -> None:
    """Asked for explicitly on SQLite, partitioning is refused before anything is written
    (the environment variable alone is ignored there, so SQLite test runs stay plain)."""
    from jaring.errors import JaringError

    engine = make_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    with pytest.raises(JaringError) as e:
        migrate(engine, partition_by_province=True)
    assert e.value.code == "postgresql_only"
    assert current_revision(engine) is None
