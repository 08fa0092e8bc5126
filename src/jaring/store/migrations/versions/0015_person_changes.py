"""person changes: identity change requests decided by a supervisor; names for search

Revision ID: 0015
Revises: 0013

Owned by the registry's single-worker work. ``person_change`` holds a change of a person's
identity fields (NIK, name, birth date, sex) asked by an operator with a reason and the
evidence, waiting for a supervisor in scope to approve or reject it; contact fields change at
once and need no row here. The before and after of every change also go to the audit trail.
``person_alias`` holds every name a person is known by, for the tolerant search (its trigram
index is made by ``store.search`` on first use).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_change",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence_id", sa.BigInteger(), nullable=True),
        sa.Column("evidence_name", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_change")),
    )
    with op.batch_alter_table("person_change", schema=None) as batch_op:
        batch_op.create_index("ix_person_change_status", ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_change_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_change_district_code"), ["district_code"], unique=False
        )
    op.create_table(
        "person_alias",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_alias")),
        sa.UniqueConstraint("person_id", "name", name=op.f("uq_person_alias_person_id_name")),
    )
    with op.batch_alter_table("person_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_alias_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_alias_person_id"))
    op.drop_table("person_alias")
    with op.batch_alter_table("person_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_change_district_code"))
        batch_op.drop_index(batch_op.f("ix_person_change_person_id"))
        batch_op.drop_index("ix_person_change_status")
    op.drop_table("person_change")
