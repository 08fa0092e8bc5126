"""The BPJS list of PU participants (workers an employer pays for), as a file: one row per
participant and employer, columns ``nik``, ``employer``, ``months``. ``months`` is one month
(``2026-03``), a run (``2026-01..2026-06``, both ends included) or several of either
separated by ``;``. Pure: text in, one row per participant, employer and month out."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl

from jaring.national import errors

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
COLUMNS = ("nik", "employer", "months")


def _month(text: str) -> dt.date | None:
    m = _MONTH.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
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


def read(path: str | Path) -> pl.DataFrame:
    """The participants' months in ``path`` (CSV): ``nik``, ``employer``, ``month``. Refuses
    ``file_not_found``, ``missing_column`` and ``bad_pu_file`` (naming the first bad row)."""
    from jaring.errors import FILE_NOT_FOUND, MISSING_COLUMN

    p = Path(path)
    if not p.is_file():
        raise FILE_NOT_FOUND(file=str(path), field="pu")
    raw = pl.read_csv(p, infer_schema=False)
    raw = raw.rename({c: c.strip().lower() for c in raw.columns})
    for c in COLUMNS:
        if c not in raw.columns:
            raise MISSING_COLUMN(column=c, name=p.name, field="pu")
    niks, employers, month_lists = [], [], []
    for i, (nik, employer, text) in enumerate(raw.select(COLUMNS).iter_rows(), start=1):
        nik = (nik or "").strip()
        if not (len(nik) == 16 and nik.isdigit()):
            raise errors.BAD_PU_FILE(row=i, file=p.name, reason="nik", field="pu")
        ms = months(text or "")
        if ms is None:
            raise errors.BAD_PU_FILE(row=i, file=p.name, reason="months", field="pu")
        niks.append(nik)
        employers.append((employer or "").strip())
        month_lists.append(ms)
    return (
        pl.DataFrame(
            {"nik": niks, "employer": employers, "month": month_lists},
            schema={"nik": pl.String, "employer": pl.String, "month": pl.List(pl.Date)},
        )
        .explode("month")
        .unique()
        .sort("nik", "employer", "month")
    )
