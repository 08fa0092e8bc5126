"""The web's language helpers: the request's language (:mod:`jaring.i18n`) and the figures
of :mod:`jaring.formatting`, as templates call them (``_()``, ``rupiah``, ``date``...)."""

from __future__ import annotations

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


def percent(value: Any, lang: str | None = None, digits: int = 1) -> str:
    """A ratio as a percentage with one decimal by default on pages (``50,0%``)."""
    return formatting.percent(value, lang, digits)


def datetime(value: Any, lang: str | None = None) -> str:
    """A stored UTC timestamp as people read it (``26 Februari 2024 14.05 UTC``)."""
    return formatting.datetime(value, lang)
