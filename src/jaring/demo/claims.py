"""Demo step: the claims a year of Kota Sorong's program would bring.

Deaths are drawn member by member (seeded) with the probability the Tabel Mortalita Indonesia
IV 2019 gives for their age and sex, scaled by the part of 2024 they were covered. TMI is a
table of insured lives, so the demo's death count is on the low side for informal workers;
the step says so. On top of the drawn deaths: a few work accidents (medical bills, STMB, a
partial disability), one death in the first 3 months of membership, one death after a
membership lapsed (refused, with the reason), and one claim paid to a parent while a spouse is
on record (an override with its written reason). Every claim goes through the same service
functions an operator uses; the families' total is then read back from the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl

from jaring.claims import forecast, report, service
from jaring.claims.catalog import required_documents
from jaring.claims.frames import as_dates
from jaring.store.bulk import read_frame

WIDOWS = ("Mama Yuliana", "Mama Ribka", "Ibu Sitti", "Mama Agustina", "Ibu Wa Ode", "Mama Selvi")
WIDOWERS = ("Bapak Yohanis", "Bapak Daud", "Bapak Rahman", "Bapak Markus")
CHILDREN = ("Yosua", "Maria", "Fadli", "Natalia", "Rizky", "Debora")


def _members(conn: Any, program_name: str | None) -> pl.DataFrame:
    where = "WHERE g.name = :name" if program_name else ""
    members = read_frame(
        conn,
        f"""SELECT m.id AS membership_id, m.person_id, p.nik, p.birth_date, p.sex,
                   MIN(cp.start_date) AS first_day, MAX(cp.end_date) AS last_day,
                   COUNT(cp.id) AS periods
            FROM membership m JOIN program g ON g.id = m.program_id
            JOIN person p ON p.id = m.person_id
            JOIN coverage_period cp ON cp.membership_id = m.id
            {where}
            GROUP BY m.id, m.person_id, p.nik, p.birth_date, p.sex""",
        {"name": program_name},
    )
    return as_dates(members, "birth_date", "first_day", "last_day")


def _heirs(rng: np.random.Generator, sex: str | None) -> list[dict[str, Any]]:
    spouse = rng.choice(WIDOWS if sex == "L" else WIDOWERS)
    heirs = [{"relation": "spouse", "name": str(spouse), "recipient": True}]
    if rng.random() < 0.7:
        heirs.append({"relation": "child", "name": str(rng.choice(CHILDREN))})
    return heirs


def _pay(ctx: Any, c: dict[str, Any], paid_on: dt.date, ref: str) -> None:
    """Documents -> verified -> approved -> paid, as a Disnaker operator would record them."""
    eng = ctx.engine
    service.record_documents(
        eng, c["claim"], c["missing_documents"], received_on=c["filed_on"], actor="disnaker"
    )
    for to in ("documents_complete", "verified", "approved"):
        service.advance_claim(eng, c["claim"], to, actor="disnaker")
    service.advance_claim(
        eng, c["claim"], "paid", actor="bpjs", paid_on=paid_on, amount=c["amount"], reference=ref
    )


def run(ctx: Any) -> dict[str, Any]:
    eng = ctx.engine
    rng = np.random.default_rng(ctx.seed + 5)
    program_name = (ctx.results.get("programs") or {}).get("program")
    with eng.connect() as conn:
        members = _members(conn, program_name)
    if members.height == 0:
        return {"skipped": "no program with paid coverage (run the programs step first)"}
    year = ctx.today.year
    table, meta = forecast.load_table()
    lo, hi = dt.date(year, 1, 1), ctx.today
    # Probability of death while covered this year: qx(age at 1 July, sex) x covered fraction.
    exposed = members.with_columns(
        pl.col("first_day").clip(lower_bound=lo).alias("a"),
        pl.col("last_day").clip(upper_bound=hi).alias("b"),
        (pl.lit(year) - pl.col("birth_date").dt.year()).clip(0, 111).cast(pl.Int32).alias("age"),
    ).filter(pl.col("a") <= pl.col("b"))
    exposed = exposed.join(table, on="age", how="left").with_columns(
        (
            pl.when(pl.col("sex") == "P").then(pl.col("qx_p")).otherwise(pl.col("qx_l"))
            * ((pl.col("b") - pl.col("a")).dt.total_days() + 1)
            / 365.25
        ).alias("p_death")
    )
    draw = rng.random(exposed.height)
    dead = exposed.filter(pl.Series(draw < exposed["p_death"].fill_null(0).to_numpy()))
    expected = float(exposed["p_death"].sum())

    filed: list[dict[str, Any]] = []
    paid_ref = 0

    def death(row: dict[str, Any], event: dt.date, *, heirs: list[dict[str, Any]] | None = None,
              reason: str | None = None) -> dict[str, Any]:  # fmt: skip
        c = service.file_claim(
            eng,
            claim_type="jkm",
            person_id=row["person_id"],
            membership_id=row["membership_id"],
            event_date=event,
            filed_on=min(event + dt.timedelta(days=int(rng.integers(2, 15))), ctx.today),
            reporter="Kelurahan",
            heirs=heirs or _heirs(rng, row["sex"]),
            actor="disnaker",
            reason=reason,
        )
        filed.append(c)
        return c

    def settle(c: dict[str, Any]) -> None:
        nonlocal paid_ref
        paid_on = c["filed_on"] + dt.timedelta(days=int(rng.integers(3, 12)))
        if c["eligible"] and paid_on <= ctx.today:
            paid_ref += 1
            _pay(ctx, c, paid_on, f"BPJS-SRG-{year}-{paid_ref:04d}")

    # 1. The deaths the mortality table brings, on a day drawn within each member's cover.
    for row in dead.to_dicts():
        span = (row["b"] - row["a"]).days
        settle(death(row, row["a"] + dt.timedelta(days=int(rng.integers(0, span + 1)))))
    taken = set(dead["person_id"].to_list())
    pool = exposed.filter(~pl.col("person_id").is_in(list(taken)))

    # 2. One death in the first 3 months of membership (the law pays Rp10,000,000 only).
    early_row = (
        pool.filter(pl.col("first_day") >= lo).sort("first_day", "person_id").row(0, named=True)
    )
    early = death(early_row, early_row["first_day"] + dt.timedelta(days=45))
    settle(early)

    # 3. One death after the membership lapsed: refused, the family is shown why.
    lapsed_pool = pool.filter(
        pl.col("last_day") < hi, pl.col("person_id") != early_row["person_id"]
    )
    lapsed = None
    if lapsed_pool.height:
        row = lapsed_pool.sort("person_id").row(0, named=True)
        lapsed = death(row, row["last_day"] + dt.timedelta(days=12))
        service.record_documents(eng, lapsed["claim"], lapsed["missing_documents"],
                                 received_on=lapsed["filed_on"], actor="disnaker")  # fmt: skip
        service.advance_claim(eng, lapsed["claim"], "documents_complete", actor="disnaker")
        service.advance_claim(eng, lapsed["claim"], "verified", actor="disnaker")
        service.advance_claim(
            eng, lapsed["claim"], "rejected", reason_code="lapsed", actor="disnaker"
        )

    # 4. A parent receives while a spouse is on record: allowed only with a written reason.
    healthy = pool.filter(
        pl.col("first_day") < dt.date(year, 6, 1), pl.col("last_day") >= hi,
        ~pl.col("person_id").is_in([early_row["person_id"]]),
    ).sort("person_id")  # fmt: skip
    row = healthy.row(0, named=True)
    override = death(
        row,
        dt.date(year, 9, 14),
        heirs=[
            {"relation": "spouse", "name": "Mama Ribka"},
            {"relation": "parent", "name": "Bapak Daud", "recipient": True},
        ],
    )
    service.record_documents(eng, override["claim"],
                             required_documents("jkm", recipient_relation="parent"),
                             received_on=override["filed_on"], actor="disnaker")  # fmt: skip
    service.advance_claim(eng, override["claim"], "documents_complete", actor="disnaker")
    service.advance_claim(eng, override["claim"], "verified", actor="disnaker")
    service.advance_claim(
        eng, override["claim"], "approved", actor="kepala-bidang",
        reason="Istri meninggalkan rumah sejak 2019; surat keterangan kelurahan terlampir",
    )  # fmt: skip
    service.advance_claim(eng, override["claim"], "paid", actor="bpjs",
                          paid_on=dt.date(year, 9, 30), amount=override["amount"],
                          reference=f"BPJS-SRG-{year}-OVR1")  # fmt: skip

    # 5. Work accidents of ojek drivers and traders: medical bills, STMB, a partial disability.
    accidents = healthy.slice(1, 5).to_dicts()
    kinds: list[tuple[str, dict[str, Any]]] = [
        ("jkk_medical", {"cost": 3_450_000, "bill_ref": "RSUD-SRG-0412"}),
        ("jkk_medical", {"cost": 12_800_000, "bill_ref": "RS-SELE-BE-SOLU-0977"}),
        ("jkk_stmb", {"months": 2}),
        ("jkk_disability", {"disability": "partial", "part": "mata-satu"}),
        ("jkk_medical", {"cost": 1_275_000, "bill_ref": "PKM-REMU-118"}),
    ]
    for (kind, inputs), row in zip(kinds, accidents, strict=False):
        event = dt.date(year, int(rng.integers(6, 12)), int(rng.integers(1, 28)))
        c = service.file_claim(
            eng, claim_type=kind, person_id=row["person_id"], membership_id=row["membership_id"],
            event_date=event, filed_on=event + dt.timedelta(days=5), reporter="Pangkalan ojek",
            inputs=inputs, actor="disnaker",
        )  # fmt: skip
        filed.append(c)
        settle(c)

    summ = (
        report.summary(eng, program=program_name, year=year)
        if program_name
        else report.summary(eng, year=year)
    )
    early_final = service.get_claim(eng, early["claim"])
    return {
        "program": program_name,
        "members": int(members.height),
        "mortality_table": meta["name"],
        "expected_deaths": round(expected, 1),
        "deaths_drawn": int(dead.height),
        "claims_filed": len(filed),
        "paid": summ["paid"],
        "by_status": summ["by_status"],
        "paid_by_type": summ["paid_by_type"],
        "paid_by_month": summ["paid_by_month"],
        "paid_by_district": sorted(summ["paid_by_district"], key=lambda r: -r["amount"])[:5],
        "contributions": summ["contributions"],
        "benefits_per_rupiah": summ["benefits_per_rupiah"],
        "early_death": {
            "claim": early["claim"],
            "amount": early_final["amount"],
            "status": early_final["status"],
        },
        "lapsed_death": (
            {
                "claim": lapsed["claim"],
                "law_total": lapsed["law_total"],
                "reasons": lapsed["reasons"],
            }
            if lapsed
            else None
        ),
        "override_claim": override["claim"],
    }


def render(summary: dict[str, Any], lang: str) -> list[str]:
    from jaring.cli.claims import rp, summary_lines

    if "skipped" in summary:
        return [f"Klaim: dilewati ({summary['skipped']})"]
    en = lang == "en"
    members = f"{summary['members']:,}" if en else f"{summary['members']:,}".replace(",", ".")
    expected = (
        f"{summary['expected_deaths']}" if en else f"{summary['expected_deaths']}".replace(".", ",")
    )
    lines = [
        "Claims" if en else "Klaim",
        (
            f"  {summary['claims_filed']} claims filed in {members} members' year; "
            f"{summary['deaths_drawn']} deaths drawn from {summary['mortality_table']} "
            f"(expected {summary['expected_deaths']}; insured-lives table, a floor for informal workers)."
            if en
            else f"  {summary['claims_filed']} klaim dari {members} peserta setahun; "
            f"{summary['deaths_drawn']} kematian diundi dari {summary['mortality_table']} "
            f"(harapan {expected}; tabel tertanggung asuransi, batas bawah bagi pekerja informal)."
        ),
    ]
    s = {
        "paid": summary["paid"],
        "contributions": summary["contributions"],
        "benefits_per_rupiah": summary["benefits_per_rupiah"],
        "paid_by_type": summary["paid_by_type"],
        "paid_by_month": summary.get("paid_by_month", []),
        "paid_by_district": summary["paid_by_district"],
        "by_status": summary["by_status"],
    }
    lines += ["  " + line for line in summary_lines(s, lang)]
    e = summary["early_death"]
    lines.append(
        f"  A death in the first 3 months of membership: {rp(e['amount'])} (claim {e['claim']})."
        if en
        else f"  Meninggal pada 3 bulan pertama kepesertaan: {rp(e['amount'])} (klaim {e['claim']})."
    )
    if summary["lapsed_death"]:
        d = summary["lapsed_death"]
        lines.append(
            f"  A death after the membership lapsed: refused (would have been {rp(d['law_total'])}; claim {d['claim']})."
            if en
            else f"  Meninggal setelah kepesertaan tidak aktif: ditolak (seharusnya {rp(d['law_total'])}; klaim {d['claim']})."
        )
    return lines
