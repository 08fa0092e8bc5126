"""Batches (one import each: who imported which lists, when) and the issues found in their
rows, for the people who may see them.

Source rows carry NIKs and phones as typed, so every query here is for roles that see
personal data in clear (``registry_needs_clear_data`` otherwise). An actor of every region
sees every batch; an actor scoped to regions sees the batches they imported themselves and
the rejected rows of other batches routed to them (:func:`routed_rows`: the rows of their
distrik; for a supervisor also the rows whose distrik could not be read, in their regency);
other batches are refused (``batch_not_yours``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Row, select

from jaring import audit, i18n
from jaring.access import Actor
from jaring.registry import errors, intake, issues
from jaring.registry.columns import FIELDS
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.people import require_clear_data
from jaring.store.dialect import to_date, to_datetime
from jaring.store.tables.registry import registry_batch, registry_file


@dataclasses.dataclass
class Batch:
    """One import: its source, who imported it and when, the date its lists speak for, and
    what came of its rows."""

    id: int
    source: str
    imported_by: str | None
    imported_at: dt.datetime
    listed_on: dt.date
    files: int
    files_skipped: int
    rows: int
    accepted: int
    rejected: int
    warnings: int
    duplicates_skipped: int


@dataclasses.dataclass
class RowIssue:
    """An issue of a source row: the field, the code, ``error`` or ``warning``, the value as
    typed and the sentence for people."""

    field: str
    code: str
    severity: str
    value: str | None
    message: str


@dataclasses.dataclass
class RowWithIssues:
    """A source row with its issues now: where it is (file, sheet, row number as the
    operator sees it) and its status now (corrected rows show ``accepted``)."""

    row_id: int
    file: str
    sheet: str | None
    row: int | None
    status: str
    issues: list[RowIssue]
    # the whole row as typed (canonical field -> text; corrections applied), when asked
    cells: dict[str, str | None] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class RowsToFix:
    """A page of a batch's rows with issues, each with its whole row: ``total`` rows in the
    list shown, ``rejected_now`` rows of the batch still rejected."""

    rows: list[RowWithIssues]
    total: int
    rejected_now: int


def _batch(row: Row[Any]) -> Batch:
    b = dict(row._mapping)
    return Batch(
        **{**b, "imported_at": to_datetime(b["imported_at"]), "listed_on": to_date(b["listed_on"])}
    )


def _visible(actor: Actor, batch: Batch, conn: Connection | None = None) -> Batch:
    if actor.all_regions or batch.imported_by == actor.username:
        return batch
    if conn is not None and routed_rows(conn, actor, batches=[batch.id]).height:
        return batch
    raise errors.BATCH_NOT_YOURS(batch=batch.id)


def rejected_rows(conn: Connection, *, batches: list[int] | None = None) -> pl.DataFrame:
    """The rows rejected now (``id``, ``batch_id``, ``district_code``), of ``batches`` or
    all. Only the issues of the chunks are read first (a rejected row has an error), then
    the rows that have one: a store of a million accepted rows is not decoded whole."""
    b = registry_batch.c
    q = select(b.id).where(b.rejected > 0)
    if batches is not None:
        q = q.where(b.id.in_(batches))
    with_rejected = [int(x) for x in conn.execute(q).scalars()]
    empty = pl.DataFrame(schema={"id": pl.Int64, "batch_id": pl.Int32, "district_code": pl.String})
    if not with_rejected:
        return empty
    found = source_rows.issues(conn, batches=with_rejected)
    ids = found.filter(pl.col("severity") == "error").get_column("row_id").unique()
    if ids.len() == 0:
        return empty
    rows = source_rows.read(conn, ids=ids, columns=("status", "district_code"))
    return rows.filter(pl.col("status") == "rejected").select("id", "batch_id", "district_code")


def routed_rows(
    conn: Connection, actor: Actor, *, batches: list[int] | None = None
) -> pl.DataFrame:
    """Rejected rows of other users' batches routed to ``actor`` (``id``, ``batch_id``,
    ``district_code``): those whose distrik lies in the actor's regions, and, when the
    distrik itself is what was rejected, those of a batch whose regency the actor covers if
    the actor is a supervisor (``person.approve``). The uploader always sees their own
    batch; an actor of every region sees every batch."""
    rows = rejected_rows(conn, batches=batches)
    if rows.height == 0 or actor.all_regions:
        return rows.select("id", "batch_id", "district_code")
    in_region = pl.lit(False)
    for r in actor.regions:
        in_region = (
            in_region
            | (pl.col("district_code") == r)
            | pl.col("district_code").str.starts_with(r + ".")
        )
    keep = in_region.fill_null(False)
    if actor.can("person.approve"):
        covered = [
            b
            for b in rows.get_column("batch_id").unique().to_list()
            if (reg := source_rows.region_of_batch(conn, int(b))) and actor.covers_region(reg)
        ]
        keep = keep | (pl.col("district_code").is_null() & pl.col("batch_id").is_in(covered))
    return rows.filter(keep).select("id", "batch_id", "district_code")


def batches(engine: Engine, actor: Actor, *, newest_first: bool = False) -> list[Batch]:
    """The batches the actor may see (see the module), oldest first unless ``newest_first``."""
    actor.require("person.read")
    require_clear_data(actor)
    b = registry_batch.c
    q = select(registry_batch).order_by(b.id.desc() if newest_first else b.id)
    with engine.connect() as conn:
        if not actor.all_regions:
            routed = routed_rows(conn, actor).get_column("batch_id").unique().to_list()
            q = q.where((b.imported_by == actor.username) | b.id.in_(routed))
        return [_batch(r) for r in conn.execute(q)]


def require_batch(conn: Connection, actor: Actor, batch_id: int) -> Batch:
    """Batch ``batch_id`` if the actor may see it: refuses ``batch_not_found`` (404) and
    ``batch_not_yours`` (403). Inside the caller's transaction."""
    row = conn.execute(select(registry_batch).where(registry_batch.c.id == batch_id)).first()
    if row is None:
        raise errors.BATCH_NOT_FOUND(batch=batch_id)
    return _visible(actor, _batch(row), conn)


