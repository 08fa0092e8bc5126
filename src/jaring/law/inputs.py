"""What a contribution is computed from, and how a frame of it is checked: once, vectorised.

The law's codes (:data:`SEGMENTS`, :data:`RISKS`, :data:`PAYERS`) are written as the law writes
them; users may type them in any case, with spaces or underscores (``Sangat_Tinggi``, `` BPU``).
:func:`prepare` casts and checks a frame of workers and encodes it as the numpy columns the
computation reads (:mod:`jaring.law.blocks`), refusing the first bad row by its 1-based number,
field and value; for one worker (:data:`single` set) the refusal names the field only.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
from typing import Any

import numpy as np
import polars as pl

from jaring import errors as common
from jaring.errors import Refusal
from jaring.law import errors
from jaring.law.blocks import Column, Pieces, bools, numbers

SEGMENTS = ("bpu", "pu")
RISKS = ("sangat-rendah", "rendah", "sedang", "tinggi", "sangat-tinggi")
#: Who pays (PP 50/2025): ``self`` is a worker outside an employment relationship paying for
#: themself (pekerja mandiri), the only payer its discount reaches; the state (APBN), a Pemda
#: (APBD), a village budget (APBDes) and a donor never get it. ``self`` stays at position 1.
PAYERS = ("apbd", "self", "apbn", "apbdes", "donor")
#: Larger declared incomes or wages are refused: no worker earns a trillion rupiah a month,
#: and the bound keeps ``amount * basis points`` far inside Int64.
MAX_RUPIAH = 1_000_000_000_000
#: Set while one worker's contribution is computed, so refusals name the field, not "row 1".
single: contextvars.ContextVar[bool] = contextvars.ContextVar("single", default=False)
NEGATIVE = {
    "income": errors.NEGATIVE_INCOME,
    "wage": errors.NEGATIVE_WAGE,
    "cost": errors.NEGATIVE_COST,
}
_TRUE = ("1", "true", "ya", "y", "yes", "t")
_FALSE = ("0", "false", "tidak", "n", "no", "f", "")


def code(text: str, codes: tuple[str, ...]) -> int:
    """The position of ``text``, as users type it, in ``codes``; -1 when it is none of them.

    >>> code(" Sangat_Tinggi", RISKS), code("ekstrem", RISKS)
    (4, -1)
    """
    norm = re.sub(r"[_\s]+", "-", text.strip().lower())
    return codes.index(norm) if norm in codes else -1


def prepare(
    df: pl.DataFrame, on: dt.date | None
) -> tuple[pl.DataFrame, set[str], dict[str, Column]]:
    """Cast, check and encode the input once (vectorised), refusing its first bad row.

    Returns the frame (amounts cast to Int64, codes as the law writes them, ``month`` as
    dates), the segments present, and the encoded inputs the computation reads: ``bpu``
    (bool), ``income``, ``wage`` (:class:`~jaring.law.blocks.Pieces`; an empty slot holds an
    unspecified number, never read for a checked row), and when present ``_risk`` (index in
    :data:`RISKS`), ``_jht``, ``_jp``, ``_self``, ``_transport``. An empty ``jht`` or ``jp``
    is the segment's default: no for a BPU, yes for a PU. Without ``on`` a ``month`` column is
    required.
    """
    if "segment" not in df.columns:
        raise errors.missing_column("segment")
    df, seg, _ = _text_codes(df, "segment", SEGMENTS, None, errors.UNKNOWN_SEGMENT, null_ok=False)
    is_bpu = seg == 0
    n_bpu = int(np.count_nonzero(is_bpu))
    segments = {"bpu"} if n_bpu else set()
    if n_bpu < len(is_bpu):
        segments.add("pu")
    cols: dict[str, Column] = {"bpu": is_bpu}

    for field, segment in (("income", "bpu"), ("wage", "pu")):
        if field in df.columns:
            df = _as_int(df, field)
        elif segment in segments:
            raise errors.missing_column(field)
        else:
            df = df.with_columns(pl.lit(None, pl.Int64).alias(field))
    if "pu" in segments:
        if "risk" not in df.columns:
            raise errors.missing_column("risk")
        where = ~is_bpu if "bpu" in segments else None
        df, cols["_risk"], _ = _text_codes(
            df, "risk", RISKS, where, errors.UNKNOWN_RISK, null_ok=False
        )
    if "paid_by" in df.columns:
        df, payer, known = _text_codes(df, "paid_by", PAYERS, None, errors.UNKNOWN_PAYER)
        cols["_self"] = payer == 1 if known is None else (payer == 1) & known
    for flag in ("jht", "jp", "transport"):
        if flag in df.columns:
            series = df[flag]
            if series.dtype != pl.Boolean or series.null_count():
                # empty: the segment's default package (a BPU without JHT, a PU with JHT and JP)
                default = pl.lit(pl.Series(~is_bpu)) if flag in ("jht", "jp") else False
                series = df.select(_to_bool(df, flag).fill_null(default)).to_series()
            cols[f"_{flag}"] = bools(series)
    if on is None:
        df = _months(df)
    for field, where, segment in (("income", is_bpu, "bpu"), ("wage", ~is_bpu, "pu")):
        cols[field] = pieces = numbers(df[field])
        if segment in segments:
            _check_amounts(df, field, pieces, where)
    return df, segments, cols


def _months(df: pl.DataFrame) -> pl.DataFrame:
    """The ``month`` column as dates: text as files carry it (``YYYY-MM-DD``, or ``YYYY-MM``
    for the first of the month), or anything Polars casts to a date; none empty."""
    if "month" not in df.columns:
        raise errors.missing_column("month")
    if df.schema["month"] == pl.String:
        text = pl.col("month").str.strip_chars()
        parsed = pl.coalesce(
            text.str.to_date("%Y-%m-%d", strict=False),
            (text + "-01").str.to_date("%Y-%m-%d", strict=False),
        )
        _refuse(common.BAD_DATE, df, text.is_not_null() & parsed.is_null(), "month")
        df = df.with_columns(parsed.alias("month"))
    elif df.schema["month"] != pl.Date:
        try:
            df = df.with_columns(pl.col("month").cast(pl.Date))
        except pl.exceptions.PolarsError:
            raise errors.BAD_COLUMN(field="month", dtype=str(df.schema["month"])) from None
    if df["month"].null_count():
        _refuse(errors.MISSING_VALUE, df, pl.col("month").is_null(), "month")
    return df


def _refuse(refusal: Refusal, df: pl.DataFrame, bad: pl.Expr, field: str) -> None:
    """Raise ``refusal`` for the first row where ``bad`` holds, naming its 1-based row (none
    for one worker), the field and the value."""
    rows = df.with_row_index("_row").filter(bad).head(1)
    if rows.height:
        value = rows[field][0] if field in rows.columns else None
        row = None if single.get() else int(rows["_row"][0]) + 1
        raise errors.of_value(refusal, field, value, row=row)


def _refuse_mask(refusal: Refusal, df: pl.DataFrame, bad: np.ndarray, field: str) -> None:
    if bad.any():
        _refuse(refusal, df, pl.lit(pl.Series(bad)), field)


def _as_int(df: pl.DataFrame, name: str) -> pl.DataFrame:
    """Column ``name`` as Int64: whole floats and integer text are accepted."""
    dtype = df.schema[name]
    if dtype == pl.Int64:
        return df
    col = pl.col(name)
    if dtype.is_float():
        _refuse(errors.NOT_WHOLE_RUPIAH, df, col.is_not_null() & (col != col.floor()), name)
    elif dtype == pl.String:
        number = col.str.strip_chars().str.to_integer(strict=False)
        _refuse(errors.NOT_A_NUMBER, df, col.is_not_null() & number.is_null(), name)
        return df.with_columns(number)
    elif not (dtype == pl.Null or dtype.is_integer()):
        raise errors.BAD_COLUMN(field=name, dtype=str(dtype))
    return df.with_columns(col.cast(pl.Int64))


def _normalised(expr: pl.Expr) -> pl.Expr:
    """Text as users type it (``Sangat_Tinggi``, `` BPU``) in the form the law uses."""
    return expr.cast(pl.String).str.strip_chars().str.to_lowercase().str.replace_all(r"[_\s]+", "-")


def _text_codes(
    df: pl.DataFrame,
    name: str,
    codes: tuple[str, ...],
    where: np.ndarray | None,
    refusal: Refusal,
    *,
    null_ok: bool = True,
) -> tuple[pl.DataFrame, np.ndarray, np.ndarray | None]:
    """Each row's position in ``codes`` and which rows are not empty (None: all of them),
    refusing an unknown value (or an empty one unless ``null_ok``) in the rows ``where``
    holds (all when None).

    An empty row's position is unspecified: read it only where valid. An Enum column is small
    integers into its categories: when they are the law's codes in order (as Jaring's store
    keeps them) its integers are the positions, read without a copy; other categories are
    mapped once and gathered. Text costs one comparison per code, on the ``where`` rows only;
    only when a value is unknown are the texts normalised (case, spaces, underscores) and tried
    again.
    """

    def lookup(series: pl.Series) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """(positions, valid or None, bad rows or None when there is none)."""
        if isinstance(series.dtype, pl.Enum):
            cats = series.dtype.categories.to_list()
            lut = np.array([code(c, codes) for c in cats], dtype=np.int8)
            values, valid = numbers(series.to_physical()).whole()
            bad: np.ndarray | None = None
            if np.array_equal(lut, np.arange(len(lut))):
                idx = values
            else:
                idx = np.take(lut, values, mode="clip")  # a null slot may hold anything
                if (lut < 0).any():
                    bad = idx < 0 if valid is None else (idx < 0) & valid
            if valid is not None and not null_ok:
                bad = ~valid if bad is None else bad | ~valid
            if bad is not None and where is not None:
                bad &= where
            return idx, valid, bad
        if series.dtype != pl.String:
            series = series.cast(pl.String)
        rows = None if where is None else np.flatnonzero(where)
        if rows is not None:
            series = series.gather(rows)
        col = pl.col(series.name)
        position: Any = pl.when(col == codes[0]).then(0)
        for i, text in enumerate(codes[1:], 1):
            position = position.when(col == text).then(i)
        unknown = position.otherwise(-1) < 0
        if null_ok:
            unknown = unknown & col.is_not_null()
        found = series.to_frame().select(
            position.otherwise(-1).cast(pl.Int8).alias("code"), unknown.cast(pl.UInt8).alias("bad")
        )
        idx, bad = found["code"].to_numpy(), found["bad"].to_numpy().view(np.bool_)
        if rows is not None:
            full, mask = np.full(df.height, -1, dtype=np.int8), np.zeros(df.height, dtype=bool)
            full[rows], mask[rows] = idx, bad
            idx, bad = full, mask
        return idx, None, bad

    idx, valid, bad = lookup(df[name])
    if bad is not None and bad.any():
        df = df.with_columns(_normalised(pl.col(name)).alias(name))
        idx, valid, bad = lookup(df[name])
        if bad is not None:
            _refuse_mask(refusal, df, bad, name)
    return df, idx, valid


def _check_amounts(df: pl.DataFrame, field: str, pieces: Pieces, where: np.ndarray) -> None:
    """Refuse an empty, negative or absurd amount in the rows ``where`` this field counts.

    A first look, chunk by chunk, tests for any fault at all: an empty row where the field
    counts, and in one pass both the negative and the absurd (seen as unsigned, a negative
    amount is larger than any bound). Only when it finds one is the column joined and tested
    by row masks, in order, refusing the first row: empty rows first (a null slot holds an
    unspecified number, so a hit there alone is no fault).
    """
    start = 0
    for values, valid in zip(pieces.values, pieces.valid, strict=True):
        end = start + len(values)
        if (valid is not None and (~valid & where[start:end]).any()) or (
            len(values) and values.view(np.uint64).max() > MAX_RUPIAH
        ):
            break
        start = end
    else:
        return
    values, valid = pieces.whole()
    if valid is not None:
        _refuse_mask(errors.MISSING_VALUE, df, ~valid & where, field)
    _refuse_mask(NEGATIVE[field], df, (values < 0) & where, field)
    _refuse_mask(errors.AMOUNT_TOO_LARGE, df, (values > MAX_RUPIAH) & where, field)


def _to_bool(df: pl.DataFrame, name: str) -> pl.Expr:
    """A yes/no column from text (ya/tidak, 1/0, true/false) or numbers (non-zero = yes, so a
    contribution frame's JHT amount reads back as the JHT choice)."""
    dtype = df.schema[name]
    if dtype == pl.Boolean:
        return pl.col(name)
    if dtype.is_numeric():
        return (pl.col(name) != 0).alias(name)
    text = pl.col(name).cast(pl.String).str.strip_chars().str.to_lowercase()
    _refuse(errors.BAD_FLAG, df, text.is_not_null() & ~text.is_in(_TRUE + _FALSE), name)
    return text.is_in(_TRUE).alias(name)
