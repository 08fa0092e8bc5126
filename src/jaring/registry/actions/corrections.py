"""Fixing a rejected row in place: the operator types over what the list said, the row is
validated again and, valid now, accepted (and, when asked, linked to a person right away).

Chunks never change: the correction is a row of ``registry_correction`` beside the source
row (what was typed over it, by whom and when, and the row's values and issues now), which
wins whenever rows are read (:mod:`jaring.registry.queries.rows`).
"""

from __future__ import annotations

import dataclasses
import io
import json
from typing import Any

import fastexcel
import polars as pl
from sqlalchemy import Connection, Engine, delete, insert, select

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors, intake
from jaring.registry.actions.linking import Linked, dedupe
from jaring.registry.chunks import ISSUE_COLUMNS, VALUE_COLUMNS
from jaring.registry.columns import FIELDS
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.batches import require_batch, routed_rows, typed_cells
from jaring.registry.queries.people import require_clear_data
from jaring.store.dialect import to_date
from jaring.store.tables.registry import registry_batch, registry_correction, registry_file


@dataclasses.dataclass
class Issue:
    """An issue of a row: the field, the code (:mod:`jaring.registry.issues`), ``error`` or
    ``warning``, the value as typed and what it was checked against."""

    field: str
    code: str
    severity: str
    value: str | None
    detail: str | None


@dataclasses.dataclass
class Corrected:
    """The row after a correction: its status now and its issues now; ``linked`` when it was
    accepted and linked to a person right away."""

    row: int
    status: str
    issues: list[Issue]
    linked: Linked | None = None


def correct_row(
    engine: Engine,
    actor: Actor,
    row_id: int,
    values: dict[str, str],
    *,
    link: bool = False,
) -> Corrected:
    """Fix source row ``row_id``: ``values`` (canonical field -> text, e.g. ``{"nik":
    "9671..."}``) override what was typed, the row is validated again and, if valid now,
    accepted; with ``link``, an accepted row is then linked to a person
    (:func:`jaring.registry.actions.linking.dedupe`). The raw values stay as typed; the
    correction is stored beside them with who made it and when, audited as
    ``registry.correct``. A NIK that Excel mangled stays refused until it is retyped.

    Refuses ``field_unknown``, ``row_not_found`` and, for a batch the actor may not see,
    ``batch_not_yours`` (:func:`jaring.registry.queries.batches.require_batch`).
    """
    actor.require("person.write")
    require_clear_data(actor)
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise errors.FIELD_UNKNOWN(
            fields=unknown, unknown=", ".join(unknown), choices=", ".join(FIELDS)
        )
    with engine.begin() as conn:
        out = _correct(conn, actor, row_id, values)
    if link and out.status == "accepted":
        out.linked = dedupe(engine, actor)
    return out


def _correct(conn: Connection, actor: Actor, row_id: int, values: dict[str, str]) -> Corrected:
    """:func:`correct_row` inside the caller's transaction (no linking)."""
    found = source_rows.read(conn, ids=[row_id], columns=("row_number",), raw=True)
    if found.height == 0:
        raise errors.ROW_NOT_FOUND(row=row_id)
    row = found.row(0, named=True)
    b = require_batch(conn, actor, row["batch_id"])
    if not actor.all_regions and b.imported_by != actor.username:
        routed = routed_rows(conn, actor, batches=[b.id]).get_column("id").to_list()
        if row_id not in routed:
            raise errors.ROW_OUT_OF_REGION(row=row_id)
    meta = conn.execute(
        select(registry_batch.c.listed_on, registry_file.c.columns, registry_file.c.headers)
        .select_from(registry_file.join(registry_batch))
        .where(registry_file.c.id == row["file_id"])
    ).one()
    sheet = row["sheet"] or ""
    keys = json.loads(meta.headers or "{}").get(sheet, [])
    mapping = json.loads(meta.columns or "{}").get(sheet, {})
    cells = row["raw"]
    current: dict[str, str | None] = {f: None for f in FIELDS}
    for field, pos in intake.field_positions(keys, mapping).items():
        current[field] = cells[pos] if pos < len(cells) else None
    corrected = source_rows.correction_of(conn, row_id)
    # NUL is removed (PostgreSQL refuses it in text: one made every later upload fail)
    corrected.update(
        {k: (v if v is None else str(v).replace("\x00", "")) for k, v in values.items()}
    )
    current.update(corrected)
    # a NIK that Excel mangled stays mangled until the operator retypes it
    was_mangled = "nik" not in corrected and (
        "nik_excel_mangled" in source_rows.issues(conn, ids=[row_id]).get_column("code").to_list()
    )
    frame = pl.DataFrame(
        [{**current, "row_number": row["row_number"], "nik_numeric": was_mangled}],
        schema={
            **{f: pl.String for f in FIELDS},
            "row_number": pl.Int32,
            "nik_numeric": pl.Boolean,
        },
    )
    checked = intake.validate_rows(
        frame,
        listed_on=to_date(meta.listed_on),
        region=source_rows.region_of_batch(conn, row["batch_id"]),
    )
    rec = checked.row(0, named=True)
    issues = [{k: i.get(k) for k in ISSUE_COLUMNS} for i in rec["issues"]]
    _write_correction(
        conn,
        actor,
        row_id,
        row["batch_id"],
        corrected=corrected,
        values=rec,
        issues_now=issues,
    )
    audit.record(
        conn,
        actor,
        "registry.correct",
        "registry_row",
        row_id,
        after={"fields": sorted(values), "status": rec["status"]},
    )
    return Corrected(row=row_id, status=rec["status"], issues=[Issue(**i) for i in issues])


