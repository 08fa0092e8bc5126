"""Source rows as columnar chunks: the layout and its codec (pure: bytes in, frames out).

A worker list is written once and then read in bulk (deduplication, re-imports, exports) or a
few rows at a time (a person's page, a correction). Stored as Parquet chunks of
:data:`CHUNK_ROWS` rows they take a sixth of the room of one SQL row per source row, are
written in a fraction of a second and read back at millions of rows a second; see
``docs/registry.md`` ("How source rows are stored") for the figures.

A chunk covers consecutive source rows of one file and sheet, numbered ``first_row`` ..
``first_row + rows - 1`` (a row's id is its number). It holds two Parquet files:

* **rows**: ``row_number`` (as the operator sees it in Excel), ``status`` at import, the
  validated values (:data:`STORED_VALUES`) and the cells as typed, ``c0`` .. ``c{n-1}`` in
  file column order (their names are ``registry_file.headers``). The values that are only
  their cell trimmed (:data:`TRIMMED`: name, address, occupation) are not stored twice: they
  are read from their cell (:func:`trimmed`), which ``registry_file.columns`` names;
* **issues**: one line per issue found at import: ``row`` (the row's position in the chunk)
  and :data:`ISSUE_COLUMNS`.

Chunks never change. An operator's correction is stored beside them
(``registry_correction``) and wins when rows are read (:mod:`jaring.registry.queries.rows`).
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import polars as pl

#: Rows per chunk: small enough that reading one row decodes a few MB, large enough that a
#: million rows are 16 chunks (encoding them in two threads takes as long as encoding one
#: large file).
CHUNK_ROWS = 65_536

#: Version of the layout, stored with every chunk.
FORMAT = 1

#: Validated values of a source row (the same names as in ``person``, where they exist).
VALUE_COLUMNS = (
    "nik", "name", "name_norm", "birth_date", "sex", "district_code", "village_code",
    "address", "phone", "occupation", "income", "desil",
)  # fmt: skip

VALUE_SCHEMA: dict[str, pl.DataType] = {
    "nik": pl.String(),
    "name": pl.String(),
    "name_norm": pl.String(),
    "birth_date": pl.Date(),
    "sex": pl.String(),
    "district_code": pl.String(),
    "village_code": pl.String(),
    "address": pl.String(),
    "phone": pl.String(),
    "occupation": pl.String(),
    "income": pl.Int64(),
    "desil": pl.Int16(),
}

#: Values that are their cell as typed, trimmed (a blank cell: missing). A chunk does not
#: store them beside their cells: they are read from the cell (less to encode and store).
TRIMMED = ("name", "address", "occupation")

#: Validated values a chunk stores.
STORED_VALUES = tuple(c for c in VALUE_COLUMNS if c not in TRIMMED)

ISSUE_COLUMNS = ("field", "code", "severity", "value", "detail")

ISSUE_SCHEMA: dict[str, pl.DataType] = {c: pl.String() for c in ISSUE_COLUMNS}


def trimmed(cell: pl.Expr) -> pl.Expr:
    """A :data:`TRIMMED` value from its cell: stripped, blank -> null, as validation makes it
    (``intake._blank_to_null``; a test holds the two equal)."""
    text = cell.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def cell(i: int) -> str:
    """The column of the ``i``-th cell as typed (0-based, file column order)."""
    return f"c{i}"


def cells(width: int) -> list[str]:
    return [cell(i) for i in range(width)]


def is_cell(column: str) -> bool:
    return column[:1] == "c" and column[1:].isdigit()


def as_lists(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """``columns`` (String) of ``frame`` as one list per row, in column order. Laid out
    row-major by one gather and cut by ``reshape``, a few times faster than
    ``pl.concat_list``."""
    n, w = frame.height, len(columns)
    if w == 0:
        return pl.Series("raw", [[]] * n, dtype=pl.List(pl.String))
    flat = pl.concat([frame.get_column(c).cast(pl.String) for c in columns])  # column-major
    k = pl.int_range(0, n * w, dtype=pl.Int64, eager=True)
    row_major = flat.gather((k % w) * n + (k // w))
    return row_major.reshape((n, w)).cast(pl.List(pl.String)).alias("raw")


@dataclasses.dataclass(frozen=True)
class Chunk:
    """One chunk ready to store: where its rows come from and its two encoded parts."""

    part: int  # index of the (file, sheet) it belongs to, in the import's order
    first_row: int
    rows: int
    data: bytes
    issues: bytes | None


def encode(frame: pl.DataFrame) -> bytes:
    """A frame as Parquet bytes: zstd level 1 and no statistics (a third smaller than LZ4
    for the same time; higher levels cost more time than they save room)."""
    buf = io.BytesIO()
    frame.write_parquet(buf, compression="zstd", compression_level=1, statistics=False)
    return buf.getvalue()


def decode(data: bytes, columns: Sequence[str] | None = None) -> pl.DataFrame:
    """Parquet bytes as a frame, only ``columns`` when given (the others are not decoded)."""
    return pl.read_parquet(io.BytesIO(data), columns=list(columns) if columns else None)


def columns_of(data: bytes) -> list[str]:
    """The columns a chunk holds (its cells depend on its file's width)."""
    return list(pl.read_parquet_schema(io.BytesIO(data)))


def split(
    rows: pl.DataFrame,
    issues: pl.DataFrame,
    parts: Sequence[int],
    widths: Sequence[int],
    first_row: int,
    chunk_rows: int | None = None,
) -> Iterator[Chunk]:
    """Cut an import's rows into chunks and encode them (in threads: Polars releases the GIL
    while it encodes).
    Chunks are yielded in order as they are ready, so the caller stores one while the next
    are encoded.

    ``rows`` holds the rows in source order, ``_part`` (which file and sheet each row is
    from: consecutive rows share it), ``row_number``, ``status``, :data:`STORED_VALUES` (more
    columns are left out) and the cells; ``issues`` is long, sorted by ``_row`` (the row's position in ``rows``).
    ``parts`` lists the part numbers in order of appearance and ``widths`` the number of
    cells of each part. Row ``i`` gets the id ``first_row + i``. ``chunk_rows`` (default
    :data:`CHUNK_ROWS`) bounds a chunk.
    """
    size = chunk_rows or CHUNK_ROWS
    counts = rows.get_column("_part").value_counts(sort=False)
    length = dict(
        zip(counts.get_column("_part").to_list(), counts.get_column("count").to_list(), strict=True)
    )
    issue_pos = issues.get_column("_row")
    jobs: list[tuple[int, int, int, int]] = []  # part, start, stop, width
    start = 0
    for part in parts:
        n = int(length.get(part, 0))
        for a in range(start, start + n, size):
            jobs.append((part, a, min(a + size, start + n), widths[part]))
        start += n

    def one(job: tuple[int, int, int, int]) -> Chunk:
        part, a, b, width = job
        body = rows.slice(a, b - a).select("row_number", "status", *STORED_VALUES, *cells(width))
        bounds = issue_pos.search_sorted(pl.Series([a, b], dtype=issue_pos.dtype), side="left")
        lo, hi = int(bounds[0]), int(bounds[1])
        found = issues.slice(lo, hi - lo)
        issue_data = None
        if found.height:
            issue_data = encode(
                found.select((pl.col("_row") - a).cast(pl.UInt32).alias("row"), *ISSUE_COLUMNS)
            )
        return Chunk(part, first_row + a, b - a, encode(body), issue_data)

    if len(jobs) <= 1:
        yield from (one(j) for j in jobs)
        return
    with ThreadPoolExecutor(max_workers=min(len(jobs), os.cpu_count() or 2)) as pool:
        yield from pool.map(one, jobs)  # in order, each as soon as it is encoded
