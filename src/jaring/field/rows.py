"""Field records as a list's rows (pure: records in, validated rows out): the rows a
registrar's records make, checked by the registry's own intake
(:func:`jaring.registry.intake.validate_long`), so that a field record gets exactly the
codes a list's row gets; the subset of them that enters the registry.

The distrik and kelurahan of a record are the codes chosen from the region's lists: they
replace what the intake resolves from names (a list's names are looked up in the NIK's
regency first, which would place a migrant with a Jayapura NIK in Jayapura).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

import polars as pl

from jaring.field import rules
from jaring.field.rules import Record
from jaring.registry import chunks, intake
from jaring.registry import columns as cols
from jaring.registry.actions import imports

#: What :func:`validated` gives: rows, issues (long), the list's parts, the file.
Checked = tuple[pl.DataFrame, pl.DataFrame, list[imports.Part], intake.ReadFile]


def _staged_frame(records: list[Record], registrar: str) -> pl.DataFrame:
    frame = rules.frame_of(records).with_columns(pl.lit(registrar).alias("Petugas"))
    return frame


def read_file(records: list[Record], registrar: str, name: str) -> intake.ReadFile:
    """The records as a list read from a file would be (one sheet, the cells as typed)."""
    frame = _staged_frame(records, registrar)
    headers = list(rules.HEADERS)
    cells = frame.select(
        [pl.col(h).cast(pl.String).alias(chunks.cell(i)) for i, h in enumerate(headers)]
    ).with_columns(row_number=pl.int_range(2, frame.height + 2, dtype=pl.Int32))
    body = json.dumps(
        [r.payload() for r in records], ensure_ascii=False, sort_keys=True, default=str
    ).encode()
    sheet = intake.Sheet(
        sheet=None,
        headers=headers,
        mapping=cols.map_headers(headers, where=name),
        frame=cells,
    )
    return intake.ReadFile(
        name=name, sha256=hashlib.sha256(body).hexdigest(), size=len(body), sheets=[sheet]
    )


def validated(records: list[Record], registrar: str, on: dt.date, region: str | None) -> Checked:
    """The records checked as a list's rows: the rows (``_part``, ``row_number``, the cells,
    the validated values; the places the codes chosen), their issues (long, ``_row`` = the
    record's position), the list's part and the file they make."""
    f = read_file(records, registrar, "lapangan.json")
    parts, staged = imports.stage([f])
    checked, long = intake.validate_long(staged, listed_on=on, region=region, today=on)
    cells = [c for c in staged.columns if chunks.is_cell(c)]
    rows = pl.concat(
        [staged.select("_part", "row_number", *cells), checked.drop("row_number")],
        how="horizontal",
    )
    # the places are the codes chosen from the region's lists, not names to resolve
    rows = rows.with_columns(
        district_code=pl.Series([r.district_code or None for r in records], dtype=pl.String),
        village_code=pl.Series([r.village_code or None for r in records], dtype=pl.String),
    )
    long = long.filter(~pl.col("code").is_in(["district_unknown", "village_unknown"]))
    return rows, long, parts, f


def issues_of(
    records: list[Record], regions: tuple[str, ...], long: pl.DataFrame
) -> list[list[dict[str, Any]]]:
    """Each record's issues: a list row's (``long``, from :func:`validated`), then the field
    form's own."""
    out: list[list[dict[str, Any]]] = [[] for _ in records]
    for row in long.iter_rows(named=True):
        out[row["_row"]].append(
            {k: row[k] for k in ("field", "code", "severity", "value", "detail")}
        )
    for k, r in enumerate(records):
        own = rules.field_issues(r, regions)
        if any(i["code"] == "nik_required" for i in own):  # said once, by the field form
            out[k] = [i for i in out[k] if i["code"] not in ("nik_missing", "identity_missing")]
        out[k].extend(own)
    return out


def subset(
    checked: Checked,
    js: list[int],
    records: list[Record],
) -> tuple[pl.DataFrame, pl.DataFrame, imports.FileInfo]:
    """The rows ``js`` of a sync's validated rows (those of one day that enter the
    registry), numbered again from 2 as a list's rows are, their issues with them, and the
    file they come in (its digest over those records)."""
    rows, long, _, f = checked
    moved = pl.DataFrame(
        {"_row": js, "_new": list(range(len(js)))},
        schema={"_row": pl.UInt32, "_new": pl.UInt32},
    )
    picked = rows[js].with_columns(row_number=pl.int_range(2, len(js) + 2, dtype=pl.Int32))
    issues = (
        long.join(moved, on="_row", how="inner")
        .drop("_row")
        .rename({"_new": "_row"})
        .sort("_row", maintain_order=True)
        .select("_row", *chunks.ISSUE_COLUMNS)
    )
    body = json.dumps(
        [r.payload() for r in records], ensure_ascii=False, sort_keys=True, default=str
    ).encode()
    info = dataclasses.replace(
        imports.FileInfo.of(f), sha256=hashlib.sha256(body).hexdigest(), size=len(body)
    )
    return picked, issues, info
