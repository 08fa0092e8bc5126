"""The one-page coverage report for the head of region, as PDF (reportlab, charts from
matplotlib) and XLSX (xlsxwriter, native charts), in Bahasa Indonesia (English on request).

Pure rendering: takes a :class:`~jaring.coverage.queries.CoverageReport` and returns bytes;
the caller decides where they go. Also the A4 page, styles, figure table and chart images
that the award's dossier shares.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from jaring import formatting as f
from jaring import i18n
from jaring.coverage import charts, errors
from jaring.coverage.queries.indicators import CoverageReport
from jaring.i18n import _

FORMATS = ("pdf", "xlsx")  # what a report is rendered as


def _where(r: CoverageReport, name: str, lang: str) -> str:
    """``Kota Sorong (96.71), per 31 Desember 2024``."""
    return _(
        "%(region)s (%(code)s), on %(day)s", region=name, code=r.region.code, day=f.date(r.on, lang)
    )


def key_figures(r: CoverageReport, lang: str = "id") -> list[tuple[str, str]]:
    """The headline figures as (label, formatted value) rows, shared by PDF, XLSX and the
    dossier."""
    with i18n.using(lang):
        return _key_figures(r, lang)


def _key_figures(r: CoverageReport, lang: str) -> list[tuple[str, str]]:
    den = r.denominator
    seg = {s.value: s.covered for s in r.by_segment}
    na = _("not available")
    rows = [
        (_("Active covered people"), _("%(n)s people", n=f.number(r.covered, lang))),
        (
            _("Denominator"),
            f"{f.number(den.value, lang)} ({den.label}; {den.source})" if den else na,
        ),
        (_("Coverage ratio"), f.percent(r.ratio, lang)),
        (_("Non-wage workers (BPU)"), f.number(seg.get("bpu", 0), lang)),
        (_("Wage earners (PU)"), f.number(seg.get("pu", 0), lang)),
    ]
    if r.target:
        tg = r.target
        rows.append(
            (
                _("Target %(year)s", year=tg.year),
                f"{f.number(tg.people, lang)} ({tg.source})",
            )
        )
        rows.append((_("Gap to target"), f.number(tg.gap_people, lang)))
    for u in r.ucj:
        rows.append(
            (
                _(
                    "UCJ reported by BPJS TK (%(segment)s, %(day)s)",
                    segment=u.segment.upper(),
                    day=f.date(u.as_of, lang),
                ),
                f"{f.number(u.participants, lang)} / {f.number(u.working_population, lang)}"
                f" = {f.percent(u.ratio, lang)}",
            )
        )
    money = r.money
    spent = money.spent
    rows.append(
        (_("APBD contributions paid"), f.rupiah(spent.total, lang) if spent.available else na)
    )
    rows.append(
        (
            _("Spent per person covered"),
            f.rupiah(money.spent_per_person, lang) if spent.available else na,
        )
    )
    ben = money.benefits_paid
    rows.append(
        (
            _("Benefits paid to families"),
            _(
                "%(amount)s (%(n)s claims)",
                amount=f.rupiah(ben.total, lang),
                n=f.number(ben.count, lang),
            )
            if ben.available
            else na,
        )
    )
    return rows


# ------------------------------------------------------------------------------- PDF
def a4_document(buf: io.BytesIO, title: str) -> tuple[SimpleDocTemplate, float]:
    """The A4 page every Jaring PDF uses (1.5 cm sides, 1.2 cm top and bottom), writing into
    ``buf``, and the width left for content."""
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


def pdf_styles() -> StyleSheet1:
    """Reportlab's sample styles at the sizes of a one-page report."""
    ss = getSampleStyleSheet()
    ss["Title"].fontSize = 14
    ss["Title"].leading = 17
    ss["Normal"].fontSize = 8
    ss["Normal"].leading = 10
    return ss


def figures_table(rows: list[tuple[str, str]], width: float) -> Table:
    """Label and value rows as a two-column table, labels shaded."""
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


def image(png: bytes, width: float, max_height: float | None = None) -> Image:
    """A chart scaled to ``width``, or smaller so that it is at most ``max_height`` tall (a
    region with many child areas draws a tall bar chart; the report must stay on its page)."""
    reader = ImageReader(io.BytesIO(png))
    w, h = reader.getSize()
    height = width * h / w
    if max_height is not None and height > max_height:
        width, height = max_height * w / h, max_height
    return Image(io.BytesIO(png), width=width, height=height)


def coverage_pdf(r: CoverageReport, lang: str = "id", made_on: dt.date | None = None) -> bytes:
    """One A4 page: headline figures, coverage trend, coverage by distrik, spending, the day
    it was made (default today). Refuses ``report_does_not_fit`` when the region's figures
    cannot fit the page (the XLSX has no such limit)."""
    with i18n.using(lang):
        return _coverage_pdf(r, lang, made_on or dt.date.today())


