"""The Pemda's numbers: paid claims by month/area/program, benefits vs contributions, forecast."""

import datetime as dt
import json

import polars as pl
import pytest
from tests.clirun import jaring

from jaring.access import Actor
from jaring.claims import actions, forecast, queries
from jaring.claims.queries.report import Contributions, MonthTotal, PaidTotals
from jaring.errors import JaringError

from .helpers import world

D = dt.date
SYSTEM = Actor.system()


@pytest.fixture
def paid_world(engine):
    world(
        engine,
        [
            {
                "nik": "9671010101800001",
                "periods": [(D(2024, 1, 1), D(2024, 12, 31))],
                "district": "96.71.01",
            },
            {
                "nik": "9671020101800002",
                "periods": [(D(2024, 1, 1), D(2024, 12, 31))],
                "district": "96.71.02",
            },
            {
                "nik": "9671024101900003",
                "periods": [(D(2024, 1, 1), D(2024, 6, 30))],
                "sex": "P",
                "birth_date": D(1990, 1, 1),
            },
        ],
    )
    c = actions.file_claim(
        engine,
        SYSTEM,
        claim_type="jkm",
        nik="9671010101800001",
        event_date=D(2024, 4, 1),
        filed_on=D(2024, 4, 2),
        reporter="RT 03",
        heirs=[{"relation": "child", "name": "Anak"}],
    )
    cid = c.claim
    actions.record_documents(engine, SYSTEM, cid, c.missing_documents, received_on=D(2024, 4, 3))
    for to in ("documents_complete", "verified", "approved"):
        actions.advance_claim(engine, SYSTEM, cid, to)
    actions.advance_claim(
        engine, SYSTEM, cid, "paid", paid_on=D(2024, 4, 8), amount=42_000_000, reference="BPJS-1"
    )
    actions.file_claim(
        engine,
        SYSTEM,
        claim_type="jkk_medical",
        nik="9671020101800002",
        event_date=D(2024, 5, 2),
        filed_on=D(2024, 5, 3),
        reporter="Pangkalan ojek",
        inputs={"cost": 2_750_000},
    )
    return engine


def test_summary_puts_benefits_against_contributions(paid_world) -> None:
    s = queries.summary(paid_world, SYSTEM, program="Sorong 2024", year=2024)
    assert s.paid == PaidTotals(count=1, amount=42_000_000, families=1)
    assert s.paid_by_month == [MonthTotal(month="2024-04", count=1, amount=42_000_000)]
    assert s.paid_by_district[0].district == "96.71.01"
    assert s.by_status["filed"].count == 1
    # No billing payments recorded: 12 + 12 + 6 paid months at Rp16,800 through the law.
    assert s.contributions == Contributions(
        amount=30 * 16_800, source="coverage_periods_via_law", person_months=30
    )
    assert s.benefits_per_rupiah == round(42_000_000 / (30 * 16_800), 2)


def test_forecast_from_ages_and_sexes(paid_world) -> None:
    f = queries.forecast(paid_world, SYSTEM, program=1, year=2024)
    table, _ = forecast.load_table()
    q = dict(zip(table["age"], table["qx_l"], strict=True))
    qp = dict(zip(table["age"], table["qx_p"], strict=True))
    # Two men aged 44 covered all year (2 x 366/365.25), a woman of 34 covered half a year.
    expect = 2 * q[44] * 366 / 365.25 + qp[34] * 182 / 365.25
    assert f.members == 3 and f.expected_deaths == round(expect, 2)
    assert f.jkm_per_death == 42_000_000
    assert "TMI IV" in f.table.name


