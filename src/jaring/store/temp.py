"""Temporary tables for set-based statements inside one transaction: a frame of ids (or ids
with a value) is copied in through the bulk path, and one ``UPDATE ... WHERE id IN (SELECT id
FROM tmp)`` or join does the rest in the database, instead of a statement per row.

The tables are SQLAlchemy Core ``Table`` objects of their own ``MetaData`` (never the
store's), created and dropped with Core DDL, so their names and columns are quoted by the
dialect. Each is created at the start of the work that needs it (replacing any left on a
pooled connection) and dropped at its end, inside the caller's transaction.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import BigInteger, Column, Connection, MetaData, Table
from sqlalchemy.schema import CreateTable, DropTable

from jaring.store.bulk import insert_frame


def temp_table(conn: Connection, name: str, *columns: Column[object]) -> Table:
    """Create the temporary table ``name`` with ``columns`` (dropping one of that name left
    on this connection) and return it."""
    for column in columns:  # ids are copied in: no serial (and no sequence) for the key
        column.autoincrement = False
    table = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
    conn.execute(DropTable(table, if_exists=True))
    conn.execute(CreateTable(table))
    return table


def drop_temp(conn: Connection, table: Table) -> None:
    """Drop a temporary table made by :func:`temp_table`."""
    conn.execute(DropTable(table, if_exists=True))


def temp_ids(conn: Connection, name: str, ids: pl.Series) -> Table:
    """A temporary table ``name(id)`` holding the distinct ``ids``, for set-based joins."""
    table = temp_table(conn, name, Column("id", BigInteger, primary_key=True))
    insert_frame(conn, table, pl.DataFrame({"id": ids.unique().cast(pl.Int64)}))
    return table
