"""search and programs: a word index for the tolerant name search, and the people added to
a program's candidates by hand

The name search took its candidates from a trigram index of whole names (FTS5, pg_trgm):
at a million people the posting lists of a name's trigrams hold tens of thousands of names
and a search cost about 190 ms of CPU. ``name_token`` (each word of the names once, with
how many names hold it), ``name_token_variant`` (each word with any one letter taken out)
and ``person_alias_token`` (which names hold which word) find the names near a query's
words by equality on an index, the same on SQLite and PostgreSQL (``store.search``); they
are filled by the next refresh of the names (the refresh mark is cleared here).

``program_candidate``: people added to a program's candidates by hand, who added them,
when and why; a plan counts them beside those its targeting rules select.

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "name_token",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("token", sa.String(length=200), nullable=False),
        sa.Column("names", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_token")),
        sa.UniqueConstraint("token", name=op.f("uq_name_token_token")),
    )
    op.create_table(
        "name_token_variant",
        sa.Column("variant", sa.String(length=200), nullable=False),
        sa.Column("token_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("variant", "token_id", name=op.f("pk_name_token_variant")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "person_alias_token",
        sa.Column("token_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("alias_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("token_id", "alias_id", name=op.f("pk_person_alias_token")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_person_alias_token_alias", "person_alias_token", ["alias_id"])
    # the names are indexed again by the next search's refresh
    op.execute("DELETE FROM web_setting WHERE key = 'search:mark'")
    op.create_table(
        "program_candidate",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("program_id", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_candidate")),
        sa.UniqueConstraint(
            "program_id", "person_id", name=op.f("uq_program_candidate_program_id_person_id")
        ),
    )
    op.create_index(op.f("ix_program_candidate_person_id"), "program_candidate", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_program_candidate_person_id"), table_name="program_candidate")
    op.drop_table("program_candidate")
    op.drop_index("ix_person_alias_token_alias", table_name="person_alias_token")
    op.drop_table("person_alias_token")
    op.drop_table("name_token_variant")
    op.drop_table("name_token")
    op.execute("DELETE FROM web_setting WHERE key = 'search:mark'")
