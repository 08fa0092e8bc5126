"""Dates typed by users on the command line, in forms and in API queries.

One parser for every interface, so that a date is accepted, or refused with the same code
and message, wherever it is typed. (Dates inside imported worker lists, in the many forms
Indonesians write them, are read by :mod:`jaring.registry.normalise`.)
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, overload

from jaring import errors


@overload
def parse_date(text: str | None, field: str = ..., *, required: Literal[True]) -> dt.date: ...
@overload
def parse_date(text: str | None, field: str = ..., *, required: bool = ...) -> dt.date | None: ...
def parse_date(text: str | None, field: str = "date", *, required: bool = False) -> dt.date | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``, meaning the first of that month); ``None`` or an empty
    string gives ``None``, or is refused when ``required``. Anything else is refused
    (``bad_date``) naming the field."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        if not required:
            return None
        raise errors.BAD_DATE(field=field, value=None)
    try:
        day = dt.date.fromisoformat(raw + "-01" if len(raw) == 7 else raw)
    except ValueError:
        raise errors.BAD_DATE(field=field, value=str(text)) from None
    if not in_range(day):
        raise errors.BAD_DATE(field=field, value=str(text))
    return day


#: The dates Jaring works with: a birth in 1900 to a program ending in 2100. Year 1 or 9999
#: is a typing slip (and ``date - timedelta`` overflows near them).
FIRST_YEAR, LAST_YEAR = 1900, 2100


def in_range(day: dt.date) -> bool:
    """Whether ``day`` lies within :data:`FIRST_YEAR` .. :data:`LAST_YEAR`."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def check_year(year: int, field: str = "year") -> int:
    """``year`` when within :data:`FIRST_YEAR` .. :data:`LAST_YEAR`; else ``bad_value``."""
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise errors.BAD_VALUE(field=field, value=str(year))
    return int(year)
