"""BPU arrears, lapse and reactivation, and the refund of contributions after a death.

- A BPU may pay up to 3 months late, without a fine (``bpu.arrears``): covered until
  ``covered_until``, the membership stays alive while the arrears are paid within 3 months
  of it; after that it has ended, and paying again starts a new membership from zero (the
  first-3-months rule of JKM then counts from the new start).
- Contributions paid for months after the month of the death go back to whoever paid them:
  to the heirs with the claim, to a donor or a government agency (a Pemda must reconcile its
  budget) by agreement. The amount is :func:`refund_after_death`.
"""

from __future__ import annotations

import datetime as dt

from jaring.formatting import rupiah
from jaring.law.amount import Amount, ExplanationLine
from jaring.law.benefits import add_months
from jaring.law.contributions import check_date
from jaring.law.parameters import params

RULE = "bpu.arrears"


def grace_until(covered_until: dt.date) -> dt.date:
    """The last day arrears may be paid to keep the membership: ``covered_until`` plus the
    grace months (3), clamped to month end.

    >>> grace_until(dt.date(2024, 3, 31))
    datetime.date(2024, 6, 30)
    """
    rule = params().entry(RULE, check_date(covered_until, "covered_until")).value
    return add_months(covered_until, int(rule["grace_months"]))


def status_on(covered_until: dt.date, on: dt.date) -> str:
    """``covered`` (paid through ``on``), ``grace`` (unpaid, not covered, arrears still
    payable) or ``ended`` (past the grace: a payment starts a new membership)."""
    if on <= covered_until:
        return "covered"
    return "grace" if on <= grace_until(covered_until) else "ended"


def new_start_after_payment(covered_until: dt.date, paid_on: dt.date) -> dt.date | None:
    """The start of the new membership a payment on ``paid_on`` opens when the old one ended
    (the first day of the month paid for), or None while arrears may still be paid."""
    if status_on(covered_until, paid_on) != "ended":
        return None
    return paid_on.replace(day=1)


def refund_after_death(death_date: dt.date, paid: list[tuple[dt.date, int]]) -> Amount:
    """The contributions to give back after a death: those paid for months after the month of
    the death (``paid``: month, amount), each a line, the total to the payer.

    >>> refund_after_death(dt.date(2024, 5, 10), [(dt.date(2024, 5, 1), 16_800), (dt.date(2024, 6, 1), 16_800), (dt.date(2024, 7, 1), 16_800)]).total
    33600
    """
    death_date = check_date(death_date, "event_date")
    rule = params().entry(RULE, death_date)
    first = add_months(death_date.replace(day=1), 1)
    lines: list[ExplanationLine] = []
    total = 0
    for month, amount in sorted(paid):
        if month < first or not rule.value["refund_after_death"]:
            continue
        total += amount
        lines.append(
            ExplanationLine.of(
                rule,
                amount,
                value={"month": month.isoformat()},
                note=(
                    f"iuran {month:%m/%Y} {rupiah(amount, 'id')}: setelah bulan kematian",
                    f"contribution {month:%m/%Y} {rupiah(amount, 'en')}: after the month of death",
                ),
            )
        )
    return Amount(total=total, components={"refund": total, "total": total}, explanation=lines)
