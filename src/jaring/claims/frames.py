"""Frames read from either store, typed the same way."""

from __future__ import annotations

import polars as pl


def as_dates(frame: pl.DataFrame, *cols: str) -> pl.DataFrame:
    """Date columns as ``pl.Date`` whichever store they came from (SQLite hands back text,
    PostgreSQL dates; an all-null column comes back untyped)."""
    exprs = []
    for c in cols:
        dtype = frame.schema[c]
        if dtype == pl.String:
            exprs.append(pl.col(c).str.slice(0, 10).str.to_date("%Y-%m-%d"))
        elif dtype != pl.Date:
            exprs.append(pl.col(c).cast(pl.Date))
    return frame.with_columns(exprs) if exprs else frame
