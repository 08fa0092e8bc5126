"""Eligibility rules at their boundary dates (pure: frames in, frames out)."""

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.claims.eligibility import assess

D = dt.date


def one(
    claim_type: str,
    event: dt.date,
    periods: list[tuple[dt.date, dt.date]],
    *,
    filed: dt.date | None = None,
    start_month: dt.date = D(2024, 1, 1),
    segment: str = "bpu",
    cause: str | None = None,
    min_months: int = 36,
) -> dict:
    claims = pl.DataFrame(
        {
            "claim_ref": [1],
            "membership_id": [7],
            "type": [claim_type],
            "event_date": [event],
            "filed_on": [filed or event],
            "cause": [cause],
        },
        schema_overrides={"cause": pl.String},
    )
    mem = pl.DataFrame({"membership_id": [7], "start_month": [start_month], "segment": [segment]})
    per = pl.DataFrame(
        {
            "membership_id": [7] * len(periods),
            "start_date": [p[0] for p in periods],
            "end_date": [p[1] for p in periods],
        },
        schema={"membership_id": pl.Int64, "start_date": pl.Date, "end_date": pl.Date},
    )
    return assess(claims, mem, per, min_months=min_months).to_dicts()[0]


PAID_H1 = [(D(2024, 1, 1), D(2024, 6, 30))]


def test_covered_on_last_paid_day_and_lapsed_the_day_after() -> None:
    last = one("jkm", D(2024, 6, 30), PAID_H1)
    after = one("jkm", D(2024, 7, 1), PAID_H1)
    assert last["covered"] and last["eligible"]
    assert not after["covered"] and not after["eligible"]
    assert after["reasons"] == ["lapsed"]
    assert after["last_covered_day"] == D(2024, 6, 30)


def test_day_before_coverage_starts_is_not_covered() -> None:
    before = one("jkm", D(2023, 12, 31), PAID_H1)
    first = one("jkm", D(2024, 1, 1), PAID_H1)
    assert before["reasons"] == ["not_covered"]
    assert first["covered"] and first["membership_day"] == 1


def test_a_gap_between_periods_is_a_lapse() -> None:
    periods = [(D(2024, 1, 1), D(2024, 3, 31)), (D(2024, 5, 1), D(2024, 12, 31))]
    assert one("jkm", D(2024, 4, 15), periods)["reasons"] == ["lapsed"]
    back = one("jkm", D(2024, 5, 1), periods)
    assert back["eligible"] and back["member_since"] == D(2024, 1, 1)


def test_membership_day_counts_the_first_covered_day_as_day_1() -> None:
    assert one("jkm", D(2024, 3, 30), PAID_H1)["membership_day"] == 90
    assert one("jkm", D(2024, 3, 31), PAID_H1)["membership_day"] == 91


def test_member_since_is_first_covered_day_not_enrolment_month() -> None:
    r = one("jkm", D(2024, 3, 1), [(D(2024, 2, 1), D(2024, 6, 30))], start_month=D(2024, 1, 1))
    assert r["member_since"] == D(2024, 2, 1)
    assert r["membership_day"] == 30


def test_scholarship_needs_36_paid_months_for_jkm() -> None:
    periods = [(D(2021, 1, 1), D(2024, 12, 31))]
    at36 = one("scholarship", D(2023, 12, 31), periods, cause="jkm")
    at35 = one("scholarship", D(2023, 11, 30), periods, cause="jkm")
    assert at36["contribution_months"] == 36 and at36["eligible"]
    assert at35["contribution_months"] == 35 and at35["reasons"] == ["min_contribution"]


def test_scholarship_months_add_up_across_a_lapse() -> None:
    periods = [(D(2019, 1, 1), D(2020, 12, 31)), (D(2022, 1, 1), D(2022, 12, 31))]
    r = one("scholarship", D(2022, 12, 15), periods, cause="jkm")
    assert r["contribution_months"] == 36 and r["eligible"]


def test_scholarship_after_work_accident_needs_no_minimum() -> None:
    r = one("scholarship", D(2024, 2, 10), PAID_H1, cause="jkk")
    assert r["eligible"] and r["contribution_months"] == 2


