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
