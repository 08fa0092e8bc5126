"""How figures read in Bahasa Indonesia (and English): rupiah as ``Rp2.200.000.000``, dates
as ``26 Februari 2024``, ratios as ``6,76%``. Babel does the locale work.

The one place that formats figures for people: the CLI, the reports, the demo and the web app
all call these, so a rupiah reads the same everywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"id": "id_ID", "en": "en_GB"}


def rupiah(amount: int | None, lang: str = "id") -> str:
    if amount is None:
        return "-"
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{format_decimal(abs(int(amount)), locale=LOCALES.get(lang, 'id_ID'))}"


def number(value: int | None, lang: str = "id") -> str:
    return "-" if value is None else format_decimal(int(value), locale=LOCALES.get(lang, "id_ID"))


def percent(ratio: Decimal | None, lang: str = "id") -> str:
    """A ratio (0.0676) as ``6,76%``; ``-`` when there is none."""
    if ratio is None:
        return "-"
    pct = Decimal(ratio) * 100
    return format_decimal(pct, format="#,##0.00", locale=LOCALES.get(lang, "id_ID")) + "%"


def date(value: dt.date | None, lang: str = "id") -> str:
    if value is None:
        return "-"
    return format_date(value, format="d MMMM y", locale=LOCALES.get(lang, "id_ID"))


def month(value: dt.date, lang: str = "id") -> str:
    return format_date(value, format="MMM y", locale=LOCALES.get(lang, "id_ID"))
