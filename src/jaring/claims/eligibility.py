"""Eligibility from coverage history, for a whole frame of claims at once.

Facts come from the contract tables: ``coverage_period`` (runs of paid months of a membership,
``start_date..end_date`` inclusive, written by billing) and ``membership`` (``start_month``,
``segment``). One claim or a hundred thousand go through the same joins; the single-claim path
is this code on a one-row frame.

The rules, each with its reference in ``claims/data/rules.yaml``:

- **covered**: a coverage period of the claim's membership contains the event date. The day
  after a period ends the member is not covered (``lapsed``); never covered before the event is
  ``not_covered``.
- **membership length**: ``member_since`` is the membership's first covered day (its earliest
  coverage period starting on or before the event; ``start_month`` when there is none);
  ``membership_day`` counts the event's day from it, the first day being day 1. Whether a BPU
  JKM death falls in "the first 3 months" is the law's rule (``jaring.law.benefits.jkm`` with
  ``member_since``: 3 calendar months, clamped to month end), not decided here.
- **contribution months**: paid months up to and including the month of the event, summed over
  the membership's periods. The 3-year condition of JKM scholarships compares them with the
  law's ``benefits.scholarship.jkm_min_contribution_months``, passed in as ``min_months``.
- **deadline**: JKK claims must be filed within the law's limit
  (``benefits.jkk.claim_deadline_years``: 5 years since PP 82/2019): filed on the 5th
  anniversary is in time, the day after is late (29 February counts to 28 February).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from jaring.claims.catalog import claim_types
from jaring.law.parameters import ParameterError, params

DEADLINE_PARAMETER = "benefits.jkk.claim_deadline_years"

CLAIM_COLUMNS = ("claim_ref", "membership_id", "type", "event_date", "filed_on")
RESULT_COLUMNS = (
    "claim_ref",
    "covered",
    "member_since",
    "membership_day",
    "contribution_months",
    "last_covered_day",
    "deadline",
    "within_deadline",
    "eligible",
    "reasons",
)


def deadline_years_on(day: dt.date) -> int | None:
    """The JKK filing limit in force on ``day``; None where the law holds no value (before
    PP 82/2019 it is not encoded): no deadline is then applied and the explanation says so."""
    try:
        value = params().entry(DEADLINE_PARAMETER, day).value
    except ParameterError:
        return None
    return None if value is None else int(value)


def _deadline_years(claims: pl.DataFrame) -> pl.DataFrame:
    """The law's filing limit in years (``benefits.jkk.claim_deadline_years``) in force on each
    distinct event date of the claim types that have one (null: none encoded for that date)."""
    types = [t for t, d in claim_types().items() if d.get("deadline")]
    keys = claims.filter(pl.col("type").is_in(types)).select("type", "event_date").unique()
    years = {day: deadline_years_on(day) for day in keys["event_date"].unique().to_list()}
    return keys.with_columns(
        pl.col("event_date")
        .replace_strict(years, default=None, return_dtype=pl.Int32)
        .alias("deadline_years")
    )


def _month_index(col: pl.Expr) -> pl.Expr:
    return col.dt.year().cast(pl.Int32) * 12 + col.dt.month().cast(pl.Int32)


def assess(
    claims: pl.DataFrame,
    memberships: pl.DataFrame,
    periods: pl.DataFrame,
    *,
    min_months: int | None = None,
) -> pl.DataFrame:
    """Eligibility facts for each claim.

    ``claims``: claim_ref, membership_id, type, event_date, filed_on, and optionally ``cause``
    (``jkm``/``jkk``, for scholarships). ``memberships``: membership_id, start_month, segment.
    ``periods``: membership_id, start_date, end_date. Returns one row per claim with
    :data:`RESULT_COLUMNS` (``reasons``: list of failed-rule codes, empty when eligible).
    ``min_months``: the law's minimum contribution months for a JKM scholarship (None: the
    scholarship condition is not checked here).
    """
    deadlines = _deadline_years(claims)
    c = claims.lazy()
    if "cause" not in claims.columns:
        c = c.with_columns(pl.lit(None, dtype=pl.String).alias("cause"))
    keys = c.select("claim_ref", "membership_id", "event_date")
    # Periods that began on or before the event: the only history that can count.
    p = (
        periods.lazy()
        .select("membership_id", "start_date", "end_date")
        .join(keys, on="membership_id", how="inner")
        .filter(pl.col("start_date") <= pl.col("event_date"))
        .with_columns(
            pl.min_horizontal("end_date", "event_date").alias("_upto"),
        )
        .with_columns(
            (_month_index(pl.col("_upto")) - _month_index(pl.col("start_date")) + 1).alias(
                "_months"
            )
        )
        .group_by("claim_ref")
        .agg(
            (pl.col("end_date") >= pl.col("event_date")).any().alias("covered"),
            pl.col("start_date").min().alias("first_start"),
            pl.col("end_date").max().alias("last_end"),
            pl.col("_months").sum().cast(pl.Int32).alias("contribution_months"),
        )
    )
    m = memberships.lazy().select("membership_id", "start_month", "segment")
    out = (
        c.join(m, on="membership_id", how="left")
        .join(p, on="claim_ref", how="left")
        .join(deadlines.lazy(), on=["type", "event_date"], how="left")
        .with_columns(
            pl.col("covered").fill_null(False),
            pl.col("contribution_months").fill_null(0),
            pl.coalesce("first_start", "start_month").alias("member_since"),
            pl.col("last_end").alias("last_covered_day"),
            pl.when(pl.col("deadline_years").is_not_null())
            .then(pl.col("event_date").dt.offset_by(pl.format("{}y", pl.col("deadline_years"))))
            .alias("deadline"),
        )
        .with_columns(
            ((pl.col("event_date") - pl.col("member_since")).dt.total_days() + 1)
            .cast(pl.Int32)
            .alias("membership_day"),
            (pl.col("deadline").is_null() | (pl.col("filed_on") <= pl.col("deadline"))).alias(
                "within_deadline"
            ),
        )
        .with_columns(
            pl.concat_list(
                pl.when(~pl.col("covered") & pl.col("last_end").is_null()).then(
                    pl.lit("not_covered")
                ),
                pl.when(~pl.col("covered") & pl.col("last_end").is_not_null()).then(
                    pl.lit("lapsed")
                ),
                pl.when(~pl.col("within_deadline")).then(pl.lit("deadline_passed")),
                pl.when(
                    (pl.col("type") == "scholarship")
                    & (pl.col("cause").fill_null("jkm") == "jkm")
                    & (
                        pl.col("contribution_months")
                        < (min_months if min_months is not None else 0)
                    )
                ).then(pl.lit("min_contribution")),
            )
            .list.drop_nulls()
            .alias("reasons"),
        )
        .with_columns((pl.col("reasons").list.len() == 0).alias("eligible"))
        .select(RESULT_COLUMNS)
    )
    return out.collect()


def scholarship_ended(inputs: dict[str, object], on: dt.date) -> str | None:
    """Why a child's scholarship has ended on ``on`` (the law's
    ``benefits.scholarship.ends``: age 23, marriage, work), from the claim's inputs
    ``child_birth_date`` (a date or ``YYYY-MM-DD``), ``child_married`` and ``child_working``;
    None while it runs or when nothing is known."""
    from jaring.law.benefits import scholarship_end

    born = inputs.get("child_birth_date")
    if isinstance(born, str):
        born = dt.date.fromisoformat(born)
    return scholarship_end(
        on,
        born if isinstance(born, dt.date) else None,
        married=bool(inputs.get("child_married")),
        working=bool(inputs.get("child_working")),
    )
