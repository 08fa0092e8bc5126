"""registry dedupe: splits, an operator undoing a wrong merge

Revision ID: 0007
Revises: 0006

Owned by the dedupe work. One row per split: which source row left which person for which new
person, who decided, when and why. Pairs between the row and its former person's rows are
marked rejected in ``registry_pair`` at the same time, so they are never asked again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_split",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("row_id", sa.BigInteger(), nullable=False),
        sa.Column("from_person", sa.BigInteger(), nullable=False),
        sa.Column("to_person", sa.BigInteger(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["row_id"], ["registry_row.id"], name=op.f("fk_registry_split_row_id_registry_row")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registry_split")),
    )
    with op.batch_alter_table("registry_split", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registry_split_row_id"), ["row_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("registry_split", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registry_split_row_id"))
    op.drop_table("registry_split")
