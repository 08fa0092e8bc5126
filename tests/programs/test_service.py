"""Programs end to end on SQLite and PostgreSQL: plan, enrol, BPJS files, billing, coverage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl
import pytest
from sqlalchemy import Engine, text

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.jsonable import to_jsonable
from jaring.law.contributions import bpu, pu
from jaring.programs import actions, queries
from jaring.programs.actions import refresh_coverage
from programs.helpers import add_people, people_frame

START = dt.date(2024, 3, 1)
SYSTEM = Actor.system()


def _answer(
    registration: Path, out: Path, *, refuse: int = 0, bad_kpj: int = 0, unknown: int = 0
) -> Path:
    reg = pl.read_csv(registration, infer_schema=False)
    ans = reg.select(
        pl.col("NIK").alias("No NIK"),
        pl.format("{}", pl.int_range(pl.len()) + 20_000_000_001).alias("NOMOR KPJ"),
        pl.lit("").alias("Status"),
        pl.lit("").alias("Keterangan"),
    )
    i = pl.int_range(pl.len())
    ans = ans.with_columns(
        pl.when(i < refuse).then(pl.lit("DITOLAK")).otherwise(pl.col("Status")).alias("Status"),
        pl.when(i < refuse)
        .then(pl.lit("NIK tidak padan Dukcapil"))
        .otherwise(pl.col("Keterangan"))
        .alias("Keterangan"),
        pl.when((i >= refuse) & (i < refuse + bad_kpj))
        .then(pl.lit("2000000"))
        .otherwise(pl.col("NOMOR KPJ"))
        .alias("NOMOR KPJ"),
    )
    extra = pl.DataFrame(
        {
            "No NIK": [f"91710101019{k:05d}" for k in range(unknown)],
            "NOMOR KPJ": [f"{30_000_000_000 + k}" for k in range(unknown)],
            "Status": [""] * unknown,
            "Keterangan": [""] * unknown,
        }
    )
    pl.concat([ans, extra]).write_csv(out)
    return out


def setup_program(
    engine: Engine, tmp_path: Path, *, people: int = 120, budget: int = 10_080_000
) -> dict[str, Any]:
    """People, a program from March 2024, a plan, enrolment, export and a clean KPJ answer."""
    add_people(engine, people_frame(people, seed=4))
    actions.create_program(
        engine, SYSTEM, name="Uji", fiscal_year=2024, budget=budget, period_start=START
    )
    plan = actions.plan_program(engine, SYSTEM, "Uji", priority="desil", quotas=["distrik=0.2"])
    enrolled = actions.enrol(engine, SYSTEM, "Uji", on=dt.date(2024, 2, 20))
    export = actions.bpjs_export(
        engine, SYSTEM, "Uji", tmp_path / "reg.csv", on=dt.date(2024, 2, 21)
    )
    imported = actions.bpjs_import_kpj(
        engine, SYSTEM, _answer(tmp_path / "reg.csv", tmp_path / "ans.csv"), on=dt.date(2024, 2, 27)
    )
    return {"plan": plan, "enrolled": enrolled, "export": export, "imported": imported}


def test_plan_json_keys_and_budget(engine: Engine, tmp_path: Path) -> None:
    add_people(engine, people_frame(200, seed=2))
    actions.create_program(
        engine, SYSTEM, name="P", fiscal_year=2024, budget=50_000_000, period_start=START
    )
    out = actions.plan_program(
        engine, SYSTEM, "P", budget=20_000_000, priority="desil", quotas=["distrik=0.2"]
    )
    for key in ("people", "months", "cost", "unspent", "optimal_gap", "mip_gap", "greedy_gap"):
        assert key in to_jsonable(out)
    month_cost = bpu(1_000_000, START).total
    assert out.months == 10 and out.cost == out.people * 10 * month_cost
    assert out.cost <= 20_000_000 and out.unspent == 20_000_000 - out.cost
    assert out.optimal_gap < 0.001
    with engine.connect() as c:
        assert c.execute(text("SELECT budget FROM program")).scalar_one() == 20_000_000
        assert c.execute(text("SELECT COUNT(*) FROM plan_line")).scalar_one() == out.people


def test_plan_refusals_change_nothing(engine: Engine) -> None:
    actions.create_program(
        engine, SYSTEM, name="Kosong", fiscal_year=2024, budget=5_000_000, rules={"desil_max": 2}
    )
    with pytest.raises(JaringError) as e:
        actions.plan_program(engine, SYSTEM, "Kosong")
    assert e.value.code == "nobody_eligible"
    add_people(engine, people_frame(10))
    with pytest.raises(JaringError) as e:
        actions.plan_program(engine, SYSTEM, "Kosong", budget=1_000)
    assert e.value.code == "budget_too_small"
    with engine.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM plan")).scalar_one() == 0
        assert c.execute(text("SELECT budget FROM program")).scalar_one() == 5_000_000


def test_enrol_export_and_kpj_import_with_refused_rows(engine: Engine, tmp_path: Path) -> None:
    add_people(engine, people_frame(80, seed=9))
    actions.create_program(
        engine, SYSTEM, name="K", fiscal_year=2024, budget=100_000_000, period_start=START
    )
    actions.plan_program(engine, SYSTEM, "K")
    assert actions.enrol(engine, SYSTEM, "K").enrolled == 80
    res = actions.bpjs_export(engine, SYSTEM, "K", tmp_path / "reg.xlsx")
    assert res.rows == 80 and res.format == "xlsx"
    sheet = fastexcel.read_excel(str(tmp_path / "reg.xlsx")).load_sheet(0, dtypes="string")
    xlsx = pl.from_arrow(sheet.to_arrow())
    assert isinstance(xlsx, pl.DataFrame)
    assert xlsx.columns[:4] == ["NO", "NIK", "NAMA LENGKAP", "TANGGAL LAHIR"]
    assert xlsx["NIK"].str.contains(r"^\d{16}$").all()  # text cells: no 9.27101E+15
    assert set(xlsx["PROGRAM"]) == {"JKK,JKM"}
    with pytest.raises(JaringError) as e:  # everyone was sent
        actions.bpjs_export(engine, SYSTEM, "K", tmp_path / "again.csv")
    assert e.value.code == "nothing_to_export"
    actions.bpjs_export(engine, SYSTEM, "K", tmp_path / "reg.csv", include_submitted=True)
    answer = _answer(tmp_path / "reg.csv", tmp_path / "ans.csv", refuse=2, bad_kpj=3, unknown=4)
    out = actions.bpjs_import_kpj(engine, SYSTEM, answer, program_ref="K")
    assert (out.rows, out.imported, out.refused) == (84, 75, 9)
    reasons = pl.DataFrame(out.refusals)["reason"].value_counts().sort("reason")
    assert dict(reasons.iter_rows()) == {"bad_kpj": 3, "refused": 2, "unknown_nik": 4}
    with engine.connect() as c:
        states = dict(
            c.execute(text("SELECT state, COUNT(*) FROM membership GROUP BY state")).all()
        )
        assert states == {"active": 75, "submitted": 5}
        assert c.execute(text("SELECT COUNT(*) FROM bpjs_refusal")).scalar_one() == 9
        kpj = c.execute(text("SELECT kpj FROM membership WHERE state = 'active'")).scalars().all()
        assert all(len(k) == 11 and k.isdigit() for k in kpj)
        history = (
            c.execute(
                text("SELECT state FROM membership_event WHERE membership_id = 80 ORDER BY id")
            )
            .scalars()
            .all()
        )
        assert history == ["planned", "submitted", "submitted", "active"]
    assert len(queries.bpjs_refusals(engine, SYSTEM, "K")) == 9
    # the branch accepts the two refused people after correction: their refusals are resolved
    actions.bpjs_export(engine, SYSTEM, "K", tmp_path / "again.csv", include_submitted=True)
    fixed = (
        pl.read_csv(answer, infer_schema=False)
        .head(2)
        .with_columns(pl.lit("").alias("Status"), pl.lit("").alias("Keterangan"))
    )
    fixed.write_csv(tmp_path / "fixed.csv")
    assert actions.bpjs_import_kpj(engine, SYSTEM, tmp_path / "fixed.csv").imported == 2
    assert len(queries.bpjs_refusals(engine, SYSTEM, "K")) == 7


def test_invoices_equal_the_law_and_payment_makes_coverage(engine: Engine, tmp_path: Path) -> None:
    flow = setup_program(engine, tmp_path)
    people = flow["plan"].people
    inv = actions.create_invoice(engine, SYSTEM, "Uji", START)
    assert inv.lines == people
    assert inv.amount == people * bpu(1_000_000, START).total
    paid = actions.pay(
        engine, SYSTEM, inv.invoice, amount=inv.amount, sp2d="SP2D-001", on=dt.date(2024, 3, 25)
    )
    assert paid.outstanding == 0 and paid.lines_paid == people
    status = queries.coverage_count(engine, SYSTEM, dt.date(2024, 3, 15))
    assert status.covered == people
    assert (
        queries.coverage_count(engine, SYSTEM, dt.date(2024, 4, 2)).covered == 0
    )  # April not paid
    with engine.connect() as c:
        pid, nik = c.execute(
            text(
                "SELECT p.id, p.nik FROM membership m JOIN person p ON p.id = m.person_id ORDER BY m.id LIMIT 1"
            )
        ).one()
    one = queries.coverage_of(engine, SYSTEM, dt.date(2024, 3, 31), nik=nik)
    assert one.covered and one.people[0].person_id == pid
    inv2 = actions.create_invoice(engine, SYSTEM, "Uji", dt.date(2024, 4, 1))
    actions.pay(
        engine, SYSTEM, inv2.id, amount=inv2.amount, sp2d="SP2D-002", on=dt.date(2024, 4, 25)
    )
    with engine.connect() as c:
        rows = c.execute(
            text("SELECT start_date, end_date FROM coverage_period WHERE person_id = :p"),
            {"p": pid},
        ).all()
    assert [(str(a)[:10], str(b)[:10]) for a, b in rows] == [("2024-03-01", "2024-04-30")]


def test_payment_refusals_change_nothing(engine: Engine, tmp_path: Path) -> None:
    setup_program(engine, tmp_path)
    inv = actions.create_invoice(engine, SYSTEM, "Uji", START)
    with pytest.raises(JaringError) as e:
        actions.create_invoice(engine, SYSTEM, "Uji", START)
    assert e.value.code == "invoice_exists"
    with pytest.raises(JaringError) as e:
        actions.pay(engine, SYSTEM, inv.invoice, amount=inv.amount + 1, sp2d="A", on=START)
    assert e.value.code == "payment_exceeds_invoice"
    actions.pay(engine, SYSTEM, inv.invoice, amount=1000, sp2d="A", on=START)
    with pytest.raises(JaringError) as e:
        actions.pay(engine, SYSTEM, inv.invoice, amount=1000, sp2d="A", on=START)
    assert e.value.code == "sp2d_used"
    with pytest.raises(JaringError) as e:
        actions.create_invoice(engine, SYSTEM, "Uji", dt.date(2025, 1, 1))
    assert e.value.code == "month_outside_period"
    with engine.connect() as c:
        assert c.execute(text("SELECT COUNT(*), SUM(amount) FROM payment")).one() == (1, 1000)
        assert c.execute(text("SELECT SUM(paid) FROM invoice_line")).scalar_one() == 1000
        assert c.execute(text("SELECT COUNT(*) FROM coverage_period")).scalar_one() == 0


def test_partial_payments_lapse_after_three_unpaid_months(engine: Engine, tmp_path: Path) -> None:
    flow = setup_program(engine, tmp_path)
    people = flow["plan"].people
    line = bpu(1_000_000, START).total
    short = 2  # the last two members (highest membership ids) stay unpaid each month
    for k, month in enumerate((3, 4, 5)):
        inv = actions.create_invoice(engine, SYSTEM, "Uji", dt.date(2024, month, 1))
        assert inv.lines == people and inv.suspended == 0
        actions.pay(
            engine,
            SYSTEM,
            inv.invoice,
            amount=inv.amount - short * line - 100,
            sp2d=f"S{k}",
            on=dt.date(2024, month, 28),
        )
    june = actions.create_invoice(engine, SYSTEM, "Uji", dt.date(2024, 6, 1))
    # three members have an unpaid line each month: two unpaid, one part-paid (Rp100 short)
    assert june.suspended == short + 1 and june.lines == people - short - 1
    with engine.connect() as c:
        last = c.execute(text("SELECT id, state FROM membership ORDER BY id DESC LIMIT 3")).all()
        assert {s for _, s in last} == {"suspended"}
        events = c.execute(
            text(
                "SELECT reason, on_date FROM membership_event WHERE membership_id = :m AND state = 'suspended'"
            ),
            {"m": last[0][0]},
        ).one()
        assert events[0] == "arrears_3_months" and str(events[1])[:10] == "2024-06-01"
    assert (
        queries.coverage_of(
            engine, SYSTEM, dt.date(2024, 4, 10), person_id=_person_of(engine, last[0][0])
        ).covered
        is False
    )
    # paying the arrears (the rest of each invoice) brings them back
    for k, month in enumerate((3, 4, 5)):
        inv = next(
            i for i in queries.list_invoices(engine, SYSTEM, "Uji") if i.month.month == month
        )
        res = actions.pay(
            engine, SYSTEM, inv.id, amount=inv.outstanding, sp2d=f"R{k}", on=dt.date(2024, 6, 20)
        )
    assert res.reactivated == short + 1
    assert queries.coverage_of(
        engine, SYSTEM, dt.date(2024, 4, 10), person_id=_person_of(engine, last[0][0])
    ).covered


def _person_of(engine: Engine, membership_id: int) -> int:
    with engine.connect() as c:
        return int(
            c.execute(
                text("SELECT person_id FROM membership WHERE id = :m"), {"m": membership_id}
            ).scalar_one()
        )


def test_reconciliation_to_the_rupiah(engine: Engine, tmp_path: Path) -> None:
    flow = setup_program(engine, tmp_path, budget=10_000_000)
    rec0 = queries.reconcile(engine, SYSTEM, "Uji")
    assert rec0.spent == 0 and rec0.committed == flow["plan"].cost
    assert rec0.unspent == 10_000_000 - flow["plan"].cost
    for k, month in enumerate((3, 4, 5)):
        inv = actions.create_invoice(engine, SYSTEM, "Uji", dt.date(2024, month, 1))
        actions.pay(
            engine,
            SYSTEM,
            inv.invoice,
            amount=inv.amount - 7 * k,
            sp2d=f"P{k}",
            on=dt.date(2024, month, 20),
        )
    rec = queries.reconcile(engine, SYSTEM, "Uji")
    assert rec.balanced and rec.checks == {
        "invoices_equal_lines": True,
        "payments_equal_allocations": True,
    }
    assert rec.budget == rec.spent + rec.committed + rec.unspent
    assert rec.arrears == 0 + 7 + 14
    with engine.connect() as c:
        assert rec.spent == c.execute(text("SELECT SUM(amount) FROM payment")).scalar_one()
    assert rec.spent + rec.arrears + rec.to_invoice == flow["plan"].cost


def test_replan_keeps_covered_people_unless_told(engine: Engine, tmp_path: Path) -> None:
    flow = setup_program(engine, tmp_path, people=150, budget=8_400_000)
    for k, month in enumerate((3, 4)):
        inv = actions.create_invoice(engine, SYSTEM, "Uji", dt.date(2024, month, 1))
        actions.pay(
            engine,
            SYSTEM,
            inv.invoice,
            amount=inv.amount,
            sp2d=f"Q{k}",
            on=dt.date(2024, month, 20),
        )
    with engine.connect() as c:
        before = set(c.execute(text("SELECT person_id FROM membership")).scalars().all())
    bigger = actions.plan_program(
        engine, SYSTEM, "Uji", budget=16_000_000, from_month=dt.date(2024, 5, 1)
    )
    assert bigger.kept == len(before) and bigger.people > len(before)
    assert bigger.billed_before == 2 * flow["plan"].people * bpu(1_000_000, START).total
    out = actions.enrol(engine, SYSTEM, "Uji")
    assert out.extended == len(before) and out.enrolled == bigger.people - len(before)
    with pytest.raises(JaringError) as e:
        actions.plan_program(
            engine, SYSTEM, "Uji", budget=5_000_000, from_month=dt.date(2024, 6, 1), save=False
        )
    assert e.value.code == "budget_below_covered"
    small = actions.plan_program(
        engine, SYSTEM, "Uji", budget=5_000_000, from_month=dt.date(2024, 6, 1), drop_covered=True
    )
    res = actions.enrol(engine, SYSTEM, "Uji")
    assert res.ended > 0 and small.cost <= 5_000_000 - small.billed_before


def test_incremental_coverage_equals_full_recompute(engine: Engine, tmp_path: Path) -> None:
    """Months paid out of order (May, part of March, April, the rest of March) give the same periods as a
    recompute from the paid lines."""
    flow = setup_program(engine, tmp_path, people=40, budget=10_000_000)
    invs = {
        m: actions.create_invoice(engine, SYSTEM, "Uji", dt.date(2024, m, 1)) for m in (3, 4, 5)
    }
    line = bpu(1_000_000, START).total
    order = [(5, None), (3, 10), (4, None), (3, None)]
    for k, (m, lines) in enumerate(order):
        inv = next(i for i in queries.list_invoices(engine, SYSTEM, "Uji") if i.month.month == m)
        amount = inv.outstanding if lines is None else lines * line
        actions.pay(engine, SYSTEM, invs[m].id, amount=amount, sp2d=f"O{k}", on=dt.date(2024, 7, 1))

    def periods() -> list[tuple[int, str, str]]:
        with engine.connect() as c:
            rows = c.execute(
                text(
                    "SELECT membership_id, start_date, end_date FROM coverage_period ORDER BY 1, 2"
                )
            ).all()
        return [(int(a), str(b)[:10], str(c)[:10]) for a, b, c in rows]

    incremental = periods()
    assert {(s, e) for _, s, e in incremental} == {("2024-03-01", "2024-05-31")}
    assert len(incremental) == flow["plan"].people
    with engine.begin() as conn:
        refresh_coverage(conn, pl.Series([m for m, _, _ in incremental]))
    assert periods() == incremental


def test_pu_honorer_program_is_billed_at_the_laws_pu_amount(engine: Engine, tmp_path: Path) -> None:
    add_people(engine, people_frame(30, seed=5))
    # A Pemda's non-ASN staff: JKK, JKM and JHT (Permenaker 1/2025); JP only when chosen.
    actions.create_program(engine, SYSTEM, name="Honorer", fiscal_year=2024, budget=500_000_000, segment="pu",
        income_base=3_000_000, risk="sangat-rendah", with_jht=True, period_start=START,
    )  # fmt: skip
    actions.plan_program(engine, SYSTEM, "Honorer")
    actions.enrol(engine, SYSTEM, "Honorer")
    actions.bpjs_export(engine, SYSTEM, "Honorer", tmp_path / "reg.csv")
    actions.bpjs_import_kpj(engine, SYSTEM, _answer(tmp_path / "reg.csv", tmp_path / "ans.csv"))
    inv = actions.create_invoice(engine, SYSTEM, "Honorer", START)
    assert inv.lines == 30
    assert inv.amount == 30 * pu(3_000_000, "sangat-rendah", START, jp=False).total
    # by hand: 7.200 + 9.000 + 111.000 + 60.000 = 187.200 a person, no JP
    assert inv.amount == 30 * 187_200
