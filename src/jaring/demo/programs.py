"""Demo step: programs. The Sorong registry -> a 2024 program with Rp2.2 billion of APBD ->
scenarios -> plan -> enrol -> the BPJS registration file -> a synthetic KPJ answer (a few
rows refused) -> invoices and SP2D payments for March to December 2024 (June paid late, three
invoices paid short so a few memberships lapse) -> what a mayor reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import text

from jaring.errors import JaringError
from jaring.programs import service
from jaring.programs.fmt import ribu, rupiah
from jaring.programs.months import add_months
from jaring.store.bulk import insert_frame

NAME = "Perlindungan Pekerja Rentan Kota Sorong 2024"
BUDGET = 2_200_000_000
START, END = dt.date(2024, 3, 1), dt.date(2024, 12, 31)
SHORT_LINES = 6  # members left unpaid in the August-October SP2D (they lapse in November)


def _ensure_people(ctx: Any) -> int:
    """The registry step fills ``person``; without it (a partial checkout) use its generator."""
    with ctx.engine.connect() as conn:
        n = int(conn.execute(text("SELECT COUNT(*) FROM person")).scalar_one())
    if n:
        return n
    try:
        from jaring.demo import synth
    except ImportError:
        raise JaringError(
            "demo_needs_registry",
            "Langkah program memerlukan registri Kota Sorong (langkah registry)",
            "The programs step needs the Kota Sorong registry (registry step)",
        ) from None
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
    out_dir = ctx.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    registry_people = _ensure_people(ctx)
    prog = service.create_program(
        eng,
        name=NAME,
        fiscal_year=2024,
        budget=BUDGET,
        funder_region="96.71",
        period_start=START,
        period_end=END,
    )
    scen = service.compare_scenarios(eng, NAME, priority="desil,risk")
    plan = service.plan_program(eng, NAME, priority="desil,risk", quotas=["distrik=0.2"])
    enrolled = service.enrol(eng, NAME, on=dt.date(2024, 2, 20))
    reg_file = (
        out_dir / "bpjs_pendaftaran_sorong_2024.csv"
    )  # .xlsx works too; CSV keeps the demo fast
    service.bpjs_export(eng, NAME, reg_file, on=dt.date(2024, 2, 21))
    answer_file = out_dir / "bpjs_jawaban_kpj_sorong_2024.csv"
    _bpjs_answer(reg_file, answer_file, ctx.seed)
    kpj = service.bpjs_import_kpj(eng, answer_file, program_ref=NAME, on=dt.date(2024, 2, 27))

    invoices: list[dict[str, Any]] = []
    late: list[tuple[dict[str, Any], dt.date]] = []
    sp2d = 0
    month = START
    while month <= END:
        inv = service.create_invoice(eng, NAME, month)
        invoices.append(inv)
        # June's SP2D is late: it is paid on 10 July, after July's invoice
        for pending, day in list(late):
            if day <= month + dt.timedelta(days=9):
                sp2d += 1
                service.pay(
                    eng,
                    pending["id"],
                    amount=pending["amount"],
                    sp2d=f"SP2D/{sp2d:04d}/BPKAD/2024",
                    on=day,
                )
                late.remove((pending, day))
        line = inv["amount"] // inv["lines"] if inv["lines"] else 0
        amount = inv["amount"]
        if month.month in (8, 9, 10):  # the SP2D was cut short: the last members stay unpaid
            amount -= SHORT_LINES * line
        if month.month == 6:
            late.append((inv, dt.date(2024, 7, 10)))
        else:
            sp2d += 1
            service.pay(
                eng,
                inv["id"],
                amount=amount,
                sp2d=f"SP2D/{sp2d:04d}/BPKAD/2024",
                on=month.replace(day=20),
            )
        month = add_months(month, 1)
    rec = service.reconcile(eng, NAME)
    with eng.connect() as conn:
        covered_people, person_months = conn.execute(
            text(
                "SELECT COUNT(DISTINCT m.person_id), COUNT(*) FROM invoice_line l "
                "JOIN membership m ON m.id = l.membership_id WHERE m.program_id = :p AND l.paid >= l.amount"
            ),
            {"p": prog["id"]},
        ).one()
        lapsed = conn.execute(
            text(
                "SELECT COUNT(DISTINCT membership_id) FROM membership_event e JOIN membership m "
                "ON m.id = e.membership_id WHERE m.program_id = :p AND e.reason = 'arrears_3_months'"
            ),
            {"p": prog["id"]},
        ).scalar_one()
    on_dec = service.coverage_on(eng, dt.date(2024, 12, 15))
    return {
        "program": NAME,
        "registry_people": registry_people,
        "eligible": plan["eligible"],
        "budget": BUDGET,
        "scenarios": {
            "full": scen["full"],
            "spread": scen["spread"],
            "extra": scen["extra"],
            "extra_buys_people": scen["extra_buys_people"],
        },
        "plan": {
            k: plan[k]
            for k in ("people", "months", "cost", "unspent", "optimal_gap", "solver", "quotas")
        },
        "enrolled": enrolled["enrolled"],
        "kpj_imported": kpj["imported"],
        "kpj_refused": kpj["refused"],
        "invoices": len(invoices),
        "invoiced": rec["invoiced"],
        "people_covered": int(covered_people),
        "person_months_paid": int(person_months),
        "covered_on_2024_12_15": on_dec["covered"],
        "lapsed": int(lapsed),
        "spent": rec["spent"],
        "committed": rec["committed"],
        "arrears": rec["arrears"],
        "unspent": rec["unspent"],
        "balanced": rec["balanced"],
        "files": [str(reg_file), str(answer_file)],
    }


def _rp(n: int) -> str:
    return rupiah(n)


def _n(n: int | float, lang: str) -> str:
    """Thousands with dots (id) or commas (en); months like 6.77 with a decimal comma in id."""
    if isinstance(n, float) and not n.is_integer():
        return f"{n:.2f}".replace(".", ",") if lang != "en" else f"{n:.2f}"
    return f"{int(n):,}" if lang == "en" else ribu(n)


def render(summary: dict[str, Any], lang: str) -> list[str]:
    s, sc, p = summary, summary["scenarios"], summary["plan"]

    def n(x: int | float) -> str:
        return _n(x, lang)

    if lang == "en":
        return [
            f"Program: {s['program']} ({_rp(s['budget'])} of APBD, March-December 2024)",
            f"  {n(s['registry_people'])} people in the registry; {n(s['eligible'])} with a valid "
            "NIK can be registered with BPJS TK",
            f"  Choice: {n(sc['full']['people'])} people for all {n(sc['full']['months'])} months, "
            f"or all {n(sc['spread']['people'])} for {n(sc['spread']['months'])} months; "
            f"Rp1 billion more would protect {n(s['scenarios']['extra_buys_people'])} more people",
            f"  Plan (poorest first, at least 20% of each distrik): {n(p['people'])} people, "
            f"{_rp(p['cost'])}, optimality gap {p['optimal_gap']:.4%}",
            f"  BPJS TK returned {n(s['kpj_imported'])} KPJ numbers; {n(s['kpj_refused'])} rows "
            "refused or malformed, kept for correction",
            f"  {n(s['people_covered'])} workers protected, {n(s['person_months_paid'])} "
            f"person-months paid; {n(s['covered_on_2024_12_15'])} covered on 15 December",
            f"  Spent {_rp(s['spent'])}, owed {_rp(s['arrears'])}, left {_rp(s['unspent'])}; "
            f"{n(s['lapsed'])} memberships lapsed after 3 unpaid months",
        ]
    return [
        f"Program: {s['program']} ({_rp(s['budget'])} APBD, Maret-Desember 2024)",
        f"  {n(s['registry_people'])} orang di registri; {n(s['eligible'])} dengan NIK sah "
        "dapat didaftarkan ke BPJS TK",
        f"  Pilihan: {n(sc['full']['people'])} orang selama {n(sc['full']['months'])} bulan, "
        f"atau semua {n(sc['spread']['people'])} orang selama {n(sc['spread']['months'])} bulan; "
        f"tambahan Rp1 miliar melindungi {n(s['scenarios']['extra_buys_people'])} orang lagi",
        f"  Rencana (termiskin dulu, minimal 20% tiap distrik): {n(p['people'])} orang, "
        f"{_rp(p['cost'])}, celah optimal {p['optimal_gap']:.4%}",
        f"  BPJS TK mengembalikan {n(s['kpj_imported'])} nomor KPJ; {n(s['kpj_refused'])} baris "
        "ditolak atau salah format, disimpan untuk koreksi",
        f"  {n(s['people_covered'])} pekerja terlindungi, {n(s['person_months_paid'])} "
        f"orang-bulan dibayar; {n(s['covered_on_2024_12_15'])} terlindungi pada 15 Desember",
        f"  Dibayar {_rp(s['spent'])}, tunggakan {_rp(s['arrears'])}, sisa {_rp(s['unspent'])}; "
        f"{n(s['lapsed'])} kepesertaan nonaktif setelah 3 bulan tidak dibayar",
    ]
