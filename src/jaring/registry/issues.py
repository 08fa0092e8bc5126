"""The issues intake finds in imported rows, written out for people: one stable code per
rule (:data:`jaring.registry.errors.ISSUES`), a severity (:data:`SEVERITY`) and a sentence
in the reader's language with the value as typed (``{value}``) and, for cross-checks, what
it was checked against (``{detail}``).

Codes are the public vocabulary of intake (stored with every imported row, shown in the
errors file, asserted by tests); the wording lives in the gettext catalogue and may be
reworded freely.
"""

from __future__ import annotations

import polars as pl

from jaring import i18n
from jaring.registry.errors import ISSUES, SEVERITY

__all__ = ["CODES", "SEVERITY", "message", "severity", "template", "with_messages"]

#: Every issue code, in the order of the catalogue.
CODES = tuple(SEVERITY)


def template(code: str, lang: str | None = None) -> str:
    """The sentence for ``code`` in ``lang`` (default: the current language), slots unfilled.

    >>> template("nik_length", "en")
    'NIK {value} must have 16 digits (it has {detail}).'
    """
    entry = ISSUES.entries[code]
    lang = lang or i18n.lang()
    return entry.en if lang == i18n.SOURCE else i18n.pgettext(code, entry.en, lang)


def message(code: str, lang: str = "id", value: object = None, detail: object = None) -> str:
    """The message for ``code`` in ``lang`` with the value (and cross-check detail) filled in.

    >>> message("nik_length", "en", "12345", 5)
    'NIK 12345 must have 16 digits (it has 5).'
    """
    return ISSUES.entries[code].wording(
        lang, {"value": "" if value is None else value, "detail": detail or ""}
    )


def severity(code: str) -> str:
    """``error`` (the row waits for a correction) or ``warning`` (accepted, flagged)."""
    return SEVERITY[code]


def with_messages(frame: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """``frame`` (with ``code``, ``value`` and ``detail``) with ``message`` added: the
    sentence for each code in ``lang``, slots filled (a code without a sentence shows its
    value)."""
    templates = {c: template(c, lang) for c in CODES}
    msg = (
        pl.col("code")
        .replace_strict(templates, default="{value}", return_dtype=pl.String)
        .str.replace_all("{value}", pl.col("value").fill_null(""), literal=True)
        .str.replace_all("{detail}", pl.col("detail").fill_null(""), literal=True)
    )
    return frame.with_columns(message=msg)
