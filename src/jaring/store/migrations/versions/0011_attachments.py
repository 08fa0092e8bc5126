"""attachments: one store for the files records carry

Revision ID: 0011
Revises: 0010

Owned by the attachment store. ``attachment`` records what a file is (content type, size,
digest, purpose, region, the right that reads it, whether it is personal and encrypted) and
who added and deleted it; ``attachment_blob`` holds its bytes, apart, so that a deletion
erases them and the record stays. Files live in the database so that every backup carries
them with the records that name them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=130), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("region", sa.String(length=13), nullable=True),
        sa.Column("read_right", sa.String(length=40), nullable=False),
        sa.Column("personal", sa.Boolean(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index("ix_attachment_purpose", "attachment", ["purpose", "created_at"])
    op.create_table(
        "attachment_blob",
        sa.Column("attachment_id", BigId, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachment.id"],
            name=op.f("fk_attachment_blob_attachment_id_attachment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attachment_id", name=op.f("pk_attachment_blob")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # JPEG, PNG and PDF are compressed already: TOAST compression costs time for nothing
        op.execute("ALTER TABLE attachment_blob ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    op.drop_table("attachment_blob")
    op.drop_index("ix_attachment_purpose", table_name="attachment")
    op.drop_table("attachment")