def test_mortality_table_as_input(tmp_path, paid_world) -> None:
    path = tmp_path / "table.csv"
    pl.DataFrame({"age": range(0, 101), "qx_l": [0.01] * 101, "qx_p": [0.01] * 101}).write_csv(path)
    f = queries.forecast(paid_world, SYSTEM, program=1, mortality=path)
    assert f.table.name == "table.csv"
    assert f.expected_deaths == round(0.01 * (2 * 366 + 182) / 365.25, 2)
    bad = tmp_path / "bad.csv"
    pl.DataFrame({"age": [30], "qx_l": [1.5], "qx_p": [0.1]}).write_csv(bad)
    with pytest.raises(JaringError) as e:
        forecast.load_table(bad)
    assert e.value.code == "mortality_values"


def test_shipped_table_is_whole_and_plausible() -> None:
    table, meta = forecast.load_table()
    assert table["age"].to_list() == list(range(112))
    assert meta["reference"] and meta["caveat"]
    # Men die more than women at every working age; both rise with age after 30.
    work = table.filter(pl.col("age").is_between(25, 65))
    assert (work["qx_l"] > work["qx_p"]).all()
    assert work.filter(pl.col("age") >= 30)["qx_l"].is_sorted()


def test_cli_file_and_list_json(tmp_path) -> None:
    from jaring.store import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'c.db'}"
    eng = make_engine(url)
    migrate(eng)
    world(eng, [{"nik": "9671010101800001", "periods": [(D(2024, 1, 1), D(2024, 12, 31))]}])
    eng.dispose()

    def run(*args):
        return jaring("claims", *args, "--db", url)

    p = run(
        "file",
        "--nik",
        "9671010101800001",
        "--type",
        "jkm",
        "--event-date",
        "2024-08-17",
        "--filed-on",
        "2024-08-20",
        "--heir",
        "spouse:Mama Yuliana",
        "--json",
    )
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert {"claim", "eligible", "amount", "explanation"} <= set(out)
    assert out["amount"] == 42_000_000
    p = run("advance", str(out["claim"]), "--to", "paid")
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    p = run("list", "--month", "2024-08", "--json")
    assert [c["claim"] for c in json.loads(p.stdout)] == [out["claim"]]


def test_cli_assess_a_csv_of_claims(tmp_path) -> None:
    from jaring.store import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'c.db'}"
    eng = make_engine(url)
    migrate(eng)
    world(eng, [{"nik": "9671010101800001", "periods": [(D(2024, 1, 1), D(2024, 6, 30))]}])
    eng.dispose()
    src = tmp_path / "claims.csv"
    src.write_text(
        "membership_id,type,event_date,filed_on\n1,jkm,2024-05-01,2024-05-10\n1,jkm,2024-07-02,2024-07-10\n"
    )
    out = tmp_path / "out.csv"
    p = jaring("claims", "assess", str(src), "--out", str(out), "--db", url, "--json")
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)
    assert s["claims"] == 2 and s["eligible"] == 1 and s["amount"] == 42_000_000
    assert s["reasons"] == {"lapsed": 1}
    assert pl.read_csv(out).height == 2


def test_contributions_are_the_recorded_payments_when_there_are_some(paid_world) -> None:
    from sqlalchemy import insert

    from jaring.store.tables.programs import invoice, payment

    with paid_world.begin() as conn:
        inv = conn.execute(
            insert(invoice)
            .values(
                number="INV-1-2024-03", program_id=1, month=D(2024, 3, 1), lines=3, amount=50_400
            )
            .returning(invoice.c.id)
        ).scalar_one()
        conn.execute(
            insert(payment).values(
                invoice_id=inv, paid_on=D(2024, 3, 20), amount=50_400, sp2d="SP2D-0001"
            )
        )
    s = queries.summary(paid_world, SYSTEM, program=1, year=2024)
    assert s.contributions == Contributions(amount=50_400, source="payments")


def test_forecast_of_a_planned_year_counts_every_member_all_year(paid_world) -> None:
    f = queries.forecast(paid_world, SYSTEM, program=1, year=2026)
    assert f.exposure_basis == "whole_year_assumed" and f.members == 3
    assert f.person_years == 3.0
