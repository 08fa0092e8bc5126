"""Frames written as files people open: CSV, XLSX (NIKs stay text: Excel never turns them
into numbers) or Parquet (for analysts)."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

from jaring.registry import errors

FORMATS = ("csv", "xlsx", "parquet")


def write_frame(
    frame: pl.DataFrame, fmt: str, path: Path | io.BytesIO, *, sheet: str = "Data"
) -> None:
    """``frame`` to ``path`` (a file, its folders made; or a buffer) in ``fmt``. Refuses
    ``format_unknown`` for anything but :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise errors.FORMAT_UNKNOWN(format=fmt, field="format")
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.write_csv(path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    else:
        frame.write_excel(path, worksheet=sheet, autofit=frame.height < 50_000)
