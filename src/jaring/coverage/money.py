"""Rupiah spent on contributions and benefits paid to families, for a region and period.

Each figure sits behind one function so that the coverage report does not care where it
comes from: spending from billing (payments against invoices, branch ``programs``), benefits
from claims (branch ``claims``). Until those tables exist in the store, the functions say
so (``available: False``) instead of inventing a number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, inspect


def _has_tables(conn: Connection, *names: str) -> bool:
    existing = set(inspect(conn).get_table_names())
    return all(n in existing for n in names)


def spending(conn: Connection, region: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """APBD rupiah paid for contributions of people in ``region`` from ``start`` to ``end``:
    ``total`` and ``by_month`` (``month`` = first day, ``amount``)."""
    if not _has_tables(conn, "payment", "invoice"):
        return {
            "available": False,
            "total": None,
            "by_month": [],
            "source": "billing belum tersedia / billing not available",
        }
    from jaring.coverage import money_sources

    return money_sources.spending(conn, region, start, end)


def benefits_paid(conn: Connection, region: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Rupiah of benefits paid to members or heirs in ``region`` from ``start`` to ``end``."""
    if not _has_tables(conn, "claim"):
        return {
            "available": False,
            "total": None,
            "count": None,
            "source": "klaim belum tersedia / claims not available",
        }
    from jaring.coverage import money_sources

    return money_sources.benefits_paid(conn, region, start, end)
