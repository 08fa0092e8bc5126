"""Refusals of the law domain, with their English wording (Indonesian in
``locales/id/LC_MESSAGES/law.po``); see :mod:`jaring.errors`.

Two kinds of refusal carry words of their own besides the catalogue's sentence:

- a refusal of one input value (:func:`of_value`) reads ``Income must not be negative
  (income = -1)`` for one worker, and ``... (row 2, field income, value -1)`` for a row of a
  frame (``row`` is 1-based);
- a :class:`ParameterError` (a parameter file that is malformed, a date with no value in
  force) names what is wrong in its ``problem`` (a translated sentence) and a value's ``note``
  from the YAML in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jaring import i18n

# shared with other domains, defined once in jaring.errors (re-exported)
from jaring.errors import BAD_FILE as BAD_FILE
from jaring.errors import BAD_FILE_TYPE as BAD_FILE_TYPE
from jaring.errors import (
    MISSING_COLUMN,
    Catalogue,
    JaringError,
    Refusal,
)
from jaring.errors import MISSING_OPTION as MISSING_OPTION
from jaring.i18n import N_

CATALOGUE = Catalogue("law")
ROW = N_("row %(row)s, field %(field)s, value %(value)s")


class ParameterError(JaringError):
    """A parameter file is malformed, or no value of a parameter is in force at a date.

    ``problem`` is an English sentence marked with :func:`~jaring.i18n.N_` (its ``%(name)s``
    slots filled from ``facts``), shown translated in the ``{problem}`` slot; ``note`` is a
    value's ``(indonesian, english)`` note, shown in the ``{note}`` slot.
    """

    def __init__(
        self,
        refusal: Refusal,
        *,
        problem: str | None = None,
        facts: dict[str, Any] | None = None,
        note: tuple[str | None, str | None] | None = None,
        **context: Any,
    ) -> None:
        super().__init__(refusal, **context)
        self.problem, self.facts, self.note = problem, facts or {}, note

    def message(self, lang: str | None = None) -> str:
        lang = lang or i18n.lang()
        slots = dict(self.context)
        if self.problem is not None:
            slots["problem"] = i18n.gettext_in(self.problem, lang) % self.facts
        if self.note is not None:
            slots["note"] = self.note[1] if lang == "en" else self.note[0]
        return self.refusal.wording(lang, slots)


class ValueRefused(JaringError):
    """A refusal of one input value: the catalogue's sentence, then where the value was."""

    def __init__(self, refusal: Refusal, *, shown: str, **context: Any) -> None:
        super().__init__(refusal, **context)
        self.shown = shown

    def message(self, lang: str | None = None) -> str:
        lang = lang or i18n.lang()
        field, row = self.context.get("field"), self.context.get("row")
        if row is None:
            where = f"{field} = {self.shown}"
        else:
            where = i18n.gettext_in(ROW, lang) % {
                "row": row,
                "field": field,
                "value": self.shown,
            }
        return f"{super().message(lang)} ({where})"


def shown(value: Any) -> str:
    """A value as a refusal quotes it: text in quotes, a date as ISO text in quotes."""
    if isinstance(value, dt.date):
        return repr(value.isoformat())
    return repr(value) if isinstance(value, str) or value is None else str(value)


def of_value(
    refusal: Refusal, field: str, value: Any, *, row: int | None = None, **context: Any
) -> ValueRefused:
    """``refusal`` of ``value`` given for ``field`` (in ``row`` of a frame, 1-based).

    >>> e = of_value(NEGATIVE_INCOME, "income", -1)
    >>> e.code, e.message("en")
    ('negative_income', 'Income must not be negative (income = -1)')
    >>> of_value(NEGATIVE_INCOME, "income", -3, row=2).message("en")
    'Income must not be negative (row 2, field income, value -3)'
    """
    facts: dict[str, Any] = {} if row is None else {"row": row}
    facts |= {"field": field, "value": None if value is None else str(value), **context}
    return ValueRefused(refusal, shown=shown(value), **facts)


# --- parameters --------------------------------------------------------------------------------

DATE_BEFORE_LAW = CATALOGUE.refused(
    "date_before_law", "Date {date} is before the law: the BPJS TK programs started on 2015-07-01."
)
PARAMETER_UNKNOWN = CATALOGUE.refused(
    "parameter_unknown",
    "No known value of parameter {parameter} on {date} ({note}); enter it in {file}.",
)
PARAMETER_MISSING = CATALOGUE.refused("parameter_missing", "No such parameter: {parameter}.")
PARAMETER_INVALID = CATALOGUE.refused(
    "parameter_invalid", "Invalid parameter file {file}: {problem}."
)

