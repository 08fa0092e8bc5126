"""Languages: Bahasa Indonesia by default, English by a switch; rupiah and dates by locale.

Messages live in gettext catalogues (``locales/<lang>/LC_MESSAGES/messages.po``) whose msgids
are English; the Indonesian catalogue translates them. The ``.po`` files are compiled in
memory when the app starts (no binary ``.mo`` files in the repository). To add strings:
``pybabel extract -F src/jaring/web/locales/babel.cfg -o messages.pot src/jaring/web`` then
``pybabel update``; ``tests/web/test_i18n.py`` fails when a string has no translation.

The current language is a context variable set per request, so templates and Python code call
the same ``_()``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import gettext
import io
from decimal import Decimal
from functools import cache
from importlib import resources

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGS = ("id", "en")
DEFAULT = "id"
LOCALES = {"id": "id_ID", "en": "en_GB"}

current: contextvars.ContextVar[str] = contextvars.ContextVar("jaring_lang", default=DEFAULT)


def pick(value: str | None) -> str | None:
    """``value`` if it names a language we speak (``id``, ``en``, ``en-US``...), else None."""
    if not value:
        return None
    v = value.strip().lower()[:2]
    return v if v in LANGS else None


def from_accept_language(header: str | None) -> str | None:
    """The first language we speak in an ``Accept-Language`` header, in its order."""
    if not header:
        return None
    for part in header.split(","):
        lang = pick(part.split(";")[0])
        if lang:
            return lang
    return None


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    path = resources.files("jaring.web") / "locales" / lang / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as f:
        cat = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, cat)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def _(message: str, **fmt: object) -> str:
    """Translate ``message`` into the current language; ``fmt`` fills ``%(name)s`` slots."""
    text = catalogue(current.get()).gettext(message)
    return text % fmt if fmt else text


def ngettext(singular: str, plural: str, n: int, **fmt: object) -> str:
    text = catalogue(current.get()).ngettext(singular, plural, n)
    return text % {"num": n, **fmt}


def rupiah(amount: int | Decimal | None, lang: str | None = None) -> str:
    """``2200000000`` -> ``Rp2.200.000.000`` (id) or ``Rp2,200,000,000`` (en). Whole rupiah."""
    if not isinstance(amount, int | Decimal):  # missing (None, a template's Undefined)
        return "-"
    from jaring.formatting import rupiah as rp

    return rp(int(amount), lang or current.get())


def number(value: int | float | Decimal | None, lang: str | None = None) -> str:
    if not isinstance(value, int | float | Decimal):
        return "-"
    return format_decimal(value, locale=LOCALES[lang or current.get()])


def percent(value: float | Decimal | None, lang: str | None = None, digits: int = 1) -> str:
    if not isinstance(value, int | float | Decimal):
        return "-"
    fmt = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(value, format=fmt, locale=LOCALES[lang or current.get()])


def date(value: dt.date | str | None, lang: str | None = None) -> str:
    """``2024-02-26`` -> ``26 Februari 2024`` (id) or ``26 February 2024`` (en)."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):  # missing (None, "", a template's Undefined)
        return "-"
    return format_date(value, format="d MMMM y", locale=LOCALES[lang or current.get()])


def datetime(value: dt.datetime | str | None, lang: str | None = None) -> str:
    """A timestamp (stored in UTC) as ``26 Februari 2024 14.05 UTC``."""
    if value is None or value == "":
        return "-"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return (
        format_datetime(value, format="d MMMM y HH.mm", locale=LOCALES[lang or current.get()])
        + " UTC"
    )
