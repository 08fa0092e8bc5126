"""Rounding: one rule per parameter, written in its YAML, the same in scalar and column code.

Rates are basis points (1/100 of a percent) and amounts whole rupiah, so a percentage of an
amount is the exact fraction ``amount * bp / 10_000`` rounded by the parameter's rule. The
column version is the same integer arithmetic on Polars Int64 expressions, so both paths give
the same rupiah for every input (tests check it). Amounts are never negative here.
"""

from __future__ import annotations

import polars as pl

BP = 10_000


def apply_bp(amount: int, bp: int, rounding: str | None, *, scale: int = BP) -> int:
    """``amount * bp / scale`` in whole rupiah by ``rounding`` (half_up, down or up)."""
    num = amount * bp
    if rounding == "down":
        return num // scale
    if rounding == "up":
        return -((-num) // scale)
    # half_up (the default, and what BPJS TK's invoices show): ties go away from zero.
    return (num + scale // 2) // scale


def apply_bp_expr(
    amount: pl.Expr, bp: int | pl.Expr, rounding: str | None, *, scale: int = BP
) -> pl.Expr:
    """The column form of :func:`apply_bp`, exact on Int64."""
    num = amount * bp
    if rounding == "down":
        return num // scale
    if rounding == "up":
        return -((-num) // scale)
    return (num + scale // 2) // scale
