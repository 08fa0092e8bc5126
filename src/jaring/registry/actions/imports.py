"""Importing worker lists: the files read, every row validated, and the batch stored (its
files and every source row with the issues found in it) in one transaction, the same way on
both dialects. Rows are stored as chunks (:mod:`jaring.registry.chunks`): Parquet blobs of up
to 65,536 rows, written with a handful of statements.

**Concurrent imports** of one source must not both decide that a row is new. The first
statement of the transaction is the batch's insert: on SQLite that takes the database's one
write lock, so everything read after it (files and rows already stored) includes every
import that committed before; on PostgreSQL ``registry_chunk`` is locked against other
writers (readers go on).

**Re-imports** (a list exported again with a few rows added) are recognised by the cells as
typed: the rows already stored for the same source are read (the cells only, and only when
the source has rows) and anti-joined on ``(cells, occurrence)``, where the occurrence number
counts identical rows (a list that really holds the same row twice keeps both; stored rows
are numbered in id order, which is the order they were imported in). A file whose SHA-256 is
stored already is skipped whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, func, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.dates import in_range
from jaring.errors import BAD_DATE
from jaring.i18n import N_
from jaring.progress import SILENT, Progress
from jaring.registry import chunks, errors, intake
from jaring.registry.actions import step
from jaring.registry.actions.linking import Linked, dedupe
from jaring.registry.chunks import ISSUE_COLUMNS
from jaring.registry.intake import ReadFile, raw_keys
from jaring.registry.queries import rows as source_rows
from jaring.registry.regions import name_of
from jaring.store import dialect
from jaring.store.tables.registry import registry_batch, registry_chunk, registry_file

#: The largest file an upload may carry: a province's list, not a denial of service.
MAX_UPLOAD = 200 * 1024 * 1024
#: The kinds of file an upload may carry.
SUFFIXES = {".csv", ".txt", ".xlsx", ".xls"}


@dataclasses.dataclass
class Seconds:
    """Where an import spent its time: reading the files, validating, storing."""

    read: float
    validate: float
    store: float


@dataclasses.dataclass
class Stored:
    """What one import stored: the batch (its id), its rows (accepted, rejected), warnings,
    rows and files skipped because they were stored before."""

    batch: int
    rows: int
    accepted: int
    rejected: int
    warnings: int
    duplicates_skipped: int
    files: int
    files_skipped: int


@dataclasses.dataclass
class Imported:
    """The outcome of an import: ``batch`` is ``None`` when every file was imported before
    (then nothing was stored). ``seconds`` when anything was stored; ``linked`` when the
    accepted rows were linked to people right away (uploads)."""

    batch: int | None
    source: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    warnings: int = 0
    files: int = 0
    files_skipped: int = 0
    duplicates_skipped: int = 0
    seconds: Seconds | None = None
    linked: Linked | None = None


def import_files(
    engine: Engine,
    actor: Actor,
    paths: Sequence[str | Path],
    source: str,
    *,
    sheet: str | None = None,
    listed_on: dt.date | None = None,
    region: str | None = None,
    progress: Progress = SILENT,
) -> Imported:
    """Read, validate and store the rows of ``paths`` as one batch from ``source``, imported
    by ``actor`` (``person.write``); audited as ``registry.import``.

    Files already imported (same SHA-256) and rows already stored (same source and cells as
    typed) are skipped, so importing the same file twice changes nothing. ``listed_on``
    (default today) is the date the list speaks for: a person's ``registered_on`` is the
    earliest of these. ``region`` (e.g. ``96.71``) scopes district and village names; by
    default it is the regency most valid NIKs in the files point to.

    Refuses ``source_missing``, ``file_not_found`` and what reading a list refuses
    (``file_type``, ``columns_unmapped``, ``csv_unclosed_quote``, ``sheet_not_found``,
    ``file_empty``).
    """
    actor.require("person.write")
    source = (source or "").strip()
    if not source:
        raise errors.SOURCE_MISSING(field="source")
    today = dt.date.today()
    listed_on = listed_on or today
    if listed_on > today:
        raise errors.LISTED_ON_FUTURE(value=listed_on.isoformat(), field="listed_on")
    if not in_range(listed_on):
        raise BAD_DATE(value=listed_on.isoformat(), field="listed_on")
    if region is not None and name_of(region.strip()) is None:
        raise errors.REGION_UNKNOWN(value=region, field="region")
    t0 = time.perf_counter()
    step(progress, N_("Reading the lists"), len(paths))
    files = []
    for p in paths:
        files.append(intake.read_file(p, sheet=sheet))
        progress.advance()
    with engine.connect() as conn:
        known = set(
            conn.execute(
                select(registry_file.c.sha256).where(
                    registry_file.c.sha256.in_([f.sha256 for f in files] or [""])
                )
            ).scalars()
        )
    fresh, seen = [], set(known)
    for f in files:
        if f.sha256 not in seen:
            fresh.append(f)
            seen.add(f.sha256)
    if not fresh:
        out = Imported(batch=None, source=source, files_skipped=len(files))
        with engine.begin() as conn:
            audit.record(conn, actor, "registry.import", "registry_batch", None, after=out)
        return out
    parts, staged = stage(fresh)
    t1 = time.perf_counter()
    step(progress, N_("Checking the rows"), staged.height)
    checked, issues = intake.validate_long(
        staged, listed_on=listed_on, region=region, infer_region=True
    )
    progress.advance(staged.height)
    cells = [c for c in staged.columns if chunks.is_cell(c)]
    rows = pl.concat(
        [staged.select("_part", "row_number", *cells), checked.drop("row_number")],
        how="horizontal",
    )
    t2 = time.perf_counter()
    stored = store(
        engine,
        actor,
        Staged(
            source=source,
            listed_on=listed_on,
            files=[FileInfo.of(f) for f in fresh],
            files_skipped=len(files) - len(fresh),
            parts=parts,
            rows=rows,
            issues=issues,
        ),
        progress=progress,
    )
    seconds = Seconds(
        read=round(t1 - t0, 3),
        validate=round(t2 - t1, 3),
        store=round(time.perf_counter() - t2, 3),
    )
    return Imported(source=source, seconds=seconds, **dataclasses.asdict(stored))


def import_uploads(
    engine: Engine,
    actor: Actor,
    files: Sequence[tuple[str, bytes]],
    source: str,
    *,
    listed_on: dt.date | None = None,
    region: str | None = None,
    progress: Progress = SILENT,
) -> Imported:
    """Import uploaded files (name, content) as one batch (:func:`import_files`), then link
    the accepted rows to people (``linked``: :func:`jaring.registry.actions.linking.dedupe`).

    Refuses ``file_missing`` (no file), ``bad_file_type`` (not CSV or XLSX) and
    ``file_too_large`` (over :data:`MAX_UPLOAD` bytes), besides what an import refuses.
    """
    actor.require("person.write")
    if not files:
        raise errors.FILE_MISSING(field="files")
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for name, content in files:
            safe = Path(name or "daftar.csv").name
            if Path(safe).suffix.lower() not in SUFFIXES:
                raise errors.BAD_FILE_TYPE(file=safe, allowed="CSV, XLSX")
            if len(content) > MAX_UPLOAD:
                raise errors.FILE_TOO_LARGE(file=safe)
            path = Path(d) / safe
            path.write_bytes(content)
            paths.append(path)
        out = import_files(
            engine, actor, paths, source, listed_on=listed_on, region=region, progress=progress
        )
    out.linked = dedupe(engine, actor, progress=progress)
    return out


def stage(files: list[ReadFile]) -> tuple[list[Part], pl.DataFrame]:
    """Every sheet's canonical rows one after another, each with ``_part`` (which file and
    sheet: an index into the parts returned) and its cells (``c0``...; a narrower sheet's
    missing cells are null and are not stored)."""
    parts: list[Part] = []
    frames: list[pl.DataFrame] = []
    for i, f in enumerate(files):
        for s in f.sheets:
            staged = intake.canonical(s)
            part = intake.constant(len(parts), staged.height, pl.Int32).alias("_part")
            frames.append(staged.with_columns(part))
            parts.append(Part(i, s.sheet, len(s.headers)))
    return parts, pl.concat(frames, how="diagonal_relaxed")


def store(engine: Engine, actor: Actor, staged: Staged, *, progress: Progress = SILENT) -> Stored:
    """Store ``staged`` as a batch imported by ``actor`` (skipping files and rows already
    stored for its source) in one transaction, with its audit event (``registry.import``)."""
    actor.require("person.write")
    with engine.begin() as conn:
        stored = _write(conn, actor, staged, progress)
        after = {"source": staged.source, **dataclasses.asdict(stored)}
        audit.record(conn, actor, "registry.import", "registry_batch", stored.batch, after=after)
    return stored


@dataclasses.dataclass
class FileInfo:
    """What ``registry_file`` keeps of a file read."""

    name: str
    sha256: str
    size: int
    sheets: list[str]
    columns: dict[str, dict[str, str]]  # sheet ("" for CSV) -> header as typed -> field
    headers: dict[str, list[str]]  # sheet ("" for CSV) -> names of the cells, in order

    @classmethod
    def of(cls, f: ReadFile) -> FileInfo:
        return cls(
            name=f.name,
            sha256=f.sha256,
            size=f.size,
            sheets=[s.sheet for s in f.sheets if s.sheet],
            columns={s.sheet or "": s.mapping for s in f.sheets},
            headers={s.sheet or "": raw_keys(s.headers) for s in f.sheets},
        )


@dataclasses.dataclass(frozen=True)
class Part:
    """One sheet of one file of the import: its rows are consecutive in ``Staged.rows``."""

    file_idx: int
    sheet: str | None
    width: int  # cells per row: c0 .. c{width-1}


@dataclasses.dataclass
class Staged:
    """What one import writes. ``rows``: ``_part`` (index into ``parts``), ``row_number``,
    ``status``, the values (:data:`jaring.registry.chunks.VALUE_COLUMNS`) and the cells
    ``c0``..., in source order; ``issues`` is long (``_row``: the position of its row in
    ``rows``, then :data:`jaring.registry.chunks.ISSUE_COLUMNS`), in row order."""

    source: str
    listed_on: dt.date
    files: list[FileInfo]
    files_skipped: int
    parts: list[Part]
    rows: pl.DataFrame
    issues: pl.DataFrame


def write(conn: Connection, actor: Actor, staged: Staged, *, batch: int | None = None) -> Stored:
    """Store ``staged`` on ``conn``, the caller's transaction, as :func:`store` does, without
    its right check or audit event: for a domain that checked its own right and records its
    own event (field registration). ``batch``: add the rows to that batch (a registrar's
    batch of the day) instead of a new one; its counts grow by this write's."""
    return _write(conn, actor, staged, SILENT, batch=batch)


