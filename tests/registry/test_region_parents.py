"""A region list with every region above each code: the choices pages offer by name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jaring.registry.regions import with_parents


def test_a_distrik_brings_its_regency_and_province() -> None:
    assert with_parents(["96.71.02", "96.71.01"]) == ["96", "96.71", "96.71.01", "96.71.02"]
    assert with_parents(["96.71.02.1001"], deepest=2) == ["96", "96.71"]
    assert with_parents([]) == []


codes = st.lists(
    st.tuples(st.integers(11, 96), st.integers(1, 79), st.integers(1, 30)).map(
        lambda t: f"{t[0]:02d}.{t[1]:02d}.{t[2]:02d}"
    ),
    max_size=20,
)


@given(codes)
def test_every_parent_and_nothing_else(given_codes: list[str]) -> None:
    out = with_parents(given_codes)
    assert out == sorted(set(out))
    assert set(given_codes) <= set(out)
    for code in out:  # each listed region is a given code or above one
        assert any(c == code or c.startswith(code + ".") for c in given_codes)
