"""Rounding: one rule per parameter, written in its YAML, the same in scalar and column code.

Rates are basis points (1/100 of a percent) and amounts whole rupiah, so a percentage of an
amount is the exact fraction ``amount * bp / 10_000`` rounded by the parameter's rule. The
same function runs on Python ints and on numpy int64 columns, so both paths give the same
rupiah for every input (tests check it). Amounts are never negative here.
"""

from __future__ import annotations

from typing import Any

BP = 10_000


def apply_bp(amount: Any, bp: Any, rounding: str | None, *, scale: int = BP) -> Any:
    """``amount * bp / scale`` in whole rupiah by ``rounding`` (half_up, down or up).

    ``amount`` and ``bp`` are Python ints or numpy int64 arrays: the scalar explanation, the
    per-band tables and the column path all call this one function.
    """
    num = amount * bp
    if rounding == "down":
        return num // scale
    if rounding == "up":
        return -((-num) // scale)
    # half_up (the default): a tie goes up; amounts are never negative here.
    return (num + scale // 2) // scale
