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
from functools import cache

import polars as pl

from jaring.registry.regions import district_lookup

ISSUE = pl.Struct({"field": pl.String, "code": pl.String, "value": pl.String, "detail": pl.String})

EXCEL_MANGLED = r"^[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+$"


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
    group-by and a join only to be exploded again.

    Most NIKs are typed as 16 plain digits: their shape is known without the cleaning regexes
    (:func:`shape`), and their date, sex, serial and region come from the number by integer
    arithmetic (:func:`decode`); the text decode survives only to word the detail of an
    impossible date."""
    return validate_text(frame, nik_text(frame), today=today or dt.date.today())


def validate_text(
    frame: pl.DataFrame, text: pl.DataFrame, *, today: dt.date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`validate_long` given :func:`nik_text` of ``frame`` (or its equal: ``nik``
    stripped, ``nik_numeric`` not null), for a caller that has stripped the NIK already
    (the import: no second strip). Issue values and the frame
    returned keep ``frame``'s own ``nik``."""
    has_bd = "birth_date" in frame.columns
    has_sex = "sex" in frame.columns
    c = pl.col
    facts = shape(text)
    staged = frame.with_columns(*facts.get_columns(), *_decoded(facts, today).get_columns())
    staged = staged.with_columns(
        _bad_date=c("_shaped") & (c("_birth").is_null() | (c("_birth") > pl.lit(today))),
    )
    staged = staged.with_columns(
        _serial_zero=c("_shaped") & ~c("_bad_date") & (c("_serial") == 0).fill_null(False),
    ).with_columns(_valid=c("_shaped") & ~c("_bad_date") & ~c("_serial_zero"))

    out = (
        staged.with_columns(_key=pl.when("_valid").then("_prefix"))
        .join(
            district_lookup_by_number(),
            left_on="_key",
            right_on="prefix",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            nik_clean=pl.when("_valid").then("_nik_digits"),
            nik_birth_date=pl.when("_valid").then("_birth"),
            nik_sex=pl.when("_valid").then(
                pl.when("_female").then(pl.lit("P")).otherwise(pl.lit("L"))
            ),
        )
    )
    value = pl.col("nik").cast(pl.String)
    digits = pl.col("_nik_digits")
    checks = [
        issue(~pl.col("_present"), "nik", "nik_missing", value),
        issue(pl.col("_mangled"), "nik", "nik_excel_mangled", value),
        issue(pl.col("_not_digits"), "nik", "nik_not_digits", value),
        issue(pl.col("_bad_len"), "nik", "nik_length", value, digits.str.len_chars()),
        issue(pl.col("_bad_date"), "nik", "nik_date_invalid", value, date_text(digits, today)),
        issue(pl.col("_serial_zero"), "nik", "nik_serial_zero", value),
        issue(
            pl.col("_valid") & pl.col("nik_district_code").is_null(),
            "nik",
            "nik_region_unknown",
            value,
            digits.str.slice(0, 6),
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
    own = [*facts.columns, *_DECODED, "_bad_date", "_serial_zero", "_valid", "_key", "_nik_row"]
    return out.drop(own), long


# ASCII classes throughout: a NIK is 16 digits 0-9, and ``\d`` is Unicode (it took an Arabic-
# Indic ``٣`` for a digit, and such a "NIK" was accepted and stored)
_PLAIN = r"^[0-9]{16}$"
_SHAPE = ("_present", "_mangled", "_nik_digits", "_not_digits", "_bad_len", "_shaped")


def shape(text: pl.DataFrame) -> pl.DataFrame:
    """The shape of :func:`nik_text`'s ``text``, one row per NIK: ``_present``, ``_mangled``,
    ``_nik_digits`` (the text cleaned of quotes, spaces, dots, dashes and a ``.0`` tail),
    ``_not_digits`` (anything but 0-9 left), ``_bad_len`` and ``_shaped`` (none of those
    errors: 16 ASCII digits, which an integer cast reads).

    A NIK typed as 16 plain digits (nearly every NIK of a real list) has a known shape; only
    the others go through :func:`shape_general`'s regexes, on their own rows, and are patched
    back (masking the plain rows with nulls instead saves nothing: Polars still visits every
    row)."""
    base = text.with_columns(_plain=pl.col("nik").str.contains(_PLAIN).fill_null(False))
    plain = pl.col("_plain")
    facts = base.select(
        _present=pl.col("nik").is_not_null() & (pl.col("nik").str.len_bytes() > 0),
        _mangled=plain & pl.col("nik_numeric"),
        _nik_digits=pl.when(plain).then(pl.col("nik")),
        _not_digits=pl.lit(False),
        _bad_len=pl.lit(False),
        _shaped=plain & ~pl.col("nik_numeric"),
    )
    rest = base.with_row_index("_i").filter(~plain)
    return patch(facts, rest.get_column("_i"), shape_general(rest))


def nik_text(frame: pl.DataFrame) -> pl.DataFrame:
    """``nik`` as text, stripped, and ``nik_numeric`` (false where not given): what
    :func:`shape` and :func:`shape_general` read."""
    numeric = (
        pl.col("nik_numeric").fill_null(False) if "nik_numeric" in frame.columns else pl.lit(False)
    )
    return frame.select(nik=pl.col("nik").cast(pl.String).str.strip_chars(), nik_numeric=numeric)


def patch(frame: pl.DataFrame, index: pl.Series, rows: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the rows at ``index`` replaced by ``rows`` (the same columns): how a
    general path's answers for its few rows go back into a fast path's columns, in place,
    without a sort or a join over every row."""
    if index.len() == 0:
        return frame
    columns = []
    for name in frame.columns:
        column = frame.get_column(name).clone()  # copy-on-write: ``frame`` is not changed
        column.scatter(index, rows.get_column(name))
        columns.append(column)
    return pl.DataFrame(columns)


def shape_general(frame: pl.DataFrame) -> pl.DataFrame:
    """:func:`shape` by the rules as written, for any text (``nik``, String, stripped;
    ``nik_numeric``, Boolean, not null): the path of every NIK that is not 16 plain digits."""
    c = pl.col
    staged = frame.select(
        _present=c("nik").is_not_null() & (c("nik").str.len_chars() > 0),
        _mangled=(c("nik").str.contains(EXCEL_MANGLED) | c("nik_numeric")).fill_null(False),
        _nik_digits=c("nik")
        .str.strip_chars_start("'`")
        .str.replace(r"\.0+$", "")
        .str.replace_all(r"[\s.\-]", ""),
    ).with_columns(_mangled=c("_mangled") & c("_present"))
    staged = staged.with_columns(
        _not_digits=c("_present") & ~c("_mangled") & ~c("_nik_digits").str.contains(r"^[0-9]+$"),
    ).with_columns(
        _bad_len=c("_present")
        & ~c("_mangled")
        & ~c("_not_digits")
        & (c("_nik_digits").str.len_chars() != 16),
    )
    return staged.with_columns(
        _shaped=c("_present") & ~c("_mangled") & ~c("_not_digits") & ~c("_bad_len"),
    ).select(_SHAPE)


_DECODED = ("_birth", "_female", "_serial", "_prefix")


def _decoded(facts: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """:func:`decode` of every shaped NIK (16 ASCII digits; null columns elsewhere)."""
    number = pl.when(pl.col("_shaped")).then(pl.col("_nik_digits").cast(pl.Int64))
    return decode(facts.select(number.alias("_n")), today)


def decode(numbers: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """16-digit NIKs as numbers (``_n``, Int64) -> ``_birth`` (Date, null when impossible),
    ``_female``, ``_serial`` and ``_prefix`` (the six region digits), by integer arithmetic:
    several times cheaper than the string slices, ``pl.format`` and ``to_date`` of
    :func:`decode_text`. A two-digit year is 20xx when that date is not after ``today`` (the
    list's date), else 19xx: ``141224`` read on 5 December 2024 is 14 December 1924, not a
    date in the future (:func:`century`).

    The date is counted in days from the civil calendar (H. Hinnant's algorithm, years from
    1 March): ``pl.date`` raises on an impossible day rather than giving null. Staged, each
    step naming its columns: as one nested expression Polars expands the shared parts again
    and again."""
    c = pl.col
    month = c("_month")
    leap = ((c("_year") % 4 == 0) & (c("_year") % 100 != 0)) | (c("_year") % 400 == 0)
    days_in_month = (
        pl.when(month == 2)
        .then(28 + leap.cast(pl.Int32))
        .when(month.is_in([4, 6, 9, 11]))
        .then(30)
        .otherwise(31)
    )
    days = (
        c("_era") * 146097
        + c("_yoe") * 365
        + c("_yoe") // 4
        - c("_yoe") // 100
        + (153 * ((month + 9) % 12) + 2) // 5  # days from 1 March to the month's first
        + c("_day")
        - 1
        - 719468  # 0000-03-01 .. 1970-01-01
    )
    return (
        numbers.lazy()
        .select(
            _date=((c("_n") // 10**4) % 10**6).cast(pl.Int32),  # DDMMYY: Int32 is faster
            _serial=c("_n") % 10**4,
            _prefix=c("_n") // 10**10,
        )
        .with_columns(
            _dd=c("_date") // 10**4, _month=(c("_date") // 100) % 100, _yy=c("_date") % 100
        )
        .with_columns(
            _day=pl.when(c("_dd") > 40).then(c("_dd") - 40).otherwise(c("_dd")),
            _female=c("_dd") > 40,
        )
        .with_columns(_year=c("_yy") + century(c("_yy"), month, c("_day"), today))
        .with_columns(
            _real=month.is_between(1, 12) & (c("_day") >= 1) & (c("_day") <= days_in_month),
            _y=c("_year") - (month <= 2).cast(pl.Int32),  # the year that began on 1 March
        )
        .with_columns(_era=c("_y") // 400, _yoe=c("_y") % 400)
        .with_columns(_birth=pl.when("_real").then(days.cast(pl.Date)))
        .select(_DECODED)
        .collect(engine="in-memory")
    )


def decode_text(digits: pl.Expr, today: dt.date) -> list[pl.Expr]:
    """:func:`decode` by the string slices of the rules as written (the general path, kept for
    the tests that hold the two equal)."""
    dd = digits.str.slice(6, 2).cast(pl.Int32, strict=False)
    return [
        date_text(digits, today).str.to_date("%Y-%m-%d", strict=False).alias("_birth"),
        (dd > 40).alias("_female"),
        digits.str.slice(12, 4).cast(pl.Int64, strict=False).alias("_serial"),
        digits.str.slice(0, 6).cast(pl.Int64, strict=False).alias("_prefix"),
    ]


def century(yy: pl.Expr, month: pl.Expr, day: pl.Expr, today: dt.date) -> pl.Expr:
    """2000 when the date ``20yy-month-day`` is not after ``today``, else 1900: a birth date
    is never in the future, so a NIK's two-digit year takes the latest century that keeps it
    on or before the list's date (DUKCAPIL writes only two digits of the year)."""
    this_year = today.year % 100
    on_or_before = (yy < this_year) | (
        (yy == this_year) & (month * 100 + day <= today.month * 100 + today.day)
    )
    return pl.when(on_or_before).then(2000).otherwise(1900)


def date_text(digits: pl.Expr, today: dt.date) -> pl.Expr:
    """The birth date a NIK's digits say, as text ``YYYY-MM-DD`` (whatever the digits, so
    ``1980-13-45``): the detail of ``nik_date_invalid``."""
    dd = digits.str.slice(6, 2).cast(pl.Int32, strict=False)
    mm = digits.str.slice(8, 2).cast(pl.Int32, strict=False)
    yy = digits.str.slice(10, 2).cast(pl.Int32, strict=False)
    day = pl.when(dd > 40).then(dd - 40).otherwise(dd)
    return pl.format(
        "{}-{}-{}",
        yy + century(yy, mm, day, today),
        digits.str.slice(8, 2),
        pl.when(dd > 40).then(dd - 40).otherwise(dd).cast(pl.String).str.zfill(2),
    )


@cache
def district_lookup_by_number() -> pl.DataFrame:
    """:func:`district_lookup` keyed by the prefix as a number (``prefix``, Int64): a NIK's
    region joins on ``n // 10**10``, an integer, instead of a six-character slice."""
    return (
        district_lookup()
        .filter(pl.col("prefix").str.contains(r"^[0-9]{6}$"))
        .select(pl.col("prefix").cast(pl.Int64), nik_district_code=pl.col("district_code"))
    )
