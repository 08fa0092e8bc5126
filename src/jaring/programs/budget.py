"""Amounts of rupiah as people type them: ``Rp1.500.000.000``, ``1.500.000.000,-``,
``1,5 miliar``, ``750 juta``, ``1,5 M``, ``2 triliun``, ``300 rb``. Pure.

Indonesian writes a dot between thousands and a comma before decimals; a unit word (``ribu``,
``juta``, ``miliar``/``milyar``, ``triliun``, or their short forms) multiplies. An amount
must come to whole rupiah (``1,5 miliar`` does; ``1,5`` does not), so what is not an amount
is refused naming the form field rather than guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from jaring.programs import errors

UNITS: dict[str, int] = {
    "ribu": 10**3,
    "rb": 10**3,
    "k": 10**3,
    "juta": 10**6,
    "jt": 10**6,
    "miliar": 10**9,
    "milyar": 10**9,
    "mlr": 10**9,
    "m": 10**9,
    "triliun": 10**12,
    "t": 10**12,
}
_SHAPE = re.compile(r"^(?P<num>\d[\d.,]*)\s*(?P<unit>[a-z]*)$")
_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def _number(text: str) -> Decimal:
    """``1.500.000`` -> 1500000, ``1,5`` -> 1.5, ``1.500,25`` -> 1500.25, ``1.5`` -> 1.5."""
    if "," in text:
        whole, _, frac = text.rpartition(",")
        if "," in whole or not frac.isdigit():
            raise InvalidOperation
        if "." in whole and not _GROUPS.match(whole):
            raise InvalidOperation
        return Decimal(whole.replace(".", "") + "." + frac)
    if "." in text:
        if _GROUPS.match(text):
            return Decimal(text.replace(".", ""))
        if text.count(".") == 1:
            return Decimal(text)  # 1.5 (miliar): a decimal point
        raise InvalidOperation
    return Decimal(text)


def parse_rupiah(text: str | int | None, field: str = "budget") -> int:
    """Whole rupiah from what a person typed; refuses ``bad_money`` naming ``field``."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise errors.BAD_MONEY(value=str(text), field=field)
        return text
    raw = str(text or "")
    s = raw.strip().lower().replace("\u00a0", " ")
    s = re.sub(r"^rp\.?\s*", "", s)
    s = re.sub(r",-$|\.-$", "", s).strip()
    m = _SHAPE.match(s)
    if not m or (m["unit"] and m["unit"] not in UNITS):
        raise errors.BAD_MONEY(value=raw.strip()[:40], field=field)
    try:
        value = _number(m["num"]) * UNITS.get(m["unit"], 1)
    except InvalidOperation:
        raise errors.BAD_MONEY(value=raw.strip()[:40], field=field) from None
    if value != value.to_integral_value():
        raise errors.BAD_MONEY(value=raw.strip()[:40], field=field)
    return int(value)


def parse_optional_rupiah(text: str | None, field: str = "budget") -> int | None:
    """:func:`parse_rupiah`, or ``None`` for an empty field."""
    return None if not (text or "").strip() else parse_rupiah(text, field)
