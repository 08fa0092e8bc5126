"""Working days and the time BPJS TK has to pay a claim.

A working day is Monday to Friday except the national holidays and cuti bersama of the year
(``calendar.holidays``, the ministers' joint decree, as dated data). For a year whose list
Jaring does not hold, Monday to Friday are counted and the answer says so (``assumed``).
JKM is paid within 3 working days of a complete file, JKK within 7
(``benefits.claims.payment_working_days``, PP 44/2015 Pasal 40 ayat (3) and 37 ayat (2));
late, BPJS TK owes 1% of the benefit for each day late (``benefits.claims.late_compensation``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

from jaring.formatting import rupiah
from jaring.law.amount import Amount, ExplanationLine
from jaring.law.contributions import check_date
from jaring.law.parameters import ParameterError, params
from jaring.law.rounding import apply_bp

HOLIDAYS = "calendar.holidays"


@functools.lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[dt.date] | None:
    """The national holidays and cuti bersama of ``year``, or None when Jaring holds no list
    for it (then Monday to Friday count). A list in force that holds no day of ``year`` (a
    year past the last list entered) counts as no list, never as a year without holidays."""
    try:
        rows = params().entry(HOLIDAYS, dt.date(year, 1, 1)).value
    except ParameterError:
        return None
    days = frozenset(row["date"] for row in rows if row["date"].year == year)
    return days or None


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a holiday of that year's list (when there is one)."""
    if day.weekday() >= 5:
        return False
    off = holidays(day.year)
    return off is None or day not in off


@dataclasses.dataclass(frozen=True)
class Deadline:
    """The last day to pay, and the years counted Monday to Friday for want of a list."""

    due: dt.date
    assumed_years: tuple[int, ...]


def add_working_days(start: dt.date, n: int) -> Deadline:
    """The ``n``-th working day after ``start`` (``start`` itself not counted).

    >>> add_working_days(dt.date(2024, 4, 5), 3).due  # Idul Fitri 2024: 8-12 and 15 April off
    datetime.date(2024, 4, 18)
    """
    day, left, assumed = start, n, set()
    while left > 0:
        day += dt.timedelta(days=1)
        if holidays(day.year) is None:
            assumed.add(day.year)
        if is_working_day(day):
            left -= 1
    return Deadline(day, tuple(sorted(assumed)))


@dataclasses.dataclass(frozen=True)
class PaymentTime:
    """When a claim had to be paid and what paying on ``paid_on`` owes: ``due`` the last day,
    ``working_days`` the law's 3 (JKM) or 7 (JKK), ``late_days`` calendar days after ``due``,
    ``compensation`` 1% of the benefit for each of them; ``assumed_years`` the years counted
    Monday to Friday for want of a holiday list; ``amount`` the same with its explanation."""

    due: dt.date
    working_days: int
    late_days: int
    compensation: int
    assumed_years: tuple[int, ...]
    amount: Amount


def payment_time(program: str, complete_on: dt.date, benefit: int, paid_on: dt.date) -> PaymentTime:
    """When a ``program`` (``jkm`` or ``jkk``) claim completed on ``complete_on`` had to be
    paid, and the compensation BPJS TK owes when ``paid_on`` is later: 1% of ``benefit`` for
    each calendar day after the due day, rounded once, half up.

    >>> t = payment_time("jkm", dt.date(2024, 4, 5), 42_000_000, dt.date(2024, 4, 20))
    >>> (t.due, t.late_days, t.compensation)
    (datetime.date(2024, 4, 18), 2, 840000)
    """
    complete_on = check_date(complete_on, "complete_on")
    days = params().entry("benefits.claims.payment_working_days", complete_on)
    rate = params().entry("benefits.claims.late_compensation", complete_on)
    n = int(days.value[program])
    deadline = add_working_days(complete_on, n)
    late = max(0, (paid_on - deadline.due).days)
    amount = apply_bp(benefit * late, rate.value, rate.rounding)
    note_id = f"{n} hari kerja: paling lambat {deadline.due.isoformat()}"
    note_en = f"{n} working days: due by {deadline.due.isoformat()}"
    if deadline.assumed_years:
        years = ", ".join(str(y) for y in deadline.assumed_years)
        note_id += f" (daftar libur {years} tidak ada: dihitung Senin s.d. Jumat)"
        note_en += f" (no holiday list for {years}: Monday to Friday counted)"
    lines = [
        ExplanationLine.of(days, None, value={program: n}, note=(note_id, note_en)),
        ExplanationLine.of(
            rate,
            amount,
            note=(
                f"{late} hari terlambat x 1% x {rupiah(benefit, 'id')}",
                f"{late} days late x 1% x {rupiah(benefit, 'en')}",
            ),
        ),
    ]
    return PaymentTime(
        due=deadline.due,
        working_days=n,
        late_days=late,
        compensation=amount,
        assumed_years=deadline.assumed_years,
        amount=Amount(
            total=amount,
            components={"compensation": amount, "total": amount},
            explanation=lines,
            uncertain=bool(deadline.assumed_years),
        ),
    )


def claim_payment(program: str, complete_on: dt.date, benefit: int, paid_on: dt.date) -> Amount:
    """:func:`payment_time` as an amount with its explanation (what ``jaring law
    claim-payment`` prints).

    >>> claim_payment("jkm", dt.date(2024, 4, 5), 42_000_000, dt.date(2024, 4, 20)).total
    840000
    """
    return payment_time(program, complete_on, benefit, paid_on).amount
