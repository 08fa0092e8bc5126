"""One rounding function for ints and numpy columns, exact against fractions."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jaring.law.rounding import apply_bp

AMOUNT = st.integers(0, 10**12)
BP = st.integers(0, 10_000)


@given(AMOUNT, BP)
def test_half_up_down_up_are_exact(amount: int, bp: int) -> None:
    exact = Fraction(amount * bp, 10_000)
    assert apply_bp(amount, bp, "half_up") == math.floor(exact + Fraction(1, 2))
    assert apply_bp(amount, bp, "down") == math.floor(exact)
    assert apply_bp(amount, bp, "up") == math.ceil(exact)


@given(
    st.lists(st.tuples(AMOUNT, BP), min_size=1, max_size=50),
    st.sampled_from(["half_up", "down", "up"]),
)
def test_numpy_columns_equal_python_ints(pairs: list[tuple[int, int]], rule: str) -> None:
    amounts = np.array([a for a, _ in pairs], dtype=np.int64)
    bps = np.array([b for _, b in pairs], dtype=np.int64)
    assert apply_bp(amounts, bps, rule).tolist() == [apply_bp(a, b, rule) for a, b in pairs]


def test_ties_go_up() -> None:
    assert apply_bp(1_500, 30, "half_up") == 5  # 4.5
    assert apply_bp(1_499, 30, "half_up") == 4  # 4.497
    assert apply_bp(35, 50, "half_up", scale=100) == 18  # 17.5
