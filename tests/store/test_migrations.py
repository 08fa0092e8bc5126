"""The migrations build exactly the schema the tables declare, on both dialects."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from jaring.store import migrate
from jaring.store.db import current_revision
from jaring.store.tables import metadata


def test_migrated_schema_matches_tables(engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, metadata)
    assert diff == []


def test_upgrade_is_idempotent(engine) -> None:
    before = current_revision(engine)
    migrate(engine)
    assert current_revision(engine) == before


def test_the_migration_chain_has_one_head() -> None:
    """One chain: a revision added beside another (two heads) fails here, before it can make
    ``jaring db upgrade`` refuse to choose."""
    from alembic.script import ScriptDirectory

    from jaring.store import make_engine
    from jaring.store.db import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config(make_engine("sqlite://")))
    heads = script.get_heads()
    assert len(heads) == 1, f"the migration chain has {len(heads)} heads: {heads}"
    # and every revision lies on the one line from base to head
    revisions = list(script.walk_revisions())
    assert all(len(r._all_down_revisions) <= 1 for r in revisions)
