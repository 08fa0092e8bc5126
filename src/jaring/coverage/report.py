"""The one-page coverage report for the head of region, as PDF (reportlab, charts from
matplotlib) and XLSX (xlsxwriter, native charts), in Bahasa Indonesia (English on request).

Pure rendering: takes the dict of :func:`jaring.coverage.service.coverage_report` and returns
bytes; the caller decides where they go.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from jaring import formatting as f
from jaring.coverage import charts

T = {
    "title": {
        "id": "Laporan Cakupan Jaminan Sosial Ketenagakerjaan",
        "en": "Employment Social Security Coverage Report",
    },
    "covered": {"id": "Peserta aktif", "en": "Active covered people"},
    "denominator": {"id": "Penyebut", "en": "Denominator"},
    "ratio": {"id": "Rasio cakupan", "en": "Coverage ratio"},
    "bpu": {"id": "Bukan penerima upah (BPU)", "en": "Non-wage workers (BPU)"},
    "pu": {"id": "Penerima upah (PU)", "en": "Wage earners (PU)"},
    "target": {"id": "Target", "en": "Target"},
    "gap": {"id": "Kekurangan dari target", "en": "Gap to target"},
    "ucj": {"id": "UCJ dilaporkan BPJS TK", "en": "UCJ reported by BPJS TK"},
    "spent": {"id": "Belanja iuran APBD", "en": "APBD contributions paid"},
    "per_person": {"id": "Belanja per orang terlindungi", "en": "Spent per person covered"},
    "benefits": {"id": "Manfaat dibayar ke keluarga", "en": "Benefits paid to families"},
    "people": {"id": "orang", "en": "people"},
    "na": {"id": "belum tersedia", "en": "not available"},
    "made": {"id": "Dibuat oleh Jaring", "en": "Made by Jaring"},
    "on": {"id": "per", "en": "on"},
    "district": {"id": "Wilayah", "en": "Region"},
    "month": {"id": "Tanggal", "en": "Date"},
}


def t(key: str, lang: str) -> str:
    return T[key].get(lang, T[key]["id"])


def key_figures(r: dict[str, Any], lang: str = "id") -> list[tuple[str, str]]:
    """The headline figures as (label, formatted value) rows, shared by PDF and XLSX."""
    den = r["denominator"]
    seg = {s["value"]: s["covered"] for s in r["by_segment"]}
    rows = [
        (t("covered", lang), f"{f.number(r['covered'], lang)} {t('people', lang)}"),
        (
            t("denominator", lang),
            f"{f.number(den['value'], lang)} ({den['label']}; {den['source']})"
            if den
            else t("na", lang),
        ),
        (t("ratio", lang), f.percent(r["ratio"], lang)),
        (t("bpu", lang), f.number(seg.get("bpu", 0), lang)),
        (t("pu", lang), f.number(seg.get("pu", 0), lang)),
    ]
    if r.get("target"):
        tg = r["target"]
        rows.append(
            (
                f"{t('target', lang)} {tg['year']}",
                f"{f.number(tg['people'], lang)} ({tg['source']})",
            )
        )
        rows.append((t("gap", lang), f.number(tg["gap_people"], lang)))
    for u in r.get("ucj", []):
        rows.append(
            (
                f"{t('ucj', lang)} ({u['segment'].upper()}, {f.date(u['as_of'], lang)})",
                f"{f.number(u['participants'], lang)} / {f.number(u['working_population'], lang)} = {f.percent(u['ratio'], lang)}",
            )
        )
    money = r["money"]
    spent = money["spent"]
    rows.append(
        (t("spent", lang), f.rupiah(spent["total"], lang) if spent["available"] else t("na", lang))
    )
    rows.append(
        (
            t("per_person", lang),
            f.rupiah(money["spent_per_person"], lang) if spent["available"] else t("na", lang),
        )
    )
    ben = money["benefits_paid"]
    rows.append(
        (
            t("benefits", lang),
            f"{f.rupiah(ben['total'], lang)} ({f.number(ben.get('count'), lang)} klaim)"
            if ben["available"]
            else t("na", lang),
        )
    )
    return rows


def _children(r: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("by_district", "by_regency", "by_village"):
        if key in r:
            return r[key]
    return []


# ------------------------------------------------------------------------------- PDF
def a4_document(buf: io.BytesIO, title: str) -> tuple[Any, float]:
    """The A4 page every Jaring PDF uses (1.5 cm sides, 1.2 cm top and bottom), writing into
    ``buf``, and the width left for content."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.2 * cm,
        bottomMargin=1.2 * cm,
        title=title,
        author="Jaring",
    )
    return doc, A4[0] - 3 * cm


