"""The second reading of the law (December 2026): each corrected amount computed by hand,
through the rule and through ``jaring law`` as a user runs it."""

from __future__ import annotations

import datetime as dt
import json

from tests.law.test_cli import process

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
