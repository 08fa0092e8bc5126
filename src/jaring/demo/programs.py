"""Demo step: programs. The Sorong registry -> a 2024 program with Rp2.2 billion of APBD ->
scenarios -> plan -> enrol -> the BPJS registration file -> a synthetic KPJ answer (a few
rows refused) -> invoices and SP2D payments for March to December 2024 (June paid late, three
invoices paid short so a few memberships lapse) -> what a mayor reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import Engine, distinct, func, select

from jaring import i18n
from jaring.access import Actor
from jaring.demo import synth
from jaring.formatting import number, percent, rupiah
from jaring.i18n import _
from jaring.jsonable import to_jsonable
from jaring.programs import actions, queries
from jaring.programs.months import add_months
from jaring.store.bulk import insert_frame
from jaring.store.tables.programs import invoice_line, membership, membership_event
from jaring.store.tables.registry import person

NAME = "Perlindungan Pekerja Rentan Kota Sorong 2024"
BUDGET = 2_200_000_000
START, END = dt.date(2024, 3, 1), dt.date(2024, 12, 31)
SHORT_LINES = 6  # members left unpaid in the August-October SP2D (they lapse in November)


def _ensure_people(ctx: Any) -> int:
    """The registry step fills ``person``; without it (a partial checkout) use its generator."""
    with ctx.engine.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(person)).scalar_one())
    if n:
        return n
    pop = synth.people(19_336, seed=ctx.seed)
    frame = pop.select(
        id=pl.col("person_key").cast(pl.Int64),
        nik="nik",
        name="name",
        birth_date="birth_date",
        sex="sex",
        province_code=pl.col("district_code").str.slice(0, 2),
        regency_code=pl.col("district_code").str.slice(0, 5),
        district_code="district_code",
        village_code="village_code",
        address=pl.format("Kel. {}", pl.col("village")),
        phone="phone",
        occupation="occupation",
        desil="desil",
        registered_on=pl.lit(dt.date(2023, 1, 2))
        + pl.duration(days=(pl.col("person_key") * 37) % 365),
    )
    with ctx.engine.begin() as conn:
        insert_frame(conn, "person", frame)
    return frame.height


def _bpjs_answer(export_file: Any, out: Any, seed: int) -> dict[str, int]:
    """What the BPJS branch sends back: a KPJ for each row, a few refused, two mistyped."""
    reg = pl.read_csv(export_file, infer_schema=False)
    n = reg.height
    i = pl.int_range(pl.len())
    refused = (i * 7919 + seed) % 500 == 0  # about 0.2%
    mistyped = (i == n // 3) | (i == (2 * n) // 3)
    answer = reg.select(
        pl.col("NIK"),
        KPJ=pl.when(mistyped)
        .then(pl.format("{}", 1_000_000 + i))
        .otherwise(pl.format("{}", 24_960_000_000 + i * 13 + seed % 7)),
        STATUS=pl.when(refused).then(pl.lit("DITOLAK")).otherwise(pl.lit("DITERIMA")),
        KETERANGAN=pl.when(refused)
        .then(pl.lit("NIK tidak padan data Dukcapil"))
        .otherwise(pl.lit("")),
    )
    answer.write_csv(out)
    return {"refused": int(answer["STATUS"].eq("DITOLAK").sum()), "mistyped": 2}


def run(ctx: Any) -> dict[str, Any]:
    eng = ctx.engine
    system = Actor.system()
    out_dir = ctx.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    registry_people = _ensure_people(ctx)
    prog = actions.create_program(
        eng,
        system,
        name=NAME,
        fiscal_year=2024,
        budget=BUDGET,
        funder_region="96.71",
        period_start=START,
        period_end=END,
    )
    scen = queries.compare_scenarios(eng, system, NAME, priority="desil,risk")
    plan = actions.plan_program(eng, system, NAME, priority="desil,risk", quotas=["distrik=0.2"])
    enrolled = actions.enrol(eng, system, NAME, on=dt.date(2024, 2, 20))
    # .xlsx works too; CSV keeps the demo fast
    reg_file = out_dir / "bpjs_pendaftaran_sorong_2024.csv"
    actions.bpjs_export(eng, system, NAME, reg_file, on=dt.date(2024, 2, 21))
    answer_file = out_dir / "bpjs_jawaban_kpj_sorong_2024.csv"
    _bpjs_answer(reg_file, answer_file, ctx.seed)
    kpj = actions.bpjs_import_kpj(
        eng, system, answer_file, program_ref=NAME, on=dt.date(2024, 2, 27)
    )

    invoices: list[actions.IssuedInvoice] = []
    late: list[tuple[actions.IssuedInvoice, dt.date]] = []
    sp2d = 0
    month = START
    while month <= END:
        inv = actions.create_invoice(eng, system, NAME, month)
        invoices.append(inv)
        # June's SP2D is late: it is paid on 10 July, after July's invoice
        for pending, day in list(late):
            if day <= month + dt.timedelta(days=9):
                sp2d += 1
                actions.pay(
                    eng,
                    system,
                    pending.id,
                    amount=pending.amount,
                    sp2d=f"SP2D/{sp2d:04d}/BPKAD/2024",
                    on=day,
                )
                late.remove((pending, day))
        line = inv.amount // inv.lines if inv.lines else 0
        amount = inv.amount
        if month.month in (8, 9, 10):  # the SP2D was cut short: the last members stay unpaid
            amount -= SHORT_LINES * line
        if month.month == 6:
            late.append((inv, dt.date(2024, 7, 10)))
        else:
            sp2d += 1
            actions.pay(
                eng,
                system,
                inv.id,
                amount=amount,
                sp2d=f"SP2D/{sp2d:04d}/BPKAD/2024",
                on=month.replace(day=20),
            )
        month = add_months(month, 1)
    rec = queries.reconcile(eng, system, NAME)
    covered_people, person_months, lapsed = _paid_figures(eng, prog.id)
    on_dec = queries.coverage_count(eng, system, dt.date(2024, 12, 15))
    return {
        "program": NAME,
        "registry_people": registry_people,
        "eligible": plan.eligible,
        "budget": BUDGET,
        "scenarios": {
            "full": to_jsonable(scen.full),
            "spread": to_jsonable(scen.spread),
            "extra": scen.extra,
            "extra_buys_people": scen.extra_buys_people,
        },
        "plan": {
            "people": plan.people,
            "months": plan.months,
            "cost": plan.cost,
            "unspent": plan.unspent,
            "optimal_gap": plan.optimal_gap,
            "solver": plan.solver,
            "quotas": to_jsonable(plan.quotas),
        },
        "enrolled": enrolled.enrolled,
        "kpj_imported": kpj.imported,
        "kpj_refused": kpj.refused,
        "invoices": len(invoices),
        "invoiced": rec.invoiced,
        "people_covered": covered_people,
        "person_months_paid": person_months,
        "covered_on_2024_12_15": on_dec.covered,
        "lapsed": lapsed,
        "spent": rec.spent,
        "committed": rec.committed,
        "arrears": rec.arrears,
        "unspent": rec.unspent,
        "balanced": rec.balanced,
        "files": [str(reg_file), str(answer_file)],
    }


def _paid_figures(eng: Engine, program_id: int) -> tuple[int, int, int]:
    """People with a month paid in full, person-months paid, memberships lapsed for arrears."""
    m = membership
    with eng.connect() as conn:
        covered_people, person_months = conn.execute(
            select(func.count(distinct(m.c.person_id)), func.count())
            .select_from(invoice_line.join(m, m.c.id == invoice_line.c.membership_id))
            .where(m.c.program_id == program_id, invoice_line.c.paid >= invoice_line.c.amount)
        ).one()
        e = membership_event
        lapsed = conn.execute(
            select(func.count(distinct(e.c.membership_id)))
            .select_from(e.join(m, m.c.id == e.c.membership_id))
            .where(m.c.program_id == program_id, e.c.reason == "arrears_3_months")
        ).scalar_one()
    return int(covered_people), int(person_months), int(lapsed)


def _n(n: int | float) -> str:
    """Thousands grouped (``19.336`` in Indonesian); months like 6.77 with two decimals."""
    if isinstance(n, float) and not n.is_integer():
        return number(n, digits=2)
    return number(int(n))


def render(summary: dict[str, Any], lang: str) -> list[str]:
    """What a mayor reads of the step, in ``lang``."""
    s, sc, p = summary, summary["scenarios"], summary["plan"]
    with i18n.using(lang):
        return [
            _(
                "Program: %(program)s (%(budget)s of APBD, March-December 2024)",
                program=s["program"],
                budget=rupiah(s["budget"]),
            ),
            "  "
            + _(
                "%(people)s people in the registry; %(eligible)s with a valid NIK can be "
                "registered with BPJS TK",
                people=_n(s["registry_people"]),
                eligible=_n(s["eligible"]),
            ),
            "  "
            + _(
                "Choice: %(full)s people for all %(full_months)s months, or all %(spread)s for "
                "%(spread_months)s months; Rp1 billion more would protect %(extra)s more people",
                full=_n(sc["full"]["people"]),
                full_months=_n(sc["full"]["months"]),
                spread=_n(sc["spread"]["people"]),
                spread_months=_n(sc["spread"]["months"]),
                extra=_n(sc["extra_buys_people"]),
            ),
            "  "
            + _(
                "Plan (poorest first, at least 20%% of each distrik): %(people)s people, "
                "%(cost)s, optimality gap %(gap)s",
                people=_n(p["people"]),
                cost=rupiah(p["cost"]),
                gap=percent(p["optimal_gap"], digits=4),
            ),
            "  "
            + _(
                "BPJS TK returned %(kpj)s KPJ numbers; %(refused)s rows refused or malformed, "
                "kept for correction",
                kpj=_n(s["kpj_imported"]),
                refused=_n(s["kpj_refused"]),
            ),
            "  "
            + _(
                "%(people)s workers protected, %(months)s person-months paid; %(covered)s "
                "covered on 15 December",
                people=_n(s["people_covered"]),
                months=_n(s["person_months_paid"]),
                covered=_n(s["covered_on_2024_12_15"]),
            ),
            "  "
            + _(
                "Spent %(spent)s, owed %(owed)s, left %(left)s; %(lapsed)s memberships lapsed "
                "after 3 unpaid months",
                spent=rupiah(s["spent"]),
                owed=rupiah(s["arrears"]),
                left=rupiah(s["unspent"]),
                lapsed=_n(s["lapsed"]),
            ),
        ]
