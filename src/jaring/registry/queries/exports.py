"""The registry as frames for analysts and files: the people, every source row with the
person it was linked to, and the source rows themselves with the cells as typed (SQL cannot
see inside the chunks the rows are stored in, so these are the way out to SQL or Spark).

All of them carry NIKs in clear, so only roles that see personal data in clear may read them
(``registry_needs_clear_data``). People are kept to the actor's regions; source rows to the
batches the actor may see (an actor scoped to regions: the batches they imported).
"""

from __future__ import annotations

import json

import polars as pl
from sqlalchemy import Connection, Engine, func, select

from jaring import audit
from jaring.access import Actor
from jaring.registry import chunks
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.batches import require_batch
from jaring.registry.queries.people import require_clear_data, scope_clause
from jaring.store.bulk import read_frame
from jaring.store.dialect import date_columns
from jaring.store.tables.registry import person, registry_batch, registry_file, registry_link

#: The columns of :func:`people_frame`, with their types.
PEOPLE_SCHEMA = {
    "id": pl.Int64,
    "nik": pl.String,
    "name": pl.String,
    "name_norm": pl.String,
    "birth_date": pl.Date,
    "sex": pl.String,
    "province_code": pl.String,
    "regency_code": pl.String,
    "district_code": pl.String,
    "village_code": pl.String,
    "address": pl.String,
    "phone": pl.String,
    "occupation": pl.String,
    "desil": pl.Int16,
    "registered_on": pl.Date,
    "source_rows": pl.Int64,
    "other_niks": pl.String,
}

LINK_COLUMNS = (
    "source", "file", "sheet", "row", "status", "person_id", "method", "match_weight",
    "row_id", "batch",
)  # fmt: skip


def people_frame(conn: Connection, actor: Actor) -> pl.DataFrame:
    """Every person in the actor's regions (:data:`PEOPLE_SCHEMA`) with the number of source
    rows behind them and the other NIKs their rows carry (``other_niks``, null for most), by
    id. Inside the caller's transaction; refuses
    ``registry_needs_clear_data``."""
    actor.require("person.read")
    require_clear_data(actor)
    behind = (
        select(func.count())
        .select_from(registry_link)
        .where(registry_link.c.person_id == person.c.id)
        .scalar_subquery()
        .label("source_rows")
    )
    q = select(*(person.c[k] for k in PEOPLE_SCHEMA if k not in _COUNTED), behind)
    scope = scope_clause(actor)
    if scope is not None:
        q = q.where(scope)
    others = {k: v for k, v in PEOPLE_SCHEMA.items() if v != pl.Date and k != "other_niks"}
    frame = read_frame(conn, q.order_by(person.c.id), schema_overrides=others)
    frame = frame.join(_other_niks(conn), on="id", how="left", maintain_order="left")
    return date_columns(frame, "birth_date", "registered_on").cast(pl.Schema(PEOPLE_SCHEMA))


# columns of PEOPLE_SCHEMA that are not the person's own
_COUNTED = ("source_rows", "other_niks")


def _other_niks(conn: Connection) -> pl.DataFrame:
    """``id`` -> ``other_niks``: the NIKs on a person's rows other than the person's NIK
    (sorted, comma-separated), for the people whose rows carry two NIKs or more: the mark of
    a person to check (which NIK is right: :mod:`jaring.registry.queries.niks`)."""
    links = read_frame(
        conn,
        select(registry_link.c.row_id.label("id"), registry_link.c.person_id),
        schema_overrides={"id": pl.Int64, "person_id": pl.Int64},
    )
    rows = source_rows.read(conn, ids=links.get_column("id"), columns=("status", "nik"))
    own = read_frame(
        conn,
        select(person.c.id.label("person_id"), person.c.nik.label("own")),
        schema_overrides={"person_id": pl.Int64, "own": pl.String},
    )
    return (
        rows.filter(pl.col("status") == "accepted", pl.col("nik").is_not_null())
        .join(links, on="id")
        .select("person_id", "nik")
        .unique()
        .join(own, on="person_id", how="left")
        .filter(pl.col("own").is_null() | (pl.col("nik") != pl.col("own")))
        .group_by("person_id")
        .agg(pl.col("nik").sort().str.join(", ").alias("other_niks"))
        .rename({"person_id": "id"})
    )


