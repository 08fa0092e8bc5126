"""registry source rows in chunks (500k rows/s into the store)

Revision ID: 0010
Revises: 0009

Owned by the registry intake work. ``registry_row`` (one SQL row per source row) and
``registry_issue`` give way to ``registry_chunk``: up to 65,536 consecutive rows of one file
and sheet as Parquet, with the issues found at import, written once and never changed; and
``registry_correction``: an operator's correction of one row (its values and issues now),
beside the source row. Stored as SQL rows, a million-row list cost SQLite 2.9 s and the
PostgreSQL server 4.9 CPU s before anything was read or validated; as chunks it is written
in a fraction of a second (``docs/registry.md``).

Stored rows are converted both ways. A corrected row's values at import were overwritten by
its correction before this revision, so its chunk holds its corrected values and it gets a
``registry_correction`` row with the same values (and its issues now). The foreign keys from
``registry_link``, ``registry_pair`` and ``registry_split`` to ``registry_row`` go; the one
writer of each sets row ids that exist.

The chunk layout is written here as it is at this revision (format 1), not imported from
``jaring.registry.chunks``, so that this migration keeps doing what it did.
"""

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

import polars as pl
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_CHUNK_ROWS = 65_536
_VALUES = (
    "nik", "name", "name_norm", "birth_date", "sex", "district_code", "village_code",
    "address", "phone", "occupation", "income", "desil",
)  # fmt: skip
_VALUE_TYPES: dict[str, Any] = {
    "birth_date": pl.Date,
    "income": pl.Int64,
    "desil": pl.Int16,
}
_TRIMMED = ("name", "address", "occupation")  # their cell trimmed: not stored in a chunk
_STORED = tuple(c for c in _VALUES if c not in _TRIMMED)
_ISSUES = ("field", "code", "severity", "value", "detail")
_ROW_FKS = (
    ("registry_link", "row_id"),
    ("registry_pair", "row_l"),
    ("registry_pair", "row_r"),
    ("registry_split", "row_id"),
)


def _encode(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf, compression="zstd", compression_level=1, statistics=False)
    return buf.getvalue()


def _frame(rows: Sequence[Any], schema: dict[str, Any]) -> pl.DataFrame:
    # types from every row: the first hundred (Polars' default) may hold no correction at all
    frame = pl.DataFrame(
        [tuple(r) for r in rows], schema=list(schema), orient="row", infer_schema_length=None
    )
    fixes = []
    for name, dtype in schema.items():
        if frame.schema[name] == pl.String and dtype in (pl.Date, pl.Datetime):  # SQLite: text
            text = pl.col(name).str.slice(0, 19)
            fixes.append(
                text.str.to_date("%Y-%m-%d", strict=False)
                if dtype == pl.Date
                else text.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
            )
        else:
            fixes.append(pl.col(name).cast(dtype))
    return frame.with_columns(fixes)


