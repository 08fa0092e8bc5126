"""What a program's package costs each month, always asked of :mod:`jaring.law`.

A program insures everyone on the same package (segment, declared income base or wage, risk
group; JKK + JKM, with JHT and, for wage earners, JP only when chosen; paid by a budget, a
donor or the worker), so one person-month costs the
same for everyone in a given month; it can still change from month to month when the law
changes (a new rate, a discount that starts or ends). We therefore ask the law once per month
and per distinct package, never per worker, and join the answers onto whole frames.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl

from jaring.law.contributions import frame as law_frame
from jaring.programs.months import month_range

AMOUNT_COLUMNS = ("jkk", "jkm", "jht", "total")


@dataclasses.dataclass(frozen=True)
class Package:
    """The contribution package a program buys for each of its members."""

    segment: str = "bpu"  # 'bpu' | 'pu'
    income_base: int = 1_000_000  # declared income (BPU) or monthly wage (PU), rupiah
    risk: str | None = None  # PU JKK risk group
    with_jht: bool = False
    paid_by: str = "apbd"  # 'apbd' | 'self' | 'apbn' | 'apbdes' | 'donor' (PP 50/2025)
    with_jp: bool = False  # PU only: JP is billed only when the program chooses it


def package_frame(packages: pl.DataFrame, months: list[dt.date]) -> pl.DataFrame:
    """Contributions for every (package x month): the law's ``frame`` on a small frame.

    ``packages`` holds ``segment``, ``income_base``, ``risk``, ``with_jht``, ``paid_by`` and
    optionally ``with_jp`` (absent: no JP) (one row per distinct package); the result adds
    ``month`` and Int64 ``jkk``, ``jkm``, ``jht`` (worker + employer JHT, as billed), ``jp``
    (employer + worker JP) and ``total``. A PU package is JKK + JKM, plus JHT and JP only
    when chosen.
    """
    if "with_jp" not in packages.columns:
        packages = packages.with_columns(with_jp=pl.lit(False))
    distinct = packages.select(
        pl.col("segment").cast(pl.String),
        pl.col("income_base").cast(pl.Int64),
        pl.col("risk").cast(pl.String),
        pl.col("with_jht").cast(pl.Boolean),
        pl.col("paid_by").cast(pl.String),
        pl.col("with_jp").cast(pl.Boolean),
    ).unique(maintain_order=True)
    grid = distinct.join(pl.DataFrame({"month": months}, schema={"month": pl.Date}), how="cross")
    is_pu = pl.col("segment") == "pu"
    query = grid.select(
        "segment",
        income=pl.when(is_pu).then(None).otherwise(pl.col("income_base")),
        wage=pl.when(is_pu).then(pl.col("income_base")).otherwise(None),
        risk="risk",
        jht="with_jht",
        jp=pl.col("with_jp") & is_pu,
        paid_by="paid_by",
        month="month",
    )
    priced = law_frame(query)
    return grid.with_columns(
        jkk=priced["jkk"].cast(pl.Int64),
        jkm=priced["jkm"].cast(pl.Int64),
        jht=priced["jht"].cast(pl.Int64),
        jp=(priced["jp_employer"] + priced["jp_worker"]).cast(pl.Int64),
        total=priced["total"].cast(pl.Int64),
    )


def monthly_costs(package: Package, first: dt.date, last: dt.date) -> pl.DataFrame:
    """One row per month from ``first`` to ``last`` (inclusive): ``month``, ``jkk``, ``jkm``,
    ``jht``, ``total`` for one person on ``package``."""
    packages = pl.DataFrame([dataclasses.asdict(package)]).rename({})
    months = month_range(first, last)
    out = package_frame(packages, months)
    return out.select("month", *AMOUNT_COLUMNS).sort("month")
