"""Files of people leaving the system: the people of the actor's regions with phones and
addresses in clear, so only roles that see personal data in clear may take them
(``registry_needs_clear_data``), and every such file is audited (``registry.export``) in the
transaction that reads it. NIKs leave in clear only with the export right (``nik.export``);
without it they are masked and the birth date is given as its year, so that the masked
digits (the distrik and the birth date) cannot be rebuilt from the rest of the file."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors, files
from jaring.registry.queries import browse
from jaring.registry.queries.browse import Filters
from jaring.registry.queries.exports import people_frame
from jaring.registry.queries.people import LIST_COLUMNS
from jaring.registry.regions import name_of
from jaring.store.bulk import read_frame
from jaring.store.dialect import date_columns


@dataclasses.dataclass
class Exported:
    """A file of people written: where, in which format, how many people."""

    path: str
    format: str
    rows: int


@dataclasses.dataclass
class PeopleFile:
    """A file of people as bytes (to send): its format, how many people, the content."""

    format: str
    rows: int
    content: bytes


def _export(engine: Engine, actor: Actor, fmt: str, out: Path | io.BytesIO) -> int:
    actor.require("person.read")
    if fmt not in files.FORMATS:
        raise errors.FORMAT_UNKNOWN(format=fmt, field="format")
    clear_nik = actor.can("nik.export")
    with engine.begin() as conn:
        frame = people_frame(conn, actor)
        if not clear_nik:
            frame = _without_clear_nik(frame)
        files.write_frame(frame, fmt, out, sheet="Orang")
        after = {"format": fmt, "rows": frame.height, "nik_clear": clear_nik}
        audit.record(conn, actor, "registry.export", "person", None, after=after)
    return frame.height


def _without_clear_nik(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (:data:`PEOPLE_SCHEMA`) for a role without ``nik.export``: NIKs masked (the
    person's and ``other_niks``), the birth date given as ``birth_year`` instead."""
    others = pl.col("other_niks").str.split(", ").list.eval(_masked(pl.element())).list.join(", ")
    return frame.with_columns(
        _masked(pl.col("nik")),
        others.alias("other_niks"),
        pl.col("birth_date").dt.year().cast(pl.Int32).alias("birth_date"),
    ).rename({"birth_date": "birth_year"})


def export_people(engine: Engine, actor: Actor, fmt: str, out: Path) -> Exported:
    """The people of the actor's regions, by id, with the number of source rows behind each,
    written to ``out`` in ``fmt`` (``csv``, ``xlsx`` or ``parquet``); NIKs masked and the
    birth date as its year without ``nik.export``; audited as ``registry.export`` (with
    ``nik_clear``). Refuses ``registry_needs_clear_data`` and ``format_unknown``."""
    rows = _export(engine, actor, fmt, out)
    return Exported(path=str(out), format=fmt, rows=rows)


def people_file(engine: Engine, actor: Actor, fmt: str) -> PeopleFile:
    """:func:`export_people`, the file handed back as bytes."""
    buf = io.BytesIO()
    rows = _export(engine, actor, fmt, buf)
    return PeopleFile(format=fmt, rows=rows, content=buf.getvalue())


#: The columns of a file of selected people (:func:`selected_people_file`).
SELECTED_COLUMNS = (
    "id", "nik", "name", "birth_date", "birth_year", "sex", "district_code", "district_name",
    "village_code", "village_name", "phone", "occupation", "desil", "registered_on",
)  # fmt: skip


def selected_people_file(
    engine: Engine,
    actor: Actor,
    fmt: str,
    filters: Filters,
    ids: Sequence[int] | None = None,
) -> PeopleFile:
    """The people ``filters`` keep in the actor's regions (only those of ``ids`` when
    given: the ones ticked on the list) as a file in ``fmt``.

    The file shows what the list shows the actor, no more: for roles that see personal data
    masked, phone masked; a NIK in clear needs the export right (``nik.export``), and without
    it the NIK is masked and the birth date given as its year (``birth_year``) so that the
    masked digits cannot be rebuilt from the file.
    Audited as ``registry.export`` (format, filters, how many, whether NIKs were clear) in
    the transaction that reads the people. Refuses ``format_unknown``, ``filter_invalid``,
    ``nothing_selected`` (an empty list of ``ids``)."""
    actor.require("person.read")
    if fmt not in files.FORMATS:
        raise errors.FORMAT_UNKNOWN(format=fmt, field="format")
    if ids is not None and not ids:
        raise errors.NOTHING_SELECTED(field="ids")
    clear_nik = not actor.masked and actor.can("nik.export")
    with engine.begin() as conn:
        stmt = browse.selection(conn, actor, filters, ids)
        types = {k: (pl.Int64 if k in ("id", "desil") else pl.String) for k in _KEYS}
        types.pop("birth_date")
        types.pop("registered_on")
        raw = date_columns(read_frame(conn, stmt, schema_overrides=types), *_DATES)
        frame = _people_frame(raw, actor, clear_nik)
        buf = io.BytesIO()
        files.write_frame(frame, fmt, buf, sheet="Orang")
        after = {
            "format": fmt,
            "rows": frame.height,
            "filters": filters.active(),
            "selected": None if ids is None else len(ids),
            "nik_clear": clear_nik,
        }
        audit.record(conn, actor, "registry.export", "person", None, after=after)
    return PeopleFile(format=fmt, rows=frame.height, content=buf.getvalue())


_KEYS = tuple(c.key for c in LIST_COLUMNS)
_DATES = ("birth_date", "registered_on")


def _people_frame(frame: pl.DataFrame, actor: Actor, clear_nik: bool) -> pl.DataFrame:
    """The list's columns with the places' names, masked as the actor sees people; the
    NIK masked unless ``clear_nik`` (columns, not row by row)."""
    frame = frame.with_columns(pl.col(k).cast(pl.Date) for k in _DATES)
    names = {c: name_of(c) for c in frame.get_column("district_code").unique().drop_nulls()}
    villages = {c: name_of(c) for c in frame.get_column("village_code").unique().drop_nulls()}
    frame = frame.with_columns(
        pl.col("birth_date").dt.year().cast(pl.Int32).alias("birth_year"),
        pl.col("district_code").replace_strict(names, default=None).alias("district_name"),
        pl.col("village_code").replace_strict(villages, default=None).alias("village_name"),
    )
    if actor.masked:
        frame = frame.with_columns(_masked(pl.col("phone")))
    if not clear_nik:
        # the masked digits are the distrik and the birth date: the year alone keeps them hidden
        frame = frame.with_columns(
            _masked(pl.col("nik")), pl.lit(None, dtype=pl.Date).alias("birth_date")
        )
    return frame.select(SELECTED_COLUMNS)


def _masked(col: pl.Expr) -> pl.Expr:
    """:func:`jaring.access.mask` on a column: the first and last four kept."""
    n = col.str.len_chars()
    return (
        pl.when(n > 8)
        .then(
            pl.concat_str(
                col.str.slice(0, 4), pl.lit("*").repeat_by(n - 8).list.join(""), col.str.slice(-4)
            )
        )
        .otherwise(pl.lit("*").repeat_by(n).list.join(""))
    )