def _write(
    conn: Connection, actor: Actor, b: Staged, progress: Progress, *, batch: int | None = None
) -> Stored:
    batch_id = batch if batch is not None else _new_batch(conn, actor, b)
    if dialect.of(conn).row_locks:  # SQLite's file lock already serialises imports
        dialect.lock_table(conn, registry_chunk)
    stored = _write_rows(conn, b, batch_id, progress)
    if batch is None:
        counts = {k: v for k, v in dataclasses.asdict(stored).items() if k != "batch"}
    else:  # a batch that grows: its counts add up
        counts = {
            k: registry_batch.c[k] + v
            for k, v in dataclasses.asdict(stored).items()
            if k != "batch"
        }
    conn.execute(update(registry_batch).where(registry_batch.c.id == batch_id).values(**counts))
    return stored


def _new_batch(conn: Connection, actor: Actor, b: Staged) -> int:
    return int(
        conn.execute(
            insert(registry_batch)
            .values(
                source=b.source,
                imported_by=actor.username,
                imported_at=audit.now(),
                listed_on=b.listed_on,
                files=0,
                files_skipped=0,
                rows=0,
                accepted=0,
                rejected=0,
                warnings=0,
                duplicates_skipped=0,
            )
            .returning(registry_batch.c.id)
        ).scalar_one()
    )


