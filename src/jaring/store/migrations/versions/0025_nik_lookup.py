"""registry: exact-NIK look-ups of masked roles, counted in the store

The limit on exact-NIK look-ups by roles that see NIKs masked was counted in each serving
process, so ``jaring serve --workers N`` allowed N times the limit. ``nik_lookup`` keeps the
look-ups of the window in the store, shared by every worker.

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nik_lookup",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nik_lookup")),
    )
    with op.batch_alter_table("nik_lookup", schema=None) as batch_op:
        batch_op.create_index("ix_nik_lookup_username", ["username", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("nik_lookup", schema=None) as batch_op:
        batch_op.drop_index("ix_nik_lookup_username")
    op.drop_table("nik_lookup")
