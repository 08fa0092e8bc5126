"""Keeping the names people are found by (``person_alias``) up to date with the registry.

A person's names are their own (``person.name_norm``) and those of the rows linked to them.
They are brought up to date person by person before a search, for the people that changed
since the last time: new people and new rows are found by id (ids only grow: the mark in
``web_setting`` keeps the largest person id and row id seen), and what ids do not show (a
person renamed, merged away or deleted, a row moved to another person by a merge or a split)
is left in ``search_dirty`` by triggers (revision 0022). A store where nothing changed costs
three index look-ups per search; a change costs reading the names of the people it touched
(a rebuild of everything only when there is no mark yet, or when more than
:data:`FULL_REBUILD` people changed at once: after a big import reading everything in bulk
is cheaper than person by person; on PostgreSQL the name tables are then vacuumed,
``store.search.vacuum``).
"""

from __future__ import annotations

import json

import polars as pl
from sqlalchemy import Connection, Engine, delete, exists, func, insert, select

from jaring.registry.queries import rows as source_rows
from jaring.store import dialect
from jaring.store import search as index
from jaring.store.bulk import insert_frame, read_frame
from jaring.store.tables.registry import person, person_alias, registry_link, search_dirty
from jaring.store.tables.web import web_setting

MARK = "search:mark"
FULL_REBUILD = 200_000  # people changed at once above which everything is read again
_CHUNK = 5_000  # ids per IN list


def _now(conn: Connection) -> dict[str, int]:
    """The largest person id and row id in the store, and whether anyone is marked."""
    return {
        "person": int(conn.execute(select(func.max(person.c.id))).scalar() or 0),
        "row": int(conn.execute(select(func.max(registry_link.c.row_id))).scalar() or 0),
        "dirty": int(bool(conn.execute(select(exists().select_from(search_dirty))).scalar())),
    }


def _stored_mark(conn: Connection) -> dict[str, int] | None:
    raw = conn.execute(select(web_setting.c.value).where(web_setting.c.key == MARK)).scalar()
    try:
        found = json.loads(raw) if raw else None
    except ValueError:  # a mark of an earlier version: rebuild once
        return None
    return found if isinstance(found, dict) else None


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _names(conn: Connection, people: list[int] | None) -> pl.DataFrame:
    """``person_id``, ``name``: every name of ``people`` (of everyone when ``None``)."""
    own_q = select(person.c.id.label("person_id"), person.c.name_norm.label("name")).where(
        person.c.name_norm.is_not(None)
    )
    link_q = select(registry_link.c.row_id.label("id"), registry_link.c.person_id)
    own_parts, link_parts = [], []
    for part in [None] if people is None else _chunks(people):
        oq, lq = own_q, link_q
        if part is not None:
            oq = oq.where(person.c.id.in_(part))
            lq = lq.where(registry_link.c.person_id.in_(part))
        own_parts.append(
            read_frame(conn, oq, schema_overrides={"person_id": pl.Int64, "name": pl.String})
        )
        link_parts.append(
            read_frame(conn, lq, schema_overrides={"id": pl.Int64, "person_id": pl.Int64})
        )
    own = pl.concat(own_parts).select(
        pl.col("person_id").cast(pl.Int64), pl.col("name").cast(pl.String)
    )
    links = pl.concat(link_parts).select(
        pl.col("id").cast(pl.Int64), pl.col("person_id").cast(pl.Int64)
    )
    parts = [own]
    if links.height:
        names = source_rows.read(conn, ids=links.get_column("id"), columns=("name_norm",))
        parts.append(
            names.join(links, on="id")
            .select(pl.col("person_id").cast(pl.Int64), pl.col("name_norm").alias("name"))
            .drop_nulls()
        )
    return (
        pl.concat(parts)
        .filter(pl.col("name").str.len_chars() > 0)
        .with_columns(pl.col("name").str.slice(0, 200))
        .unique(["person_id", "name"])
        .sort(["person_id", "name"])
    )


