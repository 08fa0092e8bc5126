"""national: cross-region pairs received back from the national deduplication

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "national_pair",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("person_id", sa.BigInteger(), sa.ForeignKey("person.id", name=op.f("fk_national_pair_person_id_person")),
                  nullable=False),
        sa.Column("other_region", sa.String(13), nullable=False),
        sa.Column("other_key", sa.String(64), nullable=False),
        sa.Column("run", sa.String(64), nullable=False),
        sa.Column("match_probability", sa.Float()),
        sa.Column("link", sa.Boolean(), nullable=False),
        sa.Column("explain", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("decided_by", sa.String(100)),
        sa.Column("decided_at", sa.DateTime()),
        sa.Column("reason", sa.Text()),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_pair")),
        sa.UniqueConstraint("person_id", "other_region", "other_key",
                            name=op.f("uq_national_pair_person_id_other_region_other_key")),
    )  # fmt: skip
    op.create_index("ix_national_pair_person_id", "national_pair", ["person_id"])
    op.create_index("ix_national_pair_status", "national_pair", ["status"])


def downgrade() -> None:
    op.drop_table("national_pair")