def _write_correction(
    conn: Connection,
    actor: Actor,
    row_id: int,
    batch_id: int,
    *,
    corrected: dict[str, str | None],
    values: dict[str, Any],
    issues_now: list[dict[str, Any]],
) -> None:
    """Store the row's values and issues now (replacing an earlier correction of it)."""
    conn.execute(delete(registry_correction).where(registry_correction.c.row_id == row_id))
    conn.execute(
        insert(registry_correction).values(
            row_id=row_id,
            batch_id=batch_id,
            corrected=json.dumps(corrected, ensure_ascii=False),
            corrected_by=actor.username,
            corrected_at=audit.now(),
            status=values["status"],
            **{k: values[k] for k in VALUE_COLUMNS},
            issues=json.dumps(issues_now, ensure_ascii=False),
        )
    )


@dataclasses.dataclass
class FileCorrected:
    """What an error list fixed in Excel did: rows changed, accepted now, still rejected."""

    batch: int
    rows: int
    accepted: int
    rejected: int
    linked: Linked | None = None


#: The columns an error list sent back must have (the file ``jaring registry errors`` and
#: the batch page write).
RETURN_COLUMNS = ("row_id", "field", "value")


def correct_from_file(
    engine: Engine, actor: Actor, batch_id: int, data: bytes, filename: str
) -> FileCorrected:
    """Apply an error list of batch ``batch_id`` fixed in Excel (or as CSV): for every line
    whose ``value`` differs from what the row holds now, that cell of row ``row_id`` is
    corrected (:func:`correct_row`); all lines in one transaction, then accepted rows are
    linked. Lines of rows of other batches are refused (``row_not_in_batch``), a file
    without the columns ``row_id``, ``field`` and ``value`` too (``errors_file_columns``).
    """
    actor.require("person.write")
    require_clear_data(actor)
    frame = _read_return(data, filename)
    missing = [c for c in RETURN_COLUMNS if c not in frame.columns]
    if missing:
        raise errors.ERRORS_FILE_COLUMNS(
            file=filename, columns=", ".join(RETURN_COLUMNS), field="file"
        )
    wanted: dict[int, dict[str, str]] = {}
    for r in frame.select(RETURN_COLUMNS).iter_rows(named=True):
        try:
            row_id = int(float(str(r["row_id"]).strip()))
        except ValueError:
            continue
        field = str(r["field"] or "").strip()
        if field in FIELDS:
            wanted.setdefault(row_id, {})[field] = str(r["value"] or "").strip()
    changed = accepted = rejected = 0
    with engine.begin() as conn:
        require_batch(conn, actor, batch_id)
        for row_id, values in wanted.items():
            if source_rows.batch_of_row(conn, row_id) != batch_id:
                raise errors.ROW_NOT_IN_BATCH(row=row_id, batch=batch_id, field="file")
            now = _typed_now(conn, row_id)
            diff = {k: v for k, v in values.items() if v != (now.get(k) or "").strip()}
            if not diff:
                continue
            out = _correct(conn, actor, row_id, diff)
            changed += 1
            if out.status == "accepted":
                accepted += 1
            else:
                rejected += 1
    result = FileCorrected(batch=batch_id, rows=changed, accepted=accepted, rejected=rejected)
    if accepted:
        result.linked = dedupe(engine, actor)
    return result


def _typed_now(conn: Connection, row_id: int) -> dict[str, str | None]:
    found = source_rows.read(conn, ids=[row_id], columns=("row_number",), raw=True)
    return typed_cells(conn, found).get(row_id, {})


def _read_return(data: bytes, filename: str) -> pl.DataFrame:
    name = filename.lower()
    try:
        if name.endswith((".xlsx", ".xlsm")):
            reader = fastexcel.read_excel(data)
            return (
                reader.load_sheet(reader.sheet_names[0], dtypes="string")
                .to_polars()
                .rename(lambda c: c.strip().lower())
            )
        if name.endswith((".csv", ".txt")):
            return pl.read_csv(io.BytesIO(data), infer_schema=False).rename(
                lambda c: c.strip().lower()
            )
    except Exception:  # a broken file is refused below like any other
        pass
    raise errors.FILE_TYPE(file=filename)
