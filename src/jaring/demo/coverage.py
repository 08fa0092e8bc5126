"""Demo step: coverage and the Paritrana Award. Kota Sorong's coverage report on the demo's
date (PDF and XLSX), then a small provincial round of the award for Papua Barat Daya: Kota
Sorong and four regencies, nine jurors with synthetic scores, the ranking and Kota Sorong's
dossier. Kota Sorong's measurable criteria fill themselves from the data the earlier steps
left; the four regencies do not run Jaring, so their evidence is entered (synthetic values).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from typing import Any

from jaring import formatting as f
from jaring import i18n, labels
from jaring.access import Actor
from jaring.award import actions as award
from jaring.award import dossier as dossier_render
from jaring.award import queries as award_queries
from jaring.award.ties import tie_words
from jaring.coverage import queries, report
from jaring.i18n import _

CITY = "96.71"
REGENCIES = ["96.01", "96.02", "96.03", "96.04"]
EDITION, ASSESSED = 2025, 2024
SYSTEM = Actor.system()  # the demo runs as the machine's own operator
JURY = [
    ("J1", "Disnakertrans Provinsi"),
    ("J2", "Disnakertrans Provinsi"),
    ("J3", "APINDO"),
    ("J4", "APINDO"),
    ("J5", "Serikat pekerja"),
    ("J6", "Serikat pekerja"),
    ("J7", "Akademisi"),
    ("J8", "Akademisi"),
    ("J9", "Tokoh masyarakat"),
]


def _round(ctx: Any) -> dict[str, Any]:
    eng = ctx.engine
    rng = random.Random(ctx.seed)
    award.create_edition(
        eng,
        SYSTEM,
        EDITION,
        ["provinsi", "kabupaten-kota"],
        assessed_year=ASSESSED,
        name=f"Paritrana Award {EDITION}, tahap Provinsi Papua Barat Daya",
        stage="wawancara-provinsi",  # the provincial interview, before a regional team
    )
    for code in [CITY, *REGENCIES]:
        award.add_candidate(eng, SYSTEM, EDITION, "kabupaten-kota", code)
    for code, aff in JURY:
        award.add_juror(eng, SYSTEM, EDITION, code, f"Juri {code[1:]} (sintetis)", aff)
    for i, code in enumerate([CITY, *REGENCIES]):
        award.schedule_interview(
            eng,
            SYSTEM,
            EDITION,
            code,
            dt.datetime(2025, 2, 26, 9 + i),
            place="Kantor Gubernur, Sorong",
        )
    award.add_evidence(
        eng,
        SYSTEM,
        EDITION,
        CITY,
        "regulasi",
        "perkada",
        note="Perwali Kota Sorong 4/2021",
    )
    filled = award.fill_evidence(eng, SYSTEM, EDITION, CITY)
    # the four regencies do not run Jaring: synthetic evidence entered by the secretariat
    levels = ["perda", "perkada", "keputusan", "surat_edaran", "tidak_ada"]
    for code in REGENCIES:
        for criterion, value in (
            ("regulasi", rng.choice(levels[1:])),
            ("cakupan_bpu", f"{rng.uniform(0.01, 0.12):.4f}"),
            ("cakupan_pu", f"{rng.uniform(0.2, 0.6):.4f}"),
            ("anggaran", str(rng.randrange(0, 9000, 500))),
            ("pertumbuhan", f"{rng.uniform(0, 0.02):.4f}"),
        ):
            award.add_evidence(eng, SYSTEM, EDITION, code, criterion, value)
    quality = {CITY: 4, "96.01": 3, "96.02": 3, "96.03": 4, "96.04": 2}
    for code in [CITY, *REGENCIES]:
        award.record_attendance(eng, SYSTEM, EDITION, code, rng.random() < 0.7)
        for j, _aff in JURY:
            pts = {
                c: max(1, min(5, quality[code] + rng.choice([-1, 0, 0, 1])))
                for c in ("inovasi", "wawancara")
            }
            award.record_scores(eng, SYSTEM, EDITION, code, pts, submit=True, juror=j)
    ranking = award_queries.ranking(eng, SYSTEM, EDITION, "kabupaten-kota")
    d = award_queries.dossier(eng, SYSTEM, EDITION, CITY)
    (ctx.out_dir / "dosir_paritrana_kota_sorong.pdf").write_bytes(
        dossier_render.dossier_pdf(d, made_on=ctx.today)
    )
    (ctx.out_dir / "dosir_paritrana_kota_sorong.xlsx").write_bytes(dossier_render.dossier_xlsx(d))
    return {
        "edition": EDITION,
        "filled": [
            {"criterion": x.criterion, "value": x.value, "points": x.points} for x in filled.filled
        ],
        "ranking": [
            {
                "rank": r.rank,
                "code": r.candidate,
                "name": r.name,
                "total": r.total,
                "spread": r.spread.range,
                "decided_by": r.decided_by,
            }
            for r in ranking.ranking
        ],
        "tie_break": ranking.tie_break,
        "stage": ranking.stage,
        "ties": {lang: _ties(ranking, lang) for lang in ("id", "en")},
        "dossier": ["dosir_paritrana_kota_sorong.pdf", "dosir_paritrana_kota_sorong.xlsx"],
    }


def _ties(ranking: Any, lang: str) -> dict[str, str]:
    with i18n.using(lang):
        return tie_words(ranking, lang)


def run(ctx: Any) -> dict[str, Any]:
    r = queries.coverage_report(ctx.engine, SYSTEM, CITY, ctx.today)
    (ctx.out_dir / "laporan_cakupan_kota_sorong.pdf").write_bytes(
        report.coverage_pdf(r, made_on=ctx.today)
    )
    (ctx.out_dir / "laporan_cakupan_kota_sorong.xlsx").write_bytes(report.coverage_xlsx(r))
    money = r.money
    return {
        "region": dataclasses.asdict(r.region),
        "on": r.on.isoformat(),
        "covered": r.covered,
        "ratio": str(r.ratio) if r.ratio is not None else None,
        "denominator": None if r.denominator is None else dataclasses.asdict(r.denominator),
        "by_segment": {s.value: s.covered for s in r.by_segment},
        "by_district": {d.name: d.covered for d in r.by_district or []},
        "spent": money.spent.total,
        "spent_per_person": money.spent_per_person,
        "benefits_paid": money.benefits_paid.total,
        "reports": ["laporan_cakupan_kota_sorong.pdf", "laporan_cakupan_kota_sorong.xlsx"],
        "award": _round(ctx),
    }


def render(summary: dict[str, Any], lang: str) -> list[str]:
    """The step's summary as lines of text in ``lang``."""
    with i18n.using(lang):
        return _render(summary, lang)


