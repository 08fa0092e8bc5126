"""Families and deaths: the Kartu Keluarga (KK) and its members, deaths learned outside a
claim (Dukcapil or kelurahan lists, an operator), and what a death changed.

Nothing here is ever deleted. A death recorded by mistake is ``undone`` (who, when, why), and
what it changed is kept in ``death_effect`` so that undoing restores it exactly: each
membership's state and last month, and the coverage periods cut at the date of death.
``death_refund`` holds the contributions paid for months after a death, owed back to the
payer; an undone death cancels them. ``death_line`` holds the invoice lines of months after a
death that were not paid when it was recorded, as they were: the unpaid part is no longer
asked of the payer, and an undone death puts it back.
"""

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jaring.store.tables.base import BigId, metadata

family = Table(
    "family",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("kk_number", String(16), nullable=False, unique=True),  # No. Kartu Keluarga
    Column("source", String(200), nullable=False),  # the list, or "entered"
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

family_member = Table(
    "family_member",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("family_id", BigInteger, ForeignKey("family.id"), nullable=False, index=True),
    # the registry's person when the member is one (members need not be workers)
    Column("person_id", BigInteger, ForeignKey("person.id"), index=True),
    Column("nik", String(16), index=True),
    Column("name", String(200), nullable=False),
    Column("birth_date", Date),
    Column("sex", String(1)),
    # head | spouse | child | parent | parent_in_law | sibling | grandchild | grandparent |
    # child_in_law | other  (families.relations)
    Column("relation", String(20), nullable=False),
    Column("source", String(200), nullable=False),
    Column("row_id", BigInteger),  # the source row it was read from, if any
    Column("status", String(10), nullable=False),  # current | left (never deleted)
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

family_change = Table(
    "family_change",
    metadata,
    # a change request: an operator asks, a supervisor approves or rejects
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("family_id", BigInteger, ForeignKey("family.id"), nullable=False, index=True),
    Column("member_id", BigInteger),  # the member changed (null: a new member)
    Column("change", JSON, nullable=False),  # field -> new value
    Column("before", JSON),
    Column("reason", Text, nullable=False),
    Column("status", String(10), nullable=False),  # pending | approved | rejected
    Column("requested_by", String(100), nullable=False),
    Column("requested_at", DateTime, nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime),
    Column("decision_note", Text),
)

death_list = Table(
    "death_list",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(200), nullable=False),  # "Dukcapil Kota Sorong", "Kel. Remu"...
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("listed_on", Date, nullable=False),
    Column("imported_by", String(100)),
    Column("imported_at", DateTime, nullable=False),
    Column("rows", Integer, nullable=False),
    Column("recorded", Integer, nullable=False),
    Column("review", Integer, nullable=False),
    Column("refused", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
)

death_list_row = Table(
    "death_list_row",
    metadata,
    # every row of a death list, as typed, with what became of it
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("list_id", Integer, ForeignKey("death_list.id"), nullable=False, index=True),
    Column("sheet", String(100)),
    Column("row_number", Integer, nullable=False),
    Column("cells", JSON, nullable=False),  # header as typed -> cell as typed
    Column("nik", String(16)),
    Column("name", String(200)),
    Column("death_date", Date),
    Column("place", String(200)),
    # recorded | review | refused | unchanged | accepted | rejected (after review)
    Column("outcome", String(10), nullable=False, index=True),
    Column("reason", String(40)),  # stable code: unknown_nik, death_in_future, near_match...
    Column("detail", Text),
    Column("person_id", BigInteger),  # matched, or the near-match candidate
    Column("match_score", Float),
    Column("match_explain", Text),  # JSON: the model's agreement per field, for the reviewer
    Column("death_id", BigInteger),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime),
)

death = Table(
    "death",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("person_id", BigInteger, ForeignKey("person.id"), nullable=False, index=True),
    Column("death_date", Date, nullable=False),
    Column("place", String(200)),
    Column("source", String(200), nullable=False),  # "Dukcapil Kota Sorong (list 3, row 7)"
    Column("source_kind", String(10), nullable=False),  # list | claim | entered
    Column("list_row_id", BigInteger),
    Column("claim_id", BigInteger),
    Column("status", String(10), nullable=False),  # recorded | undone
    Column("recorded_by", String(100), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("undone_by", String(100)),
    Column("undone_at", DateTime),
    Column("undo_reason", Text),
    Index("ix_death_status_date", "status", "death_date"),
)

death_effect = Table(
    "death_effect",
    metadata,
    # what recording a death changed on one membership, to restore it on undo
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("death_id", BigInteger, ForeignKey("death.id"), nullable=False, index=True),
    Column("membership_id", BigInteger, nullable=False),
    Column("prior_state", String(12), nullable=False),
    Column("prior_end_month", Date),
    Column("periods", JSON, nullable=False),  # coverage periods as they were (cut or removed)
    UniqueConstraint("death_id", "membership_id"),
)

death_refund = Table(
    "death_refund",
    metadata,
    # a month paid after the death: the contribution goes back to the payer
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("death_id", BigInteger, ForeignKey("death.id"), nullable=False, index=True),
    Column("membership_id", BigInteger, nullable=False),
    Column("program_id", Integer, nullable=False),
    Column("invoice_id", Integer, nullable=False),
    Column("month", Date, nullable=False),
    Column("amount", BigInteger, nullable=False),  # whole rupiah paid on that line
    Column("payer", String(40), nullable=False),  # "apbd 96.71" | "self"
    Column("status", String(10), nullable=False),  # due | cancelled | returned
    Column("created_at", DateTime, nullable=False),
    Column("cancelled_at", DateTime),
    # returned to the payer (from the program's invoices): the day, its transfer's reference
    Column("returned_on", Date),
    Column("returned_reference", String(100)),
    Column("returned_by", String(100)),
)

death_line = Table(
    "death_line",
    metadata,
    # an invoice line of a month after the death, unpaid (or part-paid) when the death was
    # recorded: the unpaid part is cancelled (a line with nothing paid leaves the invoice,
    # one part-paid keeps what was paid); kept as it was, to restore it on undo
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("death_id", BigInteger, ForeignKey("death.id"), nullable=False, index=True),
    Column("invoice_id", Integer, nullable=False),
    Column("membership_id", BigInteger, nullable=False),
    Column("month", Date, nullable=False),
    Column("jkk", BigInteger, nullable=False),
    Column("jkm", BigInteger, nullable=False),
    Column("jht", BigInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),  # whole rupiah asked on the line
    Column("paid", BigInteger, nullable=False),  # whole rupiah paid on it then
    Column("cancelled", BigInteger, nullable=False),  # amount - paid: no longer asked
    Column("status", String(10), nullable=False),  # cancelled | restored
    Column("created_at", DateTime, nullable=False),
    Column("restored_at", DateTime),
    UniqueConstraint("death_id", "invoice_id", "membership_id"),
)
