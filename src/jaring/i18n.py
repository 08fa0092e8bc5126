"""Words people read, in their language: one gettext catalogue per domain and language.

Every sentence Jaring shows (page text, CLI output, refusals, explanation lines) is written
in English in the code and translated in ``locales/<lang>/LC_MESSAGES/<domain>.po``: one file
per domain (``law``, ``registry``, ``programs``, ``claims``, ``coverage``, ``award``,
``accounts``, ``common``), so that a native speaker reviews every Indonesian sentence of a
domain in one file, parallel work on two domains never edits the same file, and a third
language is a new folder of ``.po`` files, not a code change. The ``.po`` files are compiled
in memory on first use (no binary ``.mo`` files in the repository); at run time the domains
of a language are merged into one translation, so any module's ``_()`` finds any msgid
(:mod:`jaring.locales.update` refreshes them from the code; the tests fail while an
Indonesian translation is missing or two domains translate one msgid differently).

Refusals are keyed by their code (``msgctxt``), so that one code has one wording
(:mod:`jaring.errors`).

The current language is a context variable (Indonesian unless set): the CLI sets it from
``--lang`` or ``JARING_LANG``, the web app per request; the CLI, the pages and the domains call the same
:func:`_`.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import io
from collections.abc import Iterator
from functools import cache
from importlib import resources
from importlib.abc import Traversable

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DEFAULT = "id"
SOURCE = "en"  # msgids are English: English needs no catalogue

current: contextvars.ContextVar[str] = contextvars.ContextVar("jaring_lang", default=DEFAULT)


def _root() -> Traversable:
    return resources.files("jaring") / "locales"


@cache
def languages() -> tuple[str, ...]:
    """Indonesian, English, and every other language that has a folder of catalogues."""
    found = sorted(p.name for p in _root().iterdir() if p.is_dir() and (p / "LC_MESSAGES").is_dir())
    return tuple(dict.fromkeys([DEFAULT, SOURCE, *found]))


def pick(value: str | None) -> str | None:
    """``value`` if it names a language we speak (``id``, ``en``, ``en-US``...), else None."""
    if not value:
        return None
    v = value.strip().lower()[:2]
    return v if v in languages() else None


def from_accept_language(header: str | None) -> str | None:
    """The first language we speak in an ``Accept-Language`` header, in its order."""
    if not header:
        return None
    for part in header.split(","):
        lang = pick(part.split(";")[0])
        if lang:
            return lang
    return None


def catalogue_files(lang: str) -> list[Traversable]:
    """The ``.po`` files of ``lang``, one per domain, in name order."""
    folder = _root() / lang / "LC_MESSAGES"
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(".po")), key=lambda p: p.name)


def read_catalogue(path: Traversable, lang: str) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=lang)


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Every domain's catalogue of ``lang`` merged into one translation (cached)."""
    files = catalogue_files(lang)
    if not files:
        return gettext.NullTranslations()
    merged = Catalog(locale=lang, charset="utf-8")
    for path in files:
        for message in read_catalogue(path, lang):
            if message.id and message.string:
                merged[message.id] = message  # keyed by (msgid, msgctxt)
    buf = io.BytesIO()
    write_mo(buf, merged)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def lang() -> str:
    """The language of the current command or request."""
    return current.get()


def set_lang(value: str) -> None:
    current.set(value)


@contextlib.contextmanager
def using(value: str) -> Iterator[None]:
    """Run a block in language ``value`` (a report in the jury's language, a test)."""
    token = current.set(value)
    try:
        yield
    finally:
        current.reset(token)


def gettext_in(message: str, lang: str | None = None) -> str:
    """``message`` (English) in ``lang`` (default: the current language)."""
    return translations(lang or current.get()).gettext(message)


def _(message: str, **fmt: object) -> str:
    """Translate ``message`` into the current language; ``fmt`` fills ``%(name)s`` slots."""
    text = translations(current.get()).gettext(message)
    return text % fmt if fmt else text


def ngettext(singular: str, plural: str, n: int, **fmt: object) -> str:
    text = translations(current.get()).ngettext(singular, plural, n)
    return text % {"num": n, **fmt}


def pgettext(context: str, message: str, lang: str | None = None) -> str:
    """``message`` keyed by ``context`` (a refusal's code) in ``lang``."""
    return translations(lang or current.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; translate it where it is shown."""
    return message
