"""Registry tables: people (one row per human) and, from issue 3, batches, files, source rows,
their issues, links from rows to people, and the review queue of possible duplicates.

``person`` is a contract other packages rely on (programs, claims, coverage, web): columns
may be added, none renamed or removed. A person is identified by ``id``; the NIK is an
attribute that can be wrong, change, or be shared by mistake.

Source rows are kept forever with their file, sheet, row number and raw values as typed
(``raw``: a JSON array in file column order, the names kept once in ``registry_file.headers``);
a correction is stored beside them (``corrected``), never over them. A row's source and
``listed_on`` are its batch's, its file name its file's (joined, not repeated per row: 0008).

``registry_row`` is a bulk staging table (a million rows per list): since revision 0008 it
carries only the indexes something reads through (the primary key and ``batch_id``) and no
foreign keys; nor does ``registry_issue`` (its key checks took ``FOR KEY SHARE`` row locks on
the rows just written). Per-row foreign-key triggers cost PostgreSQL 7 s of CPU per million rows and a
random-key index (NIK, a unique row hash) 3 to 5 s; ``batch_id`` and ``file_id`` are set by
the one writer (``registry.staging``), which inserts the batch and file in the same
transaction. Re-imports are recognised by comparing raw values within the source (see
``registry.staging``), not through a unique hash.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
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

# BIGINT keys on PostgreSQL; INTEGER on SQLite, where only "INTEGER PRIMARY KEY" autoincrements

person = Table(
    "person",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("nik", String(16), index=True),
    Column("name", String(200), nullable=False),  # as typed in the best source row
    Column("name_norm", String(200), index=True),  # normalised for matching and search
    Column("birth_date", Date),
    Column("sex", String(1)),  # 'L' or 'P'
    Column("province_code", String(2)),  # '96'
    Column("regency_code", String(5), index=True),  # '96.71' (current code, old ones mapped)
    Column("district_code", String(8), index=True),  # '96.71.01'
    Column("village_code", String(13)),  # '96.71.01.1001'
    Column("address", Text),
    Column("phone", String(20)),  # +62 form
    Column("occupation", String(100)),
    Column("desil", SmallInteger),  # 1 = poorest 10%
    Column("registered_on", Date, nullable=False),  # first seen in any list ("who asked first")
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
)

registry_batch = Table(
    "registry_batch",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", String(200), nullable=False),  # "Pasar Remu", "P3KE 2024"...
    Column("imported_by", String(100)),
    Column("imported_at", DateTime, nullable=False),
    Column("listed_on", Date, nullable=False),  # the date the lists speak for
    Column("files", Integer, nullable=False),
    Column("files_skipped", Integer, nullable=False),  # already imported (same content hash)
    Column("rows", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("duplicates_skipped", Integer, nullable=False),  # rows already in the store
)

registry_file = Table(
    "registry_file",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("registry_batch.id"), nullable=False, index=True),
    Column("name", String(500), nullable=False),  # file name as given (no directory)
    Column("sha256", String(64), nullable=False, unique=True),
    Column("bytes", BigInteger, nullable=False),
    Column("sheets", Text),  # JSON list of sheet names read (XLSX)
    Column("columns", Text),  # JSON: sheet ("" for CSV) -> header as typed -> canonical field
    # JSON: sheet ("" for CSV) -> the names of the values in ``registry_row.raw``, in order
    Column("headers", Text),
)

registry_row = Table(
    "registry_row",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, nullable=False, index=True),  # registry_batch.id (no FK: 0008)
    Column("file_id", Integer, nullable=False),  # registry_file.id
    Column("sheet", String(100)),
    Column("row_number", Integer, nullable=False),  # as the operator sees it in Excel
    # JSON array: the values as typed, in file column order (names: registry_file.headers)
    Column("raw", Text, nullable=False),
    Column("corrected", Text),  # JSON: values given by an operator (correct_row)
    Column("corrected_by", String(100)),
    Column("corrected_at", DateTime),
    Column("status", String(10), nullable=False),  # accepted | rejected
    # validated, normalised values (null where missing or invalid)
    Column("nik", String(16)),
    Column("name", String(200)),
    Column("name_norm", String(200)),
    Column("birth_date", Date),
    Column("sex", String(1)),
    Column("district_code", String(8)),
    Column("village_code", String(13)),
    Column("address", Text),
    Column("phone", String(20)),
    Column("occupation", String(100)),
    Column("income", BigInteger),
    Column("desil", SmallInteger),
)

registry_issue = Table(
    "registry_issue",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    # registry_row.id and registry_batch.id, no FKs (0008): written with the rows they name
    Column("row_id", BigInteger, nullable=False, index=True),
    Column("batch_id", Integer, nullable=False, index=True),
    Column("field", String(30), nullable=False),
    Column("code", String(40), nullable=False),
    Column("severity", String(7), nullable=False),  # error | warning
    Column("value", Text),  # the value as typed
    Column("detail", Text),  # the other value of a cross-check (e.g. birth date from NIK)
)

registry_link = Table(
    "registry_link",
    metadata,
    Column("row_id", BigInteger, ForeignKey("registry_row.id"), primary_key=True),
    Column("person_id", BigInteger, ForeignKey("person.id"), nullable=False, index=True),
    Column("method", String(12), nullable=False),  # single | nik | match | review | split
    Column("match_weight", Float),  # strongest edge that joined this row, if any
    Column("linked_at", DateTime, nullable=False),
)

registry_split = Table(
    "registry_split",
    metadata,
    # an operator undid a wrong merge: the row left ``from_person`` for the new ``to_person``.
    # Person ids without foreign keys: either person may later be merged into another.
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("row_id", BigInteger, ForeignKey("registry_row.id"), nullable=False, index=True),
    Column("from_person", BigInteger, nullable=False),
    Column("to_person", BigInteger, nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime, nullable=False),
    Column("reason", Text),
)

registry_pair = Table(
    "registry_pair",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("row_l", BigInteger, ForeignKey("registry_row.id"), nullable=False),
    Column("row_r", BigInteger, ForeignKey("registry_row.id"), nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("match_probability", Float, nullable=False),
    Column("explain", Text, nullable=False),  # JSON: field -> agreement level
    Column("status", String(10), nullable=False),  # pending | accepted | rejected
    Column("decided_by", String(100)),
    Column("decided_at", DateTime),
    Column("reason", Text),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("row_l", "row_r"),
    Index("ix_registry_pair_status", "status"),
)
