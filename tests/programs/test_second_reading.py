"""The PU package choice and the PP 50/2025 payer types, from program creation to the invoice,
on SQLite and PostgreSQL. Amounts by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.programs import actions
from jaring.programs.pricing import Package, monthly_costs
from programs.helpers import add_people, people_frame
from programs.test_service import _answer

SYSTEM = Actor.system()
START = dt.date(2024, 3, 1)


def _invoice(engine: Engine, tmp_path: Path, name: str, month: dt.date = START) -> int:
    actions.plan_program(engine, SYSTEM, name)
    actions.enrol(engine, SYSTEM, name)
    actions.bpjs_export(engine, SYSTEM, name, tmp_path / f"{name}.csv")
    actions.bpjs_import_kpj(
        engine, SYSTEM, _answer(tmp_path / f"{name}.csv", tmp_path / f"{name}-ans.csv")
    )
    return actions.create_invoice(engine, SYSTEM, name, month).amount


@pytest.mark.parametrize(
    ("jht", "jp", "each"),
    [
        # 3.000.000, lowest risk: JKK 7.200 + JKM 9.000 = 16.200
        (False, False, 16_200),
        # + JHT 111.000 + 60.000 = 187.200 (a Pemda's non-ASN staff, Permenaker 1/2025)
        (True, False, 187_200),
        # + JP 60.000 + 30.000 = 277.200
        (True, True, 277_200),
    ],
)
def test_pu_program_bills_only_the_package_it_chose(
    engine: Engine, tmp_path: Path, jht: bool, jp: bool, each: int
) -> None:
    add_people(engine, people_frame(10, seed=7))
    prog = actions.create_program(engine, SYSTEM, name="Honorer", fiscal_year=2024, budget=100_000_000,
        segment="pu", income_base=3_000_000, risk="sangat-rendah", with_jht=jht, with_jp=jp,
        period_start=START,
    )  # fmt: skip
    assert prog.with_jp is jp
    assert _invoice(engine, tmp_path, "Honorer") == 10 * each


def test_jp_is_for_wage_earners_only(engine: Engine) -> None:
    with pytest.raises(JaringError) as e:
        actions.create_program(engine, SYSTEM, name="X", fiscal_year=2024, budget=1, with_jp=True)
    assert e.value.code == "jp_not_for_bpu"


@pytest.mark.parametrize(
    ("payer", "each"),
    [
        # May 2026, lowest band: 10.000 + 6.800 = 16.800; a pekerja mandiri pays half: 8.400
        ("self", 8_400),
        ("apbd", 16_800),
        ("apbn", 16_800),
        ("apbdes", 16_800),
        ("donor", 16_800),
    ],
)
def test_pp50_2025_discount_only_for_a_pekerja_mandiri(
    engine: Engine, payer: str, each: int
) -> None:
    prog = actions.create_program(
        engine, SYSTEM, name=f"BPU {payer}", fiscal_year=2026, budget=1_000_000, funder_type=payer
    )
    assert prog.paid_by == payer
    costs = monthly_costs(prog.package, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert costs["total"].to_list() == [each]


def test_unknown_payer_is_refused(engine: Engine) -> None:
    with pytest.raises(JaringError) as e:
        actions.create_program(
            engine, SYSTEM, name="X", fiscal_year=2024, budget=1, funder_type="csr"
        )
    assert e.value.code == "bad_funder"


def test_pu_without_jp_prices_2026_although_its_cap_is_unknown() -> None:
    # 4.000.000 x (0,24% + 0,30% + 5,7%) = 9.600 + 12.000 + 228.000
    pkg = Package(segment="pu", income_base=4_000_000, risk="sangat-rendah", with_jht=True)
    costs = monthly_costs(pkg, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert costs["total"].to_list() == [249_600]
