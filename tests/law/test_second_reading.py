"""The second reading of the law (December 2026): each corrected amount computed by hand,
through the rule and through ``jaring law`` as a user runs it."""

from __future__ import annotations

import datetime as dt
import json

from tests.law.test_cli import jaring, process

from jaring.law import contributions

D = dt.date


def test_jp_caps_of_2020_and_2021_by_hand() -> None:
    june_2021 = contributions.pu(12_000_000, "sangat-tinggi", D(2021, 6, 1)).components
    assert (june_2021["jp_employer"], june_2021["jp_worker"]) == (175_092, 87_546)
    june_2020 = contributions.pu(9_000_000, "sedang", D(2020, 6, 1)).components
    assert (june_2020["jp_employer"], june_2020["jp_worker"]) == (178_794, 89_397)
    # 2016 and 2018 are sourced now: 1% of 7.335.300 and of 8.094.000
    assert contributions.pu(9_000_000, "sedang", D(2016, 6, 1)).components["jp_worker"] == 73_353
    assert contributions.pu(9_000_000, "sedang", D(2018, 6, 1)).components["jp_worker"] == 80_940


def test_jp_2021_through_the_command_line() -> None:
    p = process(
        "law", "contribution", "--segment", "pu", "--wage", "12000000", "--risk",
        "sangat-tinggi", "--on", "2021-06-01", "--json",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["jp_employer"], out["jp_worker"]) == (175_092, 87_546)
    assert out["total"] == 208_800 + 36_000 + 444_000 + 240_000 + 175_092 + 87_546


def test_total_disability_through_the_command_line() -> None:
    p = process(
        "law", "benefit", "jkk-total-disability", "--wage", "3000000", "--event-date",
        "2024-05-01", "--json",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["lump_sum"], out["periodic"], out["total"]) == (
        168_000_000,
        12_000_000,
        180_000_000,
    )


def test_jkk_death_minimum_through_the_command_line() -> None:
    out = json.loads(
        jaring(
            "law", "benefit", "jkk-death", "--wage", "400000", "--event-date", "2024-05-01",
            "--json",
        ).stdout
    )  # fmt: skip
    assert (out["lump_sum"], out["total"]) == (20_000_000, 42_000_000)
    lines = {line["parameter"]: line for line in out["explanation"]}
    assert lines["benefits.jkk.death_multiplier"]["amount"] is None
    assert lines["benefits.jkm.lump_sum"]["amount"] == 20_000_000


def test_jkk_death_never_below_the_jkm_lump_sum_by_property() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from jaring.law import benefits

    @given(
        st.integers(min_value=0, max_value=50_000_000),
        st.dates(min_value=D(2015, 7, 1), max_value=D(2030, 12, 31)),
    )
    def check(wage: int, day: dt.date) -> None:
        amount = benefits.jkk_death(wage, day)
        floor = 20_000_000 if day >= D(2019, 12, 2) else 16_200_000
        assert amount.components["lump_sum"] == max(48 * wage, floor)

    check()
