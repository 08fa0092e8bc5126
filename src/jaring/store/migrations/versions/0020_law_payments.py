"""claims: when a claim had to be paid, and the compensation owed; refunds returned

Revision ID: 0020
Revises: 0019

Owned by the law work (payment time wired into claims). BPJS TK pays JKM within 3 working
days of a complete file and JKK within 7, and owes 1% of the benefit for each day late
(PP 44/2015 Pasal 37 and 40). ``claim.complete_on``: the day the file was complete (the last
required document received); ``claim.payment_due``: the last day to pay, set at approval;
``claim.late_days`` and ``claim.late_compensation``: set at payment. Existing claims keep
nulls: nothing was computed for them.

``death_refund.returned_on``, ``returned_reference`` and ``returned_by``: a refund of months
paid after a death marked as returned to the payer (its status becomes ``returned``), from a
program's invoices.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.add_column(sa.Column("complete_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("payment_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("late_days", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("late_compensation", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("death_refund", schema=None) as batch_op:
        batch_op.add_column(sa.Column("returned_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("returned_reference", sa.String(100), nullable=True))
        batch_op.add_column(sa.Column("returned_by", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("death_refund", schema=None) as batch_op:
        batch_op.drop_column("returned_by")
        batch_op.drop_column("returned_reference")
        batch_op.drop_column("returned_on")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_column("late_compensation")
        batch_op.drop_column("late_days")
        batch_op.drop_column("payment_due")
        batch_op.drop_column("complete_on")
