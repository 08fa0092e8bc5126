"""Files in, staged and validated rows out (pure: reads the files it is given, nothing else).

CSV in any delimiter, UTF-8 (with or without BOM) or Windows-1252; XLSX, every sheet or a
chosen one. A title line above the header ("DAFTAR PEDAGANG PASAR REMU 2024") is skipped:
the header is the first of the first ten lines with the most recognised column names. Every
row keeps its sheet, row number (as the operator sees it in Excel) and raw values.

``validate_rows`` turns canonical text columns into clean values and a list of issues per
row; a row with any error is ``rejected`` and waits for correction, the others ``accepted``.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from jaring.errors import JaringError, require_file
from jaring.registry import columns as cols
from jaring.registry import errors, files
from jaring.registry.errors import SEVERITY
from jaring.registry.nik import ISSUE, attach_issues, gather_issues, issue
from jaring.registry.nik import validate_text as validate_nik_text
from jaring.registry.normalise import (
    normalise_names,
    normalise_phone,
    normalise_place,
    normalise_sex,
    parse_date,
    parse_rupiah,
)
from jaring.registry.regions import places

DELIMITERS = (",", ";", "\t", "|")
#: A cell that starts like a spreadsheet formula (OWASP, CSV injection), and holds more than
#: a dash or two (a lone "-" is how lists say "none").
FORMULA = r"^[=+\-@\t\r].*[^\s\-]"
HEADER_SCAN = 10
_HEAD_CHARS = 1 << 20


@dataclasses.dataclass
class Sheet:
    """One table read from a file: ``frame`` has one String column per header (named by
    position ``c0``, ``c1``...), plus ``row_number``; ``headers`` are the names as typed."""

    sheet: str | None
    headers: list[str]
    mapping: dict[str, str]  # header as typed -> canonical field
    frame: pl.DataFrame
    mangled_numeric_nik: bool = False  # XLSX NIK cells stored as numbers (digits lost)


@dataclasses.dataclass
class ReadFile:
    name: str
    sha256: str
    size: int
    sheets: list[Sheet]


def read_file(path: str | Path, *, sheet: str | None = None) -> ReadFile:
    """Read a CSV or XLSX file into staged tables (every sheet with a recognisable header)."""
    p = require_file(path)
    suffix = p.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".tsv"):
        raise errors.FILE_TYPE(file=p.name)
    # hashed while it is parsed: hashlib lets go of the GIL on large buffers, Polars too
    with ThreadPoolExecutor(max_workers=1) as pool:
        if suffix in (".csv", ".txt", ".tsv"):
            # a CSV is not read into memory first: Polars maps the file itself, hashlib reads
            # it in blocks (no copy of the whole file, twice, through a BytesIO)
            digest = pool.submit(_sha256_file, p)
            sheets = [_read_csv(p, p.name)]
            size = p.stat().st_size
        else:
            data = p.read_bytes()
            digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
            sheets = _read_xlsx(data, p.name, sheet)
            size = len(data)
        return ReadFile(name=p.name, sha256=digest.result(), size=size, sheets=sheets)


def _sha256_file(p: Path) -> str:
    with p.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), else Windows-1252 (what Excel on Indonesian Windows saves), byte
    by byte where a file mixes them."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="jaring-cp1252")


def _find_header(rows: list[list[str]]) -> int:
    scores = [cols.header_score(r) for r in rows[:HEADER_SCAN]]
    if not scores:
        return 0
    best = max(scores)
    return scores.index(best) if best > 0 else 0


def _read_csv(source: bytes | Path, name: str) -> Sheet:
    """A CSV file (its bytes, or its path) as a sheet: UTF-8 (with or without BOM) when the
    whole file is UTF-8, else Windows-1252 (what Excel on Indonesian Windows saves).

    The file is not checked up front: its head is decoded strictly, and Polars refuses
    invalid UTF-8 in every cell it reads, so a UTF-8 read that succeeds was of a UTF-8 file;
    a refusal reads it again as Windows-1252 (a check of the whole file first would cost a
    copy of the file). A header refused as unmappable under UTF-8
    is re-read as Windows-1252 when the file is not UTF-8, as a whole-file check would have.
    A path is read by Polars from the file (it skips a UTF-8 BOM itself); only its head is
    read here, unless the file is not UTF-8."""
    body: bytes | Path
    data: Callable[[], bytes]
    if isinstance(source, Path):
        with source.open("rb") as f:
            first = f.read(len(codecs.BOM_UTF8) + 4 * _HEAD_CHARS + 1)
            f.seek(0)
            sniff = f.read(4096)
        if files.utf16_encoding(sniff) or files.looks_binary(sniff):
            return _read_csv(files.decode_text(source.read_bytes(), name).encode("utf-8"), name)
        if files.has_nul(source):  # PostgreSQL refuses NUL in text: the bytes go
            return _read_csv(source.read_bytes().replace(b"\x00", b""), name)
        head = _without_bom(first)
        body, data = source, source.read_bytes
    elif files.utf16_encoding(source[:4096]) or files.looks_binary(source[:4096]):
        return _read_csv(files.decode_text(source, name).encode("utf-8"), name)
    elif b"\x00" in source:
        return _read_csv(source.replace(b"\x00", b""), name)
    else:
        raw = source
        head = body = _without_bom(raw)
        data = lambda: raw  # noqa: E731
    try:
        return _parse_csv(body, _utf8_head(head, data), name)
    except UnicodeDecodeError:
        pass
    except pl.exceptions.ComputeError as e:
        if "utf-8" not in str(e).lower():
            raise
    except JaringError:
        if is_utf8(data()):
            raise
    # not UTF-8 throughout: Windows-1252, or UTF-8 lines mixed with Windows-1252 ones (each
    # byte that is not UTF-8 is read as Windows-1252, the UTF-8 lines stay as they are)
    text = data().decode("utf-8", errors="jaring-cp1252")
    return _parse_csv(text.encode("utf-8"), _head(text), name)


def _parse_csv(body: bytes | Path, head_lines: list[str], name: str) -> Sheet:
    """The sheet of a CSV whose ``body`` is UTF-8 and whose first lines are ``head_lines``:
    the delimiter and header row that recognise the most headers, then every row after it."""
    best: tuple[int, int, str] = (-1, 0, ",")
    for d in DELIMITERS:
        try:
            rows = list(csv.reader(head_lines, delimiter=d))
        except csv.Error:  # a cell beyond the csv module's limit (128 KiB)
            raise errors.CELL_TOO_LONG(file=name, limit=csv.field_size_limit()) from None
        idx = _find_header(rows)
        score = cols.header_score(rows[idx]) if rows else 0
        if score > best[0]:
            best = (score, idx, d)
    _, idx, delim = best
    head_rows = list(csv.reader(head_lines, delimiter=delim)) if head_lines else []
    headers = [h.strip() for h in head_rows[idx]] if head_rows else []
    mapping = cols.map_headers(headers, where=name)
    frame = _read_cells(
        body, delim, idx + 1, len(headers), max([len(r) for r in head_rows[idx:]] or [0]), name
    )
    if frame.width > len(headers):  # cells beyond the header: kept, named kolom_N (raw_keys)
        headers = headers + [""] * (frame.width - len(headers))
    names = list(frame.columns)
    frame = frame.with_columns(row_number=pl.int_range(idx + 2, idx + 2 + frame.height))
    return Sheet(None, headers, mapping, _drop_blank(frame, names))


def _read_cells(
    body: bytes | Path, delim: str, skip: int, header: int, width: int, name: str
) -> pl.DataFrame:
    """The rows after the header as ``c0``.. String columns: the ``header``'s many, or as
    many as the widest row.

    Polars takes its column count from the first row it reads: a first row shorter or longer
    than the rest made it refuse the file, and a longer row later was cut to size (its cells
    lost). So it gets ``width`` columns (the widest of the header and the lines after it among
    the first ten), short rows are padded with nulls, and a row wider than that makes it
    raise: then it reads again with twice the width, and columns beyond the header that no
    row fills are dropped. A list that is as wide as its header costs nothing more."""
    width = max(width, header, 1)
    while True:
        names = [f"c{i}" for i in range(width)]
        try:
            frame = pl.read_csv(
                io.BytesIO(body) if isinstance(body, bytes) else body,
                separator=delim,
                has_header=False,
                skip_rows=skip,
                schema=dict.fromkeys(names, pl.String),
                missing_columns="insert",
                extra_columns="raise",
                truncate_ragged_lines=False,
                quote_char='"',
            )
        except (pl.exceptions.SchemaError, pl.exceptions.ComputeError) as e:
            if "not properly escaped" in str(e):
                raise _unclosed_quote(body, delim, skip, name) from None
            if "more fields" not in str(e) and "not specified in schema" not in str(e):
                raise
            width *= 2
            continue
        filled = frame.select(pl.all().is_not_null().any()).row(0)
        last = max((i for i, f in enumerate(filled) if f), default=-1)
        # one chunk per column, once: the reader gives some fifty per million rows, and every
        # later step that put a column of one chunk beside them made Polars copy them all again
        return frame.select(names[: max(last + 1, header, 1)]).rechunk()


def _unclosed_quote(body: bytes | Path, delim: str, skip: int, name: str) -> JaringError:
    """The refusal of a CSV in which a quoted cell is never closed (Polars refuses the file:
    the rest of it would be one cell), naming the line where that cell begins, as the csv
    module finds it (only on this path: the file is read whole once more)."""
    data = body.read_bytes() if isinstance(body, Path) else body
    lines = io.StringIO(decode(data), newline="")
    for _ in range(skip):
        lines.readline()
    reader = csv.reader(lines, delimiter=delim, strict=True)
    line = skip + 1
    try:
        for _ in reader:
            line = skip + reader.line_num + 1
    except csv.Error:
        pass
    return errors.CSV_UNCLOSED_QUOTE(file=name, row=line)


def _without_bom(data: bytes) -> bytes:
    return data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data


def _utf8_head(head: bytes, data: Callable[[], bytes]) -> list[str]:
    """The first :data:`HEADER_SCAN` lines of a UTF-8 file whose first bytes (after any BOM)
    are ``head``, more than ``4 * _HEAD_CHARS`` of them when the file is longer (raises
    ``UnicodeDecodeError`` when they are not UTF-8). Only the head becomes text, not the whole
    file to read ten lines: the first million characters
    are split, not a million lines, unless they hold too few lines (very long lines): then
    the whole file, ``data()``, is."""
    prefix = head[: 4 * _HEAD_CHARS]  # holds the first _HEAD_CHARS characters (<= 4 bytes)
    text = codecs.getincrementaldecoder("utf-8")().decode(prefix, final=False)
    longer = len(text) > _HEAD_CHARS or len(head) > 4 * _HEAD_CHARS  # than _HEAD_CHARS characters
    head_lines = text[:_HEAD_CHARS].splitlines()
    if len(head_lines) <= HEADER_SCAN and longer:
        head_lines = _without_bom(data()).decode("utf-8").splitlines()
    return head_lines[:HEADER_SCAN]


def _head(text: str) -> list[str]:
    """The first :data:`HEADER_SCAN` lines of ``text``."""
    head_lines = text[:_HEAD_CHARS].splitlines()
    if len(head_lines) <= HEADER_SCAN and len(text) > _HEAD_CHARS:
        head_lines = text.splitlines()
    return head_lines[:HEADER_SCAN]


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, as ``bytes.decode`` judges it, without building the
    string: Polars' check of a Binary cast to String (SIMD; twice as fast). Only when a
    header is refused: a successful read is its own check."""
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String, strict=True)
    except pl.exceptions.ComputeError:
        return False
    return True


