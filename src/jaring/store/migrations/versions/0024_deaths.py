"""families: invoice lines cancelled after a death, the model's reasons for a near match

``death_line`` keeps each invoice line of a month after a death that was unpaid when the
death was recorded (its unpaid part is no longer asked; undoing the death restores it);
``death_list_row.match_explain`` keeps why the deduplication model proposed a person.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("death_list_row", schema=None) as batch_op:
        batch_op.add_column(sa.Column("match_explain", sa.Text(), nullable=True))
    op.create_table(
        "death_line",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True,
                  nullable=False),
        sa.Column("death_id", sa.BigInteger(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.BigInteger(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("jkk", sa.BigInteger(), nullable=False),
        sa.Column("jkm", sa.BigInteger(), nullable=False),
        sa.Column("jht", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("cancelled", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("restored_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["death_id"], ["death.id"],
                                name=op.f("fk_death_line_death_id_death")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_death_line")),
        sa.UniqueConstraint("death_id", "invoice_id", "membership_id",
                            name=op.f("uq_death_line_death_id_invoice_id_membership_id")),
    )  # fmt: skip
    op.create_index("ix_death_line_death_id", "death_line", ["death_id"])


def downgrade() -> None:
    op.drop_index("ix_death_line_death_id", table_name="death_line")
    op.drop_table("death_line")
    with op.batch_alter_table("death_list_row", schema=None) as batch_op:
        batch_op.drop_column("match_explain")