def _write_mark(conn: Connection, now: dict[str, int]) -> None:
    conn.execute(delete(web_setting).where(web_setting.c.key == MARK))
    mark = json.dumps({"person": now["person"], "row": now["row"]})
    conn.execute(insert(web_setting).values(key=MARK, value=mark))


def _rebuild(conn: Connection, now: dict[str, int]) -> None:
    frame = _names(conn, None).with_row_index("id", offset=1)
    conn.execute(delete(person_alias))
    if frame.height:
        frame = frame.with_columns(pl.col("id").cast(pl.Int64))
        insert_frame(conn, "person_alias", frame.select("id", "person_id", "name"))
    index.reindex(conn)
    conn.execute(delete(search_dirty))
    _write_mark(conn, now)


def _changed(conn: Connection, mark: dict[str, int]) -> tuple[list[int], list[int]]:
    """The people whose names may have changed since ``mark`` (new, with new rows, or
    marked by a trigger), and the marked ones (to unmark)."""
    marked = [int(i) for i in conn.execute(select(search_dirty.c.person_id)).scalars()]
    fresh = conn.execute(select(person.c.id).where(person.c.id > int(mark.get("person", 0))))
    linked = conn.execute(
        select(registry_link.c.person_id)
        .where(registry_link.c.row_id > int(mark.get("row", 0)))
        .distinct()
    )
    people = set(marked)
    people.update(int(i) for i in fresh.scalars())
    people.update(int(i) for i in linked.scalars())
    return sorted(people), marked


def _update(conn: Connection, people: list[int], marked: list[int], now: dict[str, int]) -> None:
    """Replace the names of ``people`` (those gone keep none), index included."""
    old: list[int] = []
    for part in _chunks(people):
        old += [
            int(i)
            for i in conn.execute(
                select(person_alias.c.id).where(person_alias.c.person_id.in_(part))
            ).scalars()
        ]
    for part in _chunks(old):
        conn.execute(delete(person_alias).where(person_alias.c.id.in_(part)))
    frame = _names(conn, people)
    first = int(conn.execute(select(func.max(person_alias.c.id))).scalar() or 0) + 1
    if frame.height:
        frame = frame.with_row_index("id", offset=first).with_columns(pl.col("id").cast(pl.Int64))
        insert_frame(conn, "person_alias", frame.select("id", "person_id", "name"))
    index.update(conn, removed=old, added_from=first if frame.height else None)
    for part in _chunks(marked):
        conn.execute(delete(search_dirty).where(search_dirty.c.person_id.in_(part)))
    _write_mark(conn, now)


def refresh(engine: Engine, *, force: bool = False) -> bool:
    """Bring ``person_alias`` (and its trigram index) up to date: the names of the people
    that changed since the last time (everyone's when there is no mark yet, or when
    ``force``). True when anything was written. Not an action of a user: it derives an
    index from what is stored, audits nothing."""
    with engine.connect() as conn:
        now = _now(conn)
        mark = _stored_mark(conn)
    if (
        mark is not None
        and not force
        and not now["dirty"]
        and now["person"] == mark.get("person")
        and now["row"] == mark.get("row")
    ):
        return False
    with engine.begin() as conn:
        if dialect.of(conn).row_locks:  # one refresh at a time; the next one sees it done
            dialect.lock_table(conn, person_alias)
        now = _now(conn)
        mark = None if force else _stored_mark(conn)
        rebuilt = mark is None
        if mark is not None:
            if (
                not now["dirty"]
                and now["person"] == mark.get("person")
                and now["row"] == mark.get("row")
            ):
                return False  # done by another refresh while this one waited
            people, marked = _changed(conn, mark)
            rebuilt = len(people) > FULL_REBUILD
            if not rebuilt:
                _update(conn, people, marked, now)
        if rebuilt:
            _rebuild(conn, now)
    if rebuilt:  # everything written anew: its visibility map, so that reads stay index-only
        index.vacuum(engine)
    return True
