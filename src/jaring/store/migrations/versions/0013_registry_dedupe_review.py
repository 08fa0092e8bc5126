"""registry dedupe: undoable review decisions, an operator's choice of NIK

Revision ID: 0013
Revises: 0012

Owned by the dedupe work. ``registry_pair.merged_rows``: the source rows an accepted pair
moved to the kept person, so that the decision can be undone. ``registry_nik_choice``: which
NIK is right for a person whose rows carry two, chosen by an operator; it stands over the NIK
the rows would give.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registry_pair", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_rows", sa.Text(), nullable=True))
    op.create_table(
        "registry_nik_choice",
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_registry_nik_choice_person_id_person")
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_registry_nik_choice")),
    )


def downgrade() -> None:
    op.drop_table("registry_nik_choice")
    with op.batch_alter_table("registry_pair", schema=None) as batch_op:
        batch_op.drop_column("merged_rows")
