"""National tables: the cross-region pairs a Pemda receives back from the national
deduplication (``jaring national receive``). One row per pair touching one of this store's
people: the person here, the other Pemda's region code, the match probability and what
agreed (levels only; no personal data of the other region), and the decision."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jaring.store.tables.base import BigId, metadata

national_pair = Table(
    "national_pair",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("person_id", BigInteger, ForeignKey("person.id"), nullable=False, index=True),
    Column("other_region", String(13), nullable=False),  # the other Pemda's region code
    Column("other_key", String(64), nullable=False),  # the other side's record in the run
    Column("run", String(64), nullable=False),  # the deduplication run (its results' id)
    Column("match_probability", Float),  # null: a shared NIK the model scored below review
    Column("link", Boolean, nullable=False),  # at or above the match probability, or same NIK
    Column("explain", Text, nullable=False),  # JSON: comparison -> level and weight
    Column("status", String(10), nullable=False),  # pending | same | different
    Column("decided_by", String(100)),
    Column("decided_at", DateTime),
    Column("reason", Text),
    Column("received_at", DateTime, nullable=False),
    UniqueConstraint("person_id", "other_region", "other_key"),
    Index("ix_national_pair_status", "status"),
)
