"""Properties that must hold for any input: monotone, never negative, parts add up, and the
one-worker call equals the vectorised path row for row."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.law import contributions as c

# Dates whose every parameter is known (the JP cap is unknown in 2016-03..2017-02,
# 2018-03..2019-02 and from 2026-03).
DATES = st.one_of(
    st.dates(dt.date(2015, 7, 1), dt.date(2016, 2, 29)),
    st.dates(dt.date(2017, 3, 1), dt.date(2018, 2, 28)),
    st.dates(dt.date(2019, 3, 1), dt.date(2026, 2, 28)),
)
BPU_DATES = st.dates(dt.date(2015, 7, 1), dt.date(2028, 12, 31))
INCOME = st.integers(0, 40_000_000)
WAGE = st.integers(0, 100_000_000)
RISK = st.sampled_from(c.RISKS)
PAYER = st.sampled_from(c.PAYERS)

FAST = settings(max_examples=40, deadline=None)


def _money_sum(components: dict[str, int]) -> int:
    money = {k: v for k, v in components.items() if k not in ("base", "total", "discount")}
    return sum(money.values()) - components.get("discount", 0)


@FAST
@given(INCOME, INCOME, BPU_DATES, st.booleans(), PAYER, st.booleans())
def test_bpu_is_monotone_in_income(
    a: int, b: int, on: dt.date, jht: bool, payer: str, transport: bool
) -> None:
    lo, hi = sorted((a, b))
    x = c.bpu(lo, on, jht=jht, paid_by=payer, transport=transport)
    y = c.bpu(hi, on, jht=jht, paid_by=payer, transport=transport)
    assert x.total <= y.total
    assert x.components["base"] <= y.components["base"]


@FAST
@given(WAGE, WAGE, RISK, DATES)
def test_pu_is_monotone_in_wage(a: int, b: int, risk: str, on: dt.date) -> None:
    lo, hi = sorted((a, b))
    assert c.pu(lo, risk, on).total <= c.pu(hi, risk, on).total


@FAST
@given(WAGE, DATES)
def test_pu_is_monotone_in_risk(wage: int, on: dt.date) -> None:
    totals = [c.pu(wage, risk, on).components["jkk"] for risk in c.RISKS]
    assert totals == sorted(totals)


@FAST
@given(INCOME, BPU_DATES, st.booleans(), PAYER, st.booleans())
def test_bpu_parts_add_up_and_are_never_negative(
    income: int, on: dt.date, jht: bool, payer: str, transport: bool
) -> None:
    a = c.bpu(income, on, jht=jht, paid_by=payer, transport=transport)
    assert all(v >= 0 for v in a.components.values())
    assert a.total == a.components["total"] == _money_sum(a.components)
    assert a.total == sum(line.amount or 0 for line in a.explanation)
    if payer != "self":  # PP 50/2025: never when APBN, APBD, a village budget or a donor pays
        assert "discount" not in a.components or on < dt.date(2021, 2, 1)


@FAST
@given(WAGE, RISK, DATES, st.booleans(), st.booleans())
def test_pu_parts_add_up_and_are_never_negative(
    wage: int, risk: str, on: dt.date, jht: bool, jp: bool
) -> None:
    a = c.pu(wage, risk, on, jht=jht, jp=jp)
    full = c.pu(wage, risk, on)
    # the package only takes programs away: JKK and JKM are always there
    assert (a.components["jkk"], a.components["jkm"]) == (
        full.components["jkk"],
        full.components["jkm"],
    )
    assert a.total <= full.total
    assert (a.components["jp_employer"] == 0) is (not jp or full.components["jp_employer"] == 0)
    assert all(v >= 0 for v in a.components.values())
    assert a.total == _money_sum(a.components)
    assert a.total == sum(line.amount or 0 for line in a.explanation)


WORKER = st.one_of(
    st.tuples(
        st.just("bpu"), INCOME, st.none(), st.none(), st.booleans(), PAYER, st.booleans(), st.none()
    ),
    st.tuples(
        st.just("pu"),
        st.none(),
        WAGE,
        RISK,
        st.booleans(),
        st.just("apbd"),
        st.just(False),
        st.booleans(),
    ),
)


@settings(max_examples=20, deadline=None)
@given(st.lists(WORKER, min_size=1, max_size=30), st.lists(DATES, min_size=1, max_size=4))
def test_scalar_equals_vectorised(workers: list[tuple], dates: list[dt.date]) -> None:  # type: ignore[type-arg]
    months = [dates[i % len(dates)] for i in range(len(workers))]
    df = pl.DataFrame(
        workers,
        schema={
            "segment": pl.String,
            "income": pl.Int64,
            "wage": pl.Int64,
            "risk": pl.String,
            "jht": pl.Boolean,
            "paid_by": pl.String,
            "transport": pl.Boolean,
            "jp": pl.Boolean,
        },
        orient="row",
    ).with_columns(pl.Series("month", months, dtype=pl.Date))
    out = c.frame(df)
    for row, (seg, income, wage, risk, jht, payer, transport, jp), on in zip(
        out.iter_rows(named=True), workers, months, strict=True
    ):
        one = (
            c.bpu(income, on, jht=jht, paid_by=payer, transport=transport)
            if seg == "bpu"
            else c.pu(wage, risk, on, jht=jht, jp=jp)
        )
        for key, value in one.components.items():
            assert row[key] == value, (key, seg, on)
        assert row["total"] == one.total
    if len(set(months)) == 1:
        assert c.frame(df.drop("month"), months[0])["total"].to_list() == out["total"].to_list()
