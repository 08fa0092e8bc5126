"""Where the rupiah figures come from, once billing (``invoice``, ``invoice_line``,
``payment``) and claims (``claim``) are in the store.

Both are attributed to a region through the *person*: spending is what was paid
(``invoice_line.paid``, allocated from SP2D payments by billing) for the members living in
the region, for the months billed in the period; benefits are claims marked paid in the
period for members living in the region. Attributing by person makes every level (province,
regency, district, village) add up, whichever Pemda's program paid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Date, bindparam, text

from jaring.coverage.regions import COLUMN_BY_LEVEL
from jaring.store.bulk import to_date


def _region_filter(region: str) -> str:
    return f"p.{COLUMN_BY_LEVEL[region.count('.') + 1]} = :region"


def spending(conn: Connection, region: str, start: dt.date, end: dt.date) -> dict[str, Any]:
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
    by_month = [{"month": to_date(m), "amount": int(a or 0)} for m, a in rows]
    return {
        "available": True,
        "total": sum(r["amount"] for r in by_month),
        "by_month": by_month,
        "source": "iuran terbayar (SP2D) untuk peserta di wilayah ini, per bulan tagihan",
    }


def benefits_paid(conn: Connection, region: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    stmt = text(
        f"""SELECT COUNT(*) AS n, COALESCE(SUM(COALESCE(c.paid_amount, c.amount)), 0) AS total
FROM claim c JOIN person p ON p.id = c.person_id
WHERE {_region_filter(region)} AND c.status = 'paid'
AND c.paid_on >= :start AND c.paid_on <= :end"""
    ).bindparams(bindparam("start", type_=Date), bindparam("end", type_=Date))
    n, total = conn.execute(stmt, {"region": region, "start": start, "end": end}).one()
    return {
        "available": True,
        "total": int(total or 0),
        "count": int(n or 0),
        "source": "klaim berstatus dibayar, menurut tanggal bayar",
    }
