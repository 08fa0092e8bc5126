"""Revision 0029: the dashboard counts a province's people, their coverage and their
memberships from indexes alone, on both dialects; the downgrade takes the indexes away and
the upgrade brings them back."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from jaring.store import migrate

PEOPLE = (
    "SELECT district_code, count(*) FROM person WHERE province_code = '96' GROUP BY district_code"
)
MEMBERSHIPS = (
    "SELECT m.state, count(*) FROM membership m JOIN person p ON p.id = m.person_id "
    "WHERE p.province_code = '96' GROUP BY m.state"
)


def _indexes(engine: Engine) -> set[str]:
    i = inspect(engine)
    return {x["name"] for t in ("person", "membership") for x in i.get_indexes(t) if x["name"]}


def _plan(engine: Engine, sql: str) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return " / ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
        conn.execute(text("SET enable_seqscan = off"))  # an empty table: any scan would do
        return " / ".join(str(r[0]) for r in conn.execute(text("EXPLAIN " + sql)))


def test_a_provinces_figures_come_from_indexes(engine: Engine) -> None:
    assert {"ix_person_province_district", "ix_membership_person_state"} <= _indexes(engine)
    people, members = _plan(engine, PEOPLE), _plan(engine, MEMBERSHIPS)
    if engine.dialect.name == "sqlite":
        assert "COVERING INDEX ix_person_province_district" in people
        assert "COVERING INDEX ix_membership_person_state" in members
    else:  # empty tables: the index is used (index-only at 3M people: docs/national.md)
        assert "ix_person_province_district" in people
        assert "ix_membership_person_state" in members
    migrate_down(engine)
    assert not {"ix_person_province_district", "ix_membership_person_state"} & _indexes(engine)
    migrate(engine)
    assert {"ix_person_province_district", "ix_membership_person_state"} <= _indexes(engine)


def migrate_down(engine: Engine) -> None:
    from alembic import command

    from jaring.store.db import _alembic_config

    command.downgrade(_alembic_config(engine), "0028")
