"""Demo step: the claims a year of Kota Sorong's program would bring.

Deaths are drawn member by member (seeded) with the probability the Tabel Mortalita Indonesia
IV 2019 gives for their age and sex, scaled by the part of 2024 they were covered. TMI is a
table of insured lives, so the demo's death count is on the low side for informal workers;
the step says so. On top of the drawn deaths: a few work accidents (medical bills, STMB, a
partial disability), one death in the first 3 months of membership, one death after a
membership lapsed (refused, with the reason), and one claim paid to a parent while a spouse is
on record (an override with its written reason). Every claim goes through the same actions
an operator uses, as the demo's actor (the system unless ``jaring demo --user`` names an
account); the families' total is then read back from the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Connection, func, select

from jaring import i18n
from jaring.claims import actions, forecast, queries
from jaring.claims.catalog import required_documents
from jaring.claims.readout import demo_lines
from jaring.demo import DemoContext
from jaring.jsonable import to_jsonable
from jaring.store.bulk import read_frame
from jaring.store.dialect import date_columns
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person

WIDOWS = ("Mama Yuliana", "Mama Ribka", "Ibu Sitti", "Mama Agustina", "Ibu Wa Ode", "Mama Selvi")
WIDOWERS = ("Bapak Yohanis", "Bapak Daud", "Bapak Rahman", "Bapak Markus")
CHILDREN = ("Yosua", "Maria", "Fadli", "Natalia", "Rizky", "Debora")


def _members(conn: Connection, program_name: str | None) -> pl.DataFrame:
    q = (
        select(
            membership.c.id.label("membership_id"),
            membership.c.person_id,
            person.c.nik,
            person.c.birth_date,
            person.c.sex,
            func.min(coverage_period.c.start_date).label("first_day"),
            func.max(coverage_period.c.end_date).label("last_day"),
            func.count(coverage_period.c.id).label("periods"),
        )
        .select_from(
            membership.join(program, program.c.id == membership.c.program_id)
            .join(person, person.c.id == membership.c.person_id)
            .join(coverage_period, coverage_period.c.membership_id == membership.c.id)
        )
        .group_by(
            membership.c.id, membership.c.person_id, person.c.nik, person.c.birth_date, person.c.sex
        )
    )
    if program_name:
        q = q.where(program.c.name == program_name)
    return date_columns(read_frame(conn, q), "birth_date", "first_day", "last_day")


def _heirs(rng: np.random.Generator, sex: str | None) -> list[dict[str, Any]]:
    spouse = rng.choice(WIDOWS if sex == "L" else WIDOWERS)
    heirs = [{"relation": "spouse", "name": str(spouse), "recipient": True}]
    if rng.random() < 0.7:
        heirs.append({"relation": "child", "name": str(rng.choice(CHILDREN))})
    return heirs


UNCERTAIN_CHECKED = "Jumlah diperiksa dengan dasar hukumnya oleh petugas klaim"


def _pay(ctx: DemoContext, c: queries.Claim, paid_on: dt.date, ref: str) -> None:
    """Documents -> verified -> approved -> paid, as a Disnaker operator would record them."""
    eng, actor = ctx.engine, ctx.actor
    actions.record_documents(eng, actor, c.claim, c.missing_documents, received_on=c.filed_on)
    for to in ("documents_complete", "verified"):
        actions.advance_claim(eng, actor, c.claim, to)
    # an amount marked uncertain is approved only with a confirmation and its reason
    sure = {"confirm_uncertain": True, "reason": UNCERTAIN_CHECKED} if c.uncertain else {}
    actions.advance_claim(eng, actor, c.claim, "approved", **sure)  # type: ignore[arg-type]
    actions.advance_claim(
        eng, actor, c.claim, "paid", paid_on=paid_on, amount=c.amount, reference=ref
    )


def run(ctx: DemoContext) -> dict[str, Any]:
    """File, settle and sum up a year of claims on the programs step's program, as
    ``ctx.actor``."""
    eng, actor = ctx.engine, ctx.actor
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

    filed: list[queries.Claim] = []
    paid_ref = 0

    def death(row: dict[str, Any], event: dt.date, *, heirs: list[dict[str, Any]] | None = None,
              reason: str | None = None) -> queries.Claim:  # fmt: skip
        c = actions.file_claim(
            eng,
            actor,
            claim_type="jkm",
            person_id=row["person_id"],
            membership_id=row["membership_id"],
            event_date=event,
            filed_on=min(event + dt.timedelta(days=int(rng.integers(2, 15))), ctx.today),
            reporter="Kelurahan",
            heirs=heirs or _heirs(rng, row["sex"]),
            reason=reason,
        )
        filed.append(c)
        return c

    def settle(c: queries.Claim) -> None:
        nonlocal paid_ref
        paid_on = c.filed_on + dt.timedelta(days=int(rng.integers(3, 12)))
        if c.eligible and paid_on <= ctx.today:
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
        actions.record_documents(
            eng, actor, lapsed.claim, lapsed.missing_documents, received_on=lapsed.filed_on
        )
        actions.advance_claim(eng, actor, lapsed.claim, "documents_complete")
        actions.advance_claim(eng, actor, lapsed.claim, "verified")
        actions.advance_claim(eng, actor, lapsed.claim, "rejected", reason_code="lapsed")

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
    actions.record_documents(eng, actor, override.claim,
                             required_documents("jkm", recipient_relation="parent"),
                             received_on=override.filed_on)  # fmt: skip
    actions.advance_claim(eng, actor, override.claim, "documents_complete")
    actions.advance_claim(eng, actor, override.claim, "verified")
    actions.advance_claim(
        eng, actor, override.claim, "approved",
        reason="Istri meninggalkan rumah sejak 2019; surat keterangan kelurahan terlampir",
    )  # fmt: skip
    actions.advance_claim(eng, actor, override.claim, "paid",
                          paid_on=dt.date(year, 9, 30), amount=override.amount,
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
        c = actions.file_claim(
            eng, actor, claim_type=kind, person_id=row["person_id"],
            membership_id=row["membership_id"], event_date=event,
            filed_on=event + dt.timedelta(days=5), reporter="Pangkalan ojek", inputs=inputs,
        )  # fmt: skip
        filed.append(c)
        settle(c)

    summ = to_jsonable(queries.summary(eng, actor, program=program_name, year=year))
    early_final = queries.get_claim(eng, actor, early.claim)
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
            "claim": early.claim,
            "amount": early_final.amount,
            "status": early_final.status,
        },
        "lapsed_death": (
            {"claim": lapsed.claim, "law_total": lapsed.law_total, "reasons": lapsed.reasons}
            if lapsed
            else None
        ),
        "override_claim": override.claim,
    }


def render(summary: dict[str, Any], lang: str) -> list[str]:
    """The step's summary as lines in ``lang``."""
    with i18n.using(lang):
        return demo_lines(summary)
