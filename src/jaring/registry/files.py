"""Files people give Jaring and files Jaring gives them.

Reading (every list, answer or batch anyone may upload goes through here first):

* **Workbooks** (XLSX, XLS) are checked before a reader allocates anything
  (:func:`check_workbook`): the reader (calamine, through fastexcel) builds a dense grid
  from the first to the last cell of a sheet, so one cell at ``XFD1048576`` in a 5 KB file
  asked for 512 GiB and aborted the process. An XLSX is a zip: its members' declared sizes
  and compression ratios are checked, then every member is inflated once, as a stream, to
  check that it holds what it declares (a member lying about its size fails its CRC) and
  to find each sheet's real extent (the last row and column any cell names, and cells that
  name none). A sheet wider than :data:`MAX_CELLS`, a workbook inflating past
  :data:`MAX_INFLATED_BYTES` or :data:`MAX_RATIO` times its size, and anything that is not
  a workbook are refused (``sheet_too_large``, ``workbook_too_large``,
  ``file_unreadable``), never a crash. An XLS (BIFF) holds at most 65,536 x 256 cells by
  its format and is read as is.
* **Text** (CSV) is UTF-8 with or without BOM, UTF-16 (with a BOM, or recognised by its
  zero bytes), Windows-1252, or a mix of UTF-8 and Windows-1252 lines (two lists pasted
  together): each undecodable byte is read as Windows-1252 rather than the whole file.
  NUL bytes are removed (PostgreSQL refuses them in text; they made every later upload
  fail); a file that is mostly NUL bytes is not text and is refused.

Writing: frames as CSV, XLSX or Parquet (:func:`write_frame`); every CSV Jaring writes
goes through :func:`write_csv`, which neutralises text cells a spreadsheet would take for a
formula (OWASP, "CSV injection"): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return gets a leading ``'``. Numbers stay numbers (a negative amount is a
number, not a formula)."""

from __future__ import annotations

import codecs
import io
import mmap
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import fastexcel
import polars as pl

from jaring.errors import JaringError
from jaring.registry import errors

FORMATS = ("csv", "xlsx", "parquet")

# --------------------------------------------------------------------------- workbooks

#: Most bytes a workbook may inflate to, all members together.
MAX_INFLATED_BYTES = 1 << 30
#: Most times a member may inflate beyond its compressed size (real sheets: 5 to 30 times;
#: a zip bomb: a thousand). Members under :data:`RATIO_FLOOR` are not judged by ratio.
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20
#: Most members a workbook may hold (a real one has a dozen or two per sheet).
MAX_MEMBERS = 10_000
#: Most cells a sheet may span, from A1 to its last row and column: the reader allocates
#: about 32 bytes for each, filled or not, then a column-wise copy (2**22 cells: about 280,000
#: rows of 15 columns, some 300 MiB at the peak; 2**24 took more than 1.5 GiB under the fuzz
#: test's ceiling). Larger lists come as CSV, which is read without such a grid.
MAX_CELLS = 1 << 22

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 24
_OVERLAP = 256

