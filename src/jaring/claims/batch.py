"""Eligibility and entitlement for many claims in one set-based pass.

For a province's year of claims, or a re-assessment after a parameter is corrected: the
eligibility joins of :mod:`jaring.claims.eligibility`, then the law's column functions
(``jkm_frame`` for JKM deaths, ``jkk_frame`` for JKK death and disability). The few types the
law has no column function for (medical bills, STMB, scholarships) call the scalar law once per
distinct set of inputs, never once per claim.

Input ``claims``: ``claim_ref``, ``membership_id``, ``type``, ``event_date``, ``filed_on`` and,
where the type needs them, ``wage`` (default: the membership's ``income_base``), ``disability``
(``total``/``partial``), ``percent``, ``function_loss``, ``months``, ``cost``, ``level``,
``cause``. ``memberships``: ``membership_id``, ``start_month``, ``segment``, ``income_base``.
``periods``: ``membership_id``, ``start_date``, ``end_date``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from jaring.claims import eligibility, errors
from jaring.claims.entitlement import law_amount
from jaring.errors import require_file
from jaring.law import benefits
from jaring.law.parameters import params

REQUIRED = ("event_date", "filed_on", "membership_id", "type")

OPTIONAL: dict[str, Any] = {
    "wage": pl.Int64,
    "disability": pl.String,
    "percent": pl.Float64,
    "function_loss": pl.Float64,
    "months": pl.Int64,
    "cost": pl.Int64,
    "level": pl.String,
    "cause": pl.String,
}
OUT_SCHEMA = {"claim_ref": pl.Int64, "law_total": pl.Int64, "early_death": pl.Boolean}


def _scalar(rows: pl.DataFrame, facts: pl.DataFrame) -> pl.DataFrame:
    """Law amounts for the rare types, one law call per distinct input set."""
    if rows.height == 0:
        return pl.DataFrame(schema=OUT_SCHEMA)
    keyed = rows.join(
        facts.select("claim_ref", "contribution_months", "member_since", "reasons"), on="claim_ref"
    ).with_columns(pl.col("reasons").list.contains("min_contribution").alias("_below"))
    keys = ["type", "event_date", "segment", "wage", "months", "cost", "level", "cause",
            "contribution_months", "_below"]  # fmt: skip
    distinct = keyed.select(keys).unique()
    totals = []
    for r in distinct.iter_rows(named=True):
        if r["_below"]:
            totals.append(0)  # the law refuses a JKM scholarship below the minimum
            continue
        inputs = {k: r[k] for k in ("wage", "months", "cost", "level", "cause") if r[k] is not None}
        totals.append(
            int(
                law_amount(
                    r["type"],
                    r["event_date"],
                    segment=r["segment"],
                    member_since=None,
                    contribution_months=int(r["contribution_months"] or 0),
                    inputs=inputs,
                ).total
            )
        )
    priced = distinct.with_columns(pl.Series("law_total", totals, dtype=pl.Int64))
    return keyed.join(priced, on=keys, how="left", nulls_equal=True).select(
        "claim_ref", "law_total", pl.lit(False).alias("early_death")
    )


def assess_frame(
    claims: pl.DataFrame, memberships: pl.DataFrame, periods: pl.DataFrame
) -> pl.DataFrame:
    """One row per claim: the eligibility facts, ``law_total``, ``amount`` (payable: 0 when a
    rule failed), ``early_death`` (the BPU first-months rule applied)."""
    missing = {k: v for k, v in OPTIONAL.items() if k not in claims.columns}
    if missing:
        claims = claims.with_columns(pl.lit(None, dtype=v).alias(k) for k, v in missing.items())
    events = claims["event_date"].unique().to_list()
    min_months = (
        max(
            int(params().entry("benefits.scholarship.jkm_min_contribution_months", d).value)
            for d in events
        )
        if "scholarship" in claims["type"].unique().to_list()
        else None
    )
    facts = eligibility.assess(claims, memberships, periods, min_months=min_months)
    rows = claims.join(
        memberships.select("membership_id", "segment", "income_base"),
        on="membership_id",
        how="left",
    ).with_columns(pl.coalesce("wage", "income_base").alias("wage"))
    parts: list[pl.DataFrame] = []

    jkm = rows.filter(pl.col("type") == "jkm")
    if jkm.height:
        # A membership that began after the event: not covered; the law gets no start date.
        j = jkm.join(facts.select("claim_ref", "member_since"), on="claim_ref").with_columns(
            pl.when(pl.col("member_since") <= pl.col("event_date")).then(pl.col("member_since"))
        )
        out = benefits.jkm_frame(j.select("claim_ref", "event_date", "segment", "member_since"))
        parts.append(
            out.select(
                "claim_ref",
                pl.col("total").alias("law_total"),
                # only the first-months rule pays a JKM without its periodic benefit
                ((pl.col("periodic") == 0) & (pl.col("total") > 0)).alias("early_death"),
            )
        )
    jkk = rows.filter(pl.col("type").is_in(["jkk_death", "jkk_disability"]))
    if jkk.height:
        kind = (
            pl.when(pl.col("type") == "jkk_death")
            .then(pl.lit("death"))
            .when(pl.col("disability") == "total")
            .then(pl.lit("total_disability"))
            .otherwise(pl.lit("partial_disability"))
        )
        out = benefits.jkk_frame(
            jkk.select(
                "claim_ref", kind.alias("kind"), "wage", "event_date", "percent", "function_loss"
            )
        )
        parts.append(
            out.select(
                "claim_ref", pl.col("total").alias("law_total"), pl.lit(False).alias("early_death")
            )
        )
    other = rows.filter(~pl.col("type").is_in(["jkm", "jkk_death", "jkk_disability"]))
    parts.append(_scalar(other, facts))
    priced = pl.concat([p.cast(OUT_SCHEMA) for p in parts])  # type: ignore[arg-type]
    return facts.join(priced, on="claim_ref", how="left").with_columns(
        pl.when(pl.col("eligible")).then(pl.col("law_total")).otherwise(0).alias("amount")
    )


PROBLEMS = (
    "bad_membership_id",
    "bad_type",
    "bad_event_date",
    "bad_filed_on",
    "bad_number",
    "membership_not_found",
)
"""What leaves a row of a batch unassessed (its ``problem``, then its one ``reasons`` code);
words: ``labels.label("claim_row_problem", code)``."""


def _number(col: str, dtype: Any) -> pl.Expr:
    """A column of numbers as typed: whole numbers may group thousands (``1.500.000``),
    fractions may use a decimal comma (``12,5``); anything else is null."""
    text = pl.col(col).str.strip_chars()
    if dtype == pl.Int64:
        text = text.str.replace_all(r"[.,](\d{3})", "$1")
    else:
        text = text.str.replace(",", ".", literal=True)
    return text.cast(dtype, strict=False)


def read_claims(path: str | Path) -> pl.DataFrame:
    """A CSV of claims to assess: at least ``membership_id``, ``type``, ``event_date``,
    ``filed_on`` (``YYYY-MM-DD``), and any optional column of :data:`OPTIONAL`; ``claim_ref``
    numbers the rows from 1 when the file has none. Read as text in the registry's encodings
    and parsed as whole columns; ``problem`` names what a row cannot be assessed for (see
    :data:`PROBLEMS`; null when nothing), so that a bad row never blocks the good ones.
    Refused: ``file_not_found``, ``bad_file`` (not text), ``claims_columns`` (naming the
    required columns)."""
    from jaring.claims import catalog
    from jaring.registry import files

    file = require_file(path)
    raw = files.text_cells(file, "file")
    if not set(REQUIRED) <= set(raw.columns):
        raise errors.CLAIMS_COLUMNS(file=file.name, columns=", ".join(REQUIRED))
    ref = (
        _number("claim_ref", pl.Int64)
        if "claim_ref" in raw.columns
        else pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    )
    day = {c: pl.col(c).str.strip_chars().str.to_date("%Y-%m-%d", strict=False) for c in
           ("event_date", "filed_on")}  # fmt: skip
    numbers = {c: _number(c, t) for c, t in OPTIONAL.items() if c in raw.columns and t != pl.String}
    texts = {c: pl.col(c).str.strip_chars() for c, t in OPTIONAL.items()
             if c in raw.columns and t == pl.String}  # fmt: skip
    frame = raw.select(
        ref.alias("claim_ref"),
        _number("membership_id", pl.Int64).alias("membership_id"),
        pl.col("type").str.strip_chars().str.to_lowercase().alias("type"),
        *(e.alias(c) for c, e in day.items()),
        *(e.alias(c) for c, e in numbers.items()),
        *(e.alias(c) for c, e in texts.items()),
        *(pl.col(c).alias(f"_raw_{c}") for c in numbers),
    )
    bad_number = pl.any_horizontal(
        [
            pl.col(c).is_null() & (pl.col(f"_raw_{c}").str.strip_chars().fill_null("") != "")
            for c in numbers
        ]
        or [pl.lit(False)]
    )
    problem = (
        pl.when(pl.col("membership_id").is_null())
        .then(pl.lit("bad_membership_id"))
        .when(~pl.col("type").is_in(list(catalog.claim_types())).fill_null(False))
        .then(pl.lit("bad_type"))
        .when(pl.col("event_date").is_null())
        .then(pl.lit("bad_event_date"))
        .when(pl.col("filed_on").is_null())
        .then(pl.lit("bad_filed_on"))
        .when(bad_number)
        .then(pl.lit("bad_number"))
    )
    return frame.with_columns(problem.alias("problem")).drop([f"_raw_{c}" for c in numbers])


def unassessed(rows: pl.DataFrame) -> pl.DataFrame:
    """The result rows of claims left unassessed for their ``problem``: not eligible, nothing
    payable, the problem as their one reason."""
    return rows.select(
        "claim_ref",
        pl.lit(False).alias("eligible"),
        pl.lit(0, dtype=pl.Int64).alias("law_total"),
        pl.lit(0, dtype=pl.Int64).alias("amount"),
        pl.lit(False).alias("early_death"),
        pl.concat_list(pl.col("problem")).alias("reasons"),
    )


@dataclass(frozen=True)
class BatchSummary:
    """What an assessment of many claims found: how many, how many eligible, the payable
    total, deaths in a BPU's first months, and the failed rules counted by code."""

    claims: int
    eligible: int
    amount: int
    early_deaths: int
    reasons: dict[str, int]
    out: str | None = None  # the file the per-claim results were written to, if any
    unassessed: int = 0  # rows not understood or naming no membership the actor may see


def summarise(result: pl.DataFrame) -> BatchSummary:
    """The summary of :func:`assess_frame`'s result."""
    reasons = result.explode("reasons").drop_nulls("reasons").group_by("reasons").len().to_dicts()
    return BatchSummary(
        claims=result.height,
        eligible=int(result["eligible"].sum()),
        amount=int(result["amount"].sum()),
        early_deaths=int(result["early_death"].sum()),
        reasons={str(r["reasons"]): int(r["len"]) for r in reasons},
        unassessed=int(
            result.filter(pl.col("reasons").list.first().is_in(PROBLEMS).fill_null(False)).height
        ),
    )