def _batches_seen(conn: Connection, actor: Actor) -> list[int] | None:
    """The batches whose rows the actor may read (``None``: all)."""
    if actor.all_regions:
        return None
    b = registry_batch.c
    return list(conn.execute(select(b.id).where(b.imported_by == actor.username)).scalars())


def links(engine: Engine, actor: Actor) -> pl.DataFrame:
    """One line per source row: ``source``, ``file``, ``sheet``, ``row``, ``status``,
    ``person_id`` (null for rejected or not yet deduplicated rows), ``method``,
    ``match_weight``, ``row_id``, ``batch``."""
    actor.require("person.read")
    require_clear_data(actor)
    with engine.connect() as conn:
        rows = source_rows.read(
            conn,
            batches=_batches_seen(conn, actor),
            columns=("row_number", "status"),
            provenance=True,
        )
        lc = registry_link.c
        linked = read_frame(
            conn,
            select(lc.row_id, lc.person_id, lc.method, lc.match_weight),
            schema_overrides={
                "row_id": pl.Int64,
                "person_id": pl.Int64,
                "method": pl.String,
                "match_weight": pl.Float64,
            },
        )
    out = (
        rows.select(
            "source",
            pl.col("file_name").alias("file"),
            "sheet",
            pl.col("row_number").cast(pl.Int64).alias("row"),
            "status",
            pl.col("id").alias("row_id"),
            pl.col("batch_id").cast(pl.Int64).alias("batch"),
        )
        .join(linked, on="row_id", how="left", maintain_order="left")
        .sort(["batch", "file", "sheet", "row", "row_id"], nulls_last=False)
        .select(LINK_COLUMNS)
    )
    audit.record_read(engine, actor, "registry.links", "registry_row", None, {"rows": out.height})
    return out


def source_rows_frame(engine: Engine, actor: Actor, *, batch: int | None = None) -> pl.DataFrame:
    """Every source row (or a batch's) as one line: ``row_id``, ``batch``, ``source``,
    ``listed_on``, ``file``, ``sheet``, ``row``, ``status``, the values now (corrections
    applied) and ``raw``: the cells as typed, a JSON object from header to value (files have
    different headers, so one column holds them). Refuses ``batch_not_found`` and
    ``batch_not_yours`` for a ``batch`` the actor may not read."""
    actor.require("person.read")
    require_clear_data(actor)
    with engine.connect() as conn:
        if batch is not None:
            require_batch(conn, actor, batch)
        rows = source_rows.read(
            conn,
            batches=_batches_seen(conn, actor) if batch is None else [batch],
            raw=True,
            provenance=True,
        )
        headers = {
            int(r.id): json.loads(r.headers or "{}")
            for r in conn.execute(select(registry_file.c.id, registry_file.c.headers))
        }
    parts = []
    for file_id, sheet in rows.select("file_id", "sheet").unique(maintain_order=True).iter_rows():
        part = rows.filter(pl.col("file_id") == file_id, pl.col("sheet").eq_missing(sheet))
        keys = headers.get(file_id, {}).get(sheet or "", [])
        width = int(part.select(pl.col("raw").list.len().max().fill_null(0)).item())
        keys = keys + [f"kolom_{i + 1}" for i in range(len(keys), width)]
        raw = (
            pl.col("raw").list.to_struct(fields=keys).struct.json_encode() if keys else pl.lit("{}")
        )
        parts.append(part.with_columns(raw.alias("raw")))
    out = pl.concat(parts) if parts else rows.with_columns(pl.col("raw").cast(pl.String))
    out = out.sort("id").select(
        pl.col("id").alias("row_id"),
        pl.col("batch_id").cast(pl.Int64).alias("batch"),
        "source",
        "listed_on",
        pl.col("file_name").alias("file"),
        "sheet",
        pl.col("row_number").cast(pl.Int64).alias("row"),
        "status",
        *chunks.VALUE_COLUMNS,
        "raw",
    )
    audit.record_read(engine, actor, "registry.rows", "registry_batch", batch, {"rows": out.height})
    return out
