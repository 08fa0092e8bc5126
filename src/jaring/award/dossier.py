"""The Paritrana dossier a candidate presents, as PDF and XLSX in Bahasa Indonesia: the
rubric's notice, each criterion with its evidence (value, origin, document hash) and score,
the jury results so far, and for a region its coverage report with charts.

Pure rendering: takes the dict of :func:`jaring.award.service.dossier`, returns bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from jaring import formatting as f
from jaring.coverage import charts
from jaring.coverage import report as cov

ORIGIN = {"jaring": "data Jaring", "entered": "diisi sekretariat", None: "-"}


def show_value(c: dict[str, Any], lang: str = "id") -> str:
    """An evidence value as people read it: a ratio as a percentage, rupiah as rupiah, a
    level by its label."""
    from decimal import Decimal

    value = c["value"]
    if value is None:
        return "-"
    unit = c.get("unit")
    if unit == "ratio":
        return f.percent(Decimal(value), lang)
    if unit == "ratio_points":
        return ("+" if Decimal(value) >= 0 else "") + f.percent(Decimal(value), lang).replace(
            "%", " poin %"
        )
    if unit == "rupiah":
        return f.rupiah(int(Decimal(value)), lang) + " per penduduk bekerja"
    return c.get("label") or value


def _criteria_rows(d: dict[str, Any], lang: str) -> list[list[str]]:
    rows = []
    for c in d["criteria"]:
        ev = show_value(c, lang)
        if c["file"]:
            ev += f" ({c['file']['name']}, sha256 {c['file']['sha256'][:12]}…)"
        rows.append(
            [
                c["name"].get(lang, c["name"]["id"]),
                f"{c['weight_pct']}%",
                "juri" if c["scored_by"] == "jury" else ORIGIN.get(c["origin"], c["origin"] or "-"),
                ev,
                f"{c['points'] if c['points'] is not None else '-'} / {c['max']}",
                str(c["score"] if c["score"] is not None else "0.00"),
            ]
        )
    return rows


def dossier_pdf(d: dict[str, Any], lang: str = "id", made_on: dt.date | None = None) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    ss = cov.pdf_styles()
    buf = io.BytesIO()
    doc, width = cov.a4_document(buf, f"Dosir {d['edition_name']}")
    cand = d["candidate"]
    res = d["results"]
    story: list[Any] = [
        Paragraph(f"Dosir {d['edition_name']}", ss["Title"]),
        Paragraph(
            f"<b>{cand['name']}</b> ({cand['code']}), kategori {cand['category']}, "
            f"tahun dinilai {d['assessed_year']}",
            ss["Normal"],
        ),
        Paragraph(
            f"<i>{d['rubric']['notice'][lang] if d['rubric'].get('notice') else ''}</i> "
            f"Rubrik: {d['rubric']['code']}.",
            ss["Normal"],
        ),
        Spacer(1, 0.25 * cm),
    ]
    head = ["Kriteria", "Bobot", "Dinilai oleh", "Bukti", "Poin", "Nilai"]
    para = [[Paragraph(str(x), ss["Normal"]) for x in row] for row in _criteria_rows(d, lang)]
    total_row = [
        Paragraph("<b>Total</b>", ss["Normal"]),
        "100%",
        "",
        "",
        "",
        Paragraph(f"<b>{res['total']}</b>", ss["Normal"]),
    ]
    tbl = Table(
        [head, *para, total_row],
        colWidths=[w * width for w in (0.25, 0.08, 0.14, 0.33, 0.09, 0.11)],
    )
    tbl.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f7")),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [tbl, Spacer(1, 0.25 * cm)]
    iv = d["interview"]
    if iv:
        hadir = {True: "hadir", False: "tidak hadir", None: "belum dicatat"}[iv["head_attended"]]
        story.append(
            Paragraph(
                f"Wawancara: {f.date(iv['at'].date() if isinstance(iv['at'], dt.datetime) else iv['at'], lang)}"
                f"{', ' + iv['place'] if iv['place'] else ''}; kepala daerah {hadir}.",
                ss["Normal"],
            )
        )
    story.append(
        Paragraph(
            f"Juri yang telah mengirim nilai: {res['jurors_submitted']} dari {res['panel_size']}. "
            f"Bagian bukti {res['evidence_part']}, bagian juri {res['jury_part']}, "
            f"rentang antarjuri {res['spread']['range'] if res['spread']['range'] is not None else '-'}.",
            ss["Normal"],
        )
    )
    if res["jurors"]:
        jrows = [["Juri", "Kontribusi", "Nilai sendiri"]] + [
            [j["juror"], str(j["contribution"]), str(j["own_total"])] for j in res["jurors"]
        ]
        jt = Table(jrows, colWidths=[width * 0.2, width * 0.2, width * 0.2])
        jt.setStyle(
            TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 7)]
            )
        )
        story += [Spacer(1, 0.15 * cm), jt]
    cr = d.get("coverage")
    if cr:
        story += [
            Spacer(1, 0.3 * cm),
            Paragraph(f"<b>Cakupan per {f.date(cr['on'], lang)}</b>", ss["Normal"]),
            cov.figures_table(cov.key_figures(cr, lang), width),
            Spacer(1, 0.2 * cm),
        ]
        half = width / 2 - 0.1 * cm
        kids = cov._children(cr)
        left = cov.image(charts.trend(cr["trend"], lang), half)
        right = cov.image(charts.by_region(kids, lang), half) if kids else Spacer(1, 1)
        story.append(Table([[left, right]], colWidths=[width / 2, width / 2]))
    story.append(Spacer(1, 0.2 * cm))
    story.append(
        Paragraph(f"Dibuat oleh Jaring, {f.date(made_on or dt.date.today(), lang)}.", ss["Normal"])
    )
    doc.build(story)
    return buf.getvalue()


def dossier_xlsx(d: dict[str, Any], lang: str = "id") -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    dec = wb.add_format({"num_format": "0.00"})
    cand = d["candidate"]
    res = d["results"]
    ws = wb.add_worksheet("Dosir")
    ws.write(0, 0, f"Dosir {d['edition_name']}", title)
    ws.write(
        1,
        0,
        f"{cand['name']} ({cand['code']}), kategori {cand['category']}, tahun dinilai {d['assessed_year']}",
    )
    ws.write(2, 0, d["rubric"]["notice"][lang] if d["rubric"].get("notice") else "")
    head = ["Kriteria", "Bobot %", "Dinilai oleh", "Bukti", "Poin", "Nilai"]
    ws.write_row(4, 0, head, bold)
    for i, (c, row) in enumerate(zip(d["criteria"], _criteria_rows(d, lang), strict=True), start=5):
        ws.write(i, 0, row[0])
        ws.write_number(i, 1, float(c["weight_pct"]))
        ws.write(i, 2, row[2])
        ws.write(i, 3, row[3])
        ws.write(i, 4, row[4])
        ws.write_number(i, 5, float(c["score"] or 0), dec)
    last = 5 + len(d["criteria"])
    ws.write(last, 0, "Total", bold)
    ws.write_number(last, 5, float(res["total"]), dec)
    ws.set_column(0, 0, 40)
    ws.set_column(2, 3, 30)
    wj = wb.add_worksheet("Juri")
    wj.write_row(0, 0, ["Juri", "Kontribusi", "Nilai sendiri"], bold)
    for i, j in enumerate(res["jurors"], start=1):
        wj.write(i, 0, j["juror"])
        wj.write_number(i, 1, float(j["contribution"]), dec)
        wj.write_number(i, 2, float(j["own_total"]), dec)
    cr = d.get("coverage")
    if cr:
        wc = wb.add_worksheet("Cakupan")
        wc.set_column(0, 1, 50)
        for i, (label, value) in enumerate(cov.key_figures(cr, lang)):
            wc.write(i, 0, label, bold)
            wc.write(i, 1, value)
    wb.close()
    return buf.getvalue()
