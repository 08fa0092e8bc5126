"""The dashboard's table groups people at the level its reader governs: provinces for a
national store, regencies and cities for a province, distrik for a regency or city; totals
kept; region names, never codes, on the page."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from jaring.coverage.queries import DistrictFigures, rolled_up
from jaring.store.bulk import insert_frame

CODES = ["96.71.01", "96.71.02", "96.01.03", "91.05.01", "11.01.01"]


def fig(code: str | None, people: int, covered: int) -> DistrictFigures:
    return DistrictFigures(code, None, people, covered, covered / people if people else 0.0)


@given(
    st.lists(
        st.tuples(st.sampled_from([*CODES, None]), st.integers(0, 10_000), st.integers(0, 10_000)),
        max_size=12,
        unique_by=lambda t: t[0],
    )
)
def test_totals_are_kept_at_every_level(rows: list[tuple[str | None, int, int]]) -> None:
    districts = [fig(c, p, min(p, k)) for c, p, k in rows]
    level, out = rolled_up(districts)
    assert sum(d.people for d in out) == sum(d.people for d in districts)
    assert sum(d.covered for d in out) == sum(d.covered for d in districts)
    codes = {d.code for d in districts if d.code}
    provinces = {c[:2] for c in codes}
    regencies = {c[:5] for c in codes}
    expected = "province" if len(provinces) > 1 else "regency" if len(regencies) > 1 else "district"
    assert level == expected
    width = {"province": 2, "regency": 5, "district": 8}[level]
    assert all(d.code is None or len(d.code) == width for d in out)
    assert [d.people for d in out] == sorted((d.people for d in out), reverse=True)


def test_names_at_each_level() -> None:
    level, out = rolled_up([fig("96.71.01", 10, 5), fig("11.01.01", 30, 3), fig(None, 2, 0)])
    assert level == "province"
    assert [(d.code, d.name, d.people, d.covered) for d in out] == [
        ("11", "Aceh", 30, 3),
        ("96", "Papua Barat Daya", 10, 5),
        (None, None, 2, 0),
    ]
    level, out = rolled_up([fig("96.71.01", 10, 5), fig("96.01.03", 4, 4)])
    assert level == "regency" and [d.name for d in out] == ["Kota Sorong", "Kabupaten Sorong"]
    same = [fig("96.71.01", 10, 5), fig("96.71.02", 4, 4)]
    assert rolled_up(same) == ("district", same)


def test_the_page_of_a_national_store(web_engine, browser_as) -> None:  # type: ignore[no-untyped-def]
    import polars as pl

    with web_engine.begin() as conn:
        insert_frame(
            conn,
            "person",
            pl.DataFrame(
                {
                    "id": [901, 902, 903],
                    "name": ["Teuku Umar", "Cut Nyak", "Tanpa Alamat"],
                    "province_code": ["11", "11", None],
                    "regency_code": ["11.01", "11.01", None],
                    "district_code": ["11.01.01", "11.01.01", None],
                    "registered_on": [dt.date(2025, 1, 1)] * 3,
                }
            ),
        )
    page = browser_as("admin").get("/").text
    assert 'id="coverage-province"' in page and "Cakupan per provinsi" in page
    assert "<td>Aceh</td>" in page and "<td>Papua Barat Daya</td>" in page
    assert "<th>Provinsi</th>" in page
    # people without a region: said so in the table and on the chart, never "-"
    chart = page.split('<svg class="chart"')[1].split("</svg>")[0]
    assert ">Tanpa wilayah tercatat<" in chart and ">-<" not in chart
    # an operator of one distrik: that distrik, by name, never its code
    op = browser_as("operator").get("/").text
    assert 'id="coverage-district"' in op and "Cakupan per distrik" in op
    assert "96.71.02" not in op
