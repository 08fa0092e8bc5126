"""law package: a PU program chooses JP

Revision ID: 0012
Revises: 0011

Owned by the law work (the second reading). ``program.with_jp``: whether a wage earners'
program buys JP (Jaminan Pensiun) for its members; it is billed only when chosen, as JHT is
with ``with_jht``. Existing programs get ``false``. ``program.funder_type`` may now also be
``apbn``, ``apbdes`` or ``donor`` (PP 50/2025 payer types); the column is wide enough.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("with_jp", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_column("with_jp")
