"""Many claims assessed against the store's coverage history at once, nothing stored."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, column, select, table

from jaring.access import Actor
from jaring.claims.batch import assess_frame, unassessed
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

    Refused: ``forbidden`` without ``claim.read``. A claim with a ``problem`` (see
    :func:`jaring.claims.batch.read_claims`), or naming a membership that does not exist or,
    for an actor limited to regions, belongs to someone outside them
    (``membership_not_found``), is returned unassessed with that code as its reason; the
    others are assessed.
    """
    actor.require("claim.read")
    progress.step(_("Reading the coverage history"))
    if "problem" not in claims.columns:
        claims = claims.with_columns(pl.lit(None, dtype=pl.String).alias("problem"))
    bad = claims.filter(pl.col("problem").is_not_null())
    claims = claims.filter(pl.col("problem").is_null())
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
    known = pl.col("membership_id").is_in(memberships.get_column("membership_id").implode())
    bad = pl.concat(
        [
            bad,
            claims.filter(~known).with_columns(pl.lit("membership_not_found").alias("problem")),
        ],
        how="diagonal_relaxed",
    )
    claims = claims.filter(known)
    periods = (
        history.filter(pl.col("start_date").is_not_null())
        .select(list(PERIOD_SCHEMA))
        .cast(PERIOD_SCHEMA)
    )
    progress.step(_("Assessing the claims"), total=claims.height + bad.height)
    parts = [assess_frame(claims.drop("problem"), memberships, periods)] if claims.height else []
    if bad.height:
        parts.append(unassessed(bad))
    progress.advance(claims.height + bad.height)
    if not parts:
        return unassessed(bad)
    return pl.concat(parts, how="diagonal_relaxed").sort("claim_ref")
