"""PP 49/2020 (COVID-19): the JP deferral and its repayment, the moved deadline, the late fine.

- **JP deferral** (Pasal 17): for the contribution months August 2020 to January 2021 an
  employer who meets the conditions (Pasal 18-21) pays 1% of the JP contribution and defers
  99% (``discounts.pp49_2020_jp_deferral``), to be repaid at once or in instalments from
  15 May 2021 to 15 April 2022 (``discounts.pp49_2020_jp_repayment``). The repayment is its
  own instalment line, never mixed into the regular JP of the month it is paid in. Jaring
  splits the deferred total evenly over the 12 months, the remainder on the first ones.
- **Deadline and fine** (Pasal 4 and 23): contributions of those months were due by the 30th
  of the next month instead of the 15th (``billing.payment_deadline_day``), and the late fine
  was 0.5% a month instead of 2% (``billing.late_fine``).

The JP itself is :func:`jaring.law.contributions.pu` at each month: the caps and rates of that
month. A program that did not use the deferral simply never asks for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from jaring.formatting import rupiah
from jaring.law.amount import Amount, ExplanationLine, is_uncertain
from jaring.law.benefits import add_months
from jaring.law.contributions import check_date, pu
from jaring.law.parameters import Entry, params
from jaring.law.rounding import apply_bp

DEFERRAL = "discounts.pp49_2020_jp_deferral"
REPAYMENT = "discounts.pp49_2020_jp_repayment"
RELIEF_MONTHS = (*(dt.date(2020, m, 1) for m in range(8, 13)), dt.date(2021, 1, 1))


@dataclasses.dataclass(frozen=True)
class Instalment:
    """One repayment of deferred JP: the month it is due in and its amount."""

    month: dt.date
    amount: int


def _month(on: dt.date) -> dt.date:
    return on.replace(day=1)


def deferred_jp(wage: int, risk: str, on: dt.date) -> tuple[int, Entry]:
    """The JP put off for the contribution month of ``on`` (0 outside the relief months):
    99% of employer + worker JP, half up."""
    on = check_date(on)
    entry = params().entry(DEFERRAL, on)
    if not entry.value:
        return 0, entry
    c = pu(wage, risk, on).components
    return apply_bp(c["jp_employer"] + c["jp_worker"], entry.value, entry.rounding), entry


def repayment_schedule(deferred: int) -> list[Instalment]:
    """``deferred`` rupiah in equal monthly instalments over the repayment window (May 2021 to
    April 2022), the remainder one rupiah each on the first instalments.

    >>> [i.amount for i in repayment_schedule(1_000)][:3], sum(i.amount for i in repayment_schedule(1_000))
    ([84, 84, 84], 1000)
    """
    rule = params().entry(REPAYMENT, dt.date(2021, 5, 1)).value
    first = dt.date(rule["first_year"], rule["first_month"], 1)
    n = int(rule["months"])
    share, extra = divmod(deferred, n)
    return [Instalment(add_months(first, i), share + (i < extra)) for i in range(n)]


def pu_with_deferral(wage: int, risk: str, on: dt.date, *, jht: bool = True) -> Amount:
    """A PU contribution for an employer that used the PP 49/2020 JP deferral.

    In a relief month (August 2020 to January 2021) 99% of the JP is put off (component
    ``jp_deferred``, taken off the total). In a repayment month (May 2021 to April 2022) the
    month's instalment of all the JP put off is its own component ``jp_repayment`` and line,
    beside the regular JP. The deferred JP is computed with the same wage and risk in every
    relief month (the note says so). Other months: :func:`~jaring.law.contributions.pu`.
    """
    on = check_date(on)
    base = pu(wage, risk, on, jht=jht)
    components = {k: v for k, v in base.components.items() if k != "total"}
    lines = list(base.explanation)
    total = base.total
    deferred, entry = deferred_jp(wage, risk, on)
    if deferred:
        components["jp_deferred"] = deferred
        total -= deferred
        lines.append(
            ExplanationLine.of(
                entry,
                -deferred,
                note=(
                    f"99% dari JP {rupiah(deferred, 'id')} ditunda, dilunasi Mei 2021 s.d. April 2022",
                    f"99% of JP, {rupiah(deferred, 'en')}, deferred; repaid May 2021 to April 2022",
                ),
            )
        )
    schedule = {i.month: i for i in repayment_schedule(_all_deferred(wage, risk))}
    instalment = schedule.get(_month(on))
    if instalment is not None and instalment.amount:
        rule = params().entry(REPAYMENT, on)
        k = sorted(schedule).index(instalment.month) + 1
        components["jp_repayment"] = instalment.amount
        total += instalment.amount
        lines.append(
            ExplanationLine.of(
                rule,
                instalment.amount,
                note=(
                    f"angsuran {k} dari {len(schedule)} pelunasan JP tertunda (Agustus 2020 s.d. "
                    "Januari 2021, dihitung dengan upah dan kelompok risiko yang sama)",
                    f"instalment {k} of {len(schedule)} of the deferred JP (August 2020 to "
                    "January 2021, computed with the same wage and risk group)",
                ),
            )
        )
    components["total"] = total
    return Amount(
        total=total, components=components, explanation=lines, uncertain=is_uncertain(lines)
    )


def _all_deferred(wage: int, risk: str) -> int:
    return sum(deferred_jp(wage, risk, month)[0] for month in RELIEF_MONTHS)


def due_date(month: dt.date) -> dt.date:
    """The day the contribution of ``month`` is due: the deadline day of the next month
    (15th; the 30th for August 2020 to January 2021), clamped to that month's last day."""
    month = _month(check_date(month))
    day = int(params().value("billing.payment_deadline_day", month))
    nxt = add_months(month, 1)
    last = add_months(nxt, 1) - dt.timedelta(days=1)
    return min(nxt.replace(day=min(day, last.day)), last)


def late_fine(amount: int, month: dt.date, paid_on: dt.date) -> Amount:
    """The late fine on ``amount`` (the contribution of ``month``) paid on ``paid_on``: the
    rate in force for that month (2%; 0.5% for August 2020 to January 2021) for each month,
    begun, past the due date.

    >>> late_fine(1_000_000, dt.date(2020, 9, 1), dt.date(2020, 11, 2)).total
    5000
    """
    month = _month(check_date(month))
    due = due_date(month)
    entry = params().entry("billing.late_fine", month)
    late = 0
    while paid_on > add_months(due, late):
        late += 1
    fine = late * apply_bp(amount, entry.value, entry.rounding)
    line = ExplanationLine.of(
        entry,
        fine,
        note=(
            f"jatuh tempo {due.isoformat()}, dibayar {paid_on.isoformat()}: {late} bulan terlambat",
            f"due {due.isoformat()}, paid {paid_on.isoformat()}: {late} months late",
        ),
    )
    return Amount(total=fine, components={"fine": fine, "total": fine}, explanation=[line])
