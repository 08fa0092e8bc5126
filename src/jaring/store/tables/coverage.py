"""Coverage tables: the denominators, targets and BPJS-reported figures coverage is judged by.

Covered people themselves are not stored here: "covered on D" is a query over
``coverage_period`` (see :mod:`jaring.coverage.repo`). What a region enters is stored here,
each row with its source, because a ratio is only as good as the denominator behind it.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
)

from jaring.store.tables.base import metadata

# Working population (BPS Sakernas "penduduk bekerja") per region, year and segment.
coverage_denominator = Table(
    "coverage_denominator",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", String(13), nullable=False),  # dotted, current code
    Column("year", Integer, nullable=False),
    Column("segment", String(5), nullable=False),  # 'all' | 'pu' | 'bpu'
    Column("value", BigInteger, nullable=False),  # people
    Column("source", String(300), nullable=False),  # e.g. "BPS Sakernas Agustus 2024"
    Column("entered_at", DateTime, nullable=False, server_default=func.now()),
    UniqueConstraint("region_code", "year", "segment"),
)

# Targets set by Kemendagri (or the region itself) per region and year.
coverage_target = Table(
    "coverage_target",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", String(13), nullable=False),
    Column("year", Integer, nullable=False),
    Column("segment", String(5), nullable=False),  # 'all' | 'pu' | 'bpu'
    Column("ratio_bp", Integer),  # target coverage ratio in basis points (6500 = 65%)
    Column("people", BigInteger),  # or a target number of covered people
    Column("source", String(300), nullable=False),
    Column("entered_at", DateTime, nullable=False, server_default=func.now()),
    UniqueConstraint("region_code", "year", "segment"),
)

# Universal Coverage Jamsostek as BPJS TK reports it (all participants, not only Pemda-paid).
ucj_report = Table(
    "ucj_report",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", String(13), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("segment", String(5), nullable=False),  # 'all' | 'pu' | 'bpu' | 'jakon' | 'pmi'
    Column("participants", BigInteger, nullable=False),  # active participants
    Column("working_population", BigInteger),  # the denominator BPJS used, if given
    Column("source", String(300), nullable=False),
    Column("entered_at", DateTime, nullable=False, server_default=func.now()),
    UniqueConstraint("region_code", "as_of", "segment"),
)
