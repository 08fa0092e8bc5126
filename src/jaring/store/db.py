"""Engines and migrations.

The database is chosen by URL: ``--db URL`` on every command, else ``JARING_DATABASE_URL``,
else ``sqlite:///jaring.db`` in the working directory (one city on a laptop). PostgreSQL URLs
may be written the usual way (``postgresql://user@host/db``); we add the psycopg 3 driver.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_URL = "sqlite:///jaring.db"
ENV_VAR = "JARING_DATABASE_URL"


def database_url(cli_value: str | None = None) -> str:
    """The URL in force: the command line wins over the environment over the default."""
    url = cli_value or os.environ.get(ENV_VAR) or DEFAULT_URL
    return normalise_url(url)


def normalise_url(url: str) -> str:
    """Accept bare paths and plain ``postgresql://`` URLs; pin the psycopg 3 driver."""
    if "://" not in url:  # a bare path to a SQLite file
        return f"sqlite:///{url}"
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the settings Jaring relies on.

    SQLite gets foreign keys on (off by default there), WAL journaling so the web app can
    read while the CLI writes, a busy timeout instead of immediate "database is locked", and a
    32 MiB page cache instead of 2 MiB: bulk imports insert into hash indexes in random order,
    and a small cache made them re-read pages from disk (measured: 25% of a 100k-row import).

    Every engine hides bound parameters in its error messages (``hide_parameters``): they
    carry NIKs, names and phones, and an error's message reaches the logs (UU 27/2022).
    """
    url = database_url(url)
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        connect_args = {"timeout": 30, **kwargs.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA cache_size=-32768")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _alembic_config(engine: Engine) -> Config:
    cfg = Config()
    script_location = Path(str(resources.files("jaring.store") / "migrations"))
    cfg.set_main_option("script_location", str(script_location))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(
    engine: Engine, revision: str = "head", *, partition_by_province: bool | None = None
) -> None:
    """Bring the schema to ``revision`` (``jaring db upgrade``). Idempotent.

    ``partition_by_province=True`` makes the store a national instance's: on PostgreSQL its
    invoice lines are partitioned by province (:mod:`jaring.store.partition`), by revision
    0028 when the store is new, or at once when it is past it; refused on SQLite
    (``postgresql_only``), before anything changes. ``None`` leaves the choice to
    ``JARING_PARTITION_BY_PROVINCE`` (which SQLite ignores); ``False`` never partitions.
    """
    from jaring import errors
    from jaring.i18n import _
    from jaring.store import partition

    if partition_by_province and engine.dialect.name == "sqlite":
        raise errors.POSTGRESQL_ONLY(
            what=_("Partitioning by province"), field="partition_by_province"
        )

    cfg = _alembic_config(engine)
    cfg.attributes["partition_by_province"] = partition_by_province
    command.upgrade(cfg, revision)
    if partition_by_province and revision == "head":
        with engine.begin() as conn:
            partition.apply(conn)


def current_revision(engine: Engine) -> str | None:
    """The revision the store's schema is at, or ``None`` for an empty store."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
