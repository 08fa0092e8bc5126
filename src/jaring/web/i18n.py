"""The web's language helpers: the request's language (:mod:`jaring.i18n`) and the figures
of :mod:`jaring.formatting`, as templates call them (``_()``, ``rupiah``, ``date``...)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from jaring import formatting
from jaring.i18n import (
    DEFAULT,
    N_,
    _,
    current,
    from_accept_language,
    languages,
    ngettext,
    pick,
    translations,
)

LANGS = languages()
LOCALES = formatting.LOCALES

__all__ = [
    "DEFAULT",
    "LANGS",
    "N_",
    "_",
    "current",
    "date",
    "datetime",
    "from_accept_language",
    "month",
    "ngettext",
    "number",
    "percent",
    "pick",
    "rupiah",
    "translations",
]

rupiah = formatting.rupiah
date = formatting.date
number = formatting.number
month = formatting.month_long


def percent(value: Any, lang: str | None = None, digits: int = 1) -> str:
    """A ratio as a percentage with one decimal by default on pages (``50,0%``)."""
    return formatting.percent(value, lang, digits)


#: The time zone of the request's user (their region's, :mod:`jaring.settings`); UTC unset.
zone: ContextVar[str | None] = ContextVar("jaring_zone", default=None)


def datetime(value: Any, lang: str | None = None) -> str:
    """A stored UTC timestamp as people read it, in the user's zone (``26 Februari 2024
    23.05 WIT``; ``UTC`` when no zone is known)."""
    return formatting.datetime(value, lang, zone.get())
