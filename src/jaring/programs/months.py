"""Calendar months as ``datetime.date`` values on the first day (the unit of billing)."""

from __future__ import annotations

import datetime as dt

from jaring import errors


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_day(month: dt.date) -> dt.date:
    return add_months(first_of(month), 1) - dt.timedelta(days=1)


def month_range(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of every month from ``first``'s month to ``last``'s month, inclusive."""
    a, b = first_of(first), first_of(last)
    count = (b.year - a.year) * 12 + b.month - a.month + 1
    return [add_months(a, i) for i in range(max(count, 0))]


def months_between(first: dt.date, last: dt.date) -> int:
    """Number of months from ``first``'s month to ``last``'s month, inclusive."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def parse_month(text: str, field: str = "month") -> dt.date:
    """``2024-03`` (or a full date) -> ``date(2024, 3, 1)``; otherwise refused (``bad_month``)
    naming ``field``."""
    value = str(text).strip()
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01")
        return first_of(dt.date.fromisoformat(value))
    except ValueError:
        raise errors.BAD_MONTH(field=field, value=value) from None