# --- one input value (raised through of_value: no full stop, the value follows) ----------------

NOT_WHOLE_RUPIAH = CATALOGUE.refused("not_whole_rupiah", "Rupiah amounts must be whole numbers")
NOT_A_NUMBER = CATALOGUE.refused("not_a_number", "Rupiah amount is not a number")
MISSING_VALUE = CATALOGUE.refused("missing_value", "Empty value")
NEGATIVE_INCOME = CATALOGUE.refused("negative_income", "Income must not be negative")
NEGATIVE_WAGE = CATALOGUE.refused("negative_wage", "Wage must not be negative")
NEGATIVE_COST = CATALOGUE.refused("negative_cost", "Cost must not be negative")
AMOUNT_TOO_LARGE = CATALOGUE.refused("amount_too_large", "Rupiah amount too large")
UNKNOWN_SEGMENT = CATALOGUE.refused("unknown_segment", "Unknown segment (bpu or pu)")
UNKNOWN_RISK = CATALOGUE.refused(
    "unknown_risk",
    "Unknown or empty risk group (choose: sangat-rendah, rendah, sedang, tinggi, sangat-tinggi)",
)
UNKNOWN_PAYER = CATALOGUE.refused("unknown_payer", "Unknown payer (apbd or self)")
BAD_FLAG = CATALOGUE.refused("bad_flag", "Unknown yes/no value")
BAD_PERCENT = CATALOGUE.refused("bad_percent", "A percentage must be between 0 and 100")
BAD_MONTHS = CATALOGUE.refused("bad_months", "Months must be a whole number, not negative")
BAD_YEARS = CATALOGUE.refused("bad_years", "Scholarship years must be a whole number, not negative")
UNKNOWN_KIND = CATALOGUE.refused(
    "unknown_kind", "Unknown JKK claim kind (death, total_disability or partial_disability)"
)
UNKNOWN_TRANSPORT_MODE = CATALOGUE.refused(
    "unknown_transport_mode", "Unknown transport mode (land, sea, air)"
)
UNKNOWN_CAUSE = CATALOGUE.refused("unknown_cause", "Unknown cause (jkm or jkk)")
UNKNOWN_SCHOOL_LEVEL = CATALOGUE.refused(
    "unknown_school_level", "Unknown school level (choose {choices})"
)
UNKNOWN_DISABILITY_PART = CATALOGUE.refused(
    "unknown_disability_part", "Body part not in the table (known: {choices})"
)
EVENT_BEFORE_MEMBERSHIP = CATALOGUE.refused(
    "event_before_membership", "Event date {event_date} is before membership began"
)
UNKNOWN_BENEFIT = CATALOGUE.refused("unknown_benefit", "Unknown benefit kind (choose {choices})")
BAD_NUMBER = CATALOGUE.refused("bad_number", "Not a number")
BAD_CHILD = CATALOGUE.refused("bad_child", "A child is written LEVEL:YEARS, e.g. smp:3")

# --- other refusals ----------------------------------------------------------------------------

DISABILITY_PART_OR_PERCENT = CATALOGUE.refused(
    "disability_part_or_percent",
    "Give either the body part (part) or the percentage (percent), not both.",
)
CONTRIBUTION_MONTHS_REQUIRED = CATALOGUE.refused(
    "contribution_months_required",
    "A JKM scholarship needs the contribution months to check the 3-year condition.",
)
SCHOLARSHIP_MIN_CONTRIBUTION = CATALOGUE.refused(
    "scholarship_min_contribution",
    "{value} contribution months is less than the {minimum} required ({reference}).",
)
SCHOLARSHIP_TOO_MANY_CHILDREN = CATALOGUE.refused(
    "scholarship_too_many_children",
    "Scholarships go to at most {most} children; {value} given.",
)
BAD_COLUMN = CATALOGUE.refused("bad_column", "Column {field} has the wrong type ({dtype}).")

# One code, one wording: these four are raised by other domains too and worded there (the
# law fills their slots: ``column`` and ``name``, ``fields``, ``file``).


def missing_column(column: str, name: str = "data") -> JaringError:
    """``missing_column`` for ``column`` of a frame; ``name`` is its file when known."""
    return MISSING_COLUMN(field=column, column=column, name=name)
