"""Batches (one import each: who imported which lists, when) and the issues found in their
rows, for the people who may see them.

Source rows carry NIKs and phones as typed, so every query here is for roles that see
personal data in clear (``registry_needs_clear_data`` otherwise). An actor of every region
sees every batch; an actor scoped to regions sees the batches they imported themselves
(``batch_not_yours``): a list's rows are placed only once they are read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Row, select

from jaring import audit, i18n
from jaring.access import Actor
from jaring.registry import errors, issues
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.people import require_clear_data
from jaring.store.dialect import to_date, to_datetime
from jaring.store.tables.registry import registry_batch


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


def _batch(row: Row[Any]) -> Batch:
    b = dict(row._mapping)
    return Batch(
        **{**b, "imported_at": to_datetime(b["imported_at"]), "listed_on": to_date(b["listed_on"])}
    )


def _visible(actor: Actor, batch: Batch) -> Batch:
    if not actor.all_regions and batch.imported_by != actor.username:
        raise errors.BATCH_NOT_YOURS(batch=batch.id)
    return batch


def batches(engine: Engine, actor: Actor, *, newest_first: bool = False) -> list[Batch]:
    """The batches the actor may see (see the module), oldest first unless ``newest_first``."""
    actor.require("person.read")
    require_clear_data(actor)
    b = registry_batch.c
    q = select(registry_batch).order_by(b.id.desc() if newest_first else b.id)
    if not actor.all_regions:
        q = q.where(b.imported_by == actor.username)
    with engine.connect() as conn:
        return [_batch(r) for r in conn.execute(q)]


def require_batch(conn: Connection, actor: Actor, batch_id: int) -> Batch:
    """Batch ``batch_id`` if the actor may see it: refuses ``batch_not_found`` (404) and
    ``batch_not_yours`` (403). Inside the caller's transaction."""
    row = conn.execute(select(registry_batch).where(registry_batch.c.id == batch_id)).first()
    if row is None:
        raise errors.BATCH_NOT_FOUND(batch=batch_id)
    return _visible(actor, _batch(row))


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