def batch(engine: Engine, actor: Actor, batch_id: int) -> Batch:
    """One batch (:func:`require_batch`), for clear-data roles."""
    actor.require("person.read")
    require_clear_data(actor)
    with engine.connect() as conn:
        return require_batch(conn, actor, batch_id)


def batch_of_row(engine: Engine, actor: Actor, row_id: int) -> Batch:
    """The batch source row ``row_id`` was imported in, if the actor may see it: refuses
    ``row_not_found`` as well as what :func:`require_batch` refuses."""
    actor.require("person.read")
    require_clear_data(actor)
    with engine.connect() as conn:
        found = source_rows.batch_of_row(conn, row_id)
        if found is None:
            raise errors.ROW_NOT_FOUND(row=row_id)
        return require_batch(conn, actor, found)


#: The columns of an error list written for people (``jaring registry errors``, the batch
#: page's XLSX); one fixed in Excel comes back with them.
ERROR_COLUMNS = ("file", "sheet", "row", "field", "code", "severity", "value", "message", "row_id")

_ERRORS_SCHEMA = {
    "file": pl.String,
    "sheet": pl.String,
    "row": pl.Int64,
    "field": pl.String,
    "code": pl.String,
    "severity": pl.String,
    "value": pl.String,
    "detail": pl.String,
    "row_id": pl.Int64,
    "status": pl.String,
}


def errors_frame(
    engine: Engine,
    actor: Actor,
    batch_id: int,
    *,
    lang: str | None = None,
    all_issues: bool = True,
) -> pl.DataFrame:
    """Every issue of a batch (errors only unless ``all_issues``), one line per row and
    field: ``file``, ``sheet``, ``row``, ``field``, ``code``, ``severity``, ``value``,
    ``detail``, ``row_id``, ``status`` (of the row now: corrected rows show ``accepted``)
    and ``message`` (in ``lang``, default the current language). Refuses as :func:`batch`.
    """
    actor.require("person.read")
    require_clear_data(actor)
    with engine.connect() as conn:
        require_batch(conn, actor, batch_id)
        found = source_rows.issues(conn, batches=[batch_id])
        if not all_issues:
            found = found.filter(pl.col("severity") == "error")
        rows = source_rows.read(
            conn,
            ids=found.get_column("row_id"),
            batches=[batch_id],
            columns=("row_number", "status"),
            provenance=True,
        )
    frame = (
        found.join(
            rows.select(pl.col("id").alias("row_id"), "file_name", "sheet", "row_number", "status"),
            on="row_id",
        )
        .select(
            pl.col("file_name").alias("file"),
            "sheet",
            pl.col("row_number").cast(pl.Int64).alias("row"),
            "field",
            "code",
            "severity",
            "value",
            "detail",
            "row_id",
            "status",
        )
        .sort(["file", "sheet", "row", "field", "code"], nulls_last=False)
        .cast(pl.Schema(_ERRORS_SCHEMA))
    )
    audit.record_read(
        engine, actor, "registry.batch_errors", "registry_batch", batch_id, {"rows": frame.height}
    )
    return issues.with_messages(frame, lang or i18n.lang())


def rows_with_issues(
    engine: Engine, actor: Actor, batch_id: int, *, lang: str | None = None
) -> list[RowWithIssues]:
    """The batch's issues grouped by source row (:func:`errors_frame`): one entry per row,
    in file order, with its issues."""
    frame = errors_frame(engine, actor, batch_id, lang=lang)
    out: dict[int, RowWithIssues] = {}
    for r in frame.iter_rows(named=True):
        row_id = int(r["row_id"])
        entry = out.get(row_id)
        if entry is None:
            entry = out[row_id] = RowWithIssues(
                row_id=row_id,
                file=r["file"],
                sheet=r["sheet"],
                row=r["row"],
                status=r["status"],
                issues=[],
            )
        entry.issues.append(
            RowIssue(
                field=r["field"],
                code=r["code"],
                severity=r["severity"],
                value=r["value"],
                message=r["message"],
            )
        )
    return list(out.values())


