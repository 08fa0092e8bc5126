"""The BPJS list of PU participants (workers an employer pays for), as a file: one row per
participant and employer, columns ``nik``, ``employer``, ``months``. ``months`` is one month
(``2026-03``), a run (``2026-01..2026-06``, both ends included) or several of either
separated by ``;``. Pure: text in, one row per participant, employer and month out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import polars as pl

from jaring.national import errors

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
COLUMNS = ("nik", "employer", "months")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100  # months outside are typing errors (BPJS began 1977)


def _month(text: str) -> dt.date | None:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    if not _FIRST_YEAR <= int(m.group(1)) <= _LAST_YEAR:
        return None
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def months(text: str) -> list[dt.date] | None:
    """The months ``text`` names (see the module), in order, or ``None`` when it is not
    understood (an empty text, a bad month, a run that ends before it starts)."""
    out: list[dt.date] = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        if ".." in part:
            a_txt, _, b_txt = part.partition("..")
            a, b = _month(a_txt), _month(b_txt)
            if a is None or b is None or b < a:
                return None
            y, m = a.year, a.month
            while (y, m) <= (b.year, b.month):
                out.append(dt.date(y, m, 1))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        else:
            one = _month(part)
            if one is None:
                return None
            out.append(one)
    return sorted(set(out)) or None


@dataclasses.dataclass(frozen=True)
class Participants:
    """A PU list as read: ``months`` (``nik``, ``employer``, ``month``: one row per
    participant, employer and month, sorted, no repeats) from the rows understood, and
    ``rejected`` (``row``: the line in the file or sheet, as the registry counts them: 2
    for the first under the header; ``column``:
    ``nik`` or ``months``) for the others, which are left out and never block the rest."""

    months: pl.DataFrame
    rejected: pl.DataFrame


_YM = r"^(\d{4})-(\d{2})$"


def read_rows(path: str | Path) -> Participants:
    """The participants' months in ``path`` (CSV or XLSX): ``nik``, ``employer``, ``months``
    (see the module), every row checked at once as columns. Refuses ``file_not_found``,
    ``bad_file`` and ``missing_column``; a row whose NIK is not 16 digits or whose months are
    not understood is in ``rejected``."""
    from jaring.errors import FILE_NOT_FOUND, MISSING_COLUMN

    p = Path(path)
    if not p.is_file():
        raise FILE_NOT_FOUND(file=str(path), field="pu")
    from jaring.registry import files

    raw = files.text_cells(p, "pu")
    for c in COLUMNS:
        if c not in raw.columns:
            raise MISSING_COLUMN(column=c, name=p.name, field="pu")
    rows = raw.select(
        pl.int_range(2, pl.len() + 2, dtype=pl.Int64).alias("row"),
        pl.col("nik").cast(pl.String).str.strip_chars().fill_null(""),
        pl.col("employer").cast(pl.String).str.strip_chars().fill_null(""),
        pl.col("months").cast(pl.String).fill_null(""),
    )
    parts = (
        rows.select("row", pl.col("months").str.split(";").alias("part"))
        .explode("part")
        .with_columns(pl.col("part").str.strip_chars())
        .filter(pl.col("part") != "")
        .with_columns(
            ends=pl.col("part").str.splitn("..", 2),
            run=pl.col("part").str.contains(".", literal=True),
        )
        .with_columns(
            a=pl.col("ends").struct.field("field_0").str.strip_chars(),
            b=pl.when(pl.col("run"))
            .then(pl.col("ends").struct.field("field_1").str.strip_chars())
            .otherwise(pl.col("ends").struct.field("field_0").str.strip_chars()),
        )
    )

    def ym(col: str, part: int) -> pl.Expr:
        return pl.col(col).str.extract(_YM, part).cast(pl.Int32)

    parts = parts.with_columns(ay=ym("a", 1), am=ym("a", 2), by=ym("b", 1), bm=ym("b", 2))
    good_part = (
        pl.all_horizontal(pl.col("ay", "am", "by", "bm").is_not_null())
        & pl.col("am").is_between(1, 12)
        & pl.col("bm").is_between(1, 12)
        & pl.col("ay").is_between(_FIRST_YEAR, _LAST_YEAR)
        & pl.col("by").is_between(_FIRST_YEAR, _LAST_YEAR)
        & (pl.col("ay") * 12 + pl.col("am") <= pl.col("by") * 12 + pl.col("bm"))
    ).fill_null(False)
    parts = parts.with_columns(good=good_part)
    months_ok = (
        parts.group_by("row").agg(pl.col("good").all().alias("ok")).filter("ok").select("row")
    )
    nik_ok = pl.col("nik").str.contains(r"^\d{16}$")
    checked = rows.with_columns(
        bad_nik=~nik_ok,
        bad_months=~pl.col("row").is_in(months_ok.get_column("row").implode()),
    )
    rejected = checked.filter(pl.col("bad_nik") | pl.col("bad_months")).select(
        "row",
        pl.when(pl.col("bad_nik")).then(pl.lit("nik")).otherwise(pl.lit("months")).alias("column"),
    )
    accepted = checked.filter(~pl.col("bad_nik") & ~pl.col("bad_months")).select(
        "row", "nik", "employer"
    )
    months = (
        accepted.join(parts.select("row", "ay", "am", "by", "bm"), on="row")
        .select(
            "nik",
            "employer",
            pl.date_ranges(pl.date("ay", "am", 1), pl.date("by", "bm", 1), "1mo").alias("month"),
        )
        .explode("month")
        .unique()
        .sort("nik", "employer", "month")
    )
    return Participants(
        months=months.select(
            pl.col("nik").cast(pl.String),
            pl.col("employer").cast(pl.String),
            pl.col("month").cast(pl.Date),
        ),
        rejected=rejected.sort("row"),
    )


def read(path: str | Path) -> pl.DataFrame:
    """The participants' months in ``path`` (:func:`read_rows`), all rows or none: refuses
    ``bad_pu_file`` naming the first row not understood."""
    got = read_rows(path)
    if got.rejected.height:
        first = got.rejected.row(0, named=True)
        raise errors.BAD_PU_FILE(
            row=first["row"], file=Path(path).name, column=first["column"], field="pu"
        )
    return got.months
