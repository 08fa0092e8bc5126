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


def issue(cond: pl.Expr, field: str, code: str, value: pl.Expr, detail: pl.Expr | None = None):
    """A struct issue when ``cond`` holds, else null (one list element per check)."""
    return (
        pl.when(cond)
        .then(
            pl.struct(
                field=pl.lit(field),
                code=pl.lit(code),
                value=value.cast(pl.String),
                detail=(detail if detail is not None else pl.lit(None)).cast(pl.String),
            )
        )
        .otherwise(None)
    )


def validate(frame: pl.DataFrame, *, today: dt.date | None = None) -> pl.DataFrame:
    """Validate the ``nik`` column (text as typed) of ``frame``.

    Optional ``birth_date`` (Date) and ``sex`` ('L'/'P') columns are cross-checked; an optional
    ``nik_numeric`` (Boolean) marks NIKs that came from spreadsheet number cells. Returns the
    frame with: ``nik_clean`` (16 digits, null unless valid), ``nik_birth_date``, ``nik_sex``,
    ``nik_district_code`` (current dotted code, null if unknown), ``nik_error`` (the error code
    or null) and ``nik_issues`` (a list of ``{field, code, value, detail}``).
    """
    today = today or dt.date.today()
    has_bd = "birth_date" in frame.columns
    has_sex = "sex" in frame.columns
    raw = pl.col("nik").cast(pl.String).str.strip_chars()
    present = raw.is_not_null() & (raw.str.len_chars() > 0)
    mangled = raw.str.contains(EXCEL_MANGLED)
    if "nik_numeric" in frame.columns:  # an XLSX number cell holds 15 significant digits
        mangled = mangled | pl.col("nik_numeric").fill_null(False)
    digits = (
        raw.str.strip_chars_start("'`").str.replace(r"\.0+$", "").str.replace_all(r"[\s.\-]", "")
    )
    not_digits = present & ~mangled & ~digits.str.contains(r"^\d+$")
    bad_len = present & ~mangled & ~not_digits & (digits.str.len_chars() != 16)
    shaped = present & ~mangled & ~not_digits & ~bad_len
    dd = digits.str.slice(6, 2).cast(pl.Int32, strict=False)
    female = dd > 40
    day = pl.when(female).then(dd - 40).otherwise(dd)
    month = digits.str.slice(8, 2).cast(pl.Int32, strict=False)
    yy = digits.str.slice(10, 2).cast(pl.Int32, strict=False)
    year = pl.when(yy <= today.year % 100).then(2000 + yy).otherwise(1900 + yy)
    date_text = pl.format(
        "{}-{}-{}",
        year,
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    )
    birth = date_text.str.to_date("%Y-%m-%d", strict=False)
    bad_date = shaped & (birth.is_null() | (birth > pl.lit(today)))
    serial_zero = shaped & ~bad_date & (digits.str.slice(12, 4) == "0000")
    valid = shaped & ~bad_date & ~serial_zero

    lookup = district_lookup().rename({"district_code": "nik_district_code"})
    out = (
        frame.with_columns(
            _nik_digits=digits,
            _present=present,
            _mangled=mangled & present,
            _not_digits=not_digits,
            _bad_len=bad_len,
            _bad_date=bad_date,
            _serial_zero=serial_zero,
            _valid=valid,
            _birth=birth,
            _female=female,
            _date_text=date_text,
        )
        .with_columns(_prefix=pl.col("_nik_digits").str.slice(0, 6))
        .join(lookup, left_on="_prefix", right_on="prefix", how="left", maintain_order="left")
        .with_columns(
            nik_clean=pl.when("_valid").then("_nik_digits"),
            nik_birth_date=pl.when("_valid").then("_birth"),
            nik_sex=pl.when("_valid").then(
                pl.when("_female").then(pl.lit("P")).otherwise(pl.lit("L"))
            ),
            nik_district_code=pl.when("_valid").then("nik_district_code"),
        )
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
    out = out.with_columns(
        nik_error=error,
        nik_issues=pl.concat_list(checks).list.drop_nulls(),
    )
    own = [
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
    return out.drop(own)