def typed_cells(conn: Connection, rows: pl.DataFrame) -> dict[int, dict[str, str | None]]:
    """The whole of each source row as the operator typed it, with their corrections applied:
    row id -> canonical field -> text. ``rows`` are :func:`source_rows.read` rows with
    ``raw=True``. On the caller's connection."""
    if rows.height == 0:
        return {}
    file_ids = sorted({int(f) for f in rows.get_column("file_id").to_list()})
    f = registry_file.c
    meta = {
        int(r.id): (json.loads(r.headers or "{}"), json.loads(r.columns or "{}"))
        for r in conn.execute(select(f.id, f.headers, f.columns).where(f.id.in_(file_ids)))
    }
    out: dict[int, dict[str, str | None]] = {}
    for row in rows.iter_rows(named=True):
        headers, columns = meta.get(int(row["file_id"]), ({}, {}))
        sheet = row["sheet"] or ""
        cells = row["raw"] or []
        current: dict[str, str | None] = {k: None for k in FIELDS}
        for field, pos in intake.field_positions(
            headers.get(sheet, []), columns.get(sheet, {})
        ).items():
            current[field] = cells[pos] if pos < len(cells) else None
        current.update(source_rows.correction_of(conn, int(row["id"])))
        out[int(row["id"])] = current
    return out


def row_cells(engine: Engine, actor: Actor, row_id: int) -> dict[str, str | None]:
    """The whole of source row ``row_id`` as typed, corrections applied (:func:`typed_cells`);
    refused as :func:`batch_of_row`."""
    batch_of_row(engine, actor, row_id)
    with engine.connect() as conn:
        found = source_rows.read(conn, ids=[row_id], columns=("row_number",), raw=True)
        return typed_cells(conn, found).get(row_id, {})


def rows_to_fix(
    engine: Engine,
    actor: Actor,
    batch_id: int,
    *,
    only_rejected: bool = True,
    start: int = 0,
    limit: int = 50,
    lang: str | None = None,
) -> RowsToFix:
    """A page of the batch's rows with issues (rejected ones only unless ``only_rejected`` is
    false), each with its whole row as typed (:func:`typed_cells`), and how many rows of the
    batch are still rejected. Refused as :func:`batch`."""
    every = rows_with_issues(engine, actor, batch_id, lang=lang)
    b = batch(engine, actor, batch_id)
    if not actor.all_regions and b.imported_by != actor.username:
        with engine.connect() as conn:
            mine = set(routed_rows(conn, actor, batches=[batch_id]).get_column("id").to_list())
        every = [r for r in every if r.row_id in mine]
    rejected_now = sum(1 for r in every if r.status == "rejected")
    shown = [r for r in every if r.status == "rejected"] if only_rejected else every
    start = max(0, min(start, len(shown)))
    page = shown[start : start + limit]
    if page:
        with engine.connect() as conn:
            found = source_rows.read(
                conn, ids=[r.row_id for r in page], columns=("row_number",), raw=True
            )
            cells = typed_cells(conn, found)
        for r in page:
            r.cells = cells.get(r.row_id, {})
    return RowsToFix(rows=page, total=len(shown), rejected_now=rejected_now)


@dataclasses.dataclass
class BatchToFix:
    """A batch with rejected rows that are the actor's to fix (a work queue line)."""

    batch: int
    source: str
    rejected: int
    imported_at: dt.datetime


def batches_to_fix(engine: Engine, actor: Actor) -> list[BatchToFix]:
    """The batches with rejected rows the actor should fix, oldest first: their own batches,
    and the rows of other batches routed to them (:func:`routed_rows`); an actor of every
    region sees every batch's."""
    actor.require("person.write")
    require_clear_data(actor)
    b = registry_batch.c
    with engine.connect() as conn:
        if actor.all_regions:
            found = rejected_rows(conn)
        else:
            own = [
                int(x)
                for x in conn.execute(select(b.id).where(b.imported_by == actor.username)).scalars()
            ]
            routed = routed_rows(conn, actor).filter(~pl.col("batch_id").is_in(own))
            found = pl.concat([rejected_rows(conn, batches=own) if own else routed.clear(), routed])
        counts = found.group_by("batch_id").len().sort("batch_id")
        if counts.height == 0:
            return []
        ids = [int(x) for x in counts.get_column("batch_id").to_list()]
        meta = {
            int(r.id): r
            for r in conn.execute(select(b.id, b.source, b.imported_at).where(b.id.in_(ids)))
        }
    return [
        BatchToFix(
            batch=int(r["batch_id"]),
            source=meta[int(r["batch_id"])].source,
            rejected=int(r["len"]),
            imported_at=to_datetime(meta[int(r["batch_id"])].imported_at) or dt.datetime.min,
        )
        for r in counts.iter_rows(named=True)
    ]
