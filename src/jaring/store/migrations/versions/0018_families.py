"""families: the Kartu Keluarga and its members, deaths learned outside a claim

Revision ID: 0018
Revises: 0017

Owned by the families work. ``family``, ``family_member`` and ``family_change`` (change
requests); ``death_list`` and ``death_list_row`` (every row of a death list, as typed, with
its outcome), ``death`` (never deleted: undone with a reason), ``death_effect`` (what a death
changed, to restore it) and ``death_refund`` (months paid after a death, owed back).
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "death_list",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("recorded", sa.Integer(), nullable=False),
        sa.Column("review", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_death_list")),
        sa.UniqueConstraint("sha256", name=op.f("uq_death_list_sha256")),
    )
    op.create_table(
        "family",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kk_number", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family")),
        sa.UniqueConstraint("kk_number", name=op.f("uq_family_kk_number")),
    )
    op.create_table(
        "death",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_kind", sa.String(length=10), nullable=False),
        sa.Column("list_row_id", sa.BigInteger(), nullable=True),
        sa.Column("claim_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("undone_by", sa.String(length=100), nullable=True),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_death_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_death")),
    )
    with op.batch_alter_table("death", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_death_person_id"), ["person_id"], unique=False)
        batch_op.create_index("ix_death_status_date", ["status", "death_date"], unique=False)

    op.create_table(
        "death_list_row",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("list_id", sa.Integer(), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("death_date", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("match_score", sa.Float(), nullable=True),
        sa.Column("death_id", sa.BigInteger(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_id"], ["death_list.id"], name=op.f("fk_death_list_row_list_id_death_list")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_death_list_row")),
    )
    with op.batch_alter_table("death_list_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_death_list_row_list_id"), ["list_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_death_list_row_outcome"), ["outcome"], unique=False)

    op.create_table(
        "family_change",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("family_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("change", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_family_change_family_id_family")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_change")),
    )
    with op.batch_alter_table("family_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_change_family_id"), ["family_id"], unique=False)

    op.create_table(
        "family_member",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("family_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=True),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("row_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["family.id"], name=op.f("fk_family_member_family_id_family")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_family_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_member")),
    )
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_family_member_family_id"), ["family_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_member_nik"), ["nik"], unique=False)
        batch_op.create_index(batch_op.f("ix_family_member_person_id"), ["person_id"], unique=False)

    op.create_table(
        "death_effect",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("death_id", sa.BigInteger(), nullable=False),
        sa.Column("membership_id", sa.BigInteger(), nullable=False),
        sa.Column("prior_state", sa.String(length=12), nullable=False),
        sa.Column("prior_end_month", sa.Date(), nullable=True),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["death_id"], ["death.id"], name=op.f("fk_death_effect_death_id_death")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_death_effect")),
        sa.UniqueConstraint(
            "death_id", "membership_id", name=op.f("uq_death_effect_death_id_membership_id")
        ),
    )
    with op.batch_alter_table("death_effect", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_death_effect_death_id"), ["death_id"], unique=False)

    op.create_table(
        "death_refund",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("death_id", sa.BigInteger(), nullable=False),
        sa.Column("membership_id", sa.BigInteger(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("payer", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["death_id"], ["death.id"], name=op.f("fk_death_refund_death_id_death")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_death_refund")),
    )
    with op.batch_alter_table("death_refund", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_death_refund_death_id"), ["death_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("death_refund", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_death_refund_death_id"))

    op.drop_table("death_refund")
    with op.batch_alter_table("death_effect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_death_effect_death_id"))

    op.drop_table("death_effect")
    with op.batch_alter_table("family_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_member_person_id"))
        batch_op.drop_index(batch_op.f("ix_family_member_nik"))
        batch_op.drop_index(batch_op.f("ix_family_member_family_id"))

    op.drop_table("family_member")
    with op.batch_alter_table("family_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_change_family_id"))

    op.drop_table("family_change")
    with op.batch_alter_table("death_list_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_death_list_row_outcome"))
        batch_op.drop_index(batch_op.f("ix_death_list_row_list_id"))

    op.drop_table("death_list_row")
    with op.batch_alter_table("death", schema=None) as batch_op:
        batch_op.drop_index("ix_death_status_date")
        batch_op.drop_index(batch_op.f("ix_death_person_id"))

    op.drop_table("death")
    op.drop_table("family")
    op.drop_table("death_list")