def _write_rows(conn: Connection, b: Staged, batch_id: int, progress: Progress) -> Stored:
    rows, issues = b.rows, b.issues
    # a file stored by an import that committed while this one was reading it: skipped too
    stored = set(
        conn.execute(
            select(registry_file.c.sha256).where(
                registry_file.c.sha256.in_([f.sha256 for f in b.files])
            )
        ).scalars()
    )
    files = [i for i, f in enumerate(b.files) if f.sha256 not in stored]
    if len(files) < len(b.files):
        keep = [k for k, p in enumerate(b.parts) if p.file_idx in files]
        rows, issues = _keep(rows, issues, pl.col("_part").is_in(keep))
    before = rows.height
    rows, issues = _drop_stored(conn, b.source, b.parts, rows, issues)
    file_ids = {
        i: int(
            conn.execute(
                insert(registry_file)
                .values(
                    batch_id=batch_id,
                    name=b.files[i].name,
                    sha256=b.files[i].sha256,
                    bytes=b.files[i].size,
                    sheets=json.dumps(b.files[i].sheets),
                    columns=json.dumps(b.files[i].columns, ensure_ascii=False),
                    headers=json.dumps(b.files[i].headers, ensure_ascii=False),
                )
                .returning(registry_file.c.id)
            ).scalar_one()
        )
        for i in files
    }
    step(progress, N_("Storing the rows"), rows.height)
    if rows.height:
        order = [k for k in range(len(b.parts)) if b.parts[k].file_idx in file_ids]
        first = source_rows.next_row_id(conn)
        widths = [p.width for p in b.parts]
        # stored one by one as they are encoded: the inserts overlap the encoding of the next
        for c in chunks.split(rows, issues, order, widths, first):
            conn.execute(
                insert(registry_chunk).values(
                    batch_id=batch_id,
                    file_id=file_ids[b.parts[c.part].file_idx],
                    sheet=b.parts[c.part].sheet,
                    first_row=c.first_row,
                    rows=c.rows,
                    format=chunks.FORMAT,
                    data=c.data,
                    issues=c.issues,
                )
            )
            progress.advance(c.rows)
    accepted = int((rows.get_column("status") == "accepted").sum())  # a filter copies rows
    summary = {
        "rows": rows.height,
        "accepted": accepted,
        "rejected": rows.height - accepted,
        "warnings": int((issues.get_column("severity") == "warning").sum()),
        "duplicates_skipped": before - rows.height,
        "files": len(files),
        "files_skipped": b.files_skipped + len(b.files) - len(files),
    }
    return Stored(batch=batch_id, **summary)


