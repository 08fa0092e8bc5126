"""award: an index for the refused BPJS rows of a program, read page by page

The BPJS tab pages the open refused rows of a program by id (keyset): without an index on
``program_id`` every page and its counts scanned every refusal ever recorded.

Revision ID: 0023
Revises: 0022
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_bpjs_refusal_program_open", "bpjs_refusal", ["program_id", "resolved", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_bpjs_refusal_program_open", table_name="bpjs_refusal")
