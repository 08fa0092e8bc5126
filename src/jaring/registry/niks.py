"""Which NIK is right when the rows linked to one person carry more than one (a mistyped NIK
that the deduplication recognised, an old card and a new one). Pure: frames in, frames out.

Each NIK of a person is scored on what can be checked without asking anyone: it agrees with
the person's birth date (its date part, +40 for women), with the person's distrik (its
region digits; old 9271 and new 9671 codes are one), how many rows carry it, and BPJS's
answer (a membership with a KPJ under it confirms it; a refusal of it as unknown counts
against it). The highest score is the most likely NIK; an operator confirms or picks another
(:func:`jaring.registry.actions.niks.choose_nik`).
"""

from __future__ import annotations

import polars as pl

#: Weights of the checks in :func:`candidates` (the score is their sum).
WEIGHTS = {"birth_date": 3.0, "district": 1.0, "row": 0.5, "confirmed": 5.0, "refused": -5.0}


def candidates(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per person and distinct NIK, for people whose rows carry two or more.

    ``rows``: ``person_id``, ``nik``, ``birth_date`` (Date), ``sex``, ``district_code`` of
    each linked row, and optionally ``confirmed`` / ``refused`` (Boolean: BPJS's answer for
    that NIK). Returns ``person_id``, ``nik``, ``rows``, ``agrees_birth_date``,
    ``agrees_district``, ``confirmed``, ``refused``, ``score`` and ``likely`` (the best score
    of the person; ties go to the NIK on more rows, then the smaller NIK).
    """
    r = rows.filter(pl.col("nik").is_not_null())
    for col in ("confirmed", "refused"):
        if col not in r.columns:
            r = r.with_columns(pl.lit(False).alias(col))
    multi = (
        r.group_by("person_id").agg(pl.col("nik").n_unique().alias("_n")).filter(pl.col("_n") > 1)
    )
    r = r.join(multi.select("person_id"), on="person_id", how="semi")
    # the person's birth date and distrik: the most frequent among the rows
    facts = r.group_by("person_id").agg(
        pl.col("birth_date").drop_nulls().mode().first().alias("_bd"),
        pl.col("district_code").drop_nulls().mode().first().alias("_district"),
    )
    per = (
        r.group_by("person_id", "nik")
        .agg(
            pl.len().alias("rows"),
            pl.col("confirmed").any(),
            pl.col("refused").any(),
        )
        .join(facts, on="person_id", how="left")
    )
    nik = pl.col("nik")
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    day = pl.when(day > 40).then(day - 40).otherwise(day)
    bd = pl.col("_bd")
    agrees_bd = (
        (day == bd.dt.day())
        & (nik.str.slice(8, 2).cast(pl.Int32, strict=False) == bd.dt.month())
        & (nik.str.slice(10, 2).cast(pl.Int32, strict=False) == bd.dt.year() % 100)
    ).fill_null(False)
    # "96.71.01" -> "7101": regency and distrik digits (the province code changed in 2022)
    district_digits = pl.col("_district").str.slice(3).str.replace_all(".", "", literal=True)
    agrees_district = (nik.str.slice(2, 4) == district_digits).fill_null(False)
    w = WEIGHTS
    out = per.with_columns(
        agrees_birth_date=agrees_bd,
        agrees_district=agrees_district,
    ).with_columns(
        score=(
            pl.col("agrees_birth_date").cast(pl.Float64) * w["birth_date"]
            + pl.col("agrees_district").cast(pl.Float64) * w["district"]
            + pl.col("rows").cast(pl.Float64) * w["row"]
            + pl.col("confirmed").cast(pl.Float64) * w["confirmed"]
            + pl.col("refused").cast(pl.Float64) * w["refused"]
        )
    )
    ranked = out.sort(
        ["person_id", "score", "rows", "nik"], descending=[False, True, True, False]
    ).with_columns(likely=pl.int_range(pl.len()).over("person_id") == 0)
    return ranked.select(
        "person_id", "nik", "rows", "agrees_birth_date", "agrees_district", "confirmed",
        "refused", "score", "likely",
    )  # fmt: skip
