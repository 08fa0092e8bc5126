"""web part 2: the BPJS file exchange, region letterheads

Revision ID: 0016
Revises: 0015

``bpjs_file`` records every file sent to and received from BPJS TK (sent ones kept to be
downloaded again); ``bpjs_refusal`` learns the membership and answer file of each refused
row; ``award_interview`` keeps the secretariat's interview notes and ``award_evidence`` the
uploaded document's attachment; ``region_letterhead`` holds each region's letterhead and logo for the reports.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("award_evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachment_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("award_interview", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
    op.create_table(
        "region_letterhead",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("office", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("signatory", sa.String(length=200), nullable=False),
        sa.Column("signatory_title", sa.String(length=200), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=20), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("region_code", name=op.f("pk_region_letterhead")),
    )
    op.create_table(
        "bpjs_file",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("format", sa.String(length=4), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("resend", sa.Boolean(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_bpjs_file_program_id_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bpjs_file")),
    )
    with op.batch_alter_table("bpjs_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bpjs_file_program_id"), ["program_id"], unique=False)

    with op.batch_alter_table("bpjs_refusal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("membership_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("file_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("award_evidence", schema=None) as batch_op:
        batch_op.drop_column("attachment_id")
    with op.batch_alter_table("award_interview", schema=None) as batch_op:
        batch_op.drop_column("notes")
    with op.batch_alter_table("bpjs_refusal", schema=None) as batch_op:
        batch_op.drop_column("file_id")
        batch_op.drop_column("membership_id")

    with op.batch_alter_table("bpjs_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bpjs_file_program_id"))

    op.drop_table("bpjs_file")
    op.drop_table("region_letterhead")
