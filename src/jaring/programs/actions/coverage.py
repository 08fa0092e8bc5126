"""Coverage periods, written by billing inside its transaction: one row per run of
consecutive fully paid months of a membership (``start_date`` first day, ``end_date`` last
day). "Covered on D" is the read ``start_date <= D <= end_date``
(:mod:`jaring.programs.queries.coverage`).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import Connection, Table, delete, select, update

from jaring.programs import billing
from jaring.programs.months import first_of, last_day
from jaring.store import dialect
from jaring.store.bulk import insert_frame, next_ids, read_frame
from jaring.store.tables.families import death
from jaring.store.tables.programs import coverage_period, invoice, invoice_line, membership
from jaring.store.temp import drop_temp, temp_ids


def extend_coverage(conn: Connection, ids: Table, month: dt.date) -> int:
    """Add ``month`` (now paid in full) to the coverage periods of the memberships in ``ids``
    (a temporary table ``(id)``), set-wise; returns the number of new periods.

    One invoice is one month, so every membership gains the same month: a period ending the
    day before it is extended, a period starting the day after it is pulled back, two periods
    that now touch are merged, and memberships with neither get a new one-month period. Only
    the rows of these memberships are touched (:func:`refresh_coverage` is the full
    recompute; the tests check both agree)."""
    first, last = first_of(month), last_day(month)
    before, after = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    cp = coverage_period
    mine = cp.c.membership_id.in_(select(ids.c.id))
    conn.execute(update(cp).where(mine, cp.c.end_date == before).values(end_date=last))
    conn.execute(update(cp).where(mine, cp.c.start_date == after).values(start_date=first))
    # merge [x, last] and [first, y] of one membership into [x, y]
    b = cp.alias("b")
    later = select(b.c.end_date).where(
        b.c.membership_id == cp.c.membership_id, b.c.start_date == first, b.c.end_date > last
    )
    conn.execute(
        update(cp)
        .where(mine, cp.c.end_date == last, cp.c.start_date < first, later.exists())
        .values(end_date=later.scalar_subquery())
    )
    a = cp.alias("a")
    earlier = select(a.c.id).where(
        a.c.membership_id == cp.c.membership_id,
        a.c.start_date < first,
        a.c.end_date == cp.c.end_date,
    )
    conn.execute(delete(cp).where(mine, cp.c.start_date == first, earlier.exists()))
    m, c = membership.alias("m"), cp.alias("c")
    covering = select(c.c.id).where(
        c.c.membership_id == m.c.id, c.c.start_date <= first, c.c.end_date >= first
    )
    fresh = read_frame(
        conn,
        select(m.c.id.label("membership_id"), m.c.person_id, m.c.program_id, m.c.segment).where(
            m.c.id.in_(select(ids.c.id)), ~covering.exists()
        ),
    )
    if fresh.height == 0:
        return 0
    new_ids = next_ids(conn, cp, fresh.height)  # contract table: BIGINT id
    fresh = fresh.with_columns(
        pl.col("membership_id").cast(pl.Int64),
        pl.col("person_id").cast(pl.Int64),
        pl.col("program_id").cast(pl.Int64),
        id=pl.Series(list(new_ids), dtype=pl.Int64),
        start_date=pl.lit(first, dtype=pl.Date),
        end_date=pl.lit(last, dtype=pl.Date),
    )
    written = insert_frame(conn, cp, fresh)
    dialect.sync_sequence(conn, cp)
    return written


def _end_at_death(islands: pl.DataFrame, died: pl.DataFrame) -> pl.DataFrame:
    """``islands`` cut at each person's recorded death (``died``: ``person_id``,
    ``death_date``): a period starting after it goes, one running past it ends on the day of
    death (as recording the death cuts them)."""
    if died.height == 0 or islands.height == 0:
        return islands
    died = (
        dialect.date_columns(died, "death_date")
        .with_columns(pl.col("person_id").cast(pl.Int64))
        .group_by("person_id")
        .agg(pl.col("death_date").min())
    )
    return (
        islands.join(died, on="person_id", how="left")
        .filter(pl.col("death_date").is_null() | (pl.col("start_date") <= pl.col("death_date")))
        .with_columns(end_date=pl.min_horizontal("end_date", "death_date"))
        .drop("death_date")
    )


def refresh_coverage(conn: Connection, membership_ids: pl.Series) -> int:
    """Recompute the coverage periods of these memberships from their fully paid lines,
    ended on the person's recorded date of death (months paid after it are refunds, not
    coverage); returns the number of periods written."""
    if membership_ids.len() == 0:
        return 0
    tmp = temp_ids(conn, "tmp_cov", membership_ids)
    line, i, m = invoice_line.alias("l"), invoice.alias("i"), membership.alias("m")
    paid = read_frame(
        conn,
        select(line.c.membership_id, m.c.person_id, m.c.program_id, m.c.segment, i.c.month)
        .select_from(
            line.join(i, i.c.id == line.c.invoice_id).join(m, m.c.id == line.c.membership_id)
        )
        .where(line.c.membership_id.in_(select(tmp.c.id)), line.c.paid >= line.c.amount),
    )
    died = read_frame(
        conn,
        select(death.c.person_id, death.c.death_date).where(
            death.c.status == "recorded",
            death.c.person_id.in_(
                select(membership.c.person_id).where(membership.c.id.in_(select(tmp.c.id)))
            ),
        ),
    )
    conn.execute(
        delete(coverage_period).where(coverage_period.c.membership_id.in_(select(tmp.c.id)))
    )
    drop_temp(conn, tmp)
    if paid.height == 0:
        return 0
    paid = dialect.date_columns(paid, "month").with_columns(
        pl.col("membership_id").cast(pl.Int64),
        pl.col("person_id").cast(pl.Int64),
        pl.col("program_id").cast(pl.Int64),
    )
    islands = _end_at_death(billing.coverage_islands(paid), died)
    if islands.height == 0:
        return 0
    ids = next_ids(conn, coverage_period, islands.height)  # contract table: BIGINT id
    islands = islands.with_columns(id=pl.Series(list(ids), dtype=pl.Int64))
    written = insert_frame(conn, coverage_period, islands)
    dialect.sync_sequence(conn, coverage_period)
    return written
