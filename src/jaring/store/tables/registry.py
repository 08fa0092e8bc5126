"""Registry tables: people (one row per human) and, from issue 3, batches, source rows,
links and review decisions.

``person`` is a contract other packages rely on (programs, claims, coverage, web): columns
may be added, none renamed or removed. A person is identified by ``id``; the NIK is an
attribute that can be wrong, change, or be shared by mistake.
"""

from sqlalchemy import BigInteger, Column, Date, DateTime, SmallInteger, String, Table, Text, func

from jaring.store.tables.base import metadata

person = Table(
    "person",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
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
