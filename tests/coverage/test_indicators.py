"""Indicator arithmetic on small hand-made cases, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jaring.access import Actor
from jaring.coverage import actions, queries
from jaring.errors import JaringError

ON = dt.date(2024, 12, 31)
SYSTEM = Actor.system()


def by(rows: list, key: str = "value") -> dict:
    return {getattr(r, key): r.covered for r in rows}


def test_lapsed_not_counted_and_person_counted_once(sorong) -> None:
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    # persons 1 (two programs), 2, 4 (second period), 5; not 3 (lapsed) nor 6 (elsewhere)
    assert r.covered == 4
    assert by(r.by_segment) == {"bpu": 3, "pu": 1}
    assert by(r.by_sex) == {"L": 2, "P": 2}
    assert by(r.by_desil)[1] == 1 and by(r.by_desil)[2] == 1


def test_children_sum_to_region(sorong) -> None:
    city = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    districts = by(city.by_district, "code")
    assert len(city.by_district) == 10  # every distrik listed, zeros included
    assert districts["96.71.01"] == 2 and districts["96.71.02"] == 1
    assert sum(districts.values()) == city.covered
    for code, n in districts.items():
        assert queries.coverage_report(sorong, SYSTEM, code, ON).covered == n
    province = queries.coverage_report(sorong, SYSTEM, "96", ON)
    assert province.covered == 5
    assert sum(by(province.by_regency, "code").values()) == 5
    for key in ("by_segment", "by_sex", "by_age_group", "by_occupation", "by_desil"):
        assert sum(row.covered for row in getattr(city, key)) == city.covered, key


def test_old_code_maps_to_new(sorong) -> None:
    assert queries.coverage_report(sorong, SYSTEM, "92.71", ON).region.code == "96.71"


def test_age_groups_on_the_date(sorong) -> None:
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    ages = by(r.by_age_group)
    assert ages["<15"] == 1 and ages["35-44"] == 3


def test_on_an_earlier_date(sorong) -> None:
    r = queries.coverage_report(sorong, SYSTEM, "96.71", dt.date(2024, 5, 15))
    # 1, 2, 3, 5 covered; 4 between periods
    assert r.covered == 4 and by(r.by_segment) == {"bpu": 4, "pu": 0}


def test_trend_by_month(sorong) -> None:
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    trend = {p.date: p.covered for p in r.trend}
    assert len(trend) == 12
    assert trend[dt.date(2024, 1, 31)] == 5
    assert trend[dt.date(2024, 4, 30)] == 4
    assert trend[dt.date(2024, 9, 30)] == 5
    assert trend[dt.date(2024, 10, 31)] == 4
    assert trend[ON] == r.covered


def test_denominator_fallback_then_entered(sorong) -> None:
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    assert r.denominator.kind == "population_fallback"
    assert r.denominator.value == 286_028
    actions.set_denominator(sorong, SYSTEM, "96.71", 2024, 160_000, "BPS Sakernas Agustus 2024")
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    assert r.denominator.kind == "working_population"
    assert r.denominator.source == "BPS Sakernas Agustus 2024"
    assert r.ratio == Decimal("0.0000")  # 4 / 160000 = 0.000025, rounded half up
    actions.set_denominator(sorong, SYSTEM, "96.71", 2024, 8, "uji")
    assert queries.coverage_report(sorong, SYSTEM, "96.71", ON).ratio == Decimal("0.5")


def test_district_without_denominator_has_no_ratio(sorong) -> None:
    r = queries.coverage_report(sorong, SYSTEM, "96.71.01", ON)
    assert r.denominator is None and r.ratio is None


def test_target_gap(sorong) -> None:
    actions.set_denominator(sorong, SYSTEM, "96.71", 2024, 100, "uji")
    actions.set_target(sorong, SYSTEM, "96.71", 2024, "uji Kemendagri", ratio_pct="6.5")
    t = queries.coverage_report(sorong, SYSTEM, "96.71", ON).target
    assert t.people == 7 and t.gap_people == 3 and t.met is False
    actions.set_target(sorong, SYSTEM, "96.71", 2024, "uji", people=4)
    t = queries.coverage_report(sorong, SYSTEM, "96.71", ON).target
    assert t.gap_people == 0 and t.met is True


def test_ucj_as_reported(sorong) -> None:
    actions.set_ucj(
        sorong, SYSTEM, "96.71", dt.date(2024, 6, 30), "bpu", 30_000, "BPJS TK", 100_000
    )
    u = queries.coverage_report(sorong, SYSTEM, "96.71", ON).ucj
    assert u[0].participants == 30_000 and u[0].ratio == Decimal("0.3")


def test_trace_lists_the_rows_behind_a_figure(sorong) -> None:
    rows = queries.trace(sorong, SYSTEM, "96.71", ON)
    assert rows.get_column("person_id").n_unique() == 4
    assert 3 not in rows.get_column("person_id").to_list()
    pu = queries.trace(sorong, SYSTEM, "96.71", ON, segment="pu")
    assert pu.get_column("person_id").unique().to_list() == [1]
    assert sorted(pu.get_column("membership_id").to_list()) == [1, 2]  # both programs on D


def test_refusals(sorong) -> None:
    with pytest.raises(JaringError) as e:
        queries.coverage_report(sorong, SYSTEM, "99.99", ON)
    assert e.value.code == "unknown_region"
    with pytest.raises(JaringError) as e:
        actions.set_target(sorong, SYSTEM, "96.71", 2024, "x", ratio_pct="120")
    assert e.value.code == "bad_target"
    with pytest.raises(JaringError) as e:
        actions.set_denominator(sorong, SYSTEM, "96.71", 2024, 10, " ")
    assert e.value.code == "source_required"


def test_covered_by_region_matches_the_report(sorong) -> None:
    by_reg = queries.covered_by_region(sorong, SYSTEM, ON, level=2)
    rows = {r["code"]: r for r in by_reg.iter_rows(named=True)}
    assert rows["96.71"]["covered"] == 4 and rows["96.71"]["pu"] == 1
    assert rows["96.71"]["name"] == "Kota Sorong"
    assert rows["96.01"]["covered"] == 1
    by_district = queries.covered_by_region(sorong, SYSTEM, ON, level=3)
    city = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    expected = {d.code: d.covered for d in city.by_district if d.covered}
    got = {
        r["code"]: r["covered"]
        for r in by_district.iter_rows(named=True)
        if r["code"].startswith("96.71")
    }
    assert got == expected


def test_import_denominators_all_or_nothing(sorong, tmp_path) -> None:
    good = tmp_path / "bps.csv"
    good.write_text(
        "region,year,value,source,segment\n96.71,2024,150000,BPS Sakernas,all\n"
        "92.71,2023,140000,BPS Sakernas,all\n96.71,2024,90000,BPS Sakernas,bpu\n"
    )
    assert actions.import_denominators(sorong, SYSTEM, good).rows == 3
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    assert r.denominator.value == 150_000
    assert by(r.by_segment)["bpu"] == 3
    assert next(s for s in r.by_segment if s.value == "bpu").denominator == 90_000
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,value,source\n96.01,2024,5000,BPS\n99.99,2024,1,BPS\n")
    with pytest.raises(JaringError) as e:
        actions.import_denominators(sorong, SYSTEM, bad)
    assert e.value.code == "bad_row" and e.value.context["row"] == 3
    r = queries.coverage_report(sorong, SYSTEM, "96.01", ON)
    assert r.denominator.kind == "population_fallback"  # nothing of the bad file kept
