"""Registry tables: people (one row per human) and batches, files, source rows
(in chunks), corrections, links from rows to people, and the review queue of possible
duplicates.

``person`` is a contract other packages rely on (programs, claims, coverage, web): columns
may be added, none renamed or removed. A person is identified by ``id``; the NIK is an
attribute that can be wrong, change, or be shared by mistake.

Source rows are kept forever with their file, sheet, row number and the cells as typed, and
the issues found at import. Since revision 0010 they are stored in **chunks**
(``registry_chunk``): up to 65,536 consecutive rows of one file and sheet as Parquet
(``registry.chunks`` holds the layout), so a million-row list is written in a fraction of a
second instead of 3 to 5 s as SQL rows, and takes 53 bytes a row instead of about 300. A
row's id is its number, ``first_row`` .. ``first_row + rows - 1`` of its chunk; links,
pairs, splits and corrections refer to it. Chunks never change: an operator's correction is
a row of ``registry_correction`` (the values and issues now, and what was typed over),
beside the source row and never over it. ``registry.source_rows`` reads rows back with
their corrections applied.
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
    LargeBinary,
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
    # a province's people and their distrik without the rows (the dashboard's scope)
    Index("ix_person_province_district", "province_code", "district_code", "id"),
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
    # JSON: sheet ("" for CSV) -> the names of the cells as typed (``c0``... of its chunks)
    Column("headers", Text),
)

registry_chunk = Table(
    "registry_chunk",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("registry_batch.id"), nullable=False, index=True),
    Column("file_id", Integer, ForeignKey("registry_file.id"), nullable=False),
    Column("sheet", String(100)),
    Column("first_row", BigInteger, nullable=False, unique=True),  # id of its first row
    Column("rows", Integer, nullable=False),
    Column("format", SmallInteger, nullable=False),  # registry.chunks.FORMAT
    Column("data", LargeBinary, nullable=False),  # Parquet: the rows
    Column("issues", LargeBinary),  # Parquet: the issues found at import (none: null)
)

registry_correction = Table(
    "registry_correction",
    metadata,
    # an operator's correction of source row ``row_id``: its values and issues now
    Column("row_id", BigInteger, primary_key=True, autoincrement=False),
    Column("batch_id", Integer, ForeignKey("registry_batch.id"), nullable=False, index=True),
    Column("corrected", Text, nullable=False),  # JSON: field -> value given by the operator
    Column("corrected_by", String(100)),
    Column("corrected_at", DateTime, nullable=False),
    Column("status", String(10), nullable=False),  # accepted | rejected
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
    Column("issues", Text, nullable=False),  # JSON list: {field, code, severity, value, detail}
)

registry_link = Table(
    "registry_link",
    metadata,
    Column("row_id", BigInteger, primary_key=True, autoincrement=False),  # a source row
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
    Column("row_id", BigInteger, nullable=False, index=True),  # a source row
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
    Column("row_l", BigInteger, nullable=False),  # source rows (ids in registry_chunk)
    Column("row_r", BigInteger, nullable=False),
    Column("match_weight", Float, nullable=False),
    Column("match_probability", Float, nullable=False),
    Column("explain", Text, nullable=False),  # JSON: field -> agreement level
    Column("status", String(10), nullable=False),  # pending | accepted | rejected
    Column("decided_by", String(100)),
    Column("decided_at", DateTime),
    Column("reason", Text),
    Column("created_at", DateTime, nullable=False),
    # JSON list of the source rows an accept moved to the kept person (for undo)
    Column("merged_rows", Text),
    UniqueConstraint("row_l", "row_r"),
    Index("ix_registry_pair_status", "status"),
)

registry_nik_choice = Table(
    "registry_nik_choice",
    metadata,
    # an operator chose which of a person's NIKs is right (rows linked to one person carry
    # two NIKs): kept over the NIK the rows would give
    Column("person_id", BigInteger, ForeignKey("person.id"), primary_key=True),
    Column("nik", String(16), nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime, nullable=False),
    Column("reason", Text),
)

person_change = Table(
    "person_change",
    metadata,
    # a change of a person's identity (NIK, name, birth date, sex) asked by an operator and
    # decided by a supervisor in scope, with the evidence attached (maker-checker)
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("person_id", BigInteger, nullable=False, index=True),
    Column("district_code", String(8), index=True),  # the person's, for the decider's scope
    Column("changes", Text, nullable=False),  # JSON: field -> value asked for
    Column("before", Text, nullable=False),  # JSON: field -> value when asked
    Column("reason", Text, nullable=False),
    Column("evidence_id", BigInteger),  # an attachment (jaring.attachments), when given
    Column("evidence_name", String(200)),
    Column("status", String(10), nullable=False),  # pending | approved | rejected
    Column("requested_by", String(100), nullable=False),
    Column("requested_at", DateTime, nullable=False),
    Column("decided_by", String(100)),
    Column("decided_at", DateTime),
    Column("decision_note", Text),
    Index("ix_person_change_status", "status"),
)

search_dirty = Table(
    "search_dirty",
    metadata,
    # people whose names the search must read again: marked by triggers (revision 0022) when
    # a person is renamed or deleted or a row moves between people; emptied by
    # registry.actions.search_index.refresh
    Column("person_id", BigInteger, primary_key=True, autoincrement=False),
)

person_alias = Table(
    "person_alias",
    metadata,
    # every name a person is known by (their own and those of the rows merged into them),
    # normalised, for the tolerant search (store.search: FTS5 trigram / pg_trgm)
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("person_id", BigInteger, nullable=False, index=True),
    Column("name", String(200), nullable=False),
    UniqueConstraint("person_id", "name"),
)

name_token = Table(
    "name_token",
    metadata,
    # every word of the names in person_alias, once, with the number of names holding it
    # (store.search: the word index of the tolerant search)
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("token", String(200), nullable=False, unique=True),
    Column("names", Integer, nullable=False),
)

name_token_variant = Table(
    "name_token_variant",
    metadata,
    # a word and the word with any one letter taken out, each pointing at the word: two
    # words one typo apart share a variant (symmetric deletion)
    Column("variant", String(200), primary_key=True),
    Column("token_id", BigInteger, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

person_alias_token = Table(
    "person_alias_token",
    metadata,
    # which names (person_alias ids) hold which words
    Column("token_id", BigInteger, primary_key=True, autoincrement=False),
    Column("alias_id", BigInteger, primary_key=True, autoincrement=False),
    Index("ix_person_alias_token_alias", "alias_id"),
    sqlite_with_rowid=False,
)

person_alias_pair = Table(
    "person_alias_pair",
    metadata,
    # which names hold which pair of beginnings: the first three letters of two of a name's
    # words, in order, joined by a space ("muh sur" for "muhammad surya"), so that the names
    # beginning so are one range of the key (store.search.starting; revision 0031)
    Column("pair", String(7), primary_key=True),
    Column("alias_id", BigInteger, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)
