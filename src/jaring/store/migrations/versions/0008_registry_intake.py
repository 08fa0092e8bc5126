"""registry intake speed: a lean staging table for a million rows a list

Revision ID: 0008
Revises: 0007

Owned by the registry intake work. ``registry_row`` loses what made bulk loads slow and
nothing reads through: the unique ``row_hash`` (a random SHA-256 key: every insert landed on
a random index page; re-imports are now recognised by comparing raw values within the
source), the index on ``nik`` (no query filters staged rows by NIK; people are looked up in
``person``), the ``(status, batch_id)`` index (``batch_id`` has its own), and the foreign
keys to ``registry_batch`` and ``registry_file`` (per-row triggers on PostgreSQL; the one
writer inserts batch, file and rows in one transaction); ``registry_issue`` loses its foreign
keys too (each check took a ``FOR KEY SHARE`` lock on a row just written). Rows already stored keep everything
but their hash.

Narrower rows (469 bytes a row on SQLite against 104 in the CSV): ``raw`` becomes a JSON array
of the values in file column order, their names kept once in the new ``registry_file.headers``
(sheet -> names), instead of a keyed object repeating the header in every row; and the
per-row ``source``, ``file_name`` and ``listed_on`` go (their batch and file hold them).
Stored rows are converted (and converted back on downgrade).
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

_CHUNK = 10_000


def _compact(values: list[Any]) -> str:
    """JSON as Polars writes it (no spaces, non-ASCII as is): what new rows hold."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _rows(conn: sa.Connection, sql: str) -> Iterator[Sequence[sa.Row[Any]]]:
    result = conn.execute(sa.text(sql).execution_options(yield_per=_CHUNK))
    yield from result.partitions(_CHUNK)


def _raw_to_arrays(conn: sa.Connection) -> None:
    """Keyed-object ``raw`` -> arrays; each file and sheet's names into ``headers``."""
    headers: dict[int, dict[str, list[str]]] = {}
    updates = []
    for part in _rows(conn, "SELECT id, file_id, sheet, raw FROM registry_row ORDER BY id"):
        for r in part:
            value = json.loads(r.raw)
            if not isinstance(value, dict):
                continue
            headers.setdefault(r.file_id, {}).setdefault(r.sheet or "", list(value))
            updates.append({"i": r.id, "raw": _compact(list(value.values()))})
    for start in range(0, len(updates), _CHUNK):
        conn.execute(
            sa.text("UPDATE registry_row SET raw = :raw WHERE id = :i"),
            updates[start : start + _CHUNK],
        )
    for file_id, names in headers.items():
        conn.execute(
            sa.text("UPDATE registry_file SET headers = :h WHERE id = :i"),
            {"h": json.dumps(names, ensure_ascii=False), "i": file_id},
        )


def _raw_to_objects(conn: sa.Connection) -> None:
    """Array ``raw`` -> keyed objects, named by ``registry_file.headers`` (the old format)."""
    files = {
        r.id: json.loads(r.headers or "{}")
        for r in conn.execute(sa.text("SELECT id, headers FROM registry_file"))
    }
    updates = []
    for part in _rows(conn, "SELECT id, file_id, sheet, raw FROM registry_row ORDER BY id"):
        for r in part:
            value = json.loads(r.raw)
            if isinstance(value, dict):
                continue
            keys = files.get(r.file_id, {}).get(r.sheet or "", [])
            keys = keys + [f"kolom_{i + 1}" for i in range(len(keys), len(value))]
            obj = dict(zip(keys, value, strict=False))
            updates.append(
                {"i": r.id, "raw": json.dumps(obj, ensure_ascii=False, separators=(",", ":"))}
            )
    for start in range(0, len(updates), _CHUNK):
        conn.execute(
            sa.text("UPDATE registry_row SET raw = :raw WHERE id = :i"),
            updates[start : start + _CHUNK],
        )


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registry_row", schema=None) as batch_op:
        batch_op.drop_index("ix_registry_row_status_batch")
        batch_op.drop_index(batch_op.f("ix_registry_row_nik"))
        batch_op.drop_constraint(batch_op.f("uq_registry_row_row_hash"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_registry_row_batch_id_registry_batch"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_registry_row_file_id_registry_file"), type_="foreignkey"
        )
        batch_op.drop_column("row_hash")
    with op.batch_alter_table("registry_issue", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_registry_issue_row_id_registry_row"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_registry_issue_batch_id_registry_batch"), type_="foreignkey"
        )
    with op.batch_alter_table("registry_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headers", sa.Text(), nullable=True))
    _raw_to_arrays(op.get_bind())
    with op.batch_alter_table("registry_row", schema=None) as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("file_name")
        batch_op.drop_column("listed_on")


def downgrade() -> None:
    with op.batch_alter_table("registry_row", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("file_name", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("listed_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE registry_row SET "
        "source = (SELECT b.source FROM registry_batch b WHERE b.id = registry_row.batch_id), "
        "listed_on = (SELECT b.listed_on FROM registry_batch b WHERE b.id = registry_row.batch_id), "
        "file_name = (SELECT f.name FROM registry_file f WHERE f.id = registry_row.file_id)"
    )
    _raw_to_objects(op.get_bind())
    with op.batch_alter_table("registry_row", schema=None) as batch_op:
        batch_op.alter_column("source", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("file_name", existing_type=sa.String(length=500), nullable=False)
        batch_op.alter_column("listed_on", existing_type=sa.Date(), nullable=False)
    with op.batch_alter_table("registry_file", schema=None) as batch_op:
        batch_op.drop_column("headers")
    with op.batch_alter_table("registry_issue", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_registry_issue_row_id_registry_row"), "registry_row", ["row_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_registry_issue_batch_id_registry_batch"),
            "registry_batch",
            ["batch_id"],
            ["id"],
        )
    # Rows imported after 0008 have no SHA-256 row hash; they get a unique placeholder
    # ("id:<row id>") so that the old schema's NOT NULL UNIQUE holds.
    with op.batch_alter_table("registry_row", schema=None) as batch_op:
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    op.execute("UPDATE registry_row SET row_hash = 'id:' || CAST(id AS VARCHAR(20))")
    with op.batch_alter_table("registry_row", schema=None) as batch_op:
        batch_op.alter_column("row_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_registry_row_row_hash"), ["row_hash"])
        batch_op.create_foreign_key(
            batch_op.f("fk_registry_row_batch_id_registry_batch"),
            "registry_batch",
            ["batch_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_registry_row_file_id_registry_file"),
            "registry_file",
            ["file_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_registry_row_nik"), ["nik"], unique=False)
        batch_op.create_index("ix_registry_row_status_batch", ["status", "batch_id"], unique=False)
