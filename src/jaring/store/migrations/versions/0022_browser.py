"""browser: the people whose names the search must read again (``search_dirty``), kept by
triggers on ``person`` and ``registry_link``

The tolerant search's names (``person_alias``) were rebuilt whole after any change to the
registry. Now they are brought up to date person by person: new people and rows are found
by id (ids only grow), and the changes ids do not show (a person renamed, merged away or
deleted, a row moved to another person by a merge or a split) leave the person ids in
``search_dirty`` through these triggers. Row triggers, but only on UPDATE and DELETE and on
``person.name_norm``: bulk inserts (an import of a million rows) fire none.

Revision ID: 0022
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0020"
branch_labels = None
depends_on = None

# (name, table, event, the person ids to mark)
TRIGGERS = (
    ("trg_search_person_name", "person", "UPDATE OF name_norm", ("NEW.id",)),
    ("trg_search_person_gone", "person", "DELETE", ("OLD.id",)),
    ("trg_search_link_moved", "registry_link", "UPDATE OF person_id", ("OLD.person_id", "NEW.person_id")),
    ("trg_search_link_gone", "registry_link", "DELETE", ("OLD.person_id",)),
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "search_dirty",
        sa.Column("person_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_search_dirty")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION search_mark(id BIGINT) RETURNS void LANGUAGE sql AS $$
              INSERT INTO search_dirty (person_id) VALUES (id) ON CONFLICT DO NOTHING
            $$
            """
        )
        for name, table, event, ids in TRIGGERS:
            marks = "; ".join(f"PERFORM search_mark({i})" for i in ids)
            op.execute(
                f"""
                CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN {marks}; RETURN NULL; END $$
                """
            )
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
    else:
        for name, table, event, ids in TRIGGERS:
            marks = " ".join(
                f"INSERT OR IGNORE INTO search_dirty (person_id) VALUES ({i});" for i in ids
            )
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {marks} END")


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for name, table, _event, _ids in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if pg else ""))
        if pg:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    if pg:
        op.execute("DROP FUNCTION IF EXISTS search_mark(BIGINT)")
    op.drop_table("search_dirty")
