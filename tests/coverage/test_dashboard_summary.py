"""The dashboard's figures equal a direct count of the contract tables after every kind of
change, on both dialects (PostgreSQL from its per-distrik summary, SQLite directly), and a
change committed while the summary is refreshed is not lost."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from coverage_cases import add_cover, add_people, add_program
from sqlalchemy import Engine, text

from jaring.access import Actor
from jaring.coverage.queries.dashboard import _direct_counts, dashboard, default_day
from jaring.store import summary
from jaring.store.dialect import to_date

D = dt.date
ACTORS = [
    Actor.system(),
    Actor(username="prov", role="viewer", regions=("96",)),
    Actor(username="kota", role="viewer", regions=("96.71",)),
    Actor(username="dua", role="viewer", regions=("96.71.02", "96.01")),
    Actor(username="desa", role="viewer", regions=("96.71.01.1001",)),
]
# the edges of the periods below: first and last days, the day after, overlaps
DAYS = [
    D(2023, 12, 31),
    D(2024, 1, 1),
    D(2024, 3, 31),
    D(2024, 4, 1),
    D(2024, 6, 1),
    D(2024, 9, 30),
    D(2024, 10, 1),
    D(2024, 12, 31),
    D(2025, 1, 1),
    D(2025, 5, 31),
    D(2025, 6, 1),
]


@pytest.fixture
def store(engine: Engine) -> Engine:
    """Two cities' people, one without a distrik, overlapping and adjacent periods."""
    with engine.begin() as conn:
        add_people(
            conn,
            [
                {"id": 1, "district": "96.71.01", "village": "96.71.01.1001"},
                {"id": 2, "district": "96.71.01"},
                {"id": 3, "district": "96.71.02"},
                {"id": 4, "district": "96.71.02"},
                {"id": 5, "district": "96.71.03"},
                {"id": 6, "district": "96.01.01"},
                {"id": 7, "district": "91.71.01"},
            ],
        )
        conn.execute(
            text(
                "INSERT INTO person (id, name, province_code, registered_on) "
                "VALUES (8, 'Tanpa Distrik', '96', '2023-01-01')"
            )
        )
        add_program(conn, 1, "bpu")
        add_program(conn, 2, "pu")
        add_cover(
            conn,
            [
                (1, 1, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (2, 1, 2, "pu", D(2024, 6, 1), D(2025, 5, 31)),  # overlaps the first
                (3, 2, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (4, 3, 1, "bpu", D(2024, 1, 1), D(2024, 9, 30)),
                (5, 4, 1, "bpu", D(2024, 1, 1), D(2024, 3, 31)),
                (5, 4, 1, "bpu", D(2024, 4, 1), D(2024, 6, 30)),  # adjacent to the one above
                (5, 4, 1, "bpu", D(2024, 3, 1), D(2024, 4, 15)),  # inside both
                (6, 5, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (7, 6, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (8, 7, 1, "bpu", D(2024, 6, 1), D(2024, 6, 1)),  # one day
                (9, 8, 1, "bpu", D(2024, 1, 1), D(2024, 1, 31)),
            ],
        )
        conn.execute(text("UPDATE membership SET state = 'ended' WHERE id = 4"))
    return engine


def _assert_equal(engine: Engine) -> None:
    """Every actor's figures on every day equal the direct count, to the person."""
    for actor, on in itertools.product(ACTORS, DAYS):
        with engine.connect() as conn:
            people, covered, states = _direct_counts(conn, actor, on)
        got = dashboard(engine, actor, on)
        assert {d.code: d.people for d in got.districts} == people, (actor.regions, on)
        assert {d.code: d.covered for d in got.districts if d.covered} == covered, (
            actor.regions,
            on,
        )
        assert got.memberships == states, (actor.regions, on)
        assert got.people == sum(people.values())
        assert got.covered == sum(covered.values())
    with engine.connect() as conn:
        last = conn.execute(text("SELECT max(end_date) FROM coverage_period")).scalar()
    expected = dt.date.today() if last is None else min(to_date(last), dt.date.today())
    assert default_day(engine) == expected


def _dirty(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM dashboard_dirty")).scalar_one())


def test_the_summary_is_kept_on_postgresql_only(store: Engine) -> None:
    assert summary.kept(store) is (store.dialect.name == "postgresql")
    got = dashboard(store, Actor.system(), D(2024, 6, 1))
    assert got.people == 8 and got.covered == 7  # person 3 lapsed in September: covered
    assert got.memberships == {"active": 8, "ended": 1}
    assert {d.code: d.covered for d in got.districts}["91.71.01"] == 1
    if summary.kept(store):
        assert _dirty(store) == 0  # the dashboard recounted what the inserts marked
        with store.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM dashboard_people")).scalar_one()
        assert rows == 6  # five distrik and Papua Barat Daya's person without one


def test_figures_equal_the_direct_count_after_intake(store: Engine) -> None:
    _assert_equal(store)


def test_figures_follow_membership_and_coverage_changes(store: Engine) -> None:
    _assert_equal(store)  # counted once: what follows is recounted from the marks
    with store.begin() as conn:
        conn.execute(text("UPDATE membership SET state = 'suspended' WHERE id IN (1, 6)"))
        conn.execute(text("UPDATE coverage_period SET end_date = '2024-02-29' WHERE id = 4"))
        conn.execute(text("DELETE FROM coverage_period WHERE id = 9"))
        conn.execute(text("UPDATE person SET name = 'Nama Baru' WHERE id = 2"))  # not counted
    _assert_equal(store)
    with store.begin() as conn:
        add_people(conn, [{"id": 9, "district": "96.71.04"}])
        add_program(conn, 3, "bpu")
        conn.execute(
            text(
                "INSERT INTO membership (id, program_id, person_id, segment, income_base, "
                "with_jht, state, start_month) VALUES (10, 3, 9, 'bpu', 1000000, false, "
                "'active', '2024-05-01'), (11, 3, 8, 'bpu', 1000000, false, 'planned', "
                "'2024-05-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO coverage_period (id, membership_id, person_id, program_id, "
                "segment, start_date, end_date) VALUES "
                "(20, 10, 9, 3, 'bpu', '2024-05-01', '2024-12-31'), "
                "(21, 11, 8, 3, 'bpu', '2024-02-01', '2024-10-31')"
            )
        )
    _assert_equal(store)


def test_figures_follow_a_move_a_merge_and_a_delete(store: Engine) -> None:
    _assert_equal(store)
    with store.begin() as conn:  # person 5 moves to another city's distrik
        conn.execute(
            text(
                "UPDATE person SET province_code = '91', regency_code = '91.71', "
                "district_code = '91.71.02' WHERE id = 5"
            )
        )
        conn.execute(text("UPDATE person SET district_code = NULL WHERE id = 6"))
    _assert_equal(store)
    with store.begin() as conn:  # a second record of person 3, in another distrik
        add_people(conn, [{"id": 11, "district": "96.71.03"}])
        conn.execute(
            text(
                "INSERT INTO membership (id, program_id, person_id, segment, income_base, "
                "with_jht, state, start_month) VALUES (12, 2, 11, 'pu', 1000000, false, "
                "'active', '2024-09-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO coverage_period (id, membership_id, person_id, program_id, "
                "segment, start_date, end_date) VALUES "
                "(22, 12, 11, 2, 'pu', '2024-09-01', '2025-08-31')"
            )
        )
    _assert_equal(store)
    with store.begin() as conn:  # person 11 merged into person 3, as a review merges them
        conn.execute(text("UPDATE membership SET person_id = 3 WHERE person_id = 11"))
        conn.execute(text("UPDATE coverage_period SET person_id = 3 WHERE person_id = 11"))
        conn.execute(text("DELETE FROM person WHERE id = 11"))
    _assert_equal(store)
    with store.begin() as conn:  # person 7 and everything of theirs deleted
        conn.execute(text("DELETE FROM coverage_period WHERE person_id = 7"))
        conn.execute(text("DELETE FROM membership WHERE person_id = 7"))
        conn.execute(text("DELETE FROM person WHERE id = 7"))
    _assert_equal(store)


def test_figures_follow_a_truncate(store: Engine) -> None:
    _assert_equal(store)
    with store.begin() as conn:
        conn.execute(
            text("DELETE FROM coverage_period")
            if store.dialect.name == "sqlite"
            else text("TRUNCATE coverage_period")
        )
    _assert_equal(store)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)  # SQLite counts directly
def test_a_change_committed_during_a_refresh_is_not_lost(store: Engine) -> None:
    """A writer's mark is part of its transaction: a refresh that runs while the writer is
    open neither sees nor deletes it, even when the distrik was already marked (the case a
    unique mark would lose), and the next refresh counts the change."""
    assert summary.kept(store)
    _assert_equal(store)
    with store.begin() as conn:  # 96.71.02 marked and committed
        conn.execute(text("UPDATE membership SET state = 'suspended' WHERE id = 4"))
    writer = store.connect()
    try:
        tx = writer.begin()
        writer.execute(text("UPDATE membership SET state = 'ended' WHERE id = 5"))  # 96.71.02
        add_people(writer, [{"id": 10, "district": "96.71.02"}])
        assert summary.refresh(store) == 1  # the committed mark; the open one is not seen
        tx.commit()
    finally:
        writer.close()
    assert _dirty(store) == 2  # the writer's two statements, one mark each
    _assert_equal(store)
    assert _dirty(store) == 0
    got = dashboard(store, Actor(username="dua", role="viewer", regions=("96.71.02",)), DAYS[4])
    assert got.people == 3 and got.memberships == {"suspended": 1, "ended": 1}


def test_the_upgrade_counts_an_existing_store(store: Engine) -> None:
    """A store with people before revision 0030 gets its summary at the upgrade."""
    from alembic import command

    from jaring.store import migrate
    from jaring.store.db import _alembic_config

    command.downgrade(_alembic_config(store), "0029")
    migrate(store)
    if summary.kept(store):
        assert _dirty(store) == 0
        with store.connect() as conn:
            n = conn.execute(text("SELECT sum(people) FROM dashboard_people")).scalar_one()
        assert n == 8
    _assert_equal(store)


def test_the_cli_brings_both_indexes_up_to_date(store: Engine) -> None:
    import json

    from tests.clirun import jaring, process

    url = store.url.render_as_string(hide_password=False)

    def refresh(*extra: str) -> dict[str, object]:
        p = jaring("db", "refresh", "--json", "--db", url, *extra)
        assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
        return dict(json.loads(p.stdout))

    first = refresh()
    assert first["name_index_rebuilt"] is True  # nobody searched yet: built whole
    assert first["summary_kept"] is summary.kept(store)
    if summary.kept(store):
        assert first["summary_districts_recounted"] == 6 and _dirty(store) == 0
    again = refresh()
    assert again["name_index_rebuilt"] is False and again["summary_districts_recounted"] == 0
    assert refresh("--force")["name_index_rebuilt"] is True
    words = process("db", "refresh", "--db", url).stdout  # the real entry point
    assert "indeks nama sudah mutakhir" in words