def _read_xlsx(data: bytes, name: str, wanted: str | None) -> list[Sheet]:
    reader = files.open_workbook(data, name)  # checked: dimensions, inflated size, type
    names = reader.sheet_names
    if wanted is not None:
        if wanted not in names:
            raise errors.SHEET_NOT_FOUND(file=name, sheet=wanted, sheets=", ".join(names))
        names = [wanted]
    out: list[Sheet] = []
    refusals: list[JaringError] = []
    for sh in names:
        raw = _without_nul(files.load_sheet(reader, name, sh, header_row=None, dtypes="string"))
        if raw.height == 0:
            continue
        top = [[("" if v is None else str(v)) for v in r] for r in raw.head(HEADER_SCAN).rows()]
        idx = _find_header(top)
        headers = [c.strip() for c in top[idx]]
        try:
            mapping = cols.map_headers(headers, where=f"{name} [{sh}]")
        except JaringError as e:
            refusals.append(e)
            continue
        positional = [f"c{i}" for i in range(len(headers))]
        frame = raw.slice(idx + 1).rename(dict(zip(raw.columns, positional, strict=True)))
        frame = frame.with_columns(row_number=pl.int_range(idx + 2, idx + 2 + frame.height))
        mangled = False
        nik_header = next((h for h, f in mapping.items() if f == "nik"), None)
        if nik_header is not None:
            pos = headers.index(nik_header)
            typed = files.load_sheet(
                reader, name, sh, header_row=None, use_columns=[pos], skip_rows=idx + 1
            )
            mangled = typed.width == 1 and typed.dtypes[0].is_numeric()
        out.append(Sheet(sh, headers, mapping, _drop_blank(frame, positional), mangled))
    if not out:
        if refusals:
            raise refusals[0]
        raise errors.FILE_EMPTY(file=name)
    return out


