"""The deduplication run writes in short transactions, each holding whole people, on SQLite
and PostgreSQL: a failure mid-way (the store refusing a link, made here with a trigger) leaves
the batches written whole and the other rows unlinked; running it again completes the work."""

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from jaring.access import Actor
from jaring.demo.hardlists import hard_list, write_csv
from jaring.registry.actions import imports, linking
from jaring.store import dialect
from jaring.store.tables.registry import person, registry_link, registry_pair

SYSTEM = Actor.system()


def _fail_after(engine, links: int) -> None:  # type: ignore[no-untyped-def]
    """Make the store refuse any link once ``links`` links exist."""
    with engine.begin() as conn:
        if dialect.of(conn) is dialect.POSTGRESQL:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_link() RETURNS trigger AS $$ BEGIN "
                    f"IF (SELECT count(*) FROM registry_link) >= {links} THEN "
                    "RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_link BEFORE INSERT ON registry_link "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_link()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_link BEFORE INSERT ON registry_link WHEN "
                    f"(SELECT count(*) FROM registry_link) >= {links} "
                    "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )


def _allow(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse_link" + (
            " ON registry_link" if dialect.of(conn) is dialect.POSTGRESQL else ""
        )))  # fmt: skip


def _state(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """(links, people, people without a link): the last must always be 0."""
    with engine.connect() as conn:
        links = conn.execute(select(func.count()).select_from(registry_link)).scalar_one()
        people = conn.execute(select(func.count()).select_from(person)).scalar_one()
        bare = conn.execute(
            select(func.count())
            .select_from(person)
            .where(
                ~select(registry_link.c.row_id)
                .where(registry_link.c.person_id == person.c.id)
                .exists()
            )
        ).scalar_one()
    return int(links), int(people), int(bare)


def test_a_failure_mid_way_leaves_whole_batches_and_a_rerun_completes(
    engine, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    write_csv(hard_list(300, seed=5), tmp_path / "hard.csv")
    imported = imports.import_files(
        engine, SYSTEM, [tmp_path / "hard.csv"], "Hard", listed_on=dt.date(2024, 1, 1)
    )
    accepted = imported.accepted
    _fail_after(engine, 100)
    with pytest.raises(Exception, match="refused"):
        linking.dedupe(engine, SYSTEM, batch_rows=50)
    links, _, bare = _state(engine)
    assert 0 < links <= 100 and bare == 0  # whole batches only, no person without rows
    with engine.connect() as conn:  # the queue is written after the people: none yet
        assert conn.execute(select(func.count()).select_from(registry_pair)).scalar_one() == 0
    _allow(engine)
    done = linking.dedupe(engine, SYSTEM, batch_rows=50)
    links2, people2, bare2 = _state(engine)
    assert bare2 == 0 and links2 > links and done.records == links2 and done.people == people2
    assert done.new_records == links2 - links
    assert links2 == accepted  # every accepted row has its person
    # nothing left to do: a third run links nothing and asks nothing new
    again = linking.dedupe(engine, SYSTEM, batch_rows=50)
    assert again.new_records == 0 and again.review == done.review
    assert _state(engine) == (links2, people2, 0)
