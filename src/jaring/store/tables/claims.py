"""Claims tables: a claim for a membership, its heirs, its documents and its trail.

A claim stores what the law said at filing (``amount`` and ``entitlement`` JSON with the
explanation lines and references) so it can be shown later exactly as decided, even after a
parameter is corrected. ``claim_event`` is append-only: every filing, document, transition and
override is a row (who, when, from-state, to-state, reason); nothing there is ever updated.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

from jaring.store.tables.base import BigId, metadata

# SQLite gives automatic ids only to an INTEGER PRIMARY KEY (a BIGINT key stays NULL); the
# variant keeps 64-bit ids on PostgreSQL and row ids on SQLite.

claim = Table(
    "claim",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("membership_id", BigInteger, ForeignKey("membership.id"), nullable=False, index=True),
    Column("person_id", BigInteger, ForeignKey("person.id"), nullable=False, index=True),
    Column("program_id", Integer, ForeignKey("program.id"), nullable=False, index=True),
    # jkm | jkk_death | jkk_medical | jkk_stmb | jkk_disability | scholarship
    Column("type", String(20), nullable=False),
    # what is claimed once only: 'death', 'stmb:<event>', 'scholarship:<child>:<year>'...
    Column("benefit_key", String(120), nullable=False),
    Column("event_date", Date, nullable=False),
    Column("filed_on", Date, nullable=False),
    Column("reporter", String(200), nullable=False),
    # filed | documents_complete | verified | approved | rejected | paid
    Column("status", String(20), nullable=False, index=True),
    Column("eligible", Boolean, nullable=False),
    Column("eligibility", JSON, nullable=False),  # facts and failed rules at filing
    Column("inputs", JSON, nullable=False),  # wage, months, percent, cost, child...
    Column("amount", BigInteger, nullable=False),  # entitlement in whole rupiah
    Column("entitlement", JSON, nullable=False),  # law's components, explanation, references
    Column("reject_reason", String(40)),
    Column("paid_on", Date),
    Column("paid_amount", BigInteger),
    Column("paid_reference", String(100)),
    # payment time (PP 44/2015 Pasal 37, 40): the file complete, the last day to pay (set at
    # approval), the days late and the 1%-a-day compensation BPJS TK owes (set at payment)
    Column("complete_on", Date),
    Column("payment_due", Date),
    Column("late_days", Integer),
    Column("late_compensation", BigInteger),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
    Index("ix_claim_person_benefit", "person_id", "benefit_key"),
)

claim_heir = Table(
    "claim_heir",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("claim_id", BigInteger, ForeignKey("claim.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("nik", String(16)),
    # spouse | child | parent | grandchild | grandparent | sibling | parent_in_law | will |
    # funeral_arranger (no heir and no will: the funeral cost only)
    Column("relation", String(20), nullable=False),
    Column("rank", SmallInteger, nullable=False),  # 1..6, RULES.md section 3
    Column("birth_date", Date),
    Column("recipient", Boolean, nullable=False, default=False),
)

claim_document = Table(
    "claim_document",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("claim_id", BigInteger, ForeignKey("claim.id"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("received_on", Date, nullable=False),
    Column("note", Text),
    UniqueConstraint("claim_id", "code"),
)

claim_event = Table(
    "claim_event",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("claim_id", BigInteger, ForeignKey("claim.id"), nullable=False, index=True),
    Column("at", DateTime, nullable=False, server_default=func.now()),
    Column("actor", String(100), nullable=False),
    Column("action", String(30), nullable=False),  # file | document | advance | recipient
    Column("from_status", String(20)),
    Column("to_status", String(20)),
    Column("override", Boolean, nullable=False, default=False),
    Column("reason", Text),  # the operator's written reason (required for an override)
    Column("data", JSON),
)
