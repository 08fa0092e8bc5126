"""Demo step: coverage and the Paritrana Award. Kota Sorong's coverage report on the demo's
date (PDF and XLSX), then a small provincial round of the award for Papua Barat Daya: Kota
Sorong and four regencies, nine jurors with synthetic scores, the ranking and Kota Sorong's
dossier. Kota Sorong's measurable criteria fill themselves from the data the earlier steps
left; the four regencies do not run Jaring, so their evidence is entered (synthetic values).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from jaring import formatting as f
from jaring.award import dossier as dossier_render
from jaring.award import service as award
from jaring.coverage import report
from jaring.coverage.service import coverage_report

CITY = "96.71"
REGENCIES = ["96.01", "96.02", "96.03", "96.04"]
EDITION, ASSESSED = 2025, 2024
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
        EDITION,
        ["provinsi", "kabupaten-kota"],
        assessed_year=ASSESSED,
        name=f"Paritrana Award {EDITION}, tahap Provinsi Papua Barat Daya",
    )
    for code in [CITY, *REGENCIES]:
        award.add_candidate(eng, EDITION, "kabupaten-kota", code)
    for code, aff in JURY:
        award.add_juror(eng, EDITION, code, f"Juri {code[1:]} (sintetis)", aff)
    for i, code in enumerate([CITY, *REGENCIES]):
        award.schedule_interview(
            eng, EDITION, code, dt.datetime(2025, 2, 26, 9 + i), place="Kantor Gubernur, Sorong"
        )
    award.add_evidence(
        eng, EDITION, CITY, "regulasi", "perkada", note="Perwali Kota Sorong 4/2021 (RULES.md 7)"
    )
    filled = award.fill_evidence(eng, EDITION, CITY)
    # the four regencies do not run Jaring: synthetic evidence entered by the secretariat
    levels = ["perda", "perkada", "keputusan", "surat_edaran", "tidak_ada"]
    for code in REGENCIES:
        award.add_evidence(eng, EDITION, code, "regulasi", rng.choice(levels[1:]))
        award.add_evidence(eng, EDITION, code, "cakupan_bpu", f"{rng.uniform(0.01, 0.12):.4f}")
        award.add_evidence(eng, EDITION, code, "cakupan_pu", f"{rng.uniform(0.2, 0.6):.4f}")
        award.add_evidence(eng, EDITION, code, "anggaran", str(rng.randrange(0, 9000, 500)))
        award.add_evidence(eng, EDITION, code, "pertumbuhan", f"{rng.uniform(0, 0.02):.4f}")
    quality = {CITY: 4, "96.01": 3, "96.02": 3, "96.03": 4, "96.04": 2}
    for code in [CITY, *REGENCIES]:
        award.record_attendance(eng, EDITION, code, rng.random() < 0.7)
        for j, _ in JURY:
            pts = {
                c: max(1, min(5, quality[code] + rng.choice([-1, 0, 0, 1])))
                for c in ("inovasi", "wawancara")
            }
            award.record_scores(eng, EDITION, code, j, pts, submit=True)
    ranking = award.ranking(eng, EDITION, "kabupaten-kota")
    d = award.dossier(eng, EDITION, CITY)
    (ctx.out_dir / "dosir_paritrana_kota_sorong.pdf").write_bytes(
        dossier_render.dossier_pdf(d, made_on=ctx.today)
    )
    (ctx.out_dir / "dosir_paritrana_kota_sorong.xlsx").write_bytes(dossier_render.dossier_xlsx(d))
    return {
        "edition": EDITION,
        "filled": [{k: x[k] for k in ("criterion", "value", "points")} for x in filled["filled"]],
        "ranking": [
            {
                "rank": r["rank"],
                "code": r["candidate"],
                "name": r["name"],
                "total": r["total"],
                "spread": r["spread"]["range"],
                "decided_by": r["decided_by"],
            }
            for r in ranking["ranking"]
        ],
        "tie_break": ranking["tie_break"],
        "dossier": ["dosir_paritrana_kota_sorong.pdf", "dosir_paritrana_kota_sorong.xlsx"],
    }


def run(ctx: Any) -> dict[str, Any]:
    r = coverage_report(ctx.engine, CITY, ctx.today)
    (ctx.out_dir / "laporan_cakupan_kota_sorong.pdf").write_bytes(
        report.coverage_pdf(r, made_on=ctx.today)
    )
    (ctx.out_dir / "laporan_cakupan_kota_sorong.xlsx").write_bytes(report.coverage_xlsx(r))
    money = r["money"]
    return {
        "region": r["region"],
        "on": r["on"].isoformat(),
        "covered": r["covered"],
        "ratio": str(r["ratio"]) if r["ratio"] is not None else None,
        "denominator": r["denominator"],
        "by_segment": {s["value"]: s["covered"] for s in r["by_segment"]},
        "by_district": {d["name"]: d["covered"] for d in r.get("by_district", [])},
        "spent": money["spent"]["total"],
        "spent_per_person": money["spent_per_person"],
        "benefits_paid": money["benefits_paid"]["total"],
        "reports": ["laporan_cakupan_kota_sorong.pdf", "laporan_cakupan_kota_sorong.xlsx"],
        "award": _round(ctx),
    }


def render(summary: dict[str, Any], lang: str) -> list[str]:
    en = lang == "en"
    den = summary["denominator"]
    ratio = f.percent(summary["ratio"], lang) if summary["ratio"] else "-"
    lines = [
        ("Coverage, Kota Sorong, " if en else "Cakupan Kota Sorong, ")
        + f.date(dt.date.fromisoformat(summary["on"]), lang)
        + ": "
        + f.number(summary["covered"], lang)
        + (" workers covered" if en else " pekerja terlindungi")
        + (
            f" ({ratio} of {den['label']})"
            if en and den
            else f" ({ratio} dari {den['label']})"
            if den
            else ""
        ),
    ]
    if summary["spent"] is not None:
        lines.append(
            ("APBD paid: " if en else "APBD terbayar: ")
            + f.rupiah(summary["spent"], lang)
            + (", per person " if en else ", per orang ")
            + f.rupiah(summary["spent_per_person"], lang)
            + ("; benefits paid " if en else "; manfaat dibayar ")
            + f.rupiah(summary["benefits_paid"], lang)
        )
    lines.append(("Report: " if en else "Laporan: ") + ", ".join(summary["reports"]))
    a = summary["award"]
    lines.append(
        f"Paritrana Award {a['edition']}, "
        + ("Papua Barat Daya round (9 jurors):" if en else "tahap Papua Barat Daya (9 juri):")
    )
    for r in a["ranking"]:
        tie = f" [{r['decided_by']}]" if r["decided_by"] not in (None, "total") else ""
        lines.append(f"  {r['rank']}. {r['name']} {r['total']}{tie}")
    lines.append(("Dossier: " if en else "Dosir: ") + ", ".join(a["dossier"]))
    return lines
