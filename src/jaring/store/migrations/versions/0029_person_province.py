"""store: a region's people and memberships counted from indexes (the dashboard)

The dashboard counts, inside the actor's regions, the people per distrik, those covered on a
day and the memberships per state. ``person.province_code`` had no index: a province's
officer (or a national instance's) read the whole ``person`` table three times, 6.8 s at 10
million people on PostgreSQL. ``ix_person_province_district`` (province, distrik, id) gives
a province's people and their distrik from the index alone (PostgreSQL's index-only scan);
``ix_membership_person_state`` (person, state) gives their memberships' states the same way.
Both dialects; on SQLite (a city's store) they cost a little on writes and serve the same
reads.

Revision ID: 0029
Revises: 0028
"""

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_person_province_district", "person", ["province_code", "district_code", "id"]
    )
    op.create_index("ix_membership_person_state", "membership", ["person_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_membership_person_state", table_name="membership")
    op.drop_index("ix_person_province_district", table_name="person")