_ROW_REF = re.compile(rb'\sr="([0-9]+)"')  # <row r="12">: only rows name a plain number
_COL_REF = re.compile(rb'\sr="([A-Z]{1,3})[0-9]')  # <c r="AB12">
_COL_2 = re.compile(rb'\sr="[A-Z]{2}[0-9]')
_COL_3 = re.compile(rb'\sr="[A-Z]{3}[0-9]')
_CELL_NO_REF = re.compile(rb'<(?:\w+:)?c(?=[\s/>])(?![^>]*\sr=")')
_ROW_NO_REF = re.compile(rb'<(?:\w+:)?row(?=[\s/>])(?![^>]*\sr=")')
_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s/>])")
_ROW = re.compile(rb"<(?:\w+:)?row(?=[\s/>])")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_ATTR = re.compile(rb'(\S+?)="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out or "A"


class _Extent:
    """The last row and column a sheet's cells name, found in its XML as it streams by."""

    def __init__(self) -> None:
        self.rows = 0
        self.bound = 0  # an upper bound of the last column: 26, 702 or 16384
        self.unnamed_cells = 0  # cells (rows) that name no position: placed after the last
        self.unnamed_rows = 0
        self.has_unnamed = False

    def feed(self, chunk: bytes) -> None:
        refs = _ROW_REF.findall(chunk)
        if refs:
            self.rows = max(self.rows, max(int(r) for r in refs))
        if self.bound < 16384:
            if _COL_3.search(chunk):
                self.bound = 16384
            elif self.bound < 702 and _COL_2.search(chunk):
                self.bound = 702
            elif self.bound < 26 and _COL_REF.search(chunk):
                self.bound = 26
        if _CELL_NO_REF.search(chunk) or _ROW_NO_REF.search(chunk):
            self.has_unnamed = True
            self.unnamed_cells += len(_CELL.findall(chunk))
            self.unnamed_rows += len(_ROW.findall(chunk))


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterable[tuple[bytes, int]]:
    """A member inflated in chunks, each with the end of the one before (a pattern cut in
    two is still found), and how many of its bytes are new. Raises ``BadZipFile`` when the
    member holds more than it declares (its CRC fails)."""
    tail = b""
    with zf.open(info) as f:
        while True:
            block = f.read(_CHUNK)
            if not block:
                return
            yield tail + block, len(block)
            tail = block[-_OVERLAP:]


def _sheet_names(zf: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Member path (``xl/worksheets/sheet1.xml``) -> the sheet's name as Excel shows it."""
    out: dict[str, str] = {}
    try:
        book = zf.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
        rels = (
            zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
        )
    except Exception:
        return out
    targets: dict[bytes, bytes] = {}
    for rel in _REL.findall(rels):
        attrs = dict(_ATTR.findall(rel))
        if b"Id" in attrs and b"Target" in attrs:
            targets[attrs[b"Id"]] = attrs[b"Target"]
    for sheet in _SHEET.findall(book):
        attrs = dict(_ATTR.findall(sheet))
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), None)
        if rid in targets and b"name" in attrs:
            target = targets[rid].decode("utf-8", "replace").lstrip("/")
            path = target if target.startswith("xl/") else "xl/" + target
            out[path] = attrs[b"name"].decode("utf-8", "replace")
    return out


def check_workbook(
    data: bytes,
    name: str,
    *,
    max_inflated: int = MAX_INFLATED_BYTES,
    max_ratio: int = MAX_RATIO,
    max_cells: int = MAX_CELLS,
) -> None:
    """Refuse a workbook that would exhaust memory or is not one (see the module's text):
    ``file_unreadable``, ``workbook_too_large``, ``sheet_too_large``."""
    if data.startswith(_OLE):
        return
    if not data.startswith(_ZIP):
        raise errors.FILE_UNREADABLE(file=name)
    too_large = errors.WORKBOOK_TOO_LARGE(
        file=name, limit_mb=max_inflated >> 20, ratio=max_ratio, field="file"
    )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:
        raise errors.FILE_UNREADABLE(file=name) from None
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > max_inflated:
        raise too_large
    for i in infos:
        if i.file_size > RATIO_FLOOR and i.file_size > max_ratio * max(i.compress_size, 1):
            raise too_large
    sheets = _sheet_names(zf, {i.filename for i in infos})
    inflated = 0
    for i in infos:
        is_sheet = i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
        extent = _Extent() if is_sheet else None
        try:
            for chunk, new in _stream(zf, i):
                inflated += new
                if inflated > max_inflated:
                    raise too_large
                if extent is not None:
                    extent.feed(chunk)
        except JaringError:
            raise
        except Exception:  # a bad CRC, a member larger than declared, encryption...
            raise errors.FILE_UNREADABLE(file=name) from None
        if extent is not None:
            _check_extent(zf, i, extent, sheets.get(i.filename, i.filename), name, max_cells)


