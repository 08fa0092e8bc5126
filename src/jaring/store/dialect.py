"""What differs between SQLite and PostgreSQL, in one place (as Splink's ``dialects``).

Domain code never asks which database it runs on; it asks this module for the one thing that
differs: a table lock, a sequence moved past explicit ids, dates that come back as text, the
faster of two bulk paths, whether blocking reads belong on a thread. Identifiers are quoted by
the dialect's own preparer, never pasted into SQL.

The two dialects, and what each one is for:

- **SQLite** (one city on a laptop): one writer at a time for the whole file; a transaction
  takes the write lock at its first write, so :func:`lock_table` writes nothing to take it
  first (it must be the transaction's first statement, before any read, or a concurrent
  commit makes the upgrade fail). Dates come back as text. ``INSERT ... SELECT`` runs inside
  the engine without a round trip, which beats any client-side path.
- **PostgreSQL** (a province, the nation): row and table locks; ``SHARE ROW EXCLUSIVE``
  serialises bulk writers of one table while readers go on. Serial sequences do not see
  explicit ids. ``COPY`` is the fast way in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, overload

import polars as pl
from sqlalchemy import Connection, Engine, Table, func, select, text

Bind = Connection | Engine


@dataclass(frozen=True)
class Dialect:
    """The capabilities of one SQL dialect, as the domains need to know them."""

    name: Literal["sqlite", "postgresql"]
    # dates come back from the driver as ISO text (SQLite) rather than ``date`` objects
    dates_as_text: bool
    # ``COPY ... FROM STDIN`` exists: computing rows in Polars and copying them in beats
    # ``INSERT ... SELECT`` for wide computed rows
    copy_in: bool
    # each query blocks on network round trips: worth running on a thread pool beside the
    # event loop (SQLite answers from the page cache faster than a thread hand-off)
    blocking_reads: bool
    # ``SELECT ... FOR UPDATE`` locks rows (SQLite ignores it: the write lock is the file's)
    row_locks: bool


SQLITE = Dialect("sqlite", dates_as_text=True, copy_in=False, blocking_reads=False, row_locks=False)
POSTGRESQL = Dialect(
    "postgresql", dates_as_text=False, copy_in=True, blocking_reads=True, row_locks=True
)


def of(bind: Bind) -> Dialect:
    """The dialect of a connection or engine."""
    return POSTGRESQL if bind.dialect.name == "postgresql" else SQLITE


def quote(bind: Bind, name: str) -> str:
    """An identifier (table, column, temporary table) quoted for the dialect."""
    return bind.dialect.identifier_preparer.quote_identifier(name)


def lock_table(conn: Connection, table: Table | str) -> None:
    """Serialise writers of ``table`` until the transaction ends; readers go on.

    PostgreSQL: ``LOCK TABLE ... IN SHARE ROW EXCLUSIVE MODE``. SQLite: take the file's write
    lock now with a statement that changes nothing, so that two transactions that read then
    write (a payment checking what is left of an invoice) run one after the other instead of
    both reading the same balance. Call it first in the transaction.
    """
    name = quote(conn, table if isinstance(table, str) else table.name)
    if of(conn) is POSTGRESQL:
        conn.execute(text(f"LOCK TABLE {name} IN SHARE ROW EXCLUSIVE MODE"))
    else:
        conn.execute(text(f"UPDATE {name} SET rowid = rowid WHERE 0"))


def lock_row(conn: Connection, table: Table, where: Any) -> None:
    """Serialise writers of the rows of ``table`` matching ``where`` until the transaction
    ends: two payments on one invoice, two claims for one death, read what is there one after
    the other instead of both reading the same state.

    PostgreSQL: ``SELECT ... FOR UPDATE`` of those rows (others go on). SQLite ignores ``FOR
    UPDATE``; its lock is the file's: a statement that writes nothing takes the write lock
    (the Python driver opens the transaction at the first write, so reads made before in
    the same ``begin()`` ran on their own; every read after this one sees the latest
    commit). Concurrent callers wait (the busy timeout) instead of failing."""
    if of(conn) is POSTGRESQL:
        key = next(iter(table.primary_key.columns))
        conn.execute(select(key).where(where).with_for_update())
    else:
        lock_table(conn, table)


def sync_sequence(conn: Connection, table: Table | str, column: str = "id") -> None:
    """After inserting explicit ids, move PostgreSQL's serial past them (SQLite assigns the
    next rowid from the maximum itself)."""
    if of(conn) is not POSTGRESQL:
        return
    name = table if isinstance(table, str) else table.name
    conn.execute(
        text(
            "SELECT setval(pg_get_serial_sequence(:t, :c), "
            f"(SELECT COALESCE(MAX({quote(conn, column)}), 1) FROM {quote(conn, name)}))"
        ),
        {"t": name, "c": column},
    )


def analyze(conn: Connection, table: Table | str) -> None:
    """Refresh the planner's statistics of ``table`` (a temporary table just filled, so that
    the planner hashes a few rows instead of sorting the big side). Both dialects."""
    name = quote(conn, table if isinstance(table, str) else table.name)
    conn.execute(text(f"ANALYZE {name}"))


def max_id(conn: Connection, table: Table, column: str = "id") -> int:
    """The largest ``column`` of ``table`` (0 when empty)."""
    return int(conn.execute(select(func.coalesce(func.max(table.c[column]), 0))).scalar_one())


@overload
def to_date(value: None) -> None: ...
@overload
def to_date(value: str | dt.date) -> dt.date: ...
def to_date(value: str | dt.date | None) -> dt.date | None:
    """A date as either driver hands it back (SQLite: text; PostgreSQL: ``date``, or
    ``datetime`` for a timestamp column) as a ``date``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def to_datetime(value: Any) -> dt.datetime | None:
    """A timestamp as either driver hands it back, as a naive UTC ``datetime``."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def date_columns(frame: pl.DataFrame, *cols: str) -> pl.DataFrame:
    """Date columns of a frame read from either store as ``pl.Date`` (SQLite hands back text,
    PostgreSQL dates; an all-null column comes back untyped). Columns the frame lacks are
    skipped."""
    exprs = []
    for c in cols:
        if c not in frame.columns:
            continue
        dtype = frame.schema[c]
        if dtype == pl.String:
            exprs.append(pl.col(c).str.slice(0, 10).str.to_date("%Y-%m-%d"))
        elif dtype != pl.Date:
            exprs.append(pl.col(c).cast(pl.Date))
    return frame.with_columns(exprs) if exprs else frame
