"""Bulk paths: Polars frames in and out of the store, fast on both dialects.

Per-row ORM inserts run at a few thousand rows per second; these run at hundreds of
thousands. Writers take an open SQLAlchemy ``Connection`` so that the caller's transaction
decides what is committed together (nothing half-written).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, overload

import polars as pl
from sqlalchemy import Connection, Table, text


def insert_frame(conn: Connection, table: Table | str, frame: pl.DataFrame) -> int:
    """Append ``frame`` to ``table`` (columns by name) and return the number of rows.

    PostgreSQL: ``COPY ... FROM STDIN`` through psycopg 3. SQLite: one ``executemany`` on the
    raw DB-API cursor. Both run inside ``conn``'s transaction.
    """
    name = table if isinstance(table, str) else table.name
    if frame.height == 0:
        return 0
    cols = frame.columns
    dialect = conn.dialect.name
    raw = conn.connection.dbapi_connection
    assert raw is not None
    if dialect == "postgresql":
        collist = ", ".join(f'"{c}"' for c in cols)
        sql = f'COPY "{name}" ({collist}) FROM STDIN'
        with raw.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[attr-defined]
            for chunk in frame.iter_slices(200_000):
                copy.write(_pg_copy_text(chunk))
        return frame.height
    placeholders = ", ".join("?" for _ in cols)
    collist = ", ".join(f'"{c}"' for c in cols)
    sql = f'INSERT INTO "{name}" ({collist}) VALUES ({placeholders})'
    cur = raw.cursor()
    try:
        for chunk in frame.iter_slices(200_000):
            cur.executemany(sql, _sqlite_rows(chunk))
    finally:
        cur.close()
    return frame.height


def _pg_copy_text(frame: pl.DataFrame) -> bytes:
    """Render a frame in PostgreSQL's COPY text format (tab separated, \\N for null)."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Boolean:
            col = pl.when(col).then(pl.lit("t")).when(col.not_()).then(pl.lit("f"))
        else:
            col = col.cast(pl.String)
        if dtype == pl.String:
            col = (
                col.str.replace_all("\\", "\\\\", literal=True)
                .str.replace_all("\t", "\\t", literal=True)
                .str.replace_all("\n", "\\n", literal=True)
                .str.replace_all("\r", "\\r", literal=True)
            )
        exprs.append(col.fill_null("\\N").alias(name))
    lines = frame.select(pl.concat_str(exprs, separator="\t").alias("line"))
    buf = io.BytesIO()
    lines.write_csv(buf, include_header=False, quote_style="never")
    return buf.getvalue()


def _sqlite_rows(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    """Rows as tuples SQLite accepts: dates and datetimes as ISO text (SQLAlchemy's format)."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            exprs.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S.%6f"))
        else:
            exprs.append(pl.col(name))
    return frame.select(exprs).rows()


def read_frame(
    conn: Connection,
    sql: str,
    params: dict[str, Any] | None = None,
    schema_overrides: dict[str, Any] | None = None,
) -> pl.DataFrame:
    """Run ``sql`` and return a Polars frame (Arrow-friendly, no per-row Python objects kept)."""
    result = conn.execute(text(sql), params or {})
    cols = list(result.keys())
    rows = result.fetchall()
    if not rows:
        return pl.DataFrame(schema={c: (schema_overrides or {}).get(c, pl.Null) for c in cols})
    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema=cols,
        orient="row",
        schema_overrides=schema_overrides,
        infer_schema_length=None,
    )


@overload
def to_date(value: None) -> None: ...
@overload
def to_date(value: str | dt.date) -> dt.date: ...
def to_date(value: str | dt.date | None) -> dt.date | None:
    """SQLite hands dates back as text; PostgreSQL as ``date`` (or ``datetime`` for a
    timestamp column). Normalise to ``date``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def next_ids(conn: Connection, table: Table, count: int, column: str = "id") -> Sequence[int]:
    """Reserve ``count`` consecutive ids above the current maximum (bulk inserts set ids
    themselves so that links can be written in the same transaction). Callers hold the write
    transaction; on PostgreSQL the table is locked against concurrent bulk writers."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f'LOCK TABLE "{table.name}" IN SHARE ROW EXCLUSIVE MODE'))
    start = conn.execute(
        text(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table.name}"')
    ).scalar_one()
    return range(int(start) + 1, int(start) + 1 + count)
