"""Files exchanged with BPJS TK: the collective registration (out) and the KPJ answer (in).

Both layouts are data in ``templates/`` (column names, order, formats, header synonyms), so
a new form from the branch office is a YAML change. Everything here is pure: frames in,
frames or bytes out; reading and writing the database is the job of :mod:`jaring.programs.actions`.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
import yaml

from jaring.errors import JaringError, require_file
from jaring.programs import errors
from jaring.registry import files

NIK_RE = r"^\d{16}$"
KPJ_RE = r"^\d{11}$"


@cache
def _load(name: str) -> dict[str, Any]:
    path = resources.files("jaring.programs") / "templates" / name
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def registration_template(path: str | Path | None = None) -> dict[str, Any]:
    """The registration layout: the shipped default, or a YAML file the operator names."""
    if path is None:
        return _load("bpjs_registration.yaml")
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise errors.BAD_TEMPLATE(file=str(path), reason=f"{path}: {type(e).__name__}") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
        raise errors.BAD_TEMPLATE(file=str(path), reason=f"{path}: no 'columns' list")
    return data


def render_registration(members: pl.DataFrame, template: dict[str, Any]) -> pl.DataFrame:
    """Members (one row each, with the person's fields) -> the file's columns, as text."""
    exprs = []
    for i, col in enumerate(template["columns"]):
        source, fmt, header = col["source"], col.get("format", "text"), str(col["header"])
        if source == "row_number":
            expr = pl.int_range(1, pl.len() + 1)
        elif source not in members.columns:
            raise errors.BAD_TEMPLATE(
                reason=f"column {header!r}: unknown source {source!r}",
                column=header,
                source=source,
                index=i,
            )
        else:
            expr = pl.col(source)
        if fmt == "date":
            expr = expr.dt.strftime(col.get("pattern", "%Y-%m-%d"))
        elif fmt == "sex":
            expr = (
                pl.when(expr == "L")
                .then(pl.lit(str(col.get("male", "L"))))
                .when(expr == "P")
                .then(pl.lit(str(col.get("female", "P"))))
                .otherwise(None)
            )
        elif fmt == "upper":
            expr = expr.cast(pl.String).str.to_uppercase()
        elif fmt == "integer":
            expr = expr.cast(pl.Int64)
        exprs.append(expr.cast(pl.String).alias(header))
    return members.select(exprs)


def write_table(frame: pl.DataFrame, out: Path, sheet: str = "Sheet1") -> str:
    """Write CSV or XLSX by the file's suffix. Every cell is text in the XLSX, so a NIK is
    never turned into ``9.27101E+15`` by Excel."""
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":  # text cells that a spreadsheet would run as formulas neutralised
        files.write_csv(frame, out)
        return "csv"
    if suffix == ".xlsx":
        with xlsxwriter.Workbook(str(out)) as wb:
            ws = wb.add_worksheet(sheet[:31])
            text = wb.add_format({"num_format": "@"})
            bold = wb.add_format({"bold": True})
            ws.write_row(0, 0, frame.columns, bold)
            for j, name in enumerate(frame.columns):
                ws.set_column(j, j, max(12, len(name) + 2), text)
                values = frame[name].to_list()
                for i, v in enumerate(values, start=1):
                    if v is not None:
                        ws.write_string(i, j, v)
        return "xlsx"
    raise errors.BAD_FILE_TYPE(file=out.name, allowed="CSV, XLSX")


def _norm_header(h: str) -> str:
    return " ".join(str(h).strip().lower().replace("_", " ").split())


def read_answer(path: Path) -> pl.DataFrame:
    """BPJS's answer file -> ``row`` (1-based data row), ``nik``, ``kpj``, ``status``, ``note``
    as text exactly as received (trimmed), whatever the header synonyms used."""
    template = _load("bpjs_kpj_answer.yaml")
    require_file(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":  # UTF-16 or Windows-1252 decoded, NUL removed
            raw = pl.read_csv(io.BytesIO(files.text_bytes(path)), infer_schema=False)
        elif suffix in (".xlsx", ".xls"):  # dimensions and inflated size checked first
            reader = files.open_workbook(path.read_bytes(), path.name)
            raw = files.load_sheet(reader, path.name, 0, dtypes="string")
        else:
            raise errors.BAD_FILE_TYPE(file=path.name, allowed="CSV, XLSX")
    except JaringError:
        raise
    except Exception as e:  # a corrupt file is the user's to fix, not a bug
        raise errors.UNREADABLE_FILE(
            file=str(path), name=path.name, reason=type(e).__name__
        ) from None
    assert isinstance(raw, pl.DataFrame)
    by_norm = {_norm_header(c): c for c in raw.columns}
    picked: dict[str, str] = {}
    for field, synonyms in template["columns"].items():
        for s in synonyms:
            if _norm_header(s) in by_norm:
                picked[field] = by_norm[_norm_header(s)]
                break
    for field in ("nik", "kpj"):
        if field not in picked:
            raise errors.MISSING_COLUMN(
                column=field.upper(), file=str(path), name=path.name, field=field
            )
    cols = [
        pl.col(picked[f]).cast(pl.String).str.strip_chars().alias(f)
        if f in picked
        else pl.lit(None, dtype=pl.String).alias(f)
        for f in ("nik", "kpj", "status", "note")
    ]
    return (
        raw.select(cols).with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))
    )


def classify_answer(answer: pl.DataFrame) -> pl.DataFrame:
    """Add ``reason``: null for a good row, else ``refused`` (BPJS said no), ``bad_nik``
    (not 16 digits; ``9.27101E+15`` from Excel lands here), ``bad_kpj`` (not 11 digits) or
    ``duplicate_nik`` (the NIK appears again earlier in the file)."""
    refused = [s.lower() for s in _load("bpjs_kpj_answer.yaml")["refused_status"]]
    status = pl.col("status").fill_null("").str.to_lowercase().str.strip_chars()
    return answer.with_columns(
        reason=pl.when(status.is_in(refused))
        .then(pl.lit("refused"))
        .when(~pl.col("nik").fill_null("").str.contains(NIK_RE))
        .then(pl.lit("bad_nik"))
        .when(~pl.col("kpj").fill_null("").str.contains(KPJ_RE))
        .then(pl.lit("bad_kpj"))
        .when(pl.col("nik").is_duplicated() & (pl.int_range(pl.len()).over("nik") > 0))
        .then(pl.lit("duplicate_nik"))
        .otherwise(None)
    )


def answer_bytes(frame: pl.DataFrame) -> bytes:
    """CSV bytes of an answer frame (used by the demo's synthetic BPJS)."""
    buf = io.BytesIO()
    files.write_csv(frame, buf)
    return buf.getvalue()
