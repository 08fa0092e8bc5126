"""Demo step: families and deaths. A P3KE-shaped list gives families (KK numbers, spouses,
children, parents) to some of the covered workers; the death claims of the claims step become
recorded deaths; then a Dukcapil death list arrives: deaths of covered workers nobody claimed
for (each a "klaim belum diajukan" task, with the expected benefit and the heirs from the
family), deaths of listed people who were not covered (the coverage-gap report), and the rows
a real list carries that cannot be recorded as they stand. The letter to the family of the
oldest task is written as a PDF.

All synthetic: KK numbers and NIKs use Kota Sorong's region codes with random serials; names
come from the registry's common-name lists. Runs after the coverage step, so the figures of
the earlier steps are those of a year without this list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import func, select

from jaring import formatting
from jaring.demo import DemoContext
from jaring.demo.synth import FEMALE, MALE
from jaring.families.actions import deaths, families
from jaring.families.queries import deaths as queries
from jaring.i18n import _, using
from jaring.registry import files
from jaring.registry.actions import imports
from jaring.store.bulk import read_frame
from jaring.store.dialect import date_columns, to_date
from jaring.store.tables.claims import claim
from jaring.store.tables.programs import coverage_period, membership
from jaring.store.tables.registry import person

FAMILIES = 600  # covered workers given a family on the P3KE list
UNCLAIMED = 14  # deaths of covered workers the list brings that nobody claimed for
NOT_COVERED = 8  # deaths of listed people not covered on the day


def _nik(district: str, born: dt.date, female: bool, serial: int) -> str:
    day = born.day + (40 if female else 0)
    return f"9671{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def _people(ctx: DemoContext) -> pl.DataFrame:
    """Registry people with their last covered day (null: never covered)."""
    with ctx.engine.connect() as conn:
        covered = (
            select(
                coverage_period.c.person_id,
                func.max(coverage_period.c.end_date).label("last_day"),
                func.min(coverage_period.c.start_date).label("first_day"),
            )
            .group_by(coverage_period.c.person_id)
            .subquery()
        )
        frame = read_frame(
            conn,
            select(
                person.c.id.label("person_id"), person.c.nik, person.c.name, person.c.birth_date,
                person.c.sex, person.c.district_code, covered.c.first_day, covered.c.last_day,
                func.count(membership.c.id).label("memberships"),
            )
            .outerjoin(covered, covered.c.person_id == person.c.id)
            .outerjoin(membership, membership.c.person_id == person.c.id)
            .where(person.c.nik.is_not(None), person.c.birth_date.is_not(None))
            .group_by(person.c.id, person.c.nik, person.c.name, person.c.birth_date,
                      person.c.sex, person.c.district_code, covered.c.first_day,
                      covered.c.last_day)
            .order_by(person.c.id),
        )  # fmt: skip
        claimed = set(
            conn.execute(select(claim.c.person_id).where(claim.c.benefit_key == "death")).scalars()
        )
    frame = date_columns(frame, "birth_date", "first_day", "last_day")
    return frame.filter(~pl.col("person_id").is_in(list(claimed)))


def _p3ke(ctx: DemoContext, heads: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """A P3KE-shaped list: each head (a covered worker) with a spouse, children and sometimes
    a parent, all with KK numbers and synthetic NIKs."""
    rows: list[dict[str, Any]] = []
    serial = 7000  # members' NIK serials: 1000..9998, apart from the workers' low serials
    for i, h in enumerate(heads.iter_rows(named=True)):
        kk = f"967101{(ctx.seed % 100):02d}{i + 1:08d}"[:16]
        district = (h["district_code"] or "96.71.01")[-2:]
        female = h["sex"] == "P"
        last = str(h["name"]).split()[-1]
        rows.append({"no_kk": kk, "nik": h["nik"], "nama_lengkap": h["name"],
                     "hubungan_keluarga": "Kepala Keluarga", "born": h["birth_date"],
                     "jenis_kelamin": h["sex"] or "L"})  # fmt: skip
        members: list[tuple[str, bool, int]] = [("Istri" if not female else "Suami", not female, 0)]
        members += [
            ("Anak", bool(rng.integers(0, 2)), k + 1) for k in range(int(rng.integers(0, 4)))
        ]
        if rng.random() < 0.25:
            members.append(("Orang Tua", bool(rng.integers(0, 2)), -1))
        for relation, is_female, k in members:
            serial = 1000 + (serial + 1) % 8999
            year = h["birth_date"].year
            born_year = year + 22 + 2 * k if k > 0 else (year - 25 if k < 0 else year + 2)
            born = dt.date(min(born_year, 2023), int(rng.integers(1, 13)), int(rng.integers(1, 28)))
            first = (FEMALE if is_female else MALE)[int(rng.integers(0, 40))]
            rows.append({
                "no_kk": kk, "nik": _nik(district, born, is_female, serial),
                "nama_lengkap": f"{first} {last}", "hubungan_keluarga": relation, "born": born,
                "jenis_kelamin": "P" if is_female else "L",
            })  # fmt: skip
    return (
        pl.DataFrame(rows)
        .with_columns(
            pl.col("born").dt.strftime("%d-%m-%Y").alias("tanggal_lahir"),
            pl.lit("1").alias("desil_kesejahteraan"),
        )
        .drop("born")
    )


def run(ctx: DemoContext) -> dict[str, Any]:
    eng, actor = ctx.engine, ctx.actor
    rng = np.random.default_rng(ctx.seed + 20)
    out = ctx.out_dir
    people = _people(ctx)
    covered = people.filter(pl.col("last_day") >= ctx.today)
    if covered.height < UNCLAIMED + 3:
        return {"skipped": "no covered workers (run the programs step first)"}
    heads = covered.sample(min(FAMILIES, covered.height), seed=ctx.seed).sort("person_id")

    # 1. Families from a P3KE-shaped list (imported as the registry imports any list)
    p3ke_file = out / "p3ke_keluarga_sorong_2024.csv"
    files.write_csv(_p3ke(ctx, heads, rng), p3ke_file)
    batch = imports.import_files(
        eng, actor, [p3ke_file], "P3KE Kota Sorong 2024", listed_on=dt.date(2024, 9, 1),
        region="96.71",
    )  # fmt: skip
    built = families.build_from_lists(eng, actor, batches=[batch.batch] if batch.batch else None)

    # 2. The deaths the claims step filed become recorded deaths (billing stops, refunds)
    from_claims = deaths.record_claim_deaths(eng, actor)

    # 3. A Dukcapil death list for October to December
    def day() -> dt.date:
        return dt.date(ctx.today.year, 10, 1) + dt.timedelta(days=int(rng.integers(0, 80)))

    unclaimed = heads.head(UNCLAIMED)
    never = people.filter(pl.col("memberships") == 0).head(NOT_COVERED // 2)
    lapsed = people.filter(
        pl.col("last_day").is_not_null() & (pl.col("last_day") < dt.date(ctx.today.year, 9, 30))
    ).head(NOT_COVERED - never.height)
    rows = [
        (r["nik"], r["name"], day().strftime("%d/%m/%Y"), "RSUD Sorong")
        for r in pl.concat([unclaimed, never, lapsed], how="vertical_relaxed").iter_rows(named=True)
    ]
    other = heads.row(UNCLAIMED, named=True)
    # a slip in the NIK's serial (the list has no birth date column: a slip in the NIK's date
    # part would move the birth date read from it too, and the registry's model does not
    # ask about such a pair)
    slip = other["nik"][:14] + str((int(other["nik"][14]) + 1) % 10) + other["nik"][15:]
    rows += [
        (slip, other["name"], day().strftime("%d/%m/%Y"), "Puskesmas Remu"),  # near match
        (heads.row(UNCLAIMED + 1, named=True)["nik"], "Tanggal Salah", "03/02/2031", ""),
        ("9671015512990001", "Tidak Terdaftar", day().strftime("%d/%m/%Y"), ""),
        (heads.row(UNCLAIMED + 2, named=True)["nik"], "Sebelum Lahir", "01/01/1901", ""),
        ("9.67101E+15", "NIK Rusak", day().strftime("%d/%m/%Y"), ""),
    ]
    with eng.connect() as conn:
        claimed = conn.execute(
            select(person.c.nik, claim.c.event_date)
            .join(person, person.c.id == claim.c.person_id)
            .where(claim.c.benefit_key == "death", claim.c.status != "rejected")
            .order_by(claim.c.id)
        ).first()
    if claimed is not None:  # a death the claim dates otherwise: waits for review
        other_day = to_date(claimed.event_date) + dt.timedelta(days=3)
        rows.append((claimed.nik, "Tanggal Lain", other_day.strftime("%d/%m/%Y"), ""))
    death_file = out / "dukcapil_kematian_sorong_2024q4.csv"
    files.write_csv(
        pl.DataFrame(
            {
                "NIK": [r[0] for r in rows],
                "Nama Lengkap": [r[1] for r in rows],
                "Tanggal Meninggal": [r[2] for r in rows],
                "Tempat Meninggal": [r[3] for r in rows],
            }
        ),
        death_file,
    )
    listed = deaths.import_deaths(
        eng, actor, death_file, source="Dukcapil Kota Sorong", listed_on=ctx.today,
        today=ctx.today,
    )  # fmt: skip

    tasks = queries.tasks(eng, actor, today=ctx.today)
    letter_file = None
    if tasks:
        oldest = tasks[0]
        letter_file = out / f"surat_keluarga_{oldest.death_id}.pdf"
        letter_file.write_bytes(deaths.print_letter(eng, actor, oldest.death_id, today=ctx.today))
    gaps = queries.gap_report(eng, actor, until=ctx.today)
    refunds = queries.refunds(eng, actor)
    review = queries.list_rows(eng, actor)
    refused = queries.list_rows(eng, actor, outcome="refused", list_id=listed.list)
    return {
        "families": built.families_created,
        "family_members": built.members_added,
        "deaths_from_claims": from_claims,
        "death_list": {
            "file": str(death_file),
            "rows": listed.rows,
            "recorded": listed.recorded,
            "review": listed.review,
            "refused": listed.refused,
            "unchanged": listed.unchanged,
            "refused_reasons": sorted({r.reason or "" for r in refused}),
        },
        "tasks": len(tasks),
        "tasks_expected": sum(t.expected_amount for t in tasks),
        "tasks_with_heirs": sum(1 for t in tasks if t.heirs),
        "tasks_by_age": {
            b.band: b.deaths for b in queries.tasks_by_age(eng, actor, today=ctx.today)
        },
        "waiting_review": len(review),
        "refunds": len(refunds),
        "refund_amount": sum(r.amount for r in refunds),
        "gaps": gaps.gaps,
        "gap_deaths": gaps.deaths,
        "benefit_missed": gaps.benefit_missed,
        "gap_reasons": gaps.by_reason,
        "letter": str(letter_file) if letter_file else None,
        "files": [str(p3ke_file), str(death_file)],
    }


def render(summary: dict[str, Any], lang: str) -> list[str]:
    """The step's summary as lines in ``lang``."""
    with using(lang):
        if "skipped" in summary:
            return [_("Families and deaths: skipped (%(why)s)", why=summary["skipped"])]
        d = summary["death_list"]
        lines = [
            _("Families and deaths"),
            "  " + _("P3KE list: %(families)s families, %(members)s members",
                     families=formatting.number(summary["families"], lang),
                     members=formatting.number(summary["family_members"], lang)),
            "  " + _("Deaths from claims recorded: %(n)s; contributions to refund: %(n_r)s "
                     "months, %(amount)s",
                     n=summary["deaths_from_claims"], n_r=summary["refunds"],
                     amount=formatting.rupiah(summary["refund_amount"], lang)),
            "  " + _("Dukcapil death list: %(rows)s rows, %(recorded)s recorded, %(review)s "
                     "wait for review, %(refused)s refused",
                     rows=d["rows"], recorded=d["recorded"], review=d["review"],
                     refused=d["refused"]),
            "  " + _("Claims not filed: %(n)s deaths of covered workers, %(amount)s owed to "
                     "their families",
                     n=summary["tasks"],
                     amount=formatting.rupiah(summary["tasks_expected"], lang)),
            "  " + _("Deaths without coverage: %(n)s of %(deaths)s; benefits missed %(amount)s",
                     n=summary["gaps"], deaths=summary["gap_deaths"],
                     amount=formatting.rupiah(summary["benefit_missed"], lang)),
        ]  # fmt: skip
        if summary.get("letter"):
            lines.append("  " + _("Letter to the family: %(file)s", file=summary["letter"]))
        return lines
