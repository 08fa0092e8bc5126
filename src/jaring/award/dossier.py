"""The Paritrana dossier a candidate presents, as PDF and XLSX (Bahasa Indonesia unless asked
otherwise): the rubric's notice, each criterion with its evidence (value, origin, document
hash) and score, the jury results so far, and for a region its coverage report with charts.

Pure rendering: takes a :class:`~jaring.award.queries.Dossier`, returns bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from jaring import formatting as f
from jaring import i18n, labels
from jaring.award import rubric
from jaring.award.queries import Dossier, DossierCriterion
from jaring.coverage import charts
from jaring.coverage import report as cov
from jaring.i18n import _

SHEETS = ("Dosir", "Juri", "Cakupan")  # fixed in every language


def _origin(origin: str | None) -> str:
    if origin == "jaring":
        return _("Jaring data")
    if origin == "entered":
        return _("entered by the secretariat")
    return origin or "-"


def show_value(c: DossierCriterion, lang: str = "id") -> str:
    """An evidence value as people read it: a ratio as a percentage, rupiah as rupiah, a
    level by its label."""
    with i18n.using(lang):
        return _show_value(c, lang)


def _show_value(c: DossierCriterion, lang: str) -> str:
    if c.unit == "rupiah" and c.value is not None:
        return _(
            "%(amount)s per working person",
            amount=rubric.value_words(c.value, unit="rupiah", lang=lang),
        )
    return c.label or rubric.value_words(c.value, unit=c.unit, lang=lang)


def _criteria_rows(d: Dossier, lang: str) -> list[list[str]]:
    rows = []
    for c in d.criteria:
        ev = _show_value(c, lang)
        if c.file:
            ev += f" ({c.file.name}, sha256 {c.file.sha256[:12]}…)"
        rows.append(
            [
                c.name.get(lang, c.name["id"]),
                f"{c.weight_pct}%",
                _("jury") if c.scored_by == "jury" else _origin(c.origin),
                ev,
                f"{c.points if c.points is not None else '-'} / {c.max}",
                str(c.score if c.score is not None else "0.00"),
            ]
        )
    return rows


def _headline(d: Dossier, name: str) -> str:
    cand = d.candidate
    return (
        _(
            "%(name)s (%(code)s), category %(category)s, assessed year %(year)s",
            name=name,
            code=cand.code,
            category=cand.category,
            year=d.assessed_year,
        )
        + "; "
        + _(
            "criteria and scores of the %(stage)s stage", stage=labels.label("award_stage", d.stage)
        )
    )


def _notice(d: Dossier, lang: str) -> str:
    notice = d.rubric.notice
    return notice.get(lang, notice.get("id", "")) if notice else ""


def dossier_pdf(d: Dossier, lang: str = "id", made_on: dt.date | None = None) -> bytes:
    """The dossier on A4 pages, made on ``made_on`` (default today)."""
    with i18n.using(lang):
        return _dossier_pdf(d, lang, made_on or dt.date.today())


def _dossier_pdf(d: Dossier, lang: str, made: dt.date) -> bytes:
    ss = cov.pdf_styles()
    buf = io.BytesIO()
    title = _("Dossier %(edition)s", edition=d.edition_name)
    doc, width = cov.a4_document(buf, title)
    res = d.results
    story: list[Any] = [
        Paragraph(title, ss["Title"]),
        Paragraph(_headline(d, f"<b>{d.candidate.name}</b>"), ss["Normal"]),
        Paragraph(
            f"<i>{_notice(d, lang)}</i> " + _("Rubric: %(code)s.", code=d.rubric.code),
            ss["Normal"],
        ),
        Spacer(1, 0.25 * cm),
    ]
    head = [_("Criterion"), _("Weight"), _("Scored by"), _("Evidence"), _("Points"), _("Score")]
    para = [[Paragraph(str(x), ss["Normal"]) for x in row] for row in _criteria_rows(d, lang)]
    total_row = [
        Paragraph("<b>" + _("Total") + "</b>", ss["Normal"]),
        f"{d.max_total.normalize():f}%",
        "",
        "",
        "",
        Paragraph(f"<b>{res.total}</b>", ss["Normal"]),
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
    iv = d.interview
    if iv:
        attended = {
            True: _("attended"),
            False: _("did not attend"),
            None: _("not recorded yet"),
        }[iv.head_attended]
        story.append(
            Paragraph(
                _(
                    "Interview: %(day)s%(place)s; head of region %(attended)s.",
                    day=f.date(iv.at.date(), lang),
                    place=", " + iv.place if iv.place else "",
                    attended=attended,
                ),
                ss["Normal"],
            )
        )
    story.append(
        Paragraph(
            _(
                "Jurors who submitted: %(n)s of %(panel)s. Evidence part %(evidence)s, jury part "
                "%(jury)s, spread between jurors %(spread)s.",
                n=res.jurors_submitted,
                panel=res.panel_size,
                evidence=res.evidence_part,
                jury=res.jury_part,
                spread=res.spread.range if res.spread.range is not None else "-",
            ),
            ss["Normal"],
        )
    )
    if res.jurors:
        jrows = [[_("Juror"), _("Contribution"), _("Own total")]] + [
            [j.juror, str(j.contribution), str(j.own_total)] for j in res.jurors
        ]
        jt = Table(jrows, colWidths=[width * 0.2, width * 0.2, width * 0.2])
        jt.setStyle(
            TableStyle(
                [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("FONTSIZE", (0, 0), (-1, -1), 7)]
            )
        )
        story += [Spacer(1, 0.15 * cm), jt]
    cr = d.coverage
    if cr:
        story += [
            Spacer(1, 0.3 * cm),
            Paragraph(
                "<b>" + _("Coverage on %(day)s", day=f.date(cr.on, lang)) + "</b>", ss["Normal"]
            ),
            cov.figures_table(cov.key_figures(cr, lang), width),
            Spacer(1, 0.2 * cm),
        ]
        half = width / 2 - 0.1 * cm
        kids = cr.children
        left = cov.image(charts.trend(cr.trend, lang), half)
        right = cov.image(charts.by_region(kids, lang), half) if kids else Spacer(1, 1)
        story.append(Table([[left, right]], colWidths=[width / 2, width / 2]))
    story.append(Spacer(1, 0.2 * cm))
    story.append(Paragraph(_("Made by Jaring, %(day)s.", day=f.date(made, lang)), ss["Normal"]))
    doc.build(story)
    return buf.getvalue()


def dossier_xlsx(d: Dossier, lang: str = "id") -> bytes:
    """The dossier as a workbook: sheets Dosir (criteria and total), Juri (contributions)
    and, for a region, Cakupan (its coverage figures)."""
    with i18n.using(lang):
        return _dossier_xlsx(d, lang)


def _dossier_xlsx(d: Dossier, lang: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    dec = wb.add_format({"num_format": "0.00"})
    res = d.results
    dossier_sheet, jury_sheet, coverage_sheet = SHEETS
    ws = wb.add_worksheet(dossier_sheet)
    ws.write(0, 0, _("Dossier %(edition)s", edition=d.edition_name), title)
    ws.write(1, 0, _headline(d, d.candidate.name))
    ws.write(2, 0, _notice(d, lang))
    head = [
        _("Criterion"),
        _("Weight") + " %",
        _("Scored by"),
        _("Evidence"),
        _("Points"),
        _("Score"),
    ]
    ws.write_row(4, 0, head, bold)
    for i, (c, row) in enumerate(zip(d.criteria, _criteria_rows(d, lang), strict=True), start=5):
        ws.write(i, 0, row[0])
        ws.write_number(i, 1, float(c.weight_pct))
        ws.write(i, 2, row[2])
        ws.write(i, 3, row[3])
        ws.write(i, 4, row[4])
        ws.write_number(i, 5, float(c.score or 0), dec)
    last = 5 + len(d.criteria)
    ws.write(last, 0, _("Total"), bold)
    ws.write_number(last, 5, float(res.total or 0), dec)
    ws.set_column(0, 0, 40)
    ws.set_column(2, 3, 30)
    wj = wb.add_worksheet(jury_sheet)
    wj.write_row(0, 0, [_("Juror"), _("Contribution"), _("Own total")], bold)
    for i, j in enumerate(res.jurors, start=1):
        wj.write(i, 0, j.juror)
        wj.write_number(i, 1, float(j.contribution or 0), dec)
        wj.write_number(i, 2, float(j.own_total or 0), dec)
    cr = d.coverage
    if cr:
        wc = wb.add_worksheet(coverage_sheet)
        wc.set_column(0, 1, 50)
        for i, (label, value) in enumerate(cov.key_figures(cr, lang)):
            wc.write(i, 0, label, bold)
            wc.write(i, 1, value)
    wb.close()
    return buf.getvalue()
