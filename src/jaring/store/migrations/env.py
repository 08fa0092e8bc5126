"""Alembic environment: the engine comes from :func:`jaring.store.db.migrate`.

SQLite: a batch migration rebuilds a table (create a copy, drop the old one, rename). With
foreign keys enforced, dropping a table that other rows reference fails on a populated
database, so enforcement is switched off outside the transaction (SQLite ignores the pragma
inside one), checked with ``PRAGMA foreign_key_check`` before commit, and switched back on:
SQLite's documented procedure for schema changes.
"""

from alembic import context

from jaring.store.tables import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
