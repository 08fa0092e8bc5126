"""Budget planning: never over budget, the IP at least as good as greedy, quotas hold."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaring.errors import JaringError
from jaring.programs import planning, targeting


def population(n: int, seed: int, districts: int = 4, women: float = 0.5) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    df = pl.DataFrame(
        {
            "person_id": np.arange(1, n + 1, dtype=np.int64),
            "desil": rng.integers(1, 11, n).astype(np.int16),
            "occupation": rng.choice(["ojek", "pedagang pasar", "honorer", "nelayan"], n),
            "registered_on": [
                dt.date(2023, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 300, n)
            ],
            "district_code": [f"96.71.{d:02d}" for d in rng.integers(1, districts + 1, n)],
            "village_code": [f"96.71.01.{d}" for d in rng.integers(1000, 1003, n)],
            "sex": np.where(rng.random(n) < women, "P", "L"),
            "nik": [f"967101010190{i % 9999 + 1:04d}" for i in range(n)],
        }
    )
    return targeting.with_priority(df, targeting.parse_priority("desil,risk"))


COSTS = [16_800] * 10


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 400),
    seed=st.integers(0, 10_000),
    budget=st.integers(16_800, 80_000_000),
    scenario=st.sampled_from(["full", "spread"]),
)
def test_plan_never_exceeds_budget(n: int, seed: int, budget: int, scenario: str) -> None:
    pool = population(n, seed)
    try:
        plan = planning.solve(pool, month_costs=COSTS, budget=budget, scenario=scenario)
    except JaringError as e:
        assert e.code == "spread_unaffordable" and scenario == "spread"
        assert n * COSTS[0] > budget
        return
    sel = plan.selection
    assert int(sel["cost"].sum()) == plan.summary["cost"] <= budget
    assert plan.summary["unspent"] == budget - plan.summary["cost"]
    assert sel["person_id"].is_unique().all()
    # the cost of each person is the sum of the months bought, from the law's monthly costs
    assert (sel["cost"] == sel["months"] * COSTS[0]).all()
    if scenario == "full":  # nobody else would fit: the budget is used up to one person-period
        assert plan.summary["unspent"] < sum(COSTS) or sel.height == n


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(20, 400),
    seed=st.integers(0, 10_000),
    share=st.sampled_from(["0.1", "0.2", "0.35"]),
    women=st.sampled_from([None, "0.5", "0.6"]),
    frac=st.floats(0.2, 0.9),
)
def test_ip_beats_or_equals_greedy_and_quotas_hold(
    n: int, seed: int, share: str, women: str | None, frac: float
) -> None:
    pool = population(n, seed, women=0.4)
    budget = int(n * frac) * sum(COSTS) + 5_000
    quotas = [planning.parse_quota(f"distrik={share}")]
    if women:
        quotas.append(planning.parse_quota(f"women={women}"))
    try:
        plan = planning.solve(pool, month_costs=COSTS, budget=budget, quotas=tuple(quotas))
    except JaringError as e:
        assert e.code in ("quota_unaffordable", "quotas_infeasible")
        return
    s = plan.summary
    assert s["cost"] <= budget
    if s["greedy_objective"] is not None:
        assert s["ip_objective"] >= s["greedy_objective"]
        assert s["greedy_gap"] >= 0
    assert all(q["met"] for q in s["quotas"]), s["quotas"]
    # check the quotas independently of the report
    chosen = pool.join(plan.selection.select("person_id"), on="person_id", how="semi")
    per = (
        pool.group_by("district_code")
        .agg(e=pl.len())
        .join(chosen.group_by("district_code").agg(c=pl.len()), on="district_code", how="left")
    )
    f = planning.parse_quota(f"distrik={share}").share
    assert (per["c"].fill_null(0) * f.denominator >= per["e"] * f.numerator).all()
    if women:
        w = planning.parse_quota(f"women={women}").share
        assert (chosen["sex"] == "P").sum() * w.denominator >= chosen.height * w.numerator


def test_poorest_first_without_quotas() -> None:
    pool = population(300, 7)
    plan = planning.solve(pool, month_costs=COSTS, budget=100 * sum(COSTS))
    chosen = pool.join(plan.selection, on="person_id", how="semi")
    rest = pool.join(plan.selection, on="person_id", how="anti")
    assert chosen.height == 100
    assert chosen["class_rank"].max() <= rest["class_rank"].min()


def test_greedy_can_lose_to_the_ip() -> None:
    """Greedy fills the distrik quota with the best-ranked people of each distrik before it
    knows that women are scarce; the IP takes women where it can."""
    rows = []
    pid = 0
    for district, sexes in (("96.71.01", ["L", "L", "P"]), ("96.71.02", ["L", "P", "P"])):
        for rank, sex in enumerate(sexes):
            pid += 1
            rows.append((pid, district, sex, rank))
    pool = pl.DataFrame(
        rows, schema=["person_id", "district_code", "sex", "class_rank"], orient="row"
    ).with_columns(
        pl.col("class_rank").cast(pl.Int32),
        registered_on=pl.lit(dt.date(2023, 1, 1)),
        village_code=pl.lit(None, dtype=pl.String),
    )
    quotas = (planning.parse_quota("distrik=0.3"), planning.parse_quota("women=0.5"))
    plan = planning.solve(pool, month_costs=COSTS, budget=2 * sum(COSTS), quotas=quotas)
    s = plan.summary
    assert s["people"] == 2 and all(q["met"] for q in s["quotas"])
    assert s["greedy_objective"] is None  # greedy took the two best-ranked men: no women left


def test_spread_gives_everyone_the_same_months_and_leftover_by_priority() -> None:
    pool = population(100, 3)
    budget = 100 * 16_800 * 6 + 16_800 * 7 + 100
    plan = planning.solve(pool, month_costs=COSTS, budget=budget, scenario="spread")
    months = plan.selection["months"]
    assert plan.selection.height == 100
    assert set(months.unique().to_list()) == {6, 7}
    assert int((months == 7).sum()) == 7
    assert plan.summary["unspent"] == 100


def test_kept_people_stay_in_a_replan() -> None:
    pool = population(200, 5)
    kept = pool.filter(pl.col("desil") >= 9).head(30)
    rest = pool.join(kept, on="person_id", how="anti")
    plan = planning.solve(rest, month_costs=COSTS[:4], budget=80 * 4 * 16_800, kept=kept)
    sel = plan.selection
    assert set(kept["person_id"]).issubset(set(sel["person_id"]))
    assert sel.filter(pl.col("kept")).height == 30
    assert plan.summary["cost"] <= 80 * 4 * 16_800
    with pytest.raises(JaringError) as e:
        planning.solve(rest, month_costs=COSTS[:4], budget=10 * 4 * 16_800, kept=kept)
    assert e.value.code == "budget_below_covered"


@pytest.mark.parametrize(
    ("budget", "n", "code"),
    [(16_799, 10, "budget_too_small"), (10_000_000, 0, "nobody_eligible")],
)
def test_refusals(budget: int, n: int, code: str) -> None:
    pool = population(max(n, 1), 1).head(n)
    with pytest.raises(JaringError) as e:
        planning.solve(pool, month_costs=COSTS, budget=budget)
    assert e.value.code == code


def test_unaffordable_quota_says_which_and_by_how_much() -> None:
    pool = population(100, 1)
    with pytest.raises(JaringError) as e:
        planning.solve(
            pool,
            month_costs=COSTS,
            budget=10 * sum(COSTS),
            quotas=(planning.parse_quota("distrik=0.5"),),
        )
    assert e.value.code == "quota_unaffordable"
    assert e.value.context["quota"] == "distrik=0.5"
    assert e.value.context["shortfall"] == e.value.context["cost_needed"] - 10 * sum(COSTS)


@pytest.mark.parametrize("text", ["distrik=2", "kota=0.1", "women=abc", "desa=0"])
def test_bad_quotas_are_refused(text: str) -> None:
    with pytest.raises(JaringError) as e:
        planning.parse_quota(text)
    assert e.value.code == "bad_quota"


def test_eligibility_rules() -> None:
    people = population(200, 2).with_columns(birth_date=pl.lit(dt.date(1990, 6, 15)))
    out = targeting.eligible(
        people,
        {"occupations": ["ojek"], "desil_max": 4, "districts": ["96.71.01"], "age_min": 18},
        dt.date(2024, 1, 1),
    )
    assert out.height > 0
    assert (out["occupation"] == "ojek").all() and (out["desil"] <= 4).all()
    assert out["district_code"].str.starts_with("96.71.01").all()
    assert targeting.eligible(people, {"age_max": 30}, dt.date(2024, 1, 1)).height == 0


def test_people_without_nik_are_not_eligible_and_no_area_is_outside_quotas() -> None:
    people = population(100, 4).with_columns(
        nik=pl.when(pl.col("person_id") <= 10).then(None).otherwise(pl.col("nik")),
        district_code=pl.when(pl.col("person_id").is_between(11, 20))
        .then(None)
        .otherwise(pl.col("district_code")),
    )
    pool = targeting.eligible(people, {}, dt.date(2024, 1, 1))
    assert pool.height == 90
    assert targeting.eligible(people, {"require_nik": False}, dt.date(2024, 1, 1)).height == 100
    plan = planning.solve(
        pool,
        month_costs=COSTS,
        budget=90 * sum(COSTS),
        quotas=(planning.parse_quota("distrik=0.2"),),
    )
    assert plan.summary["people"] == 90  # people without a distrik are planned too
    assert all(q["met"] for q in plan.summary["quotas"])