@pytest.mark.parametrize(
    ("event", "filed", "ok"),
    [
        (D(2020, 6, 15), D(2025, 6, 15), True),
        (D(2020, 6, 15), D(2025, 6, 16), False),
        (D(2020, 2, 29), D(2025, 2, 28), True),
        (D(2020, 2, 29), D(2025, 3, 1), False),
    ],
)
def test_jkk_five_year_deadline(event, filed, ok) -> None:
    r = one("jkk_medical", event, [(D(2020, 1, 1), D(2020, 12, 31))], filed=filed)
    assert r["within_deadline"] is ok
    assert ("deadline_passed" in r["reasons"]) is (not ok)


def test_jkm_has_no_deadline() -> None:
    r = one("jkm", D(2018, 1, 5), [(D(2018, 1, 1), D(2018, 12, 31))], filed=D(2026, 1, 1))
    assert r["deadline"] is None and r["within_deadline"]


def test_many_claims_in_one_pass() -> None:
    n = 1000
    claims = pl.DataFrame(
        {
            "claim_ref": range(n),
            "membership_id": [i % 10 for i in range(n)],
            "type": ["jkm"] * n,
            "event_date": [D(2024, 1, 1) + dt.timedelta(days=i % 366) for i in range(n)],
            "filed_on": [D(2025, 1, 1)] * n,
        }
    )
    mem = pl.DataFrame(
        {"membership_id": range(10), "start_month": [D(2024, 1, 1)] * 10, "segment": ["bpu"] * 10}
    )
    per = pl.DataFrame(
        {
            "membership_id": range(10),
            "start_date": [D(2024, 1, 1)] * 10,
            "end_date": [D(2024, 6, 30)] * 10,
        }
    )
    out = assess(claims, mem, per)
    assert out.height == n
    expect = claims.select((pl.col("event_date") <= D(2024, 6, 30)).alias("e"))["e"]
    assert out.sort("claim_ref")["eligible"].to_list() == expect.to_list()


@st.composite
def histories(draw):
    """Up to 4 disjoint runs of whole paid months in 2020-2024, and an event date."""
    months = sorted(draw(st.sets(st.integers(0, 59), max_size=30)))
    runs: list[list[int]] = []
    for m in months:
        if runs and runs[-1][-1] == m - 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    periods = []
    for run in runs[:4]:
        a, b = run[0], run[-1] + 1
        start = D(2020 + a // 12, a % 12 + 1, 1)
        end = D(2020 + b // 12, b % 12 + 1, 1) - dt.timedelta(days=1) if b < 60 else D(2024, 12, 31)
        periods.append((start, end))
    event = D(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 365 * 5)))
    return periods, event


@given(histories())
@settings(max_examples=150, deadline=None)
def test_rules_match_a_day_by_day_reading(case) -> None:
    periods, event = case
    r = one("jkm", event, periods, start_month=D(2020, 1, 1))
    covered = any(s <= event <= e for s, e in periods)
    before = [p for p in periods if p[0] <= event]
    assert r["covered"] is covered
    assert r["eligible"] is covered
    if covered:
        assert r["reasons"] == []
    elif before:
        assert r["reasons"] == ["lapsed"]
    else:
        assert r["reasons"] == ["not_covered"]
    paid = {
        (d.year, d.month)
        for s, e in before
        for d in (s + dt.timedelta(days=i) for i in range((min(e, event) - s).days + 1))
    }
    assert r["contribution_months"] == len(paid)
    first = min((p[0] for p in before), default=D(2020, 1, 1))
    assert r["membership_day"] == (event - first).days + 1


def test_two_year_deadline_before_pp82() -> None:
    # PP 44/2015: a JKK claim lapses 2 years after the accident (5 years since PP 82/2019).
    periods = [(D(2019, 1, 1), D(2019, 12, 31))]
    r = one("jkk_medical", D(2019, 6, 15), periods, filed=D(2021, 6, 15))
    assert r["deadline"] == D(2021, 6, 15) and r["within_deadline"] and r["eligible"]
    r = one("jkk_medical", D(2019, 6, 15), periods, filed=D(2021, 6, 16))
    assert not r["within_deadline"] and r["reasons"] == ["deadline_passed"]