def _check_extent(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    extent: _Extent,
    sheet: str,
    name: str,
    max_cells: int,
) -> None:
    rows = extent.rows + (extent.unnamed_rows if extent.has_unnamed else 0)
    columns = max(extent.bound, extent.unnamed_cells if extent.has_unnamed else 0)
    if rows * columns <= max_cells:
        return
    if not extent.has_unnamed:  # the bound was coarse: find the real last column
        last = 0
        for chunk, _ in _stream(zf, info):
            found = set(_COL_REF.findall(chunk))
            if found:
                last = max(last, *(_column_number(c) for c in found))
        columns = last
    if rows * columns > max_cells:
        raise errors.SHEET_TOO_LARGE(
            file=name,
            sheet=sheet,
            cell=f"{_column_letters(columns)}{rows}",
            rows=rows,
            columns=columns,
            limit=max_cells,
            field="file",
        )


def open_workbook(data: bytes, name: str) -> Any:
    """A checked workbook's reader (``fastexcel.ExcelReader``); refuses as
    :func:`check_workbook` does, and ``file_unreadable`` when the reader cannot open it."""
    check_workbook(data, name)
    try:
        return fastexcel.read_excel(data)
    except Exception:
        raise errors.FILE_UNREADABLE(file=name) from None


def load_sheet(reader: Any, name: str, sheet: str | int, **options: Any) -> pl.DataFrame:
    """One sheet of an opened workbook as a frame; a sheet the reader cannot parse is
    refused (``file_unreadable``), not an exception."""
    try:
        return reader.load_sheet(sheet, **options).to_polars()
    except Exception:
        raise errors.FILE_UNREADABLE(file=name) from None


# --------------------------------------------------------------------------- text

_UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_SNIFF = 4096


def _cp1252_fallback(e: UnicodeError) -> tuple[str, int]:
    """A codec error handler: bytes that are not UTF-8 are read as Windows-1252 (the five
    bytes Windows-1252 leaves undefined as Latin-1)."""
    assert isinstance(e, UnicodeDecodeError)
    bad = e.object[e.start : e.end]
    return bad.decode("cp1252", errors="ignore") or bad.decode("latin-1"), e.end


codecs.register_error("jaring-cp1252", _cp1252_fallback)


