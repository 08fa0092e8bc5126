"""Rupiah spent on contributions and benefits paid to families, for a region and period.

Both are attributed to a region through the *person*: spending is what was paid
(``invoice_line.paid``, allocated from SP2D payments by billing) for the members living in
the region, for the months billed in the period; benefits are claims marked paid in the
period for members living in the region. Attributing by person makes every level (province,
regency, district, village) add up, whichever Pemda's program paid. Until billing
(``invoice``, ``payment``) or claims (``claim``) tables exist in the store, the figures say
so (``available`` false) instead of inventing a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Date, bindparam, inspect, text

from jaring.coverage.regions import COLUMN_BY_LEVEL
from jaring.i18n import _
from jaring.store.dialect import to_date


@dataclass(frozen=True)
class MonthAmount:
    month: dt.date  # the first day of the month billed
    amount: int


@dataclass(frozen=True)
class Spending:
    """APBD rupiah paid for contributions: ``total`` and ``by_month``."""

    available: bool
    total: int | None
    by_month: list[MonthAmount]
    source: str


@dataclass(frozen=True)
class BenefitsPaid:
    """Rupiah of benefits paid to members or heirs, and how many claims."""

    available: bool
    total: int | None
    count: int | None
    source: str


def _has_tables(conn: Connection, *names: str) -> bool:
    existing = set(inspect(conn).get_table_names())
    return all(n in existing for n in names)


def _region_filter(region: str) -> str:
    return f"p.{COLUMN_BY_LEVEL[region.count('.') + 1]} = :region"


def spending(conn: Connection, region: str, start: dt.date, end: dt.date) -> Spending:
    """APBD rupiah paid for contributions of people in ``region`` for the months billed from
    ``start`` to ``end``."""
    if not _has_tables(conn, "payment", "invoice"):
        return Spending(False, None, [], _("billing not available"))
    stmt = text(
        f"""SELECT i.month AS month, SUM(il.paid) AS amount
FROM invoice_line il
JOIN invoice i ON i.id = il.invoice_id
JOIN membership m ON m.id = il.membership_id
JOIN person p ON p.id = m.person_id
WHERE {_region_filter(region)} AND i.month >= :start AND i.month <= :end
GROUP BY i.month ORDER BY i.month"""
    ).bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date))
    rows = conn.execute(stmt, {"region": region, "start": start.replace(day=1), "end": end}).all()
    by_month = [MonthAmount(to_date(m), int(a or 0)) for m, a in rows]
    return Spending(
        available=True,
        total=sum(r.amount for r in by_month),
        by_month=by_month,
        source=_("contributions paid (SP2D) for members in this region, by month billed"),
    )


def benefits_paid(conn: Connection, region: str, start: dt.date, end: dt.date) -> BenefitsPaid:
    """Rupiah of benefits paid from ``start`` to ``end`` to members living in ``region`` (or
    their heirs), by payment date."""
    if not _has_tables(conn, "claim"):
        return BenefitsPaid(False, None, None, _("claims not available"))
    stmt = text(
        f"""SELECT COUNT(*) AS n, COALESCE(SUM(COALESCE(c.paid_amount, c.amount)), 0) AS total
FROM claim c JOIN person p ON p.id = c.person_id
WHERE {_region_filter(region)} AND c.status = 'paid'
AND c.paid_on >= :start AND c.paid_on <= :end"""
    ).bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date))
    n, total = conn.execute(stmt, {"region": region, "start": start, "end": end}).one()
    return BenefitsPaid(
        available=True,
        total=int(total or 0),
        count=int(n or 0),
        source=_("claims paid, by payment date"),
    )
