"""Source rows read back from the store: their chunks (:mod:`jaring.registry.chunks`) with
operators' corrections applied. Every reader of source rows goes through here
(deduplication, errors, corrections, review, links, a person's page), so that "a row's
values now" is decided in one place: the correction's if the row was corrected, else the
chunk's.

Reading is columnar: only the chunks that hold the rows asked for are fetched, and only the
columns asked for are decoded. These readers take a :class:`~sqlalchemy.Connection` (they
see the caller's transaction) and no actor: they are the building blocks of the registry's
actions and queries, which check the actor first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl
from sqlalchemy import Connection, bindparam, select

from jaring.registry import chunks
from jaring.registry.chunks import ISSUE_COLUMNS, VALUE_COLUMNS, VALUE_SCHEMA
from jaring.registry.intake import field_positions
from jaring.store.bulk import read_frame
from jaring.store.tables.registry import (
    registry_batch,
    registry_chunk,
    registry_correction,
    registry_file,
)

#: What a chunk holds per row besides the cells, with its type.
ROW_SCHEMA: dict[str, pl.DataType] = {
    "row_number": pl.Int32(),
    "status": pl.String(),
    **VALUE_SCHEMA,
}
#: The columns a correction replaces.
CORRECTED = ("status", *VALUE_COLUMNS)

_BASE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "batch_id": pl.Int32(),
    "file_id": pl.Int32(),
    "sheet": pl.String(),
}
_PROVENANCE_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "listed_on": pl.Date(),
    "file_name": pl.String(),
}
_ISSUE_SCHEMA: dict[str, pl.DataType] = {"row_id": pl.Int64(), **chunks.ISSUE_SCHEMA}
_INDEX_SCHEMA = {
    "id": pl.Int64,
    "batch_id": pl.Int32,
    "file_id": pl.Int32,
    "sheet": pl.String,
    "first_row": pl.Int64,
    "rows": pl.Int64,
}


# ---------------------------------------------------------------- where rows are


def chunk_index(conn: Connection, *, batches: Sequence[int] | None = None) -> pl.DataFrame:
    """The chunks (all, or of ``batches``): ``id``, ``batch_id``, ``file_id``, ``sheet``,
    ``first_row``, ``rows``, by ``first_row``. A million rows are 16 chunks."""
    c = registry_chunk.c
    q = select(c.id, c.batch_id, c.file_id, c.sheet, c.first_row, c.rows).order_by(c.first_row)
    if batches is not None:
        q = q.where(c.batch_id.in_(list(batches)))
    return read_frame(conn, q, schema_overrides=_INDEX_SCHEMA)


def _holding(index: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """``ids`` (sorted, unique) with the chunk each lies in (``chunk``: null when none)."""
    located = (
        ids.to_frame("id")
        .join_asof(
            index.select(pl.col("id").alias("chunk"), "first_row", "rows"),
            left_on="id",
            right_on="first_row",
            strategy="backward",
        )
        .with_columns(
            chunk=pl.when(pl.col("id") < pl.col("first_row") + pl.col("rows")).then("chunk")
        )
    )
    return located.select("id", "chunk")


def next_row_id(conn: Connection) -> int:
    """The id the next imported row gets (the caller holds the import's write lock)."""
    c = registry_chunk.c
    last = conn.execute(
        select((c.first_row + c.rows).label("n")).order_by(c.first_row.desc()).limit(1)
    ).scalar()
    return int(last or 1)


def batch_of_row(conn: Connection, row_id: int) -> int | None:
    """The batch a source row was imported in (``None``: no such row)."""
    c = registry_chunk.c
    found = conn.execute(
        select(c.batch_id, c.first_row, c.rows)
        .where(c.first_row <= row_id)
        .order_by(c.first_row.desc())
        .limit(1)
    ).first()
    if found is None or row_id >= found.first_row + found.rows:
        return None
    return int(found.batch_id)


# ---------------------------------------------------------------- reading rows


def read(
    conn: Connection,
    *,
    ids: Iterable[int] | pl.Series | None = None,
    batches: Sequence[int] | None = None,
    columns: Sequence[str] = tuple(ROW_SCHEMA),
    raw: bool = False,
    provenance: bool = False,
) -> pl.DataFrame:
    """Source rows with their values now (corrections applied), by id.

    ``ids`` or ``batches`` narrow the rows (both: rows of those ids in those batches); neither
    reads every row. Returned: ``id``, ``batch_id``, ``file_id``, ``sheet`` and ``columns``
    (of :data:`ROW_SCHEMA`); ``raw=True`` adds ``raw``, the cells as typed (a list in file
    column order, their names in ``registry_file.headers``); ``provenance=True`` adds
    ``source``, ``listed_on`` (the batch's) and ``file_name``. Ids that hold no row are left
    out.
    """
    unknown = sorted(set(columns) - set(ROW_SCHEMA))
    if unknown:
        raise ValueError(f"not a source row column: {unknown}")
    index, wanted = _narrow(conn, batches, ids)
    at = _positions(conn, index) if set(columns) & set(chunks.TRIMMED) else {}
    parts = [
        _decode_rows(meta, data, columns, raw, wanted, at.get((meta["file_id"], meta["sheet"])))
        for meta, data in _fetch(conn, index, registry_chunk.c.data)
    ]
    out = pl.concat(parts, how="vertical_relaxed") if parts else _empty(columns, raw)
    fix_cols = [c for c in columns if c in CORRECTED]
    if fix_cols and out.height:
        fixes = corrections(conn, batches=_batches_of(index))
        if fixes.height:
            out = out.update(fixes.select("id", *fix_cols), on="id", how="left", include_nulls=True)
    if provenance:
        out = _with_provenance(conn, out)
    return out


def _narrow(
    conn: Connection,
    batches: Sequence[int] | None,
    ids: Iterable[int] | pl.Series | None,
) -> tuple[pl.DataFrame, pl.Series | None]:
    """The chunks to read (of ``batches``, holding ``ids``) and the ids among them that exist
    (sorted; ``None``: every row of those chunks)."""
    index = chunk_index(conn, batches=batches)
    if ids is None:
        return index, None
    wanted = pl.Series("id", ids if isinstance(ids, pl.Series) else list(ids), dtype=pl.Int64)
    held = _holding(index, wanted.unique().sort()).drop_nulls("chunk")
    index = index.filter(pl.col("id").is_in(held.get_column("chunk").unique().implode()))
    return index, held.get_column("id")


def _batches_of(index: pl.DataFrame) -> list[int]:
    """The batches of the chunks read: corrections are looked up by them (a handful of bound
    parameters), not by row id (a batch's 70,000 erroneous rows passed PostgreSQL's limit of
    65,535 parameters)."""
    return index.get_column("batch_id").unique().to_list()


def _fetch(
    conn: Connection, index: pl.DataFrame, blob: Any
) -> Iterable[tuple[dict[str, Any], bytes]]:
    """The chunks of ``index``, one at a time (never every blob in memory at once), with
    their metadata."""
    if index.height == 0:
        return
    meta = {r["id"]: r for r in index.iter_rows(named=True)}
    q = (
        select(registry_chunk.c.id, blob)
        .where(registry_chunk.c.id.in_(bindparam("ids", expanding=True)))
        .order_by(registry_chunk.c.first_row)
        .execution_options(yield_per=4)  # on the statement: on ``conn`` it would stay set
    )
    result = conn.execute(q, {"ids": list(meta)})
    for chunk_id, data in result:
        if data is not None:
            yield meta[chunk_id], bytes(data)


def _positions(
    conn: Connection, index: pl.DataFrame
) -> dict[tuple[int, str | None], dict[str, int]]:
    """(file id, sheet) -> field -> the position of the cell it is read from, for the chunks
    of ``index`` (the trimmed values live in their cells)."""
    files = index.get_column("file_id").unique().to_list()
    found = conn.execute(
        select(registry_file.c.id, registry_file.c.columns, registry_file.c.headers).where(
            registry_file.c.id.in_(files)
        )
    ).all()
    out: dict[tuple[int, str | None], dict[str, int]] = {}
    for r in found:
        mapping, headers = json.loads(r.columns or "{}"), json.loads(r.headers or "{}")
        for sheet, keys in headers.items():
            out[(int(r.id), sheet or None)] = field_positions(keys, mapping.get(sheet, {}))
    return out


def _decode_rows(
    meta: dict[str, Any],
    data: bytes,
    columns: Sequence[str],
    raw: bool,
    wanted: pl.Series | None,
    at: dict[str, int] | None,
) -> pl.DataFrame:
    """One chunk's rows: the ``wanted`` ids among them (all when ``None``), with ``columns``
    and, with ``raw``, their cells as a list (built for the rows kept only). A trimmed value
    is read from its cell (``at``: field -> position), null where the file has no such
    column."""
    held = chunks.columns_of(data)
    cell_cols = [c for c in held if chunks.is_cell(c)]
    from_cells = {f: chunks.cell(at[f]) for f in columns if f in chunks.TRIMMED and at and f in at}
    needed = [c for c in columns if c not in chunks.TRIMMED]
    needed += [c for c in dict.fromkeys(from_cells.values()) if c in held and c not in needed]
    if raw:
        needed += [c for c in cell_cols if c not in needed]
    body = chunks.decode(data, needed or ["row_number"])
    body = body.with_columns(
        (pl.int_range(pl.len(), dtype=pl.Int64) + meta["first_row"]).alias("id")
    )
    if wanted is not None:
        body = body.join(wanted.to_frame(), on="id", how="semi", maintain_order="left")

    def value(c: str) -> pl.Expr:
        if c not in chunks.TRIMMED:
            return pl.col(c).cast(ROW_SCHEMA[c])
        source = from_cells.get(c)
        if source is None or source not in held:
            return pl.lit(None, dtype=ROW_SCHEMA[c]).alias(c)
        return chunks.trimmed(pl.col(source)).alias(c)

    out = body.select(
        "id",
        pl.lit(meta["batch_id"], dtype=pl.Int32).alias("batch_id"),
        pl.lit(meta["file_id"], dtype=pl.Int32).alias("file_id"),
        pl.lit(meta["sheet"], dtype=pl.String).alias("sheet"),
        *[value(c) for c in columns],
    )
    if raw:
        out = out.with_columns(chunks.as_lists(body, cell_cols))
    return out


def _empty(columns: Sequence[str], raw: bool) -> pl.DataFrame:
    schema = {**_BASE_SCHEMA, **{c: ROW_SCHEMA[c] for c in columns}}
    if raw:
        schema["raw"] = pl.List(pl.String())
    return pl.DataFrame(schema=schema)


def _with_provenance(conn: Connection, rows: pl.DataFrame) -> pl.DataFrame:
    b, f = registry_batch.c, registry_file.c
    batches = read_frame(
        conn,
        select(b.id.label("batch_id"), b.source, b.listed_on),
        schema_overrides={"batch_id": pl.Int32, "source": pl.String, "listed_on": pl.Date},
    )
    files = read_frame(
        conn,
        select(f.id.label("file_id"), f.name.label("file_name")),
        schema_overrides={"file_id": pl.Int32, "file_name": pl.String},
    )
    return rows.join(batches, on="batch_id", how="left", maintain_order="left").join(
        files, on="file_id", how="left", maintain_order="left"
    )


# ---------------------------------------------------------------- issues


def issues(
    conn: Connection,
    *,
    batches: Sequence[int] | None = None,
    ids: Iterable[int] | None = None,
) -> pl.DataFrame:
    """The issues of source rows now: those found at import, except for corrected rows,
    whose issues are their correction's. ``row_id`` and :data:`chunks.ISSUE_COLUMNS`."""
    index, wanted = _narrow(conn, batches, ids)
    parts = [
        chunks.decode(data).select(
            (pl.col("row").cast(pl.Int64) + meta["first_row"]).alias("row_id"), *ISSUE_COLUMNS
        )
        for meta, data in _fetch(conn, index, registry_chunk.c.issues)
    ]
    found = (
        pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame(schema=_ISSUE_SCHEMA)
    )
    c = registry_correction.c
    fixed = conn.execute(select(c.row_id, c.issues).where(c.batch_id.in_(_batches_of(index)))).all()
    if fixed:
        ids_fixed = pl.Series("row_id", [r.row_id for r in fixed], dtype=pl.Int64)
        now = pl.DataFrame(
            [{"row_id": r.row_id, **i} for r in fixed for i in json.loads(r.issues)],
            schema=_ISSUE_SCHEMA,
        )
        found = pl.concat(
            [found.join(ids_fixed.to_frame(), on="row_id", how="anti"), now],
            how="vertical_relaxed",
        )
    if wanted is not None:
        found = found.join(wanted.rename("row_id").to_frame(), on="row_id", how="semi")
    return found.select(list(_ISSUE_SCHEMA)).cast(pl.Schema(_ISSUE_SCHEMA))


# ---------------------------------------------------------------- corrections


def corrections(conn: Connection, *, batches: Sequence[int] | None = None) -> pl.DataFrame:
    """Corrected rows (all, or of ``batches``): ``id`` and :data:`CORRECTED`, typed as the
    chunks hold them."""
    c = registry_correction.c
    q = select(c.row_id.label("id"), *(c[k] for k in CORRECTED))
    if batches is not None:
        q = q.where(c.batch_id.in_(list(batches)))
    schema = {"id": pl.Int64(), **{k: ROW_SCHEMA[k] for k in CORRECTED}}
    frame = read_frame(conn, q, schema_overrides=schema)
    return frame.cast(pl.Schema(schema))


def correction_of(conn: Connection, row_id: int) -> dict[str, str | None]:
    """What the operator typed over the row so far (field -> value; empty when nothing)."""
    found = conn.execute(
        select(registry_correction.c.corrected).where(registry_correction.c.row_id == row_id)
    ).scalar()
    return dict(json.loads(found)) if found else {}


def region_of_batch(conn: Connection, batch_id: int) -> str | None:
    """The regency most of the batch's rows lie in (scopes place names in a correction)."""
    rows = read(conn, batches=[batch_id], columns=("district_code",))
    counts = (
        rows.select(pl.col("district_code").str.slice(0, 5).alias("reg"))
        .drop_nulls()
        .group_by("reg")
        .len()
        .sort(["len", "reg"], descending=[True, False])
    )
    return None if counts.height == 0 else str(counts.item(0, "reg"))


__all__ = [
    "CORRECTED",
    "ROW_SCHEMA",
    "batch_of_row",
    "chunk_index",
    "correction_of",
    "corrections",
    "issues",
    "next_row_id",
    "read",
    "region_of_batch",
]
