"""Keeping the names people are found by (``person_alias``) up to date with the registry.

The names are rebuilt whole from the people and the rows linked to them when the registry
changed since the last build: the mark is the newest audit event of a registry change (every
import, correction, review decision, split and identity change is audited), kept in
``web_setting``. A rebuild reads every linked row's normalised name (a million rows: a few
seconds); a store where nothing changed costs one small query per search.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, delete, func, insert, select

from jaring.registry.queries import rows as source_rows
from jaring.store import dialect
from jaring.store import search as index
from jaring.store.bulk import insert_frame, read_frame
from jaring.store.tables.registry import person, person_alias, registry_link
from jaring.store.tables.web import audit_event, web_setting

MARK = "search:mark"
#: The audited actions that change who is called what.
CHANGES = ("registry.", "person.change_approve")


def _mark(engine: Engine) -> str:
    with engine.connect() as conn:
        newest = conn.execute(
            select(func.max(audit_event.c.id)).where(
                audit_event.c.action.startswith(CHANGES[0]) | (audit_event.c.action == CHANGES[1])
            )
        ).scalar()
        people = conn.execute(select(func.count(), func.max(person.c.id))).one()
    return f"{newest or 0}:{people[0]}:{people[1] or 0}"


def refresh(engine: Engine, *, force: bool = False) -> bool:
    """Rebuild ``person_alias`` (and its trigram index) if the registry changed since the last
    build, or when ``force``; True when it was rebuilt. Not an action of a user: it derives
    an index from what is stored, audits nothing."""
    mark = _mark(engine)
    with engine.connect() as conn:
        done = conn.execute(select(web_setting.c.value).where(web_setting.c.key == MARK)).scalar()
    if done == mark and not force:
        return False
    with engine.begin() as conn:
        if dialect.of(conn).row_locks:  # one rebuild at a time; the next one sees it done
            dialect.lock_table(conn, person_alias)
            found = conn.execute(select(web_setting.c.value).where(web_setting.c.key == MARK))
            if found.scalar() == mark and not force:
                return False
        own = read_frame(
            conn,
            select(person.c.id.label("person_id"), person.c.name_norm.label("name")).where(
                person.c.name_norm.is_not(None)
            ),
            schema_overrides={"person_id": pl.Int64, "name": pl.String},
        )
        links = read_frame(
            conn,
            select(registry_link.c.row_id.label("id"), registry_link.c.person_id),
            schema_overrides={"id": pl.Int64, "person_id": pl.Int64},
        )
        parts = [own.select(pl.col("person_id").cast(pl.Int64), pl.col("name").cast(pl.String))]
        if links.height:
            names = source_rows.read(conn, ids=links.get_column("id"), columns=("name_norm",))
            parts.append(
                names.join(links, on="id")
                .select(pl.col("person_id").cast(pl.Int64), pl.col("name_norm").alias("name"))
                .drop_nulls()
            )
        frame = (
            pl.concat(parts)
            .filter(pl.col("name").str.len_chars() > 0)
            .with_columns(pl.col("name").str.slice(0, 200))
            .unique(["person_id", "name"])
            .sort(["person_id", "name"])
            .with_row_index("id", offset=1)
            .with_columns(pl.col("id").cast(pl.Int64))
        )
        conn.execute(delete(person_alias))
        if frame.height:
            insert_frame(conn, "person_alias", frame.select("id", "person_id", "name"))
        index.reindex(conn)
        conn.execute(delete(web_setting).where(web_setting.c.key == MARK))
        conn.execute(insert(web_setting).values(key=MARK, value=mark))
    return True