def _render(summary: dict[str, Any], lang: str) -> list[str]:
    den = summary["denominator"]
    ratio = f.percent(Decimal(summary["ratio"]), lang) if summary["ratio"] else "-"
    day = f.date(dt.date.fromisoformat(summary["on"]), lang)
    covered = f.number(summary["covered"], lang)
    if den:
        head = _(
            "Coverage, Kota Sorong, %(day)s: %(n)s workers covered (%(ratio)s of %(label)s)",
            day=day,
            n=covered,
            ratio=ratio,
            label=den["label"],
        )
    else:
        head = _("Coverage, Kota Sorong, %(day)s: %(n)s workers covered", day=day, n=covered)
    lines = [head]
    if summary["spent"] is not None:
        lines.append(
            _(
                "APBD paid: %(spent)s, per person %(per)s; benefits paid %(benefits)s",
                spent=f.rupiah(summary["spent"], lang),
                per=f.rupiah(summary["spent_per_person"], lang),
                benefits=f.rupiah(summary["benefits_paid"], lang),
            )
        )
    lines.append(_("Report: %(files)s", files=", ".join(summary["reports"])))
    a = summary["award"]
    lines.append(
        _(
            "Paritrana Award %(edition)s, Papua Barat Daya, stage: %(stage)s",
            edition=a["edition"],
            stage=labels.label("award_stage", a["stage"], lang),
        )
    )
    ties = a["ties"].get(lang, {})
    for r in a["ranking"]:
        total = (
            f.number(Decimal(str(r["total"])), lang, digits=2) if r["total"] is not None else "-"
        )
        tie = f" ({ties[r['code']]})" if r["code"] in ties else ""
        lines.append(f"  {r['rank']}. {r['name']} {total}{tie}")
    lines.append(_("Dossier: %(files)s", files=", ".join(a["dossier"])))
    return lines
