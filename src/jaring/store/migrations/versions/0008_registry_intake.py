"""registry intake speed (issue 3): a lean staging table for a million rows a list

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
"""

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
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
