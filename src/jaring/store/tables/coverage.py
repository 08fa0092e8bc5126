"""Coverage tables: the denominators, targets and BPJS-reported figures coverage is judged by.

Covered people themselves are not stored here: "covered on D" is a query over
``coverage_period`` (see :mod:`jaring.coverage.repo`). What a region enters is stored here,
each row with its source, because a ratio is only as good as the denominator behind it.

The ``dashboard_*`` tables (revision 0030) are the dashboard's per-distrik summary on
PostgreSQL, derived from ``person``, ``membership`` and ``coverage_period`` and kept by
:mod:`jaring.store.summary` (triggers mark changed distrik in ``dashboard_dirty``). Their
region codes use ``''`` for a person's missing code. SQLite has the tables, empty: a city's
store counts directly.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Integer,
    PrimaryKeyConstraint,
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


def _region_columns() -> list[Column[str]]:
    """The person's province, regency and distrik (``''`` where the person has none)."""
    return [
        Column("province_code", String(2), nullable=False),
        Column("regency_code", String(5), nullable=False),
        Column("district_code", String(8), nullable=False),
    ]


# The dashboard's summary: people per (province, regency, distrik) of ``person``.
dashboard_people = Table(
    "dashboard_people",
    metadata,
    *_region_columns(),
    Column("people", BigInteger, nullable=False),
    PrimaryKeyConstraint("province_code", "regency_code", "district_code"),
)

# Memberships per region and state (``membership`` joined to its person).
dashboard_membership = Table(
    "dashboard_membership",
    metadata,
    *_region_columns(),
    Column("state", String(12), nullable=False),
    Column("memberships", BigInteger, nullable=False),
    PrimaryKeyConstraint("province_code", "regency_code", "district_code", "state"),
)

# Each person's coverage as disjoint runs (overlapping ``coverage_period`` rows merged):
# ``starts`` runs begin on ``day``, ``ends`` runs end on ``day``. People covered on D =
# sum(starts, day <= D) - sum(ends, day < D).
dashboard_coverage = Table(
    "dashboard_coverage",
    metadata,
    *_region_columns(),
    Column("day", Date, nullable=False),
    Column("starts", BigInteger, nullable=False),
    Column("ends", BigInteger, nullable=False),
    PrimaryKeyConstraint("province_code", "regency_code", "district_code", "day"),
)

# Distrik whose summary rows are stale: ``''`` people without a distrik, ``'*'`` all. Rows
# are only appended (by triggers) and deleted (by the refresh): no key, so a writer never
# waits on the refresh and the refresh never drops a mark it did not see.
dashboard_dirty = Table(
    "dashboard_dirty",
    metadata,
    Column("district_code", String(8), nullable=False),
)
