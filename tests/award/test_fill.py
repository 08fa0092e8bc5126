"""Measurable criteria fill themselves from a region's Jaring data, with the evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from coverage_cases import add_cover, add_people, add_program

from jaring.access import Actor
from jaring.award import actions, queries
from jaring.award.actions import Skipped
from jaring.coverage import actions as coverage

SYSTEM = Actor.system()

D = dt.date


@pytest.fixture
def city(engine):  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        add_people(
            conn,
            [{"id": i, "district": "96.71.0" + str(1 + i % 3)} for i in range(1, 6)],
        )
        add_program(conn, 1, "bpu")  # Rp2.2 bn APBD of Kota Sorong, 2024
        add_program(conn, 2, "pu")
        add_cover(
            conn,
            [
                (1, 1, 1, "bpu", D(2023, 6, 1), D(2024, 12, 31)),  # covered both year-ends
                (2, 2, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (3, 3, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (4, 4, 2, "pu", D(2024, 1, 1), D(2024, 12, 31)),
                (5, 5, 1, "bpu", D(2024, 1, 1), D(2024, 6, 30)),  # lapsed
            ],
        )
    coverage.set_denominator(engine, SYSTEM, "96.71", 2024, 20, "BPS (uji)")
    actions.create_edition(engine, SYSTEM, 2025, ["kabupaten-kota"], assessed_year=2024)
    actions.add_candidate(engine, SYSTEM, 2025, "kabupaten-kota", "96.71")
    actions.add_candidate(engine, SYSTEM, 2025, "kabupaten-kota", "96.02")
    return engine


def test_fill_from_data(city) -> None:
    out = actions.fill_evidence(city, SYSTEM, 2025)
    filled = {f.criterion: f for f in out.filled if f.candidate == "96.71"}
    # 31 Dec 2024: BPU 3 (persons 1-3), PU 1 (person 4), of 20 working people
    assert filled["cakupan_bpu"].value == "0.1500" and filled["cakupan_bpu"].points == 2
    assert filled["cakupan_pu"].value == "0.0500" and filled["cakupan_pu"].points == 0
    # ratio rose from 1/20 to 4/20
    assert Decimal(filled["pertumbuhan"].value) == Decimal("0.15")
    # two programs x Rp2.2 bn over 20 people
    assert filled["anggaran"].value == "220000000" and filled["anggaran"].points == 5
    assert Skipped("96.02", "no_jaring_data") in out.skipped
    d = queries.dossier(city, SYSTEM, 2025, "96.71")
    bpu = next(c for c in d.criteria if c.code == "cakupan_bpu")
    assert bpu.origin == "jaring"
    assert bpu.detail["covered"] == 3 and bpu.detail["denominator"] == 20
    assert "--trace" in bpu.detail["trace"]


def test_entered_evidence_wins_and_ucj_is_preferred(city) -> None:
    actions.add_evidence(city, SYSTEM, 2025, "96.71", "cakupan_pu", "0.66")
    coverage.set_ucj(city, SYSTEM, "96.71", D(2024, 12, 31), "bpu", 9, "BPJS TK Sorong", 10)
    out = actions.fill_evidence(city, SYSTEM, 2025, "96.71")
    filled = {f.criterion: f for f in out.filled}
    assert "cakupan_pu" not in filled
    assert filled["cakupan_bpu"].value == "0.9000" and filled["cakupan_bpu"].basis == "ucj_bpjs"
    assert queries.results(city, SYSTEM, 2025, "96.71").criteria[1].points == 4