def _create_tables() -> None:
    op.create_table(
        "registry_chunk",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("first_row", sa.BigInteger(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("format", sa.SmallInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("issues", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["registry_batch.id"],
            name=op.f("fk_registry_chunk_batch_id_registry_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["registry_file.id"], name=op.f("fk_registry_chunk_file_id_registry_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_chunk")),
        sa.UniqueConstraint("first_row", name=op.f("uq_registry_chunk_first_row")),
    )
    op.create_index(op.f("ix_registry_chunk_batch_id"), "registry_chunk", ["batch_id"])
    if op.get_bind().dialect.name == "postgresql":
        # Parquet is compressed already: TOAST's own compression would only cost CPU
        # (measured: storing 52 MB of chunks 0.87 s with it, 0.24 s without)
        op.execute("ALTER TABLE registry_chunk ALTER COLUMN data SET STORAGE EXTERNAL")
        op.execute("ALTER TABLE registry_chunk ALTER COLUMN issues SET STORAGE EXTERNAL")
    op.create_table(
        "registry_correction",
        sa.Column("row_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("corrected", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.String(length=100), nullable=True),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("name_norm", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("village_code", sa.String(length=13), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("occupation", sa.String(length=100), nullable=True),
        sa.Column("income", sa.BigInteger(), nullable=True),
        sa.Column("desil", sa.SmallInteger(), nullable=True),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["registry_batch.id"],
            name=op.f("fk_registry_correction_batch_id_registry_batch"),
        ),
        sa.PrimaryKeyConstraint("row_id", name=op.f("pk_registry_correction")),
    )
    op.create_index(op.f("ix_registry_correction_batch_id"), "registry_correction", ["batch_id"])


def _rows_to_chunks(conn: sa.Connection) -> None:
    """Every stored row and issue into chunks, corrected rows also into
    ``registry_correction``. The rows are read in id order, 65,536 at a time (a province's
    ten million rows never in memory at once); each such part is cut where the file or sheet
    changes or the ids jump, and each piece is one chunk."""
    headers = {
        int(r.id): json.loads(r.headers or "{}")
        for r in conn.execute(sa.text("SELECT id, headers FROM registry_file"))
    }
    schema: dict[str, Any] = {
        "id": pl.Int64, "batch_id": pl.Int32, "file_id": pl.Int32, "sheet": pl.String,
        "row_number": pl.Int32, "raw": pl.String, "corrected": pl.String,
        "corrected_by": pl.String, "corrected_at": pl.Datetime, "status": pl.String,
        **{c: _VALUE_TYPES.get(c, pl.String) for c in _VALUES},
    }  # fmt: skip
    issue_schema = {"row_id": pl.Int64, **dict.fromkeys(_ISSUES, pl.String)}
    result = conn.execute(
        sa.text(f"SELECT {', '.join(schema)} FROM registry_row ORDER BY id").execution_options(
            yield_per=_CHUNK_ROWS
        )
    )
    for block in result.partitions(_CHUNK_ROWS):
        rows = _frame(block, schema)
        lo, hi = rows.get_column("id").min(), rows.get_column("id").max()
        issues = _frame(
            conn.execute(
                sa.text(
                    "SELECT row_id, field, code, severity, value, detail FROM registry_issue "
                    "WHERE row_id BETWEEN :lo AND :hi ORDER BY id"
                ),
                {"lo": lo, "hi": hi},
            ).fetchall(),
            issue_schema,
        )
        _store_block(conn, rows, issues, headers)


def _store_block(
    conn: sa.Connection,
    rows: pl.DataFrame,
    issues: pl.DataFrame,
    headers: dict[int, dict[str, list[str]]],
) -> None:
    changed = pl.lit(False)
    for c in ("batch_id", "file_id", "sheet"):
        v = pl.col(c).cast(pl.String).fill_null("")
        changed = changed | (v != v.shift(1)).fill_null(True)
    changed = changed | (pl.col("id").diff() != 1).fill_null(True)
    rows = rows.with_columns(_run=changed.cum_sum())
    chunk_table = sa.table(
        "registry_chunk",
        *(sa.column(c) for c in ("batch_id", "file_id", "sheet", "first_row", "rows", "format")),
        sa.column("data", sa.LargeBinary),
        sa.column("issues", sa.LargeBinary),
    )
    for part in rows.partition_by("_run", maintain_order=True):
        first = part.row(0, named=True)
        width = len(headers.get(first["file_id"], {}).get(first["sheet"] or "", []))
        values = part.get_column("raw").str.json_decode(pl.List(pl.String))
        longest = values.list.len().max()
        width = max(width, longest if isinstance(longest, int) else 0)
        body = part.select(
            "row_number",
            "status",
            *_STORED,
            *[values.list.get(i, null_on_oob=True).alias(f"c{i}") for i in range(width)],
        )
        found = issues.join(part.select(pl.col("id").alias("row_id")), on="row_id", how="semi")
        conn.execute(
            chunk_table.insert().values(
                batch_id=first["batch_id"],
                file_id=first["file_id"],
                sheet=first["sheet"],
                first_row=first["id"],
                rows=part.height,
                format=1,
                data=_encode(body),
                issues=_encode(
                    found.select(
                        (pl.col("row_id") - first["id"]).cast(pl.UInt32).alias("row"), *_ISSUES
                    )
                )
                if found.height
                else None,
            )
        )
    fixed = rows.filter(pl.col("corrected").is_not_null())
    if fixed.height == 0:
        return
    now_issues = issues.group_by("row_id").agg(pl.struct(*_ISSUES).alias("issues"))
    fixed = fixed.join(now_issues, left_on="id", right_on="row_id", how="left")
    conn.execute(
        sa.text(
            "INSERT INTO registry_correction (row_id, batch_id, corrected, corrected_by, "
            "corrected_at, status, " + ", ".join(_VALUES) + ", issues) VALUES (:id, "
            ":batch_id, :corrected, :corrected_by, :corrected_at, :status, "
            + ", ".join(f":{c}" for c in _VALUES)
            + ", :issues)"
        ),
        [
            {
                **{k: r[k] for k in ("id", "batch_id", "corrected", "corrected_by", "status")},
                "corrected_at": r["corrected_at"] or dt.datetime(1970, 1, 1),
                **{c: r[c] for c in _VALUES},
                "issues": json.dumps(r["issues"] or [], ensure_ascii=False),
            }
            for r in fixed.iter_rows(named=True)
        ],
    )


def _positions(headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Field -> the position of the first cell whose header maps to it (as the import reads
    them: ``headers`` are the cells' names, ``mapping`` header -> field)."""
    return {f: headers.index(h) for h, f in mapping.items() if h in headers}


def _chunks_to_rows(conn: sa.Connection) -> None:
    """The reverse: every chunk's rows into ``registry_row`` (corrections applied, as before
    0010; name, address and occupation from their cells, trimmed), their issues now into
    ``registry_issue``."""
    files = {
        int(r.id): (json.loads(r.columns or "{}"), json.loads(r.headers or "{}"))
        for r in conn.execute(sa.text("SELECT id, columns, headers FROM registry_file"))
    }
    fixes = {
        int(r.row_id): r._mapping
        for r in conn.execute(sa.text("SELECT * FROM registry_correction"))
    }
    row_cols = (
        "id", "batch_id", "file_id", "sheet", "row_number", "raw", "corrected", "corrected_by",
        "corrected_at", "status", *_VALUES,
    )  # fmt: skip
    insert_row = sa.text(
        f"INSERT INTO registry_row ({', '.join(row_cols)}) "
        f"VALUES ({', '.join(':' + c for c in row_cols)})"
    )
    insert_issue = sa.text(
        "INSERT INTO registry_issue (row_id, batch_id, field, code, severity, value, detail) "
        "VALUES (:row_id, :batch_id, :field, :code, :severity, :value, :detail)"
    )
    chunks = conn.execute(
        sa.text(
            "SELECT batch_id, file_id, sheet, first_row, data, issues FROM registry_chunk "
            "ORDER BY first_row"
        )
    ).fetchall()
    for ch in chunks:
        body = pl.read_parquet(io.BytesIO(bytes(ch.data)))
        cells = [c for c in body.columns if c[:1] == "c" and c[1:].isdigit()]
        mapping, headers = files.get(ch.file_id, ({}, {}))
        at = _positions(headers.get(ch.sheet or "", []), mapping.get(ch.sheet or "", {}))
        for field in _TRIMMED:
            cell = f"c{at[field]}" if field in at else None
            text = (
                pl.col(cell).str.strip_chars() if cell in body.columns else pl.lit(None, pl.String)
            )
            body = body.with_columns(pl.when(text.str.len_bytes() > 0).then(text).alias(field))
        rows, issues = [], []
        for i, r in enumerate(body.iter_rows(named=True)):
            rid = ch.first_row + i
            fix = fixes.get(rid)
            rows.append(
                {
                    "id": rid,
                    "batch_id": ch.batch_id,
                    "file_id": ch.file_id,
                    "sheet": ch.sheet,
                    "row_number": r["row_number"],
                    "raw": json.dumps(
                        [r[c] for c in cells], ensure_ascii=False, separators=(",", ":")
                    ),
                    "corrected": fix["corrected"] if fix else None,
                    "corrected_by": fix["corrected_by"] if fix else None,
                    "corrected_at": fix["corrected_at"] if fix else None,
                    "status": fix["status"] if fix else r["status"],
                    **{c: (fix[c] if fix else r[c]) for c in _VALUES},
                }
            )
            if fix:
                for x in json.loads(fix["issues"]):
                    issues.append({"row_id": rid, "batch_id": ch.batch_id, **x})
        if ch.issues is not None:
            found = pl.read_parquet(io.BytesIO(bytes(ch.issues)))
            for x in found.iter_rows(named=True):
                rid = ch.first_row + x.pop("row")
                if rid not in fixes:
                    issues.append({"row_id": rid, "batch_id": ch.batch_id, **x})
        conn.execute(insert_row, rows)
        if issues:
            conn.execute(insert_issue, issues)


def upgrade() -> None:
    _create_tables()
    _rows_to_chunks(op.get_bind())
    for table, column in _ROW_FKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_{column}_registry_row", type_="foreignkey")
    op.drop_table("registry_issue")
    op.drop_table("registry_row")


def downgrade() -> None:
    op.create_table(
        "registry_row",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("corrected", sa.Text(), nullable=True),
        sa.Column("corrected_by", sa.String(length=100), nullable=True),
        sa.Column("corrected_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("name_norm", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("village_code", sa.String(length=13), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("occupation", sa.String(length=100), nullable=True),
        sa.Column("income", sa.BigInteger(), nullable=True),
        sa.Column("desil", sa.SmallInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_row")),
    )
    op.create_index(op.f("ix_registry_row_batch_id"), "registry_row", ["batch_id"])
    op.create_table(
        "registry_issue",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("row_id", sa.BigInteger(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=7), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_issue")),
    )
    op.create_index(op.f("ix_registry_issue_row_id"), "registry_issue", ["row_id"])
    op.create_index(op.f("ix_registry_issue_batch_id"), "registry_issue", ["batch_id"])
    _chunks_to_rows(op.get_bind())
    for table, column in _ROW_FKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(
                f"fk_{table}_{column}_registry_row", "registry_row", [column], ["id"]
            )
    op.drop_index(op.f("ix_registry_correction_batch_id"), table_name="registry_correction")
    op.drop_table("registry_correction")
    op.drop_index(op.f("ix_registry_chunk_batch_id"), table_name="registry_chunk")
    op.drop_table("registry_chunk")
