"""Kemendagri region codes, the old-to-new code map, names and population.

Data shipped in ``jaring/data/wilayah`` (derived from cahyadsn/wilayah, MIT; notice kept
beside the files). Codes are dotted: province ``96``, regency/city ``96.71``, district
``96.71.01``, village ``96.71.01.1001``. A NIK carries the first three levels undotted.
Loaded once per process and cached: the files are read-only data.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import polars as pl

LEVELS = {1: "province", 2: "regency", 3: "district", 4: "village"}


def _data_path(name: str) -> str:
    return str(resources.files("jaring") / "data" / "wilayah" / name)


@cache
def regions() -> pl.DataFrame:
    """Every region: ``kode``, ``nama``, ``level`` (1..4) and ``parent`` (dotted code)."""
    df = pl.read_csv(_data_path("wilayah.csv"), schema_overrides={"kode": pl.String})
    return df.with_columns(
        level=pl.col("kode").str.count_matches(r"\.").cast(pl.Int8) + 1,
        parent=pl.when(pl.col("kode").str.contains(r"\."))
        .then(pl.col("kode").str.replace(r"\.[^.]+$", ""))
        .otherwise(None),
    )


@cache
def old_to_new() -> pl.DataFrame:
    """``kode_lama`` -> ``kode_baru`` for the codes changed by the 2022 Papua splits."""
    return pl.read_csv(
        _data_path("kode_lama.csv"),
        schema_overrides={"kode_lama": pl.String, "kode_baru": pl.String},
    )


@cache
def population() -> pl.DataFrame:
    """Population by province and regency/city (Dukcapil, semester II 2024); ``0`` = Indonesia.

    A fallback denominator only: coverage ratios should use BPS working population where the
    region has entered it, and say which one they used.
    """
    return pl.read_csv(_data_path("penduduk.csv"), schema_overrides={"kode": pl.String})


@cache
def _names() -> dict[str, str]:
    return dict(regions().select("kode", "nama").iter_rows())


def name_of(code: str) -> str | None:
    """The current name of a dotted code, or ``None`` if unknown."""
    return _names().get(code)


def current_code(code: str) -> str:
    """Map an old dotted code (``92.71``) to its current one (``96.71``); unknown codes are
    returned unchanged. District codes whose regency moved are mapped through the regency when
    the district itself is not listed."""
    mapping = _old_map()
    if code in mapping:
        return mapping[code]
    parts = code.split(".")
    if len(parts) >= 2:
        regency = ".".join(parts[:2])
        if regency in mapping:
            return ".".join([mapping[regency], *parts[2:]])
    return code


@cache
def _old_map() -> dict[str, str]:
    return dict(old_to_new().select("kode_lama", "kode_baru").iter_rows())


def dotted(undotted: str) -> str:
    """``967101`` -> ``96.71.01`` (the form a NIK carries)."""
    parts = [undotted[0:2], undotted[2:4], undotted[4:6]]
    return ".".join(p for p in parts if p)
