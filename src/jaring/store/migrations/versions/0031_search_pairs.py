"""search: the names' pairs of word beginnings, for the first letters of two words

A query of the first letters of two words ("sur muh": each typed word the beginning of a
word of the name) met the postings of every stored word beginning so: at 10 million people
both beginnings hold hundreds of thousands of names and thousands of stored words, and a
page cost 157 ms of server CPU (p95 476 ms). ``person_alias_pair`` holds, per name, every
pair of its words' first three letters (in order, joined by a space: ``"muh sur"``), so
that the names holding both beginnings are one range of its key, read as far as the page
needs (``store.search.starting``). It is filled by the next refresh of the names (the
refresh mark is cleared here, as revision 0026 did for the word index).

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_alias_pair",
        sa.Column("pair", sa.String(length=7), nullable=False),
        sa.Column("alias_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("pair", "alias_id", name=op.f("pk_person_alias_pair")),
        sqlite_with_rowid=False,
    )
    # the names are indexed again (pairs included) by the next search's refresh
    op.execute("DELETE FROM web_setting WHERE key = 'search:mark'")


def downgrade() -> None:
    op.drop_table("person_alias_pair")
    op.execute("DELETE FROM web_setting WHERE key = 'search:mark'")
