"""The hard-list generator (jaring.demo.hardlists): twins are given other given names, also
when a given name has two words ("Wa Ode") and whatever the case."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.demo.hardlists import Rates, _population, _same_given, hard_list
from jaring.demo.synth import FEMALE, MALE, SURNAMES

GIVEN = st.sampled_from(FEMALE + MALE)
CASE = st.sampled_from([str, str.lower, str.upper, str.title])


@settings(max_examples=200, deadline=None)
@given(GIVEN, st.one_of(st.none(), st.sampled_from(MALE)), st.sampled_from(SURNAMES), CASE, CASE)
def test_a_given_name_is_the_one_a_name_begins_with(
    first: str, middle: str | None, family: str, case_a: object, case_b: object
) -> None:
    name = " ".join(w for w in (first, middle, family) if w)
    assert _same_given(case_a(first), case_b(name))  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(GIVEN, GIVEN, st.one_of(st.none(), st.sampled_from(MALE)), st.sampled_from(SURNAMES))
def test_another_given_name_is_not_the_same(
    other: str, first: str, middle: str | None, family: str
) -> None:
    name = " ".join(w for w in (first, middle, family) if w)
    # "Wa" is not "Wa Ode", nor a middle name the given name (the given name is the first)
    assert _same_given(other, name) == (other.lower() == first.lower())


def test_wa_ode_twice_is_one_given_name() -> None:
    assert _same_given("Wa Ode", "Wa Ode Rasyid")
    assert _same_given("wa ode", "WA ODE Rasyid")
    assert _same_given("Wa Ode", "Wa Ode Yakobus Rasyid")
    assert not _same_given("Wa Ode", "Wati Rasyid")
    assert not _same_given("Rasyid", "Rasyid")  # the family name is not a given name


def test_twins_never_share_a_given_name() -> None:
    """Half the people twins: every pair's given parts differ, "Wa Ode" twins included (the
    generator before gave two pairs of these 15,000 "Wa Ode" twice)."""
    pop = _population(30_000, Rates(twins=0.5), seed=3)
    twins = pop.filter(pl.col("twin_of").is_not_null()).select("person_key", "twin_of", "name")
    pairs = twins.join(
        twins.select(pl.col("person_key").alias("twin_of"), other=pl.col("name")),
        on="twin_of",
    )
    assert pairs.height == twins.height >= 14_900
    wa_ode = 0
    for name, other in pairs.select("name", "other").iter_rows():
        given_a = " ".join(name.split(" ")[:-1])
        given_b = " ".join(other.split(" ")[:-1])
        assert name.split(" ")[-1] == other.split(" ")[-1]  # one family name
        assert not _same_given(given_a, other), (name, other)
        assert not _same_given(given_b, name), (name, other)
        wa_ode += name.startswith("Wa Ode ") or other.startswith("Wa Ode ")
    assert wa_ode > 0  # the two-word given name is among the twins


def test_the_list_is_the_same_for_the_same_seed() -> None:
    a = hard_list(500, seed=4)
    b = hard_list(500, seed=4)
    assert a.equals(b)
