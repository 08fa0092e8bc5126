"""JHT for a BPU: Jaring's ESTIMATE of the balance, its yearly return and its payout.

BPJS Ketenagakerjaan keeps the ledger of record (the member sees it in JMO); Jaring only
estimates, so every amount here is ``uncertain`` and says so. The balance is the sum of the
JHT contributions paid; each 31 December it earns the year's return
(``bpu.jht_return_estimate``, or the rate given): the balance of 1 January for the whole
year, and each contribution of the year for the months left after it (a contribution of
month m earns ``12 - m`` twelfths). The payout on death goes to the heirs (PP 46/2015).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from jaring.formatting import rupiah
from jaring.law.amount import Amount, ExplanationLine
from jaring.law.contributions import check_date
from jaring.law.parameters import params

RATE = "bpu.jht_return_estimate"


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def estimate(paid: list[tuple[dt.date, int]], on: dt.date, *, rate_bp: int | None = None) -> Amount:
    """The estimated JHT balance on ``on`` from ``paid`` (month, JHT contribution): the
    contributions (``contributions``) and the returns credited each 31 December before ``on``
    (``returns``). ``rate_bp`` overrides the parameter (basis points a year).

    >>> paid = [(dt.date(2024, 1, 1), 20_000), (dt.date(2024, 7, 1), 20_000)]
    >>> estimate(paid, dt.date(2025, 1, 1)).components  # 5%: 20.000 x 11/12 + 20.000 x 5/12
    {'contributions': 40000, 'returns': 1333, 'total': 41333}
    """
    on = check_date(on, "on")
    entry = params().entry(RATE, on)
    rate = Decimal(entry.value if rate_bp is None else rate_bp) / 10_000
    balance, returns, contributions = 0, 0, 0
    lines: list[ExplanationLine] = []
    years = sorted({m.year for m, _ in paid if m <= on})
    for year in years:
        start = balance
        in_year = [(m, a) for m, a in paid if m.year == year and m <= on]
        contributions += sum(a for _, a in in_year)
        balance += sum(a for _, a in in_year)
        if dt.date(year, 12, 31) >= on:
            break
        earned = _round(
            Decimal(start) * rate + sum(Decimal(a) * rate * (12 - m.month) / 12 for m, a in in_year)
        )
        balance += earned
        returns += earned
        lines.append(
            ExplanationLine.of(
                entry,
                earned,
                value=int(rate * 10_000),
                note=(
                    f"hasil pengembangan {year} (perkiraan): {rupiah(earned, 'id')}",
                    f"return {year} (estimate): {rupiah(earned, 'en')}",
                ),
            )
        )
    lines.insert(
        0,
        ExplanationLine.of(
            entry,
            contributions,
            note=(
                "Perkiraan Jaring: jumlah iuran JHT yang dibayar; saldo resmi di BPJS Ketenagakerjaan",
                "Jaring's estimate: JHT contributions paid; BPJS Ketenagakerjaan keeps the ledger",
            ),
        ),
    )
    total = contributions + returns
    return Amount(
        total=total,
        components={"contributions": contributions, "returns": returns, "total": total},
        explanation=lines,
        uncertain=True,
    )


def payout_on_death(
    paid: list[tuple[dt.date, int]], death_date: dt.date, *, rate_bp: int | None = None
) -> Amount:
    """The estimated JHT paid to the heirs on a death: the balance on the day of death."""
    return estimate(paid, death_date, rate_bp=rate_bp)
