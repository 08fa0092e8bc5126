"""Writing an import into the store: the batch, its files and every source row with the
issues found in it, in one transaction, the same way on both dialects.

The rows go in as chunks (``registry.chunks``): Parquet blobs of up to 65,536 rows, written
with a handful of statements. As one SQL row per source row, a million-row list cost SQLite
2.9 s (ADBC ingest and the WAL checkpoint) and the PostgreSQL server 4.9 CPU s (COPY),
however it was fed; as chunks the same rows cost 0.6 s to encode (two threads) and about
0.25 s to store on either dialect (measured 2026-12-01, ``docs/benchmarks/registry.md``).

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
from typing import TYPE_CHECKING, Any

import polars as pl
from sqlalchemy import func, insert, select, update

from jaring.registry import chunks, source_rows
from jaring.registry.chunks import ISSUE_COLUMNS, VALUE_COLUMNS
from jaring.store import dialect
from jaring.store.tables.registry import registry_batch, registry_chunk, registry_file

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from jaring.registry.intake import ReadFile

#: Validated columns of a source row (kept under this name: the CLI and web import it).
ROW_COLUMNS = VALUE_COLUMNS


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
        from jaring.registry.intake import raw_keys

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
    """One sheet of one file of the import: its rows are consecutive in ``Batch.rows``."""

    file_idx: int
    sheet: str | None
    width: int  # cells per row: c0 .. c{width-1}


@dataclasses.dataclass
class Batch:
    """What one import writes. ``rows``: ``_part`` (index into ``parts``), ``row_number``,
    ``status``, :data:`ROW_COLUMNS` and the cells ``c0``..., in source order; ``issues`` is
    long (``_row``: the position of its row in ``rows``, then :data:`ISSUE_COLUMNS`), in row
    order."""

    source: str
    imported_by: str | None
    listed_on: dt.date
    files: list[FileInfo]
    files_skipped: int
    parts: list[Part]
    rows: pl.DataFrame
    issues: pl.DataFrame


def write(engine: Engine, batch: Batch) -> dict[str, Any]:
    """Store ``batch`` (skipping files and rows already stored for its source) in one
    transaction. Returns ``batch`` (id), ``rows``, ``accepted``, ``rejected``, ``warnings``,
    ``duplicates_skipped``, ``files``, ``files_skipped``."""
    with engine.begin() as conn:
        return _write(conn, batch)


def _write(conn: Connection, b: Batch) -> dict[str, Any]:
    batch_id = int(
        conn.execute(
            insert(registry_batch)
            .values(
                source=b.source,
                imported_by=b.imported_by,
                imported_at=dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
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
    if dialect.of(conn).row_locks:  # SQLite's file lock already serialises imports
        dialect.lock_table(conn, registry_chunk)
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
    conn.execute(update(registry_batch).where(registry_batch.c.id == batch_id).values(**summary))
    return {"batch": batch_id, **summary}


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
    """Leave out the rows already stored for ``source`` (see the module docstring)."""
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
