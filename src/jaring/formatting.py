"""How figures read for people: rupiah as ``Rp2.200.000.000``, numbers as ``19.336`` or
``4,8``, dates as ``26 Februari 2024``, ratios as ``6,76%``, times in the region's zone.

The one place that formats figures for people: the CLI, the reports, the demo, refusals and
the web app all call these, so a rupiah reads the same everywhere. ``lang`` defaults to the
current language (:mod:`jaring.i18n`); Babel does the locale work. Every function takes
``None`` (or a template's undefined value) and gives ``-``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

from jaring import i18n

LOCALES = {"id": "id_ID", "en": "en_GB"}
NONE = "-"


def _locale(lang: str | None) -> str:
    return LOCALES.get(lang or i18n.lang(), "id_ID")


def rupiah(amount: Any, lang: str | None = None) -> str:
    """``2200000000`` -> ``Rp2.200.000.000`` (id) or ``Rp2,200,000,000`` (en); whole rupiah,
    a minus sign before ``Rp``; non-breaking, so an amount never wraps mid-number."""
    if not isinstance(amount, int | Decimal) or isinstance(amount, bool):
        return NONE
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{format_decimal(abs(int(amount)), locale=_locale(lang))}"


def number(value: Any, lang: str | None = None, digits: int | None = None) -> str:
    """``19336`` -> ``19.336``; ``4.8`` -> ``4,8`` (id). ``digits`` fixes the decimals."""
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        return NONE
    fmt = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=_locale(lang))


def percent(ratio: Any, lang: str | None = None, digits: int = 2) -> str:
    """A ratio (0.0676) as ``6,76%``; ``-`` when there is none."""
    if not isinstance(ratio, int | float | Decimal) or isinstance(ratio, bool):
        return NONE
    pct = Decimal(str(ratio)) * 100
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(pct, format=fmt, locale=_locale(lang)) + "%"


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def date(value: Any, lang: str | None = None) -> str:
    """``2024-02-26`` -> ``26 Februari 2024`` (id) or ``26 February 2024`` (en)."""
    d = _as_date(value)
    if d is None:
        return value if isinstance(value, str) and value else NONE
    return format_date(d, format="d MMMM y", locale=_locale(lang))


def month(value: Any, lang: str | None = None) -> str:
    """``2024-03-01`` -> ``Mar 2024``."""
    d = _as_date(value)
    return NONE if d is None else format_date(d, format="MMM y", locale=_locale(lang))


def month_long(value: Any, lang: str | None = None) -> str:
    """``2024-03-01`` -> ``Maret 2024``."""
    d = _as_date(value)
    return NONE if d is None else format_date(d, format="MMMM y", locale=_locale(lang))


def month_runs(values: Any, lang: str | None = None) -> str:
    """Months as people say them, consecutive ones as one run: ``Juni–Desember 2024``,
    ``Desember 2023–Februari 2024``, ``Maret 2024, Mei 2024``; repeated months once, in
    order; ``-`` for none."""
    months = sorted({d.replace(day=1) for d in (_as_date(v) for v in values) if d is not None})
    if not months:
        return NONE
    runs: list[list[dt.date]] = []
    for m in months:
        last = runs[-1][-1] if runs else None
        if last is not None and (m.year * 12 + m.month) - (last.year * 12 + last.month) == 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    loc = _locale(lang)
    said = []
    for run in runs:
        first, end = run[0], run[-1]
        if first == end:
            said.append(format_date(first, format="MMMM y", locale=loc))
        elif first.year == end.year:
            said.append(
                f"{format_date(first, format='MMMM', locale=loc)}–"
                f"{format_date(end, format='MMMM y', locale=loc)}"
            )
        else:
            said.append(
                f"{format_date(first, format='MMMM y', locale=loc)}–"
                f"{format_date(end, format='MMMM y', locale=loc)}"
            )
    return ", ".join(said)


# Indonesia's three zones; a region's zone is a setting, defaulting from its province.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
# Maluku, Maluku Utara and the six Papua provinces
WIT_PROVINCES = ("81", "82", "91", "92", "93", "94", "95", "96")
# Bali, Nusa Tenggara, Kalimantan Selatan, Timur and Utara, Sulawesi
WITA_PROVINCES = ("51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76")


def zone_of_province(province_code: str | None) -> str:
    """``WIT``, ``WITA`` or ``WIB`` for a province code (``96`` -> ``WIT``); WIB when unknown
    (Sumatra, Java, Kalimantan Barat and Tengah)."""
    code = (province_code or "")[:2]
    if code in WIT_PROVINCES:
        return "WIT"
    if code in WITA_PROVINCES:
        return "WITA"
    return "WIB"


def datetime(value: Any, lang: str | None = None, zone: str | None = None) -> str:
    """A timestamp stored in UTC as ``26 Februari 2024 23.05 WIT`` in ``zone`` (``WIB``,
    ``WITA``, ``WIT``; default UTC)."""
    if isinstance(value, str) and value:
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.datetime):
        return NONE
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    label = zone if zone in ZONES else "UTC"
    local = value.astimezone(ZoneInfo(ZONES[label]) if label in ZONES else dt.UTC)
    text = format_datetime(local, format="d MMMM y HH.mm", locale=_locale(lang))
    return f"{text} {label}"


BY_NAME: dict[str, Callable[[Any, str | None], str]] = {
    "rupiah": rupiah,
    "number": number,
    "percent": percent,
    "date": date,
    "month": month,
}
