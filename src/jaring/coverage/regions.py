"""Which column of ``person`` a region code selects on, and a region's children.

A code's level is its number of dotted parts: ``96`` province, ``96.71`` regency/city,
``96.71.01`` district, ``96.71.01.1001`` village. Old codes (``92.71``) are mapped to the
current ones first, because people are stored under current codes.
"""

from __future__ import annotations

import polars as pl

from jaring.coverage import errors
from jaring.registry import regions as reg

COLUMN_BY_LEVEL = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_code"}
CHILD_KEY = {1: "by_regency", 2: "by_district", 3: "by_village"}


def resolve(code: str) -> tuple[str, int, str]:
    """``(current code, level, name)`` of a region typed by a user; refuses unknown codes."""
    raw = (code or "").strip()
    current = reg.current_code(raw)
    name = reg.name_of(current)
    if name is None:
        raise errors.UNKNOWN_REGION(field="region", value=raw)
    return current, current.count(".") + 1, name


def descendants(code: str, level: int) -> pl.DataFrame:
    """Every region below ``code`` at ``level`` (``kode``, ``nama``), in code order."""
    r = reg.regions()
    return (
        r.filter((pl.col("level") == level) & pl.col("kode").str.starts_with(code + "."))
        .select("kode", "nama")
        .sort("kode")
    )