def _coverage_pdf(r: CoverageReport, lang: str, made: dt.date) -> bytes:
    ss = pdf_styles()
    buf = io.BytesIO()
    title = _("Employment Social Security Coverage Report")
    doc, width = a4_document(buf, title)
    reg = r.region
    story: list[Any] = [
        Paragraph(title, ss["Title"]),
        Paragraph(_where(r, f"<b>{reg.name}</b>", lang), ss["Normal"]),
        Spacer(1, 0.25 * cm),
        figures_table(_key_figures(r, lang), width),
        Spacer(1, 0.3 * cm),
    ]
    half = width / 2 - 0.1 * cm
    left = image(charts.trend(r.trend, lang), half, max_height=11 * cm)
    kids = r.children
    right = image(charts.by_region(kids, lang), half, max_height=11 * cm) if kids else Spacer(1, 1)
    story.append(Table([[left, right]], colWidths=[width / 2, width / 2]))
    spent = r.money.spent
    if spent.available and spent.by_month:
        story.append(image(charts.spending(spent.by_month, lang), width * 0.9, max_height=7 * cm))
    story.append(Spacer(1, 0.2 * cm))
    story.append(
        Paragraph(
            _("Made by Jaring, %(day)s.", day=f.date(made, lang))
            + " "
            + _(
                "Covered: people with a paid coverage period containing the date; each person "
                "counted once."
            ),
            ss["Normal"],
        )
    )
    try:
        doc.build(story)
    except LayoutError:
        raise errors.REPORT_DOES_NOT_FIT(region=reg.code) from None
    return buf.getvalue()


# ------------------------------------------------------------------------------ XLSX
SHEETS = ("Ringkasan", "Wilayah", "Tren", "Kelompok", "Belanja")  # fixed: formulas name them


def coverage_xlsx(r: CoverageReport, lang: str = "id") -> bytes:
    """A workbook: Ringkasan (headline figures), Wilayah, Tren, Kelompok (segment and other
    groups), Belanja; numbers are stored as numbers (rupiah formatted "Rp"#,##0) with
    native charts. The sheet names stay Indonesian in every language."""
    with i18n.using(lang):
        return _coverage_xlsx(r, lang)


def _coverage_xlsx(r: CoverageReport, lang: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    num = wb.add_format({"num_format": "#,##0"})
    pct = wb.add_format({"num_format": "0.00%"})
    rp = wb.add_format({"num_format": '"Rp"#,##0'})
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})
    reg = r.region
    covered = _("Active covered people")
    summary, areas, trend, groups, spending = SHEETS

    ws = wb.add_worksheet(summary)
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 70)
    ws.write(0, 0, _("Employment Social Security Coverage Report"), title)
    ws.write(1, 0, _where(r, reg.name, lang))
    figures = _key_figures(r, lang)
    for i, (label, text) in enumerate(figures, start=3):
        ws.write(i, 0, label, bold)
        ws.write(i, 1, text)
    # the raw numbers beside the text, for formulas
    base = 3 + len(figures) + 1
    raw = [
        (covered, r.covered, num),
        (_("Denominator"), r.denominator.value if r.denominator else None, num),
        (_("Coverage ratio"), float(r.ratio) if r.ratio is not None else None, pct),
        (_("APBD contributions paid"), r.money.spent.total, rp),
        (_("Spent per person covered"), r.money.spent_per_person, rp),
        (_("Benefits paid to families"), r.money.benefits_paid.total, rp),
    ]
    ws.write(base, 0, _("Figures"), bold)
    for i, (name, value, fmt) in enumerate(raw, start=base + 1):
        ws.write(i, 0, name)
        if value is None:
            ws.write(i, 1, "-")
        else:
            ws.write_number(i, 1, value, fmt)

    kids = r.children
    wsd = wb.add_worksheet(areas)
    wsd.write_row(0, 0, [_("Code"), _("Region"), covered], bold)
    for i, k in enumerate(kids, start=1):
        wsd.write(i, 0, k.code or "-")
        wsd.write(i, 1, k.name)
        wsd.write_number(i, 2, k.covered, num)
    wsd.set_column(1, 1, 28)
    if kids:
        ch = wb.add_chart({"type": "bar"})
        ch.add_series(
            {
                "name": covered,
                "categories": [areas, 1, 1, len(kids), 1],
                "values": [areas, 1, 2, len(kids), 2],
            }
        )
        ch.set_legend({"none": True})
        wsd.insert_chart(0, 4, ch)

    wst = wb.add_worksheet(trend)
    wst.write_row(0, 0, [_("Date"), covered, _("Coverage ratio")], bold)
    for i, p in enumerate(r.trend, start=1):
        wst.write_datetime(i, 0, dt.datetime.combine(p.date, dt.time()), datef)
        wst.write_number(i, 1, p.covered, num)
        if p.ratio is not None:
            wst.write_number(i, 2, float(p.ratio), pct)
    wst.set_column(0, 0, 12)
    ch = wb.add_chart({"type": "line"})
    n = len(r.trend)
    ch.add_series(
        {"name": covered, "categories": [trend, 1, 0, n, 0], "values": [trend, 1, 1, n, 1]}
    )
    ch.set_legend({"none": True})
    wst.insert_chart(0, 4, ch)

    wsg = wb.add_worksheet(groups)
    row = 0
    for label, items in (
        (_("Segment"), r.by_segment),
        (_("Sex"), r.by_sex),
        (_("Age group"), r.by_age_group),
        (_("Desil"), r.by_desil),
        (_("Occupation"), r.by_occupation),
    ):
        wsg.write(row, 0, label, bold)
        row += 1
        for item in items:
            wsg.write(row, 0, str(item.value))
            wsg.write_number(row, 1, item.covered, num)
            row += 1
        row += 1
    wsg.set_column(0, 0, 24)

    wsb = wb.add_worksheet(spending)
    spent = r.money.spent
    wsb.write_row(0, 0, [_("Month"), "Rupiah"], bold)
    for i, m in enumerate(spent.by_month, start=1):
        wsb.write_datetime(i, 0, dt.datetime.combine(m.month, dt.time()), datef)
        wsb.write_number(i, 1, m.amount, rp)
    if not spent.available:
        wsb.write(1, 0, spent.source)
    wsb.set_column(0, 1, 18)
    wb.close()
    return buf.getvalue()
