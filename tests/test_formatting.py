"""How months are said on pages: runs of consecutive months as one (``Juni–Desember 2024``)."""

import datetime as dt
import itertools
import re

from hypothesis import given
from hypothesis import strategies as st

from jaring.formatting import month_long, month_runs

MONTHS = st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), max_size=30)


def _index(d: dt.date) -> int:
    return d.year * 12 + d.month


@given(MONTHS)
def test_runs_cover_every_month_once_and_in_order(days: list[dt.date]) -> None:
    said = month_runs(days, "id")
    months = sorted({d.replace(day=1) for d in days})
    if not months:
        assert said == "-"
        return
    parts = said.split(", ")
    gaps = sum(1 for a, b in itertools.pairwise(months) if _index(b) - _index(a) > 1)
    assert len(parts) == gaps + 1  # one part per run of consecutive months
    assert parts[0].startswith(month_long(months[0], "id").split(" ")[0])
    assert said.endswith(month_long(months[-1], "id"))
    for part in parts:  # a run names its year at its end, and at its start only across years
        assert re.fullmatch(r"[A-Za-z]+( \d{4})?(–[A-Za-z]+ \d{4})?", part)


def test_the_forms_people_read() -> None:
    d = dt.date
    assert month_runs([d(2024, 8, 1), d(2024, 6, 1), d(2024, 7, 15)], "id") == "Juni–Agustus 2024"
    assert month_runs([d(2023, 12, 1), d(2024, 1, 1)], "id") == "Desember 2023–Januari 2024"
    assert month_runs([d(2024, 3, 1), d(2024, 5, 1), d(2024, 5, 1)], "id") == "Maret 2024, Mei 2024"
    assert month_runs(["2024-07-01"], "en") == "July 2024"
    assert month_runs([], "id") == "-"
