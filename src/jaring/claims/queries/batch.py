"""Many claims assessed against the store's coverage history at once, nothing stored."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, column, select, table

from jaring.access import Actor
from jaring.claims import errors
from jaring.claims.batch import assess_frame
from jaring.i18n import _
from jaring.progress import SILENT, Progress
from jaring.store.bulk import insert_frame, read_frame
from jaring.store.dialect import date_columns
from jaring.store.tables.programs import coverage_period, membership
from jaring.store.tables.registry import person

MEMBERSHIP_SCHEMA = pl.Schema(
    {
        "membership_id": pl.Int64,
        "start_month": pl.Date,
        "segment": pl.String,
        "income_base": pl.Int64,
    }
)
PERIOD_SCHEMA = pl.Schema({"membership_id": pl.Int64, "start_date": pl.Date, "end_date": pl.Date})

IDS = table("claims_batch_ids", column("membership_id"))


def assess_batch(
    engine: Engine, actor: Actor, claims: pl.DataFrame, progress: Progress = SILENT
) -> pl.DataFrame:
    """Eligibility and entitlement for a frame of claims against the store's coverage history
    (see :mod:`jaring.claims.batch` for the columns in and out). Reads only the memberships
    and periods the claims name, through a temporary table of their ids; writes nothing.

    Refused: ``forbidden`` without ``claim.read``; ``membership_not_found`` when a claim names
    a membership that does not exist or, for an actor limited to regions, belongs to someone
    outside them.
    """
    actor.require("claim.read")
    progress.step(_("Reading the coverage history"))
    ids = claims.select(pl.col("membership_id").unique().cast(pl.Int64))
    src = membership.join(IDS, IDS.c.membership_id == membership.c.id).outerjoin(
        coverage_period, coverage_period.c.membership_id == membership.c.id
    )
    region = actor.region_clause(person)
    if region is not None:
        src = src.join(person, person.c.id == membership.c.person_id)
    # One pass over both tables: a membership row per period (or one without periods).
    q = select(
        membership.c.id.label("membership_id"),
        membership.c.start_month,
        membership.c.segment,
        membership.c.income_base,
        coverage_period.c.start_date,
        coverage_period.c.end_date,
    ).select_from(src)
    if region is not None:
        q = q.where(region)
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TEMPORARY TABLE claims_batch_ids (membership_id BIGINT)")
        try:
            insert_frame(conn, "claims_batch_ids", ids)
            # Statistics for the planner (cheap insurance: with a few ids an index lookup wins,
            # with 100,000 a hash join; the planner can only tell with row counts).
            conn.exec_driver_sql("ANALYZE claims_batch_ids")
            history = read_frame(conn, q)
        finally:
            # Commit the drop: on SQLite a rollback would undo it and leave the table on the
            # pooled connection. Nothing else was written.
            conn.exec_driver_sql("DROP TABLE claims_batch_ids")
            conn.commit()
    if history.height == 0:
        history = pl.DataFrame(schema=pl.Schema({**MEMBERSHIP_SCHEMA, **PERIOD_SCHEMA}))
    history = date_columns(history, "start_month", "start_date", "end_date")
    memberships = (
        history.select(list(MEMBERSHIP_SCHEMA)).unique("membership_id").cast(MEMBERSHIP_SCHEMA)
    )
    unknown = ids.join(memberships, on="membership_id", how="anti")
    if unknown.height:
        first = int(unknown[0, 0])
        raise errors.MEMBERSHIP_NOT_FOUND(
            field="membership_id", membership=first, value=first, count=unknown.height
        )
    periods = (
        history.filter(pl.col("start_date").is_not_null())
        .select(list(PERIOD_SCHEMA))
        .cast(PERIOD_SCHEMA)
    )
    progress.step(_("Assessing the claims"), total=claims.height)
    out = assess_frame(claims, memberships, periods)
    progress.advance(claims.height)
    return out
