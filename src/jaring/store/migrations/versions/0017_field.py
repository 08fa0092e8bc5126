"""field registration: records entered on phones and pulled from ODK

Revision ID: 0017
Revises: 0016

Owned by the field registration work. ``field_record`` holds one row per record a registrar
entered (keyed by the id the phone made, and by ODK's ``instanceID`` for ODK submissions), the
server's answer and where it entered the registry (a batch per registrar and day).
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "field_record",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("instance_id", sa.String(length=100), nullable=True),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("registrar", sa.String(length=100), nullable=False),
        sa.Column("registrar_id", sa.Integer(), nullable=True),
        sa.Column("device", sa.String(length=200), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("regency_code", sa.String(length=5), nullable=True),
        sa.Column("district_code", sa.String(length=8), nullable=True),
        sa.Column("village_code", sa.String(length=13), nullable=True),
        sa.Column("market", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("nik", sa.String(length=16), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("consent_name", sa.String(length=200), nullable=True),
        sa.Column("consent_at", sa.DateTime(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("row_id", sa.BigInteger(), nullable=True),
        sa.Column("photo_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_field_record")),
        sa.UniqueConstraint("client_id", name=op.f("uq_field_record_client_id")),
        sa.UniqueConstraint("instance_id", name=op.f("uq_field_record_instance_id")),
    )
    with op.batch_alter_table("field_record", schema=None) as batch_op:
        batch_op.create_index("ix_field_record_registrar_day", ["registrar", "day"], unique=False)
        batch_op.create_index("ix_field_record_nik", ["nik"], unique=False)
        batch_op.create_index("ix_field_record_district", ["district_code", "day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("field_record", schema=None) as batch_op:
        batch_op.drop_index("ix_field_record_district")
        batch_op.drop_index("ix_field_record_nik")
        batch_op.drop_index("ix_field_record_registrar_day")
    op.drop_table("field_record")
