"""store: the dashboard's per-distrik summary, kept by triggers (PostgreSQL)

A cold dashboard counted every person of its scope: 27.5 s for the nation at 10 million
people on PostgreSQL, 4.1 s for a province. ``dashboard_people``, ``dashboard_membership``
and ``dashboard_coverage`` hold the counts per (province, regency, distrik);
statement-level triggers on ``person``, ``membership`` and ``coverage_period`` mark the
distrik a statement changed in ``dashboard_dirty``, and the dashboard recounts those before
it sums (``store.summary``). The tables exist on both dialects; the triggers and the counts
on PostgreSQL only (SQLite, a city's store, counts directly). The upgrade counts the store
once (a pass over the three tables).

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

from jaring.store import summary

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def _regions() -> list[sa.Column]:
    return [
        sa.Column("province_code", sa.String(2), nullable=False),
        sa.Column("regency_code", sa.String(5), nullable=False),
        sa.Column("district_code", sa.String(8), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "dashboard_people",
        *_regions(),
        sa.Column("people", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("province_code", "regency_code", "district_code"),
    )
    op.create_table(
        "dashboard_membership",
        *_regions(),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("memberships", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("province_code", "regency_code", "district_code", "state"),
    )
    op.create_table(
        "dashboard_coverage",
        *_regions(),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.BigInteger(), nullable=False),
        sa.Column("ends", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("province_code", "regency_code", "district_code", "day"),
    )
    op.create_table(
        "dashboard_dirty",
        sa.Column("district_code", sa.String(8), nullable=False),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        summary.install(bind)
        summary.recount(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        summary.uninstall(bind)
    for table in ("dashboard_dirty", "dashboard_coverage", "dashboard_membership"):
        op.drop_table(table)
    op.drop_table("dashboard_people")