def utf16_encoding(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when ``head`` (a file's first bytes) is UTF-16: by its BOM,
    or by zero bytes in every other position (ASCII text in UTF-16 without a BOM)."""
    for bom, enc in _UTF16_BOMS:
        if head.startswith(bom):
            return enc
    sample = head[: _SNIFF - _SNIFF % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decode_text(data: bytes, name: str) -> str:
    """A text file's bytes as text: UTF-16 (see :func:`utf16_encoding`), UTF-8 (with or
    without BOM), else UTF-8 with every undecodable byte read as Windows-1252 (a pure
    Windows-1252 file reads as Windows-1252, a mixed one keeps its UTF-8 lines). NUL
    characters are removed; refuses ``file_not_text`` for binary data and ``file_encoding``
    for UTF-16 that does not decode."""
    enc = utf16_encoding(data[:_SNIFF])
    if enc is not None:
        bom = 2 if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else 0
        try:
            text = data[bom:].decode(enc)
        except UnicodeDecodeError:
            raise errors.FILE_ENCODING(file=name, encoding="UTF-16", field="file") from None
        return text.replace("\x00", "")
    if looks_binary(data[:_SNIFF]):
        raise errors.FILE_NOT_TEXT(file=name, field="file")
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="jaring-cp1252")


_CONTROL = bytes(range(9)) + bytes(range(14, 32))


def looks_binary(head: bytes) -> bool:
    """Whether a file's first bytes are not text: it starts like a zip, a PDF or an OLE
    document, more than one byte in a hundred is NUL, or more than one in twenty is a
    control character that text does not hold."""
    if head.startswith((_ZIP, _OLE, b"%PDF")):
        return True
    if head.count(0) > max(1, len(head) // 100):
        return True
    return len(head) - len(head.translate(None, _CONTROL)) > max(1, len(head) // 20)


def has_nul(path: Path) -> bool:
    """Whether the file holds a NUL byte (searched in the mapped file, at memory speed)."""
    if path.stat().st_size == 0:
        return False
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(b"\x00") >= 0


def text_bytes(path: Path) -> bytes:
    """A small text file (an answer from BPJS, a batch of claims) as UTF-8 bytes, decoded
    as :func:`decode_text` does."""
    return decode_text(path.read_bytes(), path.name).encode("utf-8")


def text_cells(path: Path, field: str) -> pl.DataFrame:
    """A small table file's cells as text, its headers trimmed and lower-cased: the first
    sheet of a workbook (``.xlsx``/``.xls``, checked first: :func:`open_workbook`), else CSV
    in the encodings :func:`decode_text` reads. An empty file has no columns. Refuses
    ``bad_file`` (naming ``field``) for a file that is neither."""
    from jaring.errors import BAD_FILE, JaringError

    raw: pl.DataFrame | None
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            raw = load_sheet(open_workbook(path.read_bytes(), path.name), path.name, 0,
                             dtypes="string")  # fmt: skip
        else:
            data = path.read_bytes()
            if looks_binary(data[:4096]):
                raise BAD_FILE(file=path.name, field=field)
            text = decode_text(data, path.name)
            raw = pl.read_csv(io.StringIO(text), infer_schema=False) if text.strip() else None
    except JaringError:
        raise
    except Exception:  # a corrupt file is the user's to fix, not a bug
        raise BAD_FILE(file=path.name, field=field) from None
    if raw is None:
        return pl.DataFrame()
    return raw.rename({c: c.strip().lower() for c in raw.columns})


# --------------------------------------------------------------------------- writing

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell that a spreadsheet would run as a formula prefixed with
    ``'`` (OWASP: cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return).
    Number, date and boolean columns are left alone; text columns that hold no such cell are
    not copied."""
    text = [n for n, t in frame.schema.items() if t == pl.String]
    if not text or frame.height == 0:
        return frame
    pattern = r"^[=+\-@\t\r]"
    risky = frame.select(pl.col(n).str.contains(pattern).any() for n in text).row(0)
    fix = [n for n, r in zip(text, risky, strict=True) if r]
    if not fix:
        return frame
    return frame.with_columns(
        pl.when(pl.col(n).str.contains(pattern))
        .then(pl.lit("'") + pl.col(n))
        .otherwise(pl.col(n))
        .alias(n)
        for n in fix
    )


def neutralise_cell(value: Any) -> Any:
    """One cell as :func:`neutralise` writes it (for writers of rows, not frames)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(
    frame: pl.DataFrame, out: Path | IO[bytes] | None = None, **options: Any
) -> str | None:
    """Write ``frame`` as CSV (to a path, a binary buffer, or returned as text when ``out`` is
    ``None``), formula cells neutralised (:func:`neutralise`). Every CSV Jaring writes for
    people to open goes through here."""
    safe = neutralise(frame)
    if out is None:
        return safe.write_csv(**options)
    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
    safe.write_csv(out, **options)
    return None


def write_frame(
    frame: pl.DataFrame, fmt: str, path: Path | io.BytesIO, *, sheet: str = "Data"
) -> None:
    """``frame`` to ``path`` (a file, its folders made; or a buffer) in ``fmt``. Refuses
    ``format_unknown`` for anything but :data:`FORMATS`."""
    if fmt not in FORMATS:
        raise errors.FORMAT_UNKNOWN(format=fmt, field="format")
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        write_csv(frame, path)
    elif fmt == "parquet":
        frame.write_parquet(path)
    else:
        frame.write_excel(path, worksheet=sheet, autofit=frame.height < 50_000)
