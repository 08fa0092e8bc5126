"""Program tables: programs, memberships, and the paid coverage periods.

``program``, ``membership`` and ``coverage_period`` are contracts other packages rely on
(claims, coverage, web): columns may be added, none renamed or removed. This
module also holds membership history, plans, invoices, invoice lines and payments.

``coverage_period`` is derived from paid months by billing: one row per run of consecutive
paid months of a membership, ``start_date``..``end_date`` inclusive. "Covered on D" is the
query ``start_date <= D <= end_date``, never a flag.
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
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    false,
    func,
)

from jaring.store.tables.base import BigId, metadata

# SQLite autoincrements only an INTEGER PRIMARY KEY (64-bit there anyway); BIGINT elsewhere.

program = Table(
    "program",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    # who pays (PP 50/2025): 'apbd' | 'self' (pekerja mandiri) | 'apbn' | 'apbdes' | 'donor'
    Column("funder_type", String(10), nullable=False),
    Column("funder_region", String(13)),  # region code of the paying Pemda, e.g. '96.71'
    Column("fiscal_year", Integer, nullable=False),
    Column("budget", BigInteger, nullable=False),  # whole rupiah
    Column("segment", String(3), nullable=False),  # 'bpu' | 'pu'
    Column("income_base", BigInteger, nullable=False),  # declared income (BPU) or wage (PU)
    Column("risk", String(20)),  # PU JKK risk group
    Column("with_jht", Boolean, nullable=False, default=False),
    # PU package with JP (Jaminan Pensiun); never for BPU. Billed only when chosen.
    Column("with_jp", Boolean, nullable=False, default=False, server_default=false()),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("rules", JSON, nullable=False, default=dict),  # targeting rules as data
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

membership = Table(
    "membership",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("program_id", Integer, ForeignKey("program.id"), nullable=False),
    Column("person_id", BigInteger, ForeignKey("person.id"), nullable=False, index=True),
    Column("segment", String(3), nullable=False),
    Column("income_base", BigInteger, nullable=False),
    Column("risk", String(20)),
    Column("with_jht", Boolean, nullable=False, default=False),
    Column("kpj", String(11), index=True),
    # planned | submitted | active | suspended | ended | deceased
    Column("state", String(12), nullable=False),
    Column("start_month", Date, nullable=False),  # first day of the first month
    Column("end_month", Date),  # first day of the last month, null = open
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
    UniqueConstraint("program_id", "person_id"),
    # memberships by state of a region's people without the rows (the dashboard)
    Index("ix_membership_person_state", "person_id", "state"),
)

coverage_period = Table(
    "coverage_period",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("membership_id", BigInteger, ForeignKey("membership.id"), nullable=False, index=True),
    Column("person_id", BigInteger, ForeignKey("person.id"), nullable=False),
    Column("program_id", Integer, ForeignKey("program.id"), nullable=False),
    Column("segment", String(3), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),  # inclusive
    Index("ix_coverage_period_person_dates", "person_id", "start_date", "end_date"),
)

# --- history, plans, BPJS exchange, billing ----------------------------------------------

membership_event = Table(
    "membership_event",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("membership_id", BigInteger, ForeignKey("membership.id"), nullable=False, index=True),
    Column("state", String(12), nullable=False),  # the state entered
    Column("on_date", Date, nullable=False),  # when it took effect
    Column("reason", String(200)),  # e.g. 'kpj_import', 'arrears_3_months', 'payment'
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

plan = Table(
    "plan",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_id", Integer, ForeignKey("program.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("scenario", String(20), nullable=False),  # 'full' | 'spread' | 'replan'
    Column("budget", BigInteger, nullable=False),  # rupiah available to this plan
    Column("from_month", Date, nullable=False),  # first month the plan buys
    Column("settings", JSON, nullable=False, default=dict),  # priority, quotas, drop_covered
    Column("summary", JSON, nullable=False, default=dict),  # people, months, cost, gaps...
    Column("enrolled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

plan_line = Table(
    "plan_line",
    metadata,
    Column("plan_id", Integer, ForeignKey("plan.id"), primary_key=True),
    Column("person_id", BigInteger, ForeignKey("person.id"), primary_key=True),
    Column("start_month", Date, nullable=False),
    Column("months", Integer, nullable=False),
    Column("cost", BigInteger, nullable=False),
    Column("kept", Boolean, nullable=False, default=False),  # already covered before a re-plan
)

bpjs_refusal = Table(
    "bpjs_refusal",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("program_id", Integer, ForeignKey("program.id")),
    Column("file", String(300), nullable=False),
    Column("row", Integer, nullable=False),  # 1-based data row in the file
    Column("nik", String(40)),  # as received (may be malformed)
    Column("kpj", String(40)),
    Column("reason", String(40), nullable=False),  # stable code: unknown_nik, bad_kpj, refused...
    Column("detail", String(300)),  # BPJS's own note, if any
    # the membership the row's NIK matched (null when it matched none) and the answer file
    Column("membership_id", BigInteger),
    Column("file_id", Integer),
    Column("resolved", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
    # the open refusals of a program, page by page (keyset on id)
    Index("ix_bpjs_refusal_program_open", "program_id", "resolved", "id"),
)

invoice = Table(
    "invoice",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(40), nullable=False, unique=True),  # e.g. 'INV-1-2024-03'
    Column("program_id", Integer, ForeignKey("program.id"), nullable=False),
    Column("month", Date, nullable=False),  # first day of the billed month
    Column("lines", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),  # = sum of its lines
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
    UniqueConstraint("program_id", "month"),
)

# The largest table (one row per membership-month: 12M a year for a province). Declared
# without foreign keys on purpose: PostgreSQL checks each one with a per-row trigger, which
# cut bulk writes from ~200k to ~18k rows/s here. Lines are only ever written by
# billing_service.create_invoice, in the transaction that creates their invoice, for the
# memberships it has just read; the primary key still forbids two lines for one
# membership in one invoice.
invoice_line = Table(
    "invoice_line",
    metadata,
    Column("invoice_id", Integer, primary_key=True),
    Column("membership_id", BigInteger, primary_key=True),
    Column("jkk", BigInteger, nullable=False),
    Column("jkm", BigInteger, nullable=False),
    Column("jht", BigInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("paid", BigInteger, nullable=False),  # allocated from payments; covered iff == amount
    sqlite_with_rowid=False,  # SQLite: the primary key is the table (one B-tree, faster writes)
)

payment = Table(
    "payment",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("invoice_id", Integer, ForeignKey("invoice.id"), nullable=False, index=True),
    Column("paid_on", Date, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("sp2d", String(60), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

# Every file exchanged with BPJS TK: registration files sent (kept byte for byte so the same
# file can be downloaded again; they hold clear NIKs, so only ``nik.export`` holders get them
# back) and answers received (their name as uploaded and what they did; not kept).
bpjs_file = Table(
    "bpjs_file",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("program_id", Integer, ForeignKey("program.id"), nullable=False, index=True),
    Column("direction", String(8), nullable=False),  # 'sent' | 'received'
    Column("filename", String(300), nullable=False),  # as downloaded or uploaded
    Column("format", String(4), nullable=False),  # 'csv' | 'xlsx'
    Column("rows", Integer, nullable=False),
    Column("accepted", Integer, nullable=False, default=0),  # received: rows that activated
    Column("refused", Integer, nullable=False, default=0),  # received: rows kept for correction
    Column("resend", Boolean, nullable=False, default=False),  # sent: refused rows sent again
    Column("content", LargeBinary),  # sent: the file itself
    Column("created_by", String(80), nullable=False),  # username or 'system'
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)


program_candidate = Table(
    "program_candidate",
    metadata,
    # people added to a program's candidates by hand (beside those its targeting rules
    # select): who added them, when and why; the plan counts them (programs.queries.plans)
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("program_id", BigInteger, nullable=False),
    Column("person_id", BigInteger, nullable=False, index=True),
    Column("reason", String(500), nullable=False),
    Column("added_by", String(100), nullable=False),
    Column("added_at", DateTime, nullable=False),
    UniqueConstraint("program_id", "person_id"),
)
