"""store: a national instance's invoice lines partitioned by province

A no-op unless partitioning was asked when the database is migrated
(``jaring db upgrade --partition-by-province`` or ``JARING_PARTITION_BY_PROVINCE=1``), and
on SQLite always: cities and provinces keep one ``invoice_line``. On a national PostgreSQL
``invoice_line`` becomes ``PARTITION BY RANGE (invoice_id)``, one partition per province,
and invoice ids are drawn from the paying Pemda's province range (``store.partition``).

Revision ID: 0028
Revises: 0027
"""

from alembic import context, op

from jaring.store import partition

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if partition.wanted(context.config.attributes):
        partition.apply(op.get_bind())


def downgrade() -> None:
    partition.undo(op.get_bind())