def pdf_styles() -> Any:
    from reportlab.lib.styles import getSampleStyleSheet

    ss = getSampleStyleSheet()
    ss["Title"].fontSize = 14
    ss["Title"].leading = 17
    ss["Normal"].fontSize = 8
    ss["Normal"].leading = 10
    return ss


def figures_table(rows: list[tuple[str, str]], width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Table, TableStyle

    ss = pdf_styles()
    data = [[Paragraph(f"<b>{a}</b>", ss["Normal"]), Paragraph(b, ss["Normal"])] for a, b in rows]
    tbl = Table(data, colWidths=[width * 0.38, width * 0.62])
    tbl.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef3f7")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return tbl


def image(png: bytes, width: float, max_height: float | None = None) -> Any:
    """A chart scaled to ``width``, or smaller so that it is at most ``max_height`` tall (a
    region with many child areas draws a tall bar chart; the report must stay on its page)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    height = width * h / w
    if max_height is not None and height > max_height:
        width, height = max_height * w / h, max_height
    return Image(io.BytesIO(png), width=width, height=height)


def coverage_pdf(r: dict[str, Any], lang: str = "id", made_on: dt.date | None = None) -> bytes:
    """One A4 page: headline figures, coverage trend, coverage by distrik, spending."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer, Table

    ss = pdf_styles()
    buf = io.BytesIO()
    doc, width = a4_document(buf, t("title", lang))
    reg = r["region"]
    story: list[Any] = [
        Paragraph(t("title", lang), ss["Title"]),
        Paragraph(
            f"<b>{reg['name']}</b> ({reg['code']}), {t('on', lang)} {f.date(r['on'], lang)}",
            ss["Normal"],
        ),
        Spacer(1, 0.25 * cm),
        figures_table(key_figures(r, lang), width),
        Spacer(1, 0.3 * cm),
    ]
    half = width / 2 - 0.1 * cm
    left = image(charts.trend(r["trend"], lang), half, max_height=11 * cm)
    kids = _children(r)
    right = image(charts.by_region(kids, lang), half, max_height=11 * cm) if kids else Spacer(1, 1)
    story.append(Table([[left, right]], colWidths=[width / 2, width / 2]))
    spent = r["money"]["spent"]
    if spent["available"] and spent["by_month"]:
        story.append(
            image(charts.spending(spent["by_month"], lang), width * 0.9, max_height=7 * cm)
        )
    made = made_on or dt.date.today()
    story.append(Spacer(1, 0.2 * cm))
    story.append(
        Paragraph(
            f"{t('made', lang)}, {f.date(made, lang)}. "
            + (
                "Peserta aktif: orang dengan periode iuran terbayar yang mencakup tanggal laporan; satu orang dihitung sekali."
                if lang != "en"
                else "Covered: people with a paid coverage period containing the date; each person counted once."
            ),
            ss["Normal"],
        )
    )
    doc.build(story)
    return buf.getvalue()


# ------------------------------------------------------------------------------ XLSX
def coverage_xlsx(r: dict[str, Any], lang: str = "id") -> bytes:
    """A workbook: Ringkasan (headline figures), Wilayah, Tren, Segmen and groups, Belanja;
    numbers are stored as numbers (rupiah formatted "Rp"#,##0) with native charts."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    num = wb.add_format({"num_format": "#,##0"})
    pct = wb.add_format({"num_format": "0.00%"})
    rp = wb.add_format({"num_format": '"Rp"#,##0'})
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})
    reg = r["region"]

    ws = wb.add_worksheet("Ringkasan")
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 70)
    ws.write(0, 0, t("title", lang), title)
    ws.write(1, 0, f"{reg['name']} ({reg['code']}), {t('on', lang)} {f.date(r['on'], lang)}")
    for i, (label, value) in enumerate(key_figures(r, lang), start=3):
        ws.write(i, 0, label, bold)
        ws.write(i, 1, value)
    # the raw numbers beside the text, for formulas
    base = 3 + len(key_figures(r, lang)) + 1
    raw = [
        (t("covered", lang), r["covered"], num),
        (t("denominator", lang), r["denominator"]["value"] if r["denominator"] else None, num),
        (t("ratio", lang), float(r["ratio"]) if r["ratio"] is not None else None, pct),
        (t("spent", lang), r["money"]["spent"]["total"], rp),
        (t("per_person", lang), r["money"]["spent_per_person"], rp),
        (t("benefits", lang), r["money"]["benefits_paid"]["total"], rp),
    ]
    ws.write(base, 0, "Angka" if lang != "en" else "Figures", bold)
    for i, (label, value, fmt) in enumerate(raw, start=base + 1):
        ws.write(i, 0, label)
        if value is None:
            ws.write(i, 1, "-")
        else:
            ws.write_number(i, 1, value, fmt)

    kids = _children(r)
    wsd = wb.add_worksheet("Wilayah")
    wsd.write_row(0, 0, ["Kode", t("district", lang), t("covered", lang)], bold)
    for i, k in enumerate(kids, start=1):
        wsd.write(i, 0, k["code"] or "-")
        wsd.write(i, 1, k["name"])
        wsd.write_number(i, 2, k["covered"], num)
    wsd.set_column(1, 1, 28)
    if kids:
        ch = wb.add_chart({"type": "bar"})
        ch.add_series(
            {
                "name": t("covered", lang),
                "categories": ["Wilayah", 1, 1, len(kids), 1],
                "values": ["Wilayah", 1, 2, len(kids), 2],
            }
        )
        ch.set_legend({"none": True})
        wsd.insert_chart(0, 4, ch)

    wst = wb.add_worksheet("Tren")
    wst.write_row(0, 0, [t("month", lang), t("covered", lang), t("ratio", lang)], bold)
    for i, p in enumerate(r["trend"], start=1):
        wst.write_datetime(i, 0, dt.datetime.combine(p["date"], dt.time()), datef)
        wst.write_number(i, 1, p["covered"], num)
        if p.get("ratio") is not None:
            wst.write_number(i, 2, float(p["ratio"]), pct)
    wst.set_column(0, 0, 12)
    ch = wb.add_chart({"type": "line"})
    n = len(r["trend"])
    ch.add_series(
        {
            "name": t("covered", lang),
            "categories": ["Tren", 1, 0, n, 0],
            "values": ["Tren", 1, 1, n, 1],
        }
    )
    ch.set_legend({"none": True})
    wst.insert_chart(0, 4, ch)

    wsg = wb.add_worksheet("Kelompok")
    row = 0
    for key, label in (
        ("by_segment", "Segmen"),
        ("by_sex", "Jenis kelamin"),
        ("by_age_group", "Kelompok umur"),
        ("by_desil", "Desil"),
        ("by_occupation", "Pekerjaan"),
    ):
        wsg.write(row, 0, label, bold)
        row += 1
        for item in r[key]:
            wsg.write(row, 0, str(item["value"]))
            wsg.write_number(row, 1, item["covered"], num)
            row += 1
        row += 1
    wsg.set_column(0, 0, 24)

    wsb = wb.add_worksheet("Belanja")
    spent = r["money"]["spent"]
    wsb.write_row(0, 0, ["Bulan", "Rupiah"], bold)
    for i, m in enumerate(spent.get("by_month") or [], start=1):
        wsb.write_datetime(i, 0, dt.datetime.combine(m["month"], dt.time()), datef)
        wsb.write_number(i, 1, m["amount"], rp)
    if not spent["available"]:
        wsb.write(1, 0, spent["source"])
    wsb.set_column(0, 1, 18)
    wb.close()
    return buf.getvalue()