def _keep(
    rows: pl.DataFrame, issues: pl.DataFrame, mask: pl.Expr
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows where ``mask`` holds, and their issues renumbered to the rows' new positions."""
    numbered = rows.with_row_index("_old").filter(mask)
    moved = numbered.select(
        pl.col("_old").alias("_row"), pl.int_range(pl.len(), dtype=pl.UInt32).alias("_new")
    )
    issues = (
        issues.join(moved, on="_row", how="inner", maintain_order="left")
        .drop("_row")
        .rename({"_new": "_row"})
        .select("_row", *ISSUE_COLUMNS)
    )
    return numbered.drop("_old"), issues


def _drop_stored(
    conn: Connection,
    source: str,
    parts: list[Part],
    rows: pl.DataFrame,
    issues: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Leave out the rows already stored for ``source`` (see the module)."""
    batch_ids = list(
        conn.execute(
            select(registry_batch.c.id).where(
                registry_batch.c.source == source,
                select(func.count())
                .select_from(registry_chunk)
                .where(registry_chunk.c.batch_id == registry_batch.c.id)
                .scalar_subquery()
                > 0,
            )
        ).scalars()
    )
    if not batch_ids or rows.height == 0:
        return rows, issues
    existing = source_rows.read(conn, batches=batch_ids, columns=(), raw=True).select("raw")
    occurrence = pl.int_range(pl.len()).over("raw").alias("_occ")
    numbered = rows.with_row_index("_pos")
    keys = pl.concat(
        [
            numbered.filter(pl.col("_part") == k).select(
                "_pos",
                pl.concat_list(chunks.cells(p.width)).alias("raw")
                if p.width
                else pl.lit([], dtype=pl.List(pl.String)).alias("raw"),
            )
            for k, p in enumerate(parts)
        ]
    ).sort("_pos")
    new = (
        keys.with_columns(occurrence)
        .join(existing.with_columns(occurrence), on=["raw", "_occ"], how="anti")
        .get_column("_pos")
    )
    if new.len() == rows.height:
        return rows, issues
    return _keep(rows, issues, pl.int_range(pl.len()).is_in(new.implode()))