def _without_nul(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with NUL characters removed from its text cells (PostgreSQL refuses them
    in text; a name holding one made every later upload fail); not copied when none has."""
    text = [n for n, t in frame.schema.items() if t == pl.String]
    if not text or frame.height == 0:
        return frame
    found = frame.select(pl.col(n).str.contains("\x00", literal=True).any() for n in text)
    dirty = [n for n, f in zip(text, found.row(0), strict=True) if f]
    if not dirty:
        return frame
    return frame.with_columns(pl.col(n).str.replace_all("\x00", "", literal=True) for n in dirty)


def _drop_blank(frame: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    """Drop rows with nothing in any cell (Excel's trailing empty rows are not source rows):
    every cell null or whitespace.

    One column, the fullest, is stripped to find the rows that hold something there (nearly
    all); only the others are stripped across every column, not every cell of every row; with
    no blank row the frame is not copied."""
    if not names or frame.height == 0:
        return frame
    fullest = min(names, key=lambda n: frame.get_column(n).null_count())
    # from the column alone: a select on the frame, whose CSV columns come in chunks and
    # row_number in one, re-chunked every column first
    keep = frame.get_column(fullest).to_frame().select(_filled(pl.col(fullest))).to_series()
    unsure = frame.with_row_index("_i").filter(~keep)
    if unsure.height:
        keep.scatter(
            unsure.get_column("_i"),
            unsure.select(pl.any_horizontal(_filled(pl.col(n)) for n in names)).to_series(),
        )
    return frame if keep.all() else frame.filter(keep)


def _filled(cell: pl.Expr) -> pl.Expr:
    """Whether a text cell holds anything but whitespace (false for null)."""
    return (cell.str.strip_chars().str.len_bytes() > 0).fill_null(False)


def raw_keys(headers: list[str]) -> list[str]:
    """The names of the cells as typed, in file column order: the header as typed, ``kolom_N``
    for a blank one, ``name_2`` for a repeated one. Kept once per file and sheet in
    ``registry_file.headers``, not in every row."""
    seen: dict[str, int] = {}
    keys = []
    for i, h in enumerate(headers):
        key = h or f"kolom_{i + 1}"
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}_{seen[key]}"
        keys.append(key)
    return keys


def field_positions(headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Canonical field -> the position of the cell it is read from: the first column whose
    header maps to it (``columns.map_headers``), also when a header is repeated."""
    keys = raw_keys(headers)
    return {field: keys.index(header) for header, field in mapping.items() if header in keys}


def canonical(sheet: Sheet) -> pl.DataFrame:
    """The sheet's rows as canonical text columns (every field in ``columns.FIELDS``, null
    where the list has no such column), plus ``row_number`` and the cells as typed, ``c0``
    .. ``c{n-1}`` in file column order, which are stored as they are (their names,
    :func:`raw_keys`, once per file).

    The fields hold the cells as typed: :func:`validate_long` strips them, once, where values
    repeat once per distinct value (not here as well)."""
    at = field_positions(sheet.headers, sheet.mapping)
    n = sheet.frame.height
    exprs = []
    for f in cols.FIELDS:
        if f not in at:
            exprs.append(constant(None, n, pl.String).alias(f))
        else:
            exprs.append(pl.col(f"c{at[f]}").alias(f))
    cells = [f"c{i}" for i in range(len(sheet.headers))]
    return sheet.frame.select(
        *exprs,
        pl.col("row_number").cast(pl.Int32),
        *cells,
        constant(sheet.mangled_numeric_nik, n, pl.Boolean).alias("nik_numeric"),
    )


def constant(
    value: str | int | bool | None, n: int, dtype: pl.DataType | type[pl.DataType]
) -> pl.Expr:
    """A column of ``n`` times ``value``, to add beside columns read from a file. Not
    ``pl.lit``: a literal beside the CSV reader's columns (49 chunks each for a million rows)
    made Polars copy every column into one chunk; ``pl.repeat`` leaves them as they are."""
    return pl.repeat(value, n, dtype=dtype)


def _blank_to_null(lf: pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """``columns`` as stripped text, blank -> null. Two steps: in one expression Polars
    computes the strip twice, once for the test and once for the value."""
    return lf.with_columns(
        pl.col(c).cast(pl.String).str.strip_chars() for c in columns
    ).with_columns(pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in columns)


def value_ids(values: pl.Expr) -> pl.Expr:
    """A UInt32 per row, the same for the same text (null for null): a cast to a Categorical of
    its own (``pl.Categories.random()``, dropped with the result). One hashing pass; the
    ``unique`` and string join it replaces hashed every row twice, and a join on the id is
    cheap."""
    own = pl.Categorical(pl.Categories.random())
    return values.cast(pl.String).cast(own).to_physical()


def combination_ids(ids: list[pl.Series], limit: int = 2**62) -> pl.Series:
    """An Int64 per row, the same where every one of ``ids`` (UInt32 value ids, nulls too) is
    the same: the ids in mixed radix (a join on several columns row-encodes them, as slow as
    on text). Where the next radix would pass ``limit`` the key so far is renumbered densely.

    One expression over a frame of the ids, not a Series per step: the casts, fills,
    products and sums fuse into one pass instead of seven."""
    frame = pl.DataFrame([column.rename(f"_{i}") for i, column in enumerate(ids)])
    key: pl.Expr | None = None
    radix = 1
    for i, column in enumerate(ids):
        size = _largest(column) + 2  # null -> size - 1
        digit = pl.col(f"_{i}").cast(pl.Int64).fill_null(size - 1)
        if key is None:
            key, radix = digit, size
            continue
        if radix * size >= limit:
            dense = frame.select(key.rank("dense").cast(pl.Int64) - 1).to_series()
            frame = frame.with_columns(dense.alias("_dense"))
            key, radix = pl.col("_dense"), _largest(dense) + 1
        key = key * size + digit
        radix *= size
    if key is None:
        return pl.Series("_id", dtype=pl.Int64)
    return frame.select(key.alias("_id")).to_series()


def _largest(ids: pl.Series) -> int:
    top = ids.max()
    return top if isinstance(top, int) else 0


def _distinct(
    values: pl.Series, ids: pl.Series, out: str, parse: Callable[[pl.LazyFrame], pl.LazyFrame]
) -> pl.LazyFrame:
    """One row per distinct value (by its :func:`value_ids` ``ids``, ``_id``, in order, null
    last): ``out`` (the value stripped, blank -> null) and the columns ``parse`` adds. Lists
    repeat themselves (a million rows held 293k names, 17k birth dates, 31 district names):
    the strip and the regexes run on the distinct values only (birth dates: 0.77 -> 0.12 CPU
    s; names 1.5 -> 0.9), and :func:`_each` copies the results to the rows. Phones (700k
    distinct in a million) and NIKs are parsed directly."""
    keyed = pl.DataFrame([ids.rename("_id"), values.cast(pl.String).rename(out)]).lazy()
    distinct = _blank_to_null(keyed.filter(pl.col("_id").is_first_distinct()), [out])
    return parse(distinct).sort("_id", nulls_last=True)


def _positions(distinct: pl.DataFrame, ids: pl.Series) -> pl.Series:
    """For each of ``ids`` (value ids, nulls too), the row of :func:`_distinct`'s
    ``distinct`` that holds its value (UInt32): the id itself where the ids are 0..n-1 (a
    Categorical of its own numbers its values so), the null value's row last; a join
    otherwise (a join costs several times the gather). Validation gathers by these positions
    (:func:`_each`) only what rows keep."""
    known = distinct.height - (1 if ids.null_count() else 0)
    if known == 0 or _largest(distinct.get_column("_id")) == known - 1:
        return ids.fill_null(distinct.height - 1)
    table = distinct.select("_id").with_row_index("_at")
    joined = (
        ids.rename("_id")
        .to_frame()
        .join(table, on="_id", how="left", maintain_order="left", nulls_equal=True)
    )
    return joined.get_column("_at")


def _check_niks(frame: pl.DataFrame, today: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The NIK as typed (``_nik_raw``: stripped, blank -> null) and what it says
    (``nik_district_code``, ``nik_clean``, ``nik_birth_date``, ``nik_sex``), and its issues
    (``_row``). The cross-checks with the typed birth date and sex, which need the parsed
    columns, are left to the caller: this runs beside their parsing.

    Also ``_nik_district_id``, the district's :func:`value_ids` for the combinations of
    places: this thread ends before the parsing beside it, so hashing the district codes
    here does not come after both."""
    numeric = pl.col("nik_numeric").fill_null(False) if "nik_numeric" in frame.columns else False
    niks = _blank_to_null(frame.lazy().select("nik", nik_numeric=numeric), ["nik"]).collect(
        engine="in-memory"
    )
    checked, issues = validate_nik_text(niks, niks, today=today)  # stripped: its own text
    return (
        checked.select(
            _nik_raw="nik",
            nik_district_code="nik_district_code",
            nik_clean="nik_clean",
            nik_birth_date="nik_birth_date",
            nik_sex="nik_sex",
            _nik_district_id=value_ids(pl.col("nik_district_code")),
        ),
        issues.rename({"_nik_row": "_row"}),
    )


def _parsed(
    parse: Callable[[pl.Expr], pl.Expr], col: str, out: str
) -> Callable[[pl.LazyFrame], pl.LazyFrame]:
    """A :func:`_distinct` parser that adds ``out = parse(col)``."""
    return lambda lf: lf.with_columns(parse(pl.col(col)).alias(out))


def _desil(col: pl.Expr) -> pl.Expr:
    return col.str.replace(r"\.0+$", "").cast(pl.Int16, strict=False)


def _combinations(frame: pl.DataFrame, ids: list[pl.Series]) -> tuple[pl.DataFrame, pl.Series]:
    """The distinct combinations of ``frame``'s columns (by their :func:`value_ids` ``ids``),
    each as the row where it first appears, in that order; and for every row the position of
    its combination among them (UInt32)."""
    key = combination_ids(ids)
    first = key.is_first_distinct()
    return frame.filter(first), _key_positions(key.filter(first), key)


def _resolve(combos: pl.DataFrame, region: str | None) -> pl.DataFrame:
    """``district`` and ``village`` (stripped, blank -> null), ``_dist_named`` (the district
    named, in the NIK's regency or else the list's), ``_vill`` (the village named, in that
    district, the NIK's, or else anywhere in the regency where the name is unique) and
    ``_district_code`` (the district named, the village's, else the NIK's), one row per row of
    ``combos`` (``nik_district_code``, ``district`` and ``village`` as typed), in order.

    Resolved once per distinct combination of the three (:func:`_combinations`: a few
    hundred in a million rows) and spread back, not by value with three joins over every
    row. Every join is on keys unique on the right, left order kept."""
    f = _blank_to_null(
        combos.lazy().select("nik_district_code", "district", "village"), ["district", "village"]
    ).with_columns(
        _dkey=normalise_place(pl.col("district")),
        _vkey=normalise_place(pl.col("village")),
        # names scoped by the NIK's regency, else the list's regency
        _regency=pl.coalesce(pl.col("nik_district_code").str.slice(0, 5), pl.lit(region)),
    )
    districts = places(2).rename({"parent": "_regency", "key": "_dkey", "code": "_dist_named"})
    f = f.join(districts.lazy(), on=["_regency", "_dkey"], how="left", maintain_order="left")
    f = f.with_columns(_dist_scope=pl.coalesce("_dist_named", "nik_district_code"))
    villages = places(3).rename({"parent": "_dist_scope", "key": "_vkey", "code": "_vill"})
    f = f.join(villages.lazy(), on=["_dist_scope", "_vkey"], how="left", maintain_order="left")
    # a village named without a district: look for it across the regency
    f = f.join(
        _villages_by_regency().lazy(), on=["_regency", "_vkey"], how="left", maintain_order="left"
    )
    f = f.with_columns(
        _vill=pl.when(pl.col("_dist_named").is_null() & pl.col("_vill").is_null())
        .then(pl.col("_vill_r"))
        .otherwise(pl.col("_vill"))
    ).with_columns(
        _district_code=pl.coalesce(
            "_dist_named", pl.col("_vill").str.slice(0, 8), "nik_district_code"
        )
    )
    f = f.select("district", "village", "_dist_named", "_vill", "_district_code")
    return f.collect(engine="in-memory")


@cache
def _villages_by_regency() -> pl.DataFrame:
    """Village names unique within their regency: ``_regency``, ``_vkey`` -> ``_vill_r``.
    Read-only data, grouped once per process (not by every import: the group-by runs over
    every village of Indonesia)."""
    return (
        places(3)
        .with_columns(_regency=pl.col("parent").str.slice(0, 5))
        .group_by("_regency", "key")
        .agg(pl.col("code").first().alias("_vill_r"), pl.len().alias("_n"))
        .filter(pl.col("_n") == 1)
        .drop("_n")
        .rename({"key": "_vkey"})
    )


def _key_positions(table_keys: pl.Series, keys: pl.Series) -> pl.Series:
    """For each of ``keys`` (Int64), its position in ``table_keys`` (distinct, holding every
    one of them), UInt32: through an array indexed by key where the keys are small enough
    (a few bytes a row, a tenth of a join's time), else by a join."""
    size = _largest(keys) + 1
    if size > 4 * keys.len() + 4096:
        table = table_keys.rename("_id").to_frame().with_row_index("_at")
        joined = (
            keys.rename("_id").to_frame().join(table, on="_id", how="left", maintain_order="left")
        )
        return joined.get_column("_at")
    position = pl.repeat(None, size, dtype=pl.UInt32, eager=True)
    position.scatter(table_keys, pl.int_range(table_keys.len(), dtype=pl.UInt32, eager=True))
    return position.gather(keys)


def infer_regency(district_codes: pl.Series, counts: pl.Series | None = None) -> str | None:
    """The regency (``96.71``) most of ``district_codes`` (current district codes, such as
    those valid NIKs point to; nulls ignored) lie in; a tie goes to the lowest code. Counted
    per distinct district first: a few hundred, not a million.

    ``counts``: how many each code stands for (validation passes the rows of each distinct
    combination of :func:`_combinations`, counted from their positions, instead of counting
    every row's code again), else one each."""
    name = district_codes.name
    if counts is None:
        weighed = district_codes.drop_nulls().value_counts(name="n")
    else:
        weighed = pl.DataFrame([district_codes, counts.rename("n")]).drop_nulls(name)
    regencies = (
        weighed.group_by(pl.col(name).str.slice(0, 5).alias("regency"))
        .agg(pl.col("n").sum())
        .sort(["n", "regency"], descending=[True, False])
    )
    return None if regencies.height == 0 else str(regencies.item(0, "regency"))


WORKING_AGES = (15, 90)  # an age outside these (in whole years) is warned about


def age_on(birth: pl.Expr, on: dt.date) -> pl.Expr:
    """Age on ``on`` in whole years as people count them (Int32): the difference of the years,
    less one while the birthday (month, day) has not come yet that year. Born on 29 February:
    a year older on 1 March in a common year. (Days // 365.25 was a year off around some
    birthdays.)"""
    month_day = birth.dt.month().cast(pl.Int32) * 100 + birth.dt.day().cast(pl.Int32)
    not_yet = (month_day > on.month * 100 + on.day).cast(pl.Int32)
    return (on.year - birth.dt.year().cast(pl.Int32) - not_yet).cast(pl.Int32)


def outside_ages(birth: pl.Expr, on: dt.date, ages: tuple[int, int]) -> pl.Expr:
    """Whether :func:`age_on` of ``birth`` is outside ``ages`` (inclusive; null: no), by two
    comparisons of the date with the last birth date of each bound, not the age of every row:
    ``age >= n`` exactly when ``birth <= on`` less ``n`` years (29 February on 28 February in
    a common year, which ``offset_by`` gives), far cheaper than the year, month and day of
    every date. The age itself is worked out for the rows warned about only."""
    youngest, oldest = ages
    too_young = birth > pl.lit(on).dt.offset_by(f"-{youngest}y")
    too_old = birth <= pl.lit(on).dt.offset_by(f"-{oldest + 1}y")
    return birth.is_not_null() & (too_young | too_old)


def _each(table: pl.DataFrame, at: str, value: pl.Expr) -> pl.Expr:
    """``value`` worked out on ``table``'s rows (one per distinct value or combination), for
    every row by its position there (column ``at``): a value only some issues need is
    gathered for their rows alone, not spread to every row first (the typed birth date, sex,
    desil, income, district and village and the district named were 7 of the 15 columns
    spread to every row). Gathered from one chunk: from two (what some plans give,
    ``collect`` with the default engine here) a gather takes a slow path, several times
    slower."""
    return pl.lit(table.select(value).to_series().rechunk()).gather(pl.col(at))


_STATUS = ["accepted", "rejected"]
_FEW = 8  # positions tested by ``is_in`` (more, and the gather below is cheaper)


def _where(table: pl.DataFrame, at: str, cond: pl.Expr) -> pl.Expr:
    """Whether ``cond`` holds (null: no) on ``table``'s row at every row's position (column
    ``at``), tested on the table first: where it holds nowhere, false (no pass over the
    rows); on a few rows, the position among them (``is_in``); else the table's answers
    gathered."""
    holds = table.select(cond.fill_null(False)).to_series()
    hits = holds.arg_true()
    if hits.len() == 0:
        return pl.lit(False)
    if hits.len() <= _FEW:
        return pl.col(at).is_in(hits.cast(pl.UInt32).implode())
    return pl.lit(holds.rechunk()).gather(pl.col(at))


def validate_rows(
    frame: pl.DataFrame,
    *,
    listed_on: dt.date,
    region: str | None = None,
    today: dt.date | None = None,
) -> pl.DataFrame:
    """Validate canonical text rows (see :func:`canonical`) all at once.

    ``region`` (a regency code such as ``96.71``) scopes district and village names for rows
    whose NIK does not say where they are. Returns one row per input row with the clean
    columns of ``registry_row`` (``nik``, ``name``, ``name_norm``, ``birth_date``, ``sex``,
    ``district_code``, ``village_code``, ``address``, ``phone``, ``occupation``, ``income``,
    ``desil``), ``issues`` (list of ``{field, code, value, detail, severity}``) and
    ``status`` (``accepted`` / ``rejected``).
    """
    rows, long = validate_long(frame, listed_on=listed_on, region=region, today=today)
    rows = attach_issues(rows.with_row_index("_row"), long, "_row", "issues").drop("_row")
    return rows.select(*[c for c in rows.columns if c != "status"], "status")


def validate_long(
    frame: pl.DataFrame,
    *,
    listed_on: dt.date,
    region: str | None = None,
    today: dt.date | None = None,
    infer_region: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`validate_rows` with the issues in long form, as the import stores them: the
    rows (without ``issues``) and one line per issue (``_row``: the row's position, then
    ``field``, ``code``, ``value``, ``detail``, ``severity``), in row order. A list column
    per row costs a group-by and a join that a bulk import does not need.

    Every cell is stripped once: repeated columns once per distinct value (:func:`_distinct`),
    the others row by row, the NIK in a worker thread beside them.

    After the parsing, only what the rows keep is spread to every row (:func:`_each`; checks
    on a distinct value or combination, :func:`_where`), the by-value columns in a thread
    beside the combinations of places, and the regency is inferred from those combinations.

    ``infer_region``: without a ``region``, the list's regency is the one most valid NIKs
    belong to (:func:`infer_regency`), found from the NIK checks already made (no NIK is
    cleaned a second time for it)."""
    today = today or listed_on
    by_value: list[tuple[str, str, Callable[[pl.LazyFrame], pl.LazyFrame]]] = [
        ("name", "name", lambda lf: normalise_names(lf, "name", "_name_norm")),
        ("birth_date", "_bd_raw", _parsed(parse_date, "_bd_raw", "_bd")),
        ("sex", "_sex_raw", _parsed(normalise_sex, "_sex_raw", "_sex")),
        ("desil", "desil", _parsed(_desil, "desil", "_desil")),
        ("income", "income", _parsed(parse_rupiah, "income", "_income")),
    ]
    named = ["district", "village"]  # resolved per combination with the NIK's district
    direct = _blank_to_null(
        frame.lazy().select("row_number", "address", "phone", "occupation"),
        ["address", "phone", "occupation"],
    ).with_columns(_phone=normalise_phone(pl.col("phone")))  # mostly distinct: directly
    tables: dict[str, pl.DataFrame] = {}

    def each(table: str, value: pl.Expr) -> pl.Expr:
        return _each(tables[table], f"_at_{table}", value)

    def where(table: str, cond: pl.Expr) -> pl.Expr:
        return _where(tables[table], f"_at_{table}", cond)

    with ThreadPoolExecutor(max_workers=2) as pool:
        # the NIK's eager steps keep one core busy while the parts below use the other
        nik_job = pool.submit(_check_niks, frame, today)
        ids = frame.select(
            value_ids(pl.col(c)).alias(c) for c in [*(c for c, _, _ in by_value), *named]
        )
        direct_done, *distinct = pl.collect_all(
            [direct, *(_distinct(frame[c], ids[c], out, parse) for c, out, parse in by_value)],
            engine="in-memory",
        )
        tables.update((c, d.rechunk()) for d, (c, _, _) in zip(distinct, by_value, strict=True))
        at = pl.DataFrame([_positions(tables[c], ids[c]).rename(f"_at_{c}") for c in tables])
        # what the rows keep and the cross-checks read, gathered in a thread of its own
        # while the combinations of places, one core's eager steps, are found beside it
        values_job = pool.submit(
            at.select,
            each("name", pl.col("name")).alias("name"),
            each("name", pl.col("_name_norm")).alias("_name_norm"),
            each("birth_date", pl.col("_bd")).alias("_bd"),
            each("sex", pl.col("_sex")).alias("_sex"),
            each("desil", pl.col("_desil")).alias("_desil"),
            each("income", pl.col("_income")).alias("_income"),
        )
        niks, from_nik = nik_job.result()
        combos, at_places = _combinations(
            frame.select(named).with_columns(niks.get_column("nik_district_code")),
            [niks.get_column("_nik_district_id"), *ids[named]],
        )
        if region is None and infer_region:
            rows_each = pl.Series(np.bincount(at_places.to_numpy(), minlength=combos.height))
            region = infer_regency(combos.get_column("nik_district_code"), rows_each)
        tables["places"] = _resolve(combos, region).rechunk()
        places_at = at_places.rename("_at_places").to_frame()
        places_done = places_at.with_columns(
            each("places", pl.col("_vill")).alias("_vill"),
            each("places", pl.col("_district_code")).alias("_district_code"),
        )
        f = pl.concat([direct_done, niks, at, values_job.result(), places_done], how="horizontal")
    birth = pl.coalesce("_bd", "nik_birth_date")
    desil = pl.col("_desil")
    income = pl.col("_income")
    phone = pl.col("_phone")
    nik_ok = pl.col("nik_clean").is_not_null()
    bd_raw = each("birth_date", pl.col("_bd_raw"))
    bd_bad = where("birth_date", pl.col("_bd_raw").is_not_null() & pl.col("_bd").is_null())
    more = [  # after the NIK's own checks, as nik.validate_long orders its cross-checks
        issue(
            nik_ok & pl.col("_bd").is_not_null() & (pl.col("_bd") != pl.col("nik_birth_date")),
            "birth_date",
            "nik_birth_date_mismatch",
            pl.col("_bd"),
            pl.col("nik_birth_date"),
        ),
        issue(
            nik_ok & pl.col("_sex").is_not_null() & (pl.col("_sex") != pl.col("nik_sex")),
            "sex",
            "nik_sex_mismatch",
            pl.col("_sex"),
            pl.col("nik_sex"),
        ),
        issue(
            where("name", pl.col("_name_norm").is_null()), "name", "name_missing", pl.col("name")
        ),
        issue(bd_bad & ~nik_ok, "birth_date", "birth_date_invalid", bd_raw),
        issue(
            bd_bad & nik_ok,
            "birth_date",
            "birth_date_invalid_nik_used",
            bd_raw,
            pl.col("nik_birth_date"),
        ),
        issue(
            pl.col("_nik_raw").is_null() & where("birth_date", pl.col("_bd_raw").is_null()),
            "nik",
            "identity_missing",
            pl.col("_nik_raw"),
        ),
        issue(
            outside_ages(birth, listed_on, WORKING_AGES),
            "birth_date",
            "birth_date_out_of_range",
            birth,
            age_on(birth, listed_on),
        ),
        issue(
            where("sex", pl.col("_sex_raw").is_not_null() & pl.col("_sex").is_null()),
            "sex",
            "sex_invalid",
            each("sex", pl.col("_sex_raw")),
        ),
        issue(
            pl.col("phone").is_not_null() & phone.is_null(),
            "phone",
            "phone_invalid",
            pl.col("phone"),
        ),
        issue(
            where("places", pl.col("district").is_not_null() & pl.col("_dist_named").is_null()),
            "district",
            "district_unknown",
            each("places", pl.col("district")),
        ),
        issue(
            where("places", pl.col("village").is_not_null() & pl.col("_vill").is_null()),
            "village",
            "village_unknown",
            each("places", pl.col("village")),
        ),
        issue(
            where(
                "desil", pl.col("desil").is_not_null() & ~desil.is_between(1, 10).fill_null(False)
            ),
            "desil",
            "desil_invalid",
            each("desil", pl.col("desil")),
        ),
        issue(
            where("income", pl.col("income").is_not_null() & income.is_null()),
            "income",
            "income_invalid",
            each("income", pl.col("income")),
        ),
        # a cell a spreadsheet would run as a formula (CSV injection): flagged, kept as typed
        # (every CSV Jaring writes neutralises it: jaring.registry.files.write_csv)
        issue(
            where("name", pl.col("name").str.contains(FORMULA).fill_null(False)),
            "name",
            "formula_like",
            pl.col("name"),
        ),
        issue(
            pl.col("address").str.contains(FORMULA).fill_null(False),
            "address",
            "formula_like",
            pl.col("address"),
        ),
    ]
    f = f.with_columns(_row=pl.int_range(pl.len()))
    long = pl.concat([from_nik, gather_issues(f, more, "_row")], how="vertical_relaxed")
    long = long.with_columns(
        severity=pl.col("code").replace_strict(SEVERITY, return_dtype=pl.String)
    )
    long = long.sort("_row", maintain_order=True)
    # a row with an error waits: its status is _STATUS[1], gathered (cheaper in time and
    # memory than a when/then over every row)
    rejected = pl.zeros(f.height, dtype=pl.UInt32, eager=True)
    rejected.scatter(long.filter(pl.col("severity") == "error").get_column("_row"), 1)
    f = f.with_columns(pl.Series("status", _STATUS).gather(rejected))
    rows = f.select(
        "row_number",
        nik=pl.col("nik_clean"),
        name=pl.col("name"),
        name_norm=pl.col("_name_norm"),
        birth_date=birth,
        sex=pl.coalesce("_sex", "nik_sex"),
        district_code=pl.col("_district_code"),
        village_code=pl.col("_vill"),
        address=pl.col("address"),
        phone=phone,
        occupation=pl.col("occupation"),
        income=income,
        desil=pl.when(desil.is_between(1, 10)).then(desil),
        status=pl.col("status"),
    )
    return rows, long.with_columns(pl.col("_row").cast(pl.UInt32))


__all__ = [
    "ISSUE",
    "ReadFile",
    "Sheet",
    "canonical",
    "decode",
    "read_file",
    "validate_long",
    "validate_rows",
]
