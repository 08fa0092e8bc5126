"""Kemendagri region codes, the old-to-new code map, names and population.

Data shipped in ``jaring/data/wilayah`` (derived from cahyadsn/wilayah, MIT; notice kept
beside the files). Codes are dotted: province ``96``, regency/city ``96.71``, district
``96.71.01``, village ``96.71.01.1001``. A NIK carries the first three levels undotted.
Loaded once per process and cached: the files are read-only data.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources

import polars as pl

from jaring.registry.normalise import normalise_place

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


def with_parents(codes: Iterable[str], deepest: int = 3) -> list[str]:
    """``codes`` and every region above them, down to level ``deepest`` (1 province, 2
    regency or city, 3 distrik), sorted: ``["96.71.02"]`` -> ``["96", "96.71", "96.71.02"]``."""
    every: set[str] = set()
    for code in codes:
        parts = str(code).split(".")
        every |= {".".join(parts[: k + 1]) for k in range(min(len(parts), deepest))}
    return sorted(every)


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


@cache
def district_lookup() -> pl.DataFrame:
    """Every NIK district prefix Jaring knows, old and new: ``prefix`` (6 digits, as a NIK
    carries it) -> ``district_code`` (current dotted code). Old Papua codes (``927101``) map to
    their current code (``96.71.01``)."""
    current = (
        regions()
        .filter(pl.col("level") == 3)
        .select(
            prefix=pl.col("kode").str.replace_all(".", "", literal=True),
            district_code=pl.col("kode"),
        )
    )
    old = (
        old_to_new()
        .filter(pl.col("kode_lama").str.count_matches(r"\.") == 2)
        .select(
            prefix=pl.col("kode_lama").str.replace_all(".", "", literal=True),
            district_code=pl.col("kode_baru"),
        )
    )
    return pl.concat([current, old.join(current, on="prefix", how="anti")]).unique("prefix")


@cache
def places(parent_level: int) -> pl.DataFrame:
    """Region names one level below ``parent_level`` with their parent, for name lookup:
    ``parent`` (dotted), ``key`` (normalised name), ``code``. Level 2 -> districts of each
    regency; level 3 -> villages of each district."""
    return (
        regions()
        .filter(pl.col("level") == parent_level + 1)
        .select(
            parent=pl.col("parent"),
            key=normalise_place(pl.col("nama")),
            code=pl.col("kode"),
        )
        .unique(["parent", "key"], keep="first")
    )
