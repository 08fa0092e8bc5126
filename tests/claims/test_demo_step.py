"""The demo step on a small program: the special cases are there and the numbers add up."""

import datetime as dt

from jaring.demo import DemoContext
from jaring.demo import claims as step

from .helpers import world

D = dt.date


def test_demo_step_files_the_cases_it_promises(engine, tmp_path) -> None:
    members = [
        {"nik": f"96710101018{i:05d}", "periods": [(D(2024, 3, 1), D(2024, 12, 31))]}
        for i in range(30)
    ]
    members.append({"nik": "9671010101899999", "periods": [(D(2024, 3, 1), D(2024, 8, 31))]})
    world(engine, members)
    ctx = DemoContext(engine=engine, out_dir=tmp_path)
    s = step.run(ctx)
    assert s["early_death"]["amount"] == 10_000_000 and s["early_death"]["status"] == "paid"
    assert (
        s["lapsed_death"]["reasons"] == ["lapsed"] and s["lapsed_death"]["law_total"] == 42_000_000
    )
    assert s["by_status"]["rejected"]["count"] == 1
    assert s["paid"]["count"] >= 6  # early death, override, accidents
    assert s["contributions"]["source"] == "coverage_periods_via_law"
    lines = step.render(s, "id")
    assert any("3 bulan pertama" in line for line in lines)
    assert any("Families" in line or "families" in line for line in step.render(s, "en"))
