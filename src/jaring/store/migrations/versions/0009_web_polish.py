"""web polish: sign-in attempts per address shared by all workers

Revision ID: 0009
Revises: 0008

Owned by the web work. ``web_login_attempt`` holds the last minute of sign-in attempts per
client address (as a SHA-256 digest), so that the per-address limit holds across the
processes of ``jaring serve --workers N`` instead of each counting alone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_login_attempt",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_login_attempt")),
    )
    with op.batch_alter_table("web_login_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_web_login_attempt_address", ["address", "at"], unique=False)
        batch_op.create_index("ix_web_login_attempt_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("web_login_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_web_login_attempt_at")
        batch_op.drop_index("ix_web_login_attempt_address")
    op.drop_table("web_login_attempt")
