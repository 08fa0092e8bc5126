"""Refusals a user can act on: a stable code, and one wording per code in every language.

Each domain keeps its refusals in its own ``errors`` module as a :class:`Catalogue` of
:class:`Refusal` entries: the code (public: tests, the API's problem+json and scripts rely on
it), the kind (refused, not found, forbidden...) and the English wording with named slots
(``"Invoice {invoice} is already paid."``). The Indonesian wording lives in the domain's
gettext catalogue (``locales/id/LC_MESSAGES/<domain>.po``, keyed by the code), so that one code
has one wording, reviewed in one file. ``docs/errors.md`` is generated from the catalogues
(``python -m jaring.locales.update``); a test fails when it is stale, when a code has no
Indonesian wording, or when a refusal is raised without a catalogue entry.

A domain raises an entry by calling it with the facts behind the message::

    raise errors.INVOICE_PAID(invoice="INV-1-2024-03")

The CLI turns a refusal into one line and exit code 2; the web into problem+json with the same
``code`` (or the page's message). Messages name fields, never CLI flags: the CLI adds the
flag of a named ``field`` itself. Anything else that escapes is a bug: the interfaces report it
without a traceback and log it without its message.

Slots may carry a format: ``{amount:rupiah}``, ``{on:date}``, ``{count:number}`` are written
the way the message's language writes figures (:mod:`jaring.formatting`).
"""

from __future__ import annotations

import importlib
import pkgutil
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from jaring import formatting, i18n


class JaringError(Exception):
    """A refusal with a stable ``code``, its facts (``context``) and its wording.

    ``context`` holds the facts behind the message (file, row, field, value...) so that an
    interface can show or serialise them; it must never carry personal data that the caller
    would not show anyway.
    """

    status: ClassVar[int] = 400

    def __init__(self, refusal: Refusal, **context: Any) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal
        self.code = refusal.code
        self.context = context

    def __str__(self) -> str:  # what a log or a debugger shows: the code, never the facts
        return self.code

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the current language), slots filled."""
        return self.refusal.wording(lang or i18n.lang(), self.context)

    @property
    def messages(self) -> dict[str, str]:
        return {lang: self.message(lang) for lang in ("id", "en")}

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang), **self.context}


class NotFound(JaringError):
    """A thing named by the user does not exist (a batch, program, invoice, claim...)."""

    status = 404


class Forbidden(JaringError):
    """The user's role or regions do not allow this."""

    status = 403


class Conflict(JaringError):
    """The request is valid but the state of the data refuses it now (already paid, a
    duplicate, a concurrent change); retrying later or after another step may succeed."""

    status = 409


class Unauthorised(JaringError):
    """No valid session or token."""

    status = 401


class RateLimited(JaringError):
    """Too many attempts; ``retry_after`` seconds in the context."""

    status = 429


class Unavailable(JaringError):
    """The store is busy (a long write holds it); ``retry_after`` seconds in the context."""

    status = 503


KINDS: dict[str, type[JaringError]] = {
    "refused": JaringError,
    "not_found": NotFound,
    "forbidden": Forbidden,
    "conflict": Conflict,
    "unauthorised": Unauthorised,
    "rate_limited": RateLimited,
    "unavailable": Unavailable,
}


class Coded(str):
    """A stored code in a refusal's context that people read in words: the API's answer keeps
    the code (it is a ``str``), a message shows its label in the message's language
    (:func:`jaring.labels.label` of ``kind``)."""

    kind: str

    def __new__(cls, code: str, kind: str) -> Coded:
        obj = super().__new__(cls, code)
        obj.kind = kind
        return obj


class _Slots(string.Formatter):
    """Fills ``{name}`` and ``{name:rupiah|date|number|percent}`` in one language; a missing
    slot stays as written instead of failing."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key in kwargs:
            return kwargs[key]
        return _Missing(str(key))

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Missing):
            return "{" + value.name + (":" + format_spec if format_spec else "") + "}"
        if value is None:
            return "-"
        if isinstance(value, Coded):
            from jaring import labels  # labels reads catalogues that import this module

            return labels.label(value.kind, str(value), self.lang)
        if format_spec in formatting.BY_NAME:
            return formatting.BY_NAME[format_spec](value, self.lang)
        return super().format_field(value, format_spec)


@dataclass(frozen=True)
class _Missing:
    name: str


@dataclass(frozen=True)
class Refusal:
    """One refusal of a domain's catalogue. Call it with the facts to get the exception."""

    domain: str
    code: str
    en: str
    kind: str = "refused"

    def __call__(self, **context: Any) -> JaringError:
        return KINDS[self.kind](self, **context)

    def wording(self, lang: str, context: Mapping[str, Any]) -> str:
        template = self.en if lang == i18n.SOURCE else i18n.pgettext(self.code, self.en, lang)
        return _Slots(lang).vformat(template, (), context)

    @property
    def status(self) -> int:
        return KINDS[self.kind].status


REGISTRY: dict[str, Refusal] = {}


class Catalogue:
    """A domain's refusals. Codes are unique across all domains."""

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.entries: dict[str, Refusal] = {}

    def _add(self, code: str, en: str, kind: str) -> Refusal:
        if code in REGISTRY:
            raise ValueError(f"refusal code {code!r} is defined twice")
        entry = Refusal(self.domain, code, en, kind)
        self.entries[code] = REGISTRY[code] = entry
        return entry

    def refused(self, code: str, en: str) -> Refusal:
        return self._add(code, en, "refused")

    def not_found(self, code: str, en: str) -> Refusal:
        return self._add(code, en, "not_found")

    def forbidden(self, code: str, en: str) -> Refusal:
        return self._add(code, en, "forbidden")

    def conflict(self, code: str, en: str) -> Refusal:
        return self._add(code, en, "conflict")

    def kind(self, kind: str, code: str, en: str) -> Refusal:
        return self._add(code, en, kind)

    def __iter__(self) -> Iterator[Refusal]:
        return iter(self.entries.values())


