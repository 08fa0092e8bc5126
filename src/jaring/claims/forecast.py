"""Expected deaths of a program's members from a mortality table (pure: frames in and out).

The shipped table is the Tabel Mortalita Indonesia IV 2019 (``data/mortality_tmi4_2019.csv``,
provenance and caveats in its ``.yaml``). TMI is built from insured lives; informal workers
likely die more often, so the forecast from it is a floor. A Pemda with a better table gives
its own file (columns ``age``, ``qx_l``, ``qx_p``).

Expected deaths = sum over members of qx(age, sex) x the years of cover they have in the
period. Deaths are rare and independent, so their count is close to Poisson: the 95% range
shown is mean +/- 1.96 sqrt(mean) (normal approximation), floored at zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from jaring.claims import errors

AGE_BANDS = (
    (0, 29, "<30"),
    (30, 39, "30-39"),
    (40, 49, "40-49"),
    (50, 59, "50-59"),
    (60, 200, "60+"),
)


def _check_table(df: pl.DataFrame, source: str) -> pl.DataFrame:
    need = {"age", "qx_l", "qx_p"}
    if not need <= set(df.columns):
        raise errors.MORTALITY_COLUMNS(file=source)
    try:
        df = df.select(
            pl.col("age").cast(pl.Int32, strict=True),
            pl.col("qx_l").cast(pl.Float64, strict=True),
            pl.col("qx_p").cast(pl.Float64, strict=True),
        )
    except pl.exceptions.PolarsError:
        raise errors.MORTALITY_VALUES(file=source, row=None) from None
    bad = df.filter(
        pl.any_horizontal(pl.col("qx_l", "qx_p").is_null())
        | (pl.col("qx_l") < 0)
        | (pl.col("qx_l") > 1)
        | (pl.col("qx_p") < 0)
        | (pl.col("qx_p") > 1)
    )
    if bad.height:
        raise errors.MORTALITY_VALUES(file=source, row=int(bad["age"][0]))
    twice = df.filter(pl.col("age").is_duplicated())
    if twice.height:
        raise errors.MORTALITY_VALUES(file=source, row=int(twice["age"][0]))
    return df.sort("age")


@cache
def _shipped() -> tuple[pl.DataFrame, dict[str, Any]]:
    base = resources.files("jaring.claims") / "data"
    table = pl.read_csv(str(base / "mortality_tmi4_2019.csv"))
    meta = yaml.safe_load((base / "mortality_tmi4_2019.yaml").read_text(encoding="utf-8"))
    return _check_table(table, "mortality_tmi4_2019.csv"), meta


def load_table(path: str | Path | None = None) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The mortality table (``age``, ``qx_l``, ``qx_p``) and what it is: the shipped TMI IV
    2019 without ``path``, else the CSV file given (its name is its reference). Refused:
    ``mortality_file_missing``, ``mortality_columns``, ``mortality_values`` (an age not a
    whole number or given twice, a qx not a number between 0 and 1)."""
    if path is None:
        return _shipped()
    p = Path(path)
    if not p.is_file():
        raise errors.MORTALITY_FILE_MISSING(file=str(p))
    table = _check_table(pl.read_csv(p, infer_schema_length=None), p.name)
    return table, {"name": p.name, "reference": str(p), "confidence": "as given by the user"}


@dataclass(frozen=True)
class BandDeaths:
    """Expected deaths of one age band and sex (``L``, ``P`` or None when unknown)."""

    band: str
    sex: str | None
    members: int
    expected_deaths: float


@dataclass(frozen=True)
class Deaths:
    """Expected deaths of a group of members over a period."""

    members: int  # members with an age
    members_without_age: int  # not counted
    person_years: float  # years of cover, summed
    expected_deaths: float
    range_95: list[int]  # [low, high]: mean -/+ 1.96 sqrt(mean), floored at 0
    by_band: list[BandDeaths]


def expected_deaths(members: pl.DataFrame, table: pl.DataFrame) -> Deaths:
    """Expected deaths for ``members`` (columns ``age`` Int, ``sex`` 'L'/'P'/null,
    ``exposure_years`` Float: the fraction of the period each is covered).

    Ages beyond the table take its last row; an unknown sex takes the mean of both columns.
    Returns the total, a 95% range, and the split by age band and sex.
    """
    last = int(table["age"].max())  # type: ignore[arg-type]
    band = pl.lit(None, dtype=pl.String)
    for lo, hi, label in reversed(AGE_BANDS):
        band = pl.when(pl.col("age").is_between(lo, hi)).then(pl.lit(label)).otherwise(band)
    rows = (
        members.lazy()
        .filter(pl.col("age").is_not_null())
        .with_columns(pl.col("age").clip(0, last).cast(pl.Int32).alias("_age"))
        .join(table.lazy().rename({"age": "_age"}), on="_age", how="left")
        .with_columns(
            pl.when(pl.col("sex") == "L")
            .then(pl.col("qx_l"))
            .when(pl.col("sex") == "P")
            .then(pl.col("qx_p"))
            .otherwise((pl.col("qx_l") + pl.col("qx_p")) / 2)
            .alias("qx"),
            band.alias("band"),
        )
        .with_columns((pl.col("qx") * pl.col("exposure_years")).alias("expected"))
        .collect()
    )
    total = float(rows["expected"].sum())
    by_band = (
        rows.group_by("band", "sex")
        .agg(pl.len().alias("members"), pl.col("expected").sum())
        .sort("band", "sex")
    )
    half = 1.96 * math.sqrt(total)
    return Deaths(
        members=rows.height,
        members_without_age=members.height - rows.height,
        person_years=round(float(rows["exposure_years"].sum()), 1),
        expected_deaths=round(total, 2),
        range_95=[max(0, math.floor(total - half)), math.ceil(total + half)],
        by_band=[
            BandDeaths(
                band=r["band"],
                sex=r["sex"],
                members=int(r["members"]),
                expected_deaths=round(r["expected"], 3),
            )
            for r in by_band.to_dicts()
        ],
    )
