"""Numbers as Indonesian readers write them: ``19.336`` people, ``Rp2.200.000.000``."""

from __future__ import annotations


def ribu(n: int) -> str:
    """Thousands grouped with dots (Indonesian): ``19336`` -> ``19.336``."""
    return f"{int(n):,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """``2200000000`` -> ``Rp2.200.000.000`` (whole rupiah; a minus sign before Rp)."""
    from jaring.formatting import rupiah as rp

    return rp(amount)