def domain_packages() -> tuple[str, ...]:
    """The domain packages: the packages of ``jaring`` with an ``errors`` module of their
    own, by name (``accounts``, ``attachments``, ``award`` ...). A new domain is found by
    having one; nothing lists them by hand."""
    root = Path(__file__).parent
    return tuple(
        sorted(
            m.name
            for m in pkgutil.iter_modules([str(root)])
            if m.ispkg and (root / m.name / "errors.py").exists()
        )
    )


DOMAINS = ("jaring.errors", *(f"jaring.{name}.errors" for name in domain_packages()))


def all_refusals() -> list[Refusal]:
    """Every catalogue's refusals (importing each domain's ``errors`` module), by code."""
    for module in DOMAINS:
        importlib.import_module(module)
    return sorted(REGISTRY.values(), key=lambda r: (r.domain, r.code))


# --------------------------------------------------------------------------- common refusals

COMMON = Catalogue("common")
FILE_NOT_FOUND = COMMON.refused("file_not_found", "File not found: {file}.")
BAD_LANG = COMMON.refused("bad_lang", "Unknown language: {value} (choose {choices}).")
BAD_DATE = COMMON.refused(
    "bad_date", "Not a date for {field}: {value}; a date is required, written YYYY-MM-DD."
)
BAD_MONTH = COMMON.refused(
    "bad_month", "Not a month for {field}: {value}; a month is required, written YYYY-MM."
)
BAD_FILE = COMMON.refused("bad_file", "Cannot read file: {file}.")
BAD_FILE_TYPE = COMMON.refused("bad_file_type", "Unsupported file type: {file} (use {allowed}).")
BAD_SEGMENT = COMMON.refused("bad_segment", "Unknown segment: {value} (choose {choices}).")
MISSING_COLUMN = COMMON.refused("missing_column", "Column {column} is missing from {name}.")
MISSING_OPTION = COMMON.refused("missing_option", "Required: {fields}.")
BAD_VALUE = COMMON.refused("bad_value", "Not a valid value for {field}: {value}.")
CANNOT_WRITE_FILE = COMMON.refused(
    "cannot_write_file",
    "Cannot write {file}: its folder cannot be written to (no permission, read-only, or not a "
    "real folder). Choose another place.",
)
PATH_NOT_FOLDER = COMMON.refused(
    "path_not_folder", "Cannot write {file}: {part} is a file, not a folder."
)
IS_FOLDER = COMMON.refused("is_folder", "{file} is a folder: name a file to write.")
DISK_FULL = COMMON.refused(
    "disk_full", "Cannot write {file}: the disk is full. Free some space and try again."
)
CANNOT_OPEN_FILE = COMMON.refused(
    "cannot_open_file",
    "Cannot open {file}: it does not exist there, or it may not be read or written by this "
    "account.",
)
POSTGRESQL_ONLY = COMMON.refused(
    "postgresql_only",
    "{what} needs a PostgreSQL database; this one is SQLite. Nothing was changed.",
)
DATE_OUT_OF_RANGE = COMMON.refused(
    "date_out_of_range",
    "A date you gave is too far in the past or the future to be worked with (years 1 to 9998 "
    "only). Check the dates you entered.",
)
BAD_CHOICE = COMMON.refused("bad_choice", "Not a choice for {field}: {value} (choose {choices}).")
FORBIDDEN = COMMON.forbidden("forbidden", "Your role may not do this.")
OUT_OF_REGION = COMMON.forbidden(
    "out_of_region", "This lies outside the regions your account works in."
)
UNKNOWN_USER = COMMON.refused(
    "unknown_user", "No active account is named {username}: act as a named user or as the system."
)
BACKUP_EXISTS = COMMON.refused(
    "backup_exists", "{file} exists already: name a new file for the backup."
)
BACKUP_TOOL_MISSING = COMMON.refused(
    "backup_tool_missing", "{tool} is not installed (the PostgreSQL client tools)."
)
BACKUP_TOOL_FAILED = COMMON.refused(
    "backup_tool_failed", "{tool} failed (exit code {code}); see the database server's log."
)
RESTORE_NOT_EMPTY = COMMON.refused(
    "restore_not_empty",
    "The database holds data already: restore into a new one, or confirm the replacement (force).",
)
RESTORE_MISMATCH = COMMON.refused(
    "restore_mismatch",
    "The restored database differs from the backup's manifest in: {tables}.",
)
STORE_BUSY = COMMON.kind(
    "unavailable",
    "store_busy",
    "The database is busy with a long change; try again in {retry_after:number} seconds.",
)
INTERNAL = COMMON.kind(
    "refused",
    "internal_error",
    "Internal error ({kind}); nothing was half-written. Please report it (JARING_DEBUG=1 shows "
    "the details).",
)


def require_file(path: str | Path) -> Path:
    """``path`` as a :class:`~pathlib.Path` when it names an existing file; else the one
    refusal (``file_not_found``) that every reader of a user's file gives."""
    p = Path(path)
    if not p.is_file():
        raise FILE_NOT_FOUND(file=str(p))
    return p
