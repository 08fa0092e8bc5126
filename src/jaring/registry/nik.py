"""NIK parsing and validation, vectorised (RULES.md section 6).

A NIK is 16 digits: province (2) + regency/city (2) + district (2) + birth day (2, +40 for
women) + birth month (2) + birth year (2) + serial (4, never 0000). It keeps the code it was
issued with, so a Kota Sorong NIK may start ``9271`` (before the 2022 Papua split) or ``9671``;
both decode to the current district code.

Errors (the row waits for correction): Excel scientific notation, non-digits, wrong length,
an impossible date, serial 0000. Warnings (accepted, flagged): missing NIK, an unknown region
prefix, a birth date or sex that disagrees with the columns given.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from jaring.registry.regions import district_lookup

ISSUE = pl.Struct({"field": pl.String, "code": pl.String, "value": pl.String, "detail": pl.String})

EXCEL_MANGLED = r"^\d+(?:[.,]\d+)?[eE]\+?\d+$"


Check = tuple[pl.Expr, str, str, pl.Expr, "pl.Expr | None"]


def issue(
    cond: pl.Expr, field: str, code: str, value: pl.Expr, detail: pl.Expr | None = None
) -> Check:
    """One check: where ``cond`` holds, the row gets issue ``code`` on ``field`` with the
    value as typed (and, for cross-checks, the other value as ``detail``)."""
    return (cond, field, code, value, detail)


def gather_issues(frame: pl.DataFrame, checks: list[Check], key: str) -> pl.DataFrame:
    """All issues in long form (``key``, ``field``, ``code``, ``value``, ``detail``), in
    check order. Filtering per check is fast; a list column built with when/then per check
    was 100x slower in Polars 2.1."""
    lf = frame.lazy()  # one plan: each check reads only the columns it names, in parallel
    parts = [
        lf.filter(cond.fill_null(False)).select(
            pl.col(key),
            pl.lit(k, dtype=pl.Int16).alias("_k"),
            pl.lit(field).alias("field"),
            pl.lit(code).alias("code"),
            value.cast(pl.String).alias("value"),
            (detail if detail is not None else pl.lit(None)).cast(pl.String).alias("detail"),
        )
        for k, (cond, field, code, value, detail) in enumerate(checks)
    ]
    return pl.concat(parts).sort(key, "_k").drop("_k").collect()


def attach_issues(frame: pl.DataFrame, long: pl.DataFrame, key: str, name: str) -> pl.DataFrame:
    """``frame`` with a list column ``name`` of issue structs per row (empty when none)."""
    fields = [c for c in long.columns if c != key]
    agg = long.group_by(key, maintain_order=True).agg(pl.struct(fields).alias(name))
    out = frame.join(agg, on=key, how="left", maintain_order="left")
    dtype = out.schema[name]
    return out.with_columns(pl.col(name).fill_null(pl.lit([], dtype=dtype)))


def validate(frame: pl.DataFrame, *, today: dt.date | None = None) -> pl.DataFrame:
    """Validate the ``nik`` column (text as typed) of ``frame``.

    Optional ``birth_date`` (Date) and ``sex`` ('L'/'P') columns are cross-checked; an optional
    ``nik_numeric`` (Boolean) marks NIKs that came from spreadsheet number cells. Returns the
    frame with: ``nik_clean`` (16 digits, null unless valid), ``nik_birth_date``, ``nik_sex``,
    ``nik_district_code`` (current dotted code, null if unknown), ``nik_error`` (the error code
    or null) and ``nik_issues`` (a list of ``{field, code, value, detail}``).
    """
    out, long = validate_long(frame, today=today)
    out = out.with_columns(_nik_row=pl.int_range(pl.len()))
    return attach_issues(out, long, "_nik_row", "nik_issues").drop("_nik_row")


def validate_long(
    frame: pl.DataFrame, *, today: dt.date | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`validate` with the issues in long form: the frame (without ``nik_issues``) and
    one line per issue (``_nik_row``: the row's position, ``field``, ``code``, ``value``,
    ``detail``), in row order. The import stores issues long; a list per row would cost a
    group-by and a join only to be exploded again."""
    today = today or dt.date.today()
    has_bd = "birth_date" in frame.columns
    has_sex = "sex" in frame.columns
    # Staged: each step names its result and the next refers to the column, so Polars never
    # expands the same sub-expression many times over (it made this 100x slower).
    raw = pl.col("nik").cast(pl.String).str.strip_chars()
    mangled = raw.str.contains(EXCEL_MANGLED)
    if "nik_numeric" in frame.columns:  # an XLSX number cell holds 15 significant digits
        mangled = mangled | pl.col("nik_numeric").fill_null(False)
    c = pl.col
    staged = frame.with_columns(
        _present=raw.is_not_null() & (raw.str.len_chars() > 0),
        _mangled=mangled.fill_null(False),
        _nik_digits=raw.str.strip_chars_start("'`")
        .str.replace(r"\.0+$", "")
        .str.replace_all(r"[\s.\-]", ""),
    ).with_columns(
        _mangled=c("_mangled") & c("_present"),
        _not_digits=c("_present") & ~c("_mangled") & ~c("_nik_digits").str.contains(r"^\d+$"),
        _dd=c("_nik_digits").str.slice(6, 2).cast(pl.Int32, strict=False),
        _mm=c("_nik_digits").str.slice(8, 2),
        _yy=c("_nik_digits").str.slice(10, 2).cast(pl.Int32, strict=False),
        _prefix=c("_nik_digits").str.slice(0, 6),
    )
    staged = staged.with_columns(
        _bad_len=c("_present")
        & ~c("_mangled")
        & ~c("_not_digits")
        & (c("_nik_digits").str.len_chars() != 16),
        _female=c("_dd") > 40,
        _date_text=pl.format(
            "{}-{}-{}",
            pl.when(c("_yy") <= today.year % 100).then(2000 + c("_yy")).otherwise(1900 + c("_yy")),
            c("_mm"),
            pl.when(c("_dd") > 40)
            .then(c("_dd") - 40)
            .otherwise(c("_dd"))
            .cast(pl.String)
            .str.zfill(2),
        ),
    )
    staged = staged.with_columns(
        _shaped=c("_present") & ~c("_mangled") & ~c("_not_digits") & ~c("_bad_len"),
        _birth=c("_date_text").str.to_date("%Y-%m-%d", strict=False),
    )
    staged = staged.with_columns(
        _bad_date=c("_shaped") & (c("_birth").is_null() | (c("_birth") > pl.lit(today))),
    )
    staged = staged.with_columns(
        _serial_zero=c("_shaped") & ~c("_bad_date") & (c("_nik_digits").str.slice(12, 4) == "0000"),
    ).with_columns(_valid=c("_shaped") & ~c("_bad_date") & ~c("_serial_zero"))

    lookup = district_lookup().rename({"district_code": "nik_district_code"})
    out = staged.join(
        lookup, left_on="_prefix", right_on="prefix", how="left", maintain_order="left"
    ).with_columns(
        nik_clean=pl.when("_valid").then("_nik_digits"),
        nik_birth_date=pl.when("_valid").then("_birth"),
        nik_sex=pl.when("_valid").then(pl.when("_female").then(pl.lit("P")).otherwise(pl.lit("L"))),
        nik_district_code=pl.when("_valid").then("nik_district_code"),
    )
    value = pl.col("nik").cast(pl.String)
    checks = [
        issue(~pl.col("_present"), "nik", "nik_missing", value),
        issue(pl.col("_mangled"), "nik", "nik_excel_mangled", value),
        issue(pl.col("_not_digits"), "nik", "nik_not_digits", value),
        issue(
            pl.col("_bad_len"),
            "nik",
            "nik_length",
            value,
            pl.col("_nik_digits").str.len_chars(),
        ),
        issue(pl.col("_bad_date"), "nik", "nik_date_invalid", value, pl.col("_date_text")),
        issue(pl.col("_serial_zero"), "nik", "nik_serial_zero", value),
        issue(
            pl.col("_valid") & pl.col("nik_district_code").is_null(),
            "nik",
            "nik_region_unknown",
            value,
            pl.col("_prefix"),
        ),
    ]
    if has_bd:
        checks.append(
            issue(
                pl.col("_valid")
                & pl.col("birth_date").is_not_null()
                & (pl.col("birth_date") != pl.col("nik_birth_date")),
                "birth_date",
                "nik_birth_date_mismatch",
                pl.col("birth_date"),
                pl.col("nik_birth_date"),
            )
        )
    if has_sex:
        checks.append(
            issue(
                pl.col("_valid")
                & pl.col("sex").is_not_null()
                & (pl.col("sex") != pl.col("nik_sex")),
                "sex",
                "nik_sex_mismatch",
                pl.col("sex"),
                pl.col("nik_sex"),
            )
        )
    error = (
        pl.when(pl.col("_mangled"))
        .then(pl.lit("nik_excel_mangled"))
        .when(pl.col("_not_digits"))
        .then(pl.lit("nik_not_digits"))
        .when(pl.col("_bad_len"))
        .then(pl.lit("nik_length"))
        .when(pl.col("_bad_date"))
        .then(pl.lit("nik_date_invalid"))
        .when(pl.col("_serial_zero"))
        .then(pl.lit("nik_serial_zero"))
    )
    out = out.with_columns(nik_error=error, _nik_row=pl.int_range(pl.len()))
    long = gather_issues(out, checks, "_nik_row")
    own = [
        "_nik_row",
        "_dd",
        "_mm",
        "_yy",
        "_shaped",
        "_nik_digits",
        "_present",
        "_mangled",
        "_not_digits",
        "_bad_len",
        "_bad_date",
        "_serial_zero",
        "_valid",
        "_birth",
        "_female",
        "_date_text",
        "_prefix",
    ]
    return out.drop(own), long
