"""Amounts of rupiah as people type them (programs.budget)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.errors import JaringError
from jaring.formatting import rupiah
from jaring.programs.budget import parse_optional_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5 miliar", 1_500_000_000),
        ("1,5 Miliar", 1_500_000_000),
        ("1.5 milyar", 1_500_000_000),
        ("Rp1.500.000.000", 1_500_000_000),
        ("Rp 1.500.000.000,-", 1_500_000_000),
        ("Rp. 1.500.000.000,00", 1_500_000_000),
        ("1500000000", 1_500_000_000),
        ("750 juta", 750_000_000),
        ("750jt", 750_000_000),
        ("1,5 M", 1_500_000_000),
        ("2 triliun", 2_000_000_000_000),
        ("300 rb", 300_000),
        ("16.800", 16_800),
        (1200, 1200),
    ],
)
def test_amounts_people_type(text: str | int, value: int) -> None:
    assert parse_rupiah(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,5", "1.50.0", "-5", "1,5 kg", "Rp", "1,2,3"])
def test_what_is_not_an_amount_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(JaringError) as e:
        parse_rupiah(text, field="budget")
    assert e.value.code == "bad_money"
    assert e.value.context["field"] == "budget"


def test_an_empty_optional_amount_is_none() -> None:
    assert parse_optional_rupiah("  ") is None
    assert parse_optional_rupiah("1 juta") == 1_000_000


@given(st.integers(min_value=0, max_value=10**15))
def test_every_amount_as_formatted_reads_back(value: int) -> None:
    assert parse_rupiah(rupiah(value, "id")) == value
    assert parse_rupiah(str(value)) == value


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["juta", "miliar"]))
def test_tenths_of_a_unit(tenths: int, unit: str) -> None:
    whole, frac = divmod(tenths, 10)
    text = f"{whole},{frac} {unit}"
    assert parse_rupiah(text) == tenths * {"juta": 10**5, "miliar": 10**8}[unit]
