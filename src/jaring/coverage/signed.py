"""The coverage report a head of region signs, as PDF (reportlab): a cover under the region's
letterhead (the Pemda's name and logo, set once by an administrator), an executive summary
in plain words, target against actual, the distrik map and the coverage by distrik, the trend
and the budget's burn-down, and a signature block.

Pure rendering: the caller gives the report, the figures, the outlines and the letterhead;
bytes come back. Every chart keeps its drawn aspect (images are scaled by width and height
together; the map is drawn as vector shapes in one scale for both axes)."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from jaring import formatting as f
from jaring import i18n
from jaring.coverage import charts
from jaring.coverage.queries.figures import Figures
from jaring.coverage.queries.indicators import CoverageReport
from jaring.coverage.report import a4_document, figures_table, image, key_figures, pdf_styles
from jaring.i18n import _

SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#e6e6e6"


@dataclass(frozen=True)
class Head:
    """What heads and signs the report (a region's letterhead, or Jaring's own)."""

    authority: str
    office: str = ""
    address: str = ""
    signatory: str = ""
    signatory_title: str = ""
    logo: bytes | None = None


def summary_sentences(r: CoverageReport, fig: Figures, lang: str) -> list[str]:
    """The executive summary: what the figures say, in plain sentences."""
    out = [
        _(
            "On %(day)s, %(covered)s workers in %(region)s were protected by employment "
            "social security paid through Jaring.",
            day=f.date(r.on, lang),
            covered=f.number(r.covered, lang),
            region=r.region.name,
        )
    ]
    if r.denominator is not None and r.ratio is not None:
        out.append(
            _(
                "That is %(ratio)s of the %(den)s counted as %(label)s.",
                ratio=f.percent(r.ratio, lang),
                den=f.number(r.denominator.value, lang),
                label=r.denominator.label,
            )
        )
    tg = r.target
    if tg is not None and tg.people is not None:
        if tg.met:
            out.append(
                _(
                    "The %(year)s target of %(target)s people is met.",
                    year=tg.year,
                    target=f.number(tg.people, lang),
                )
            )
        else:
            out.append(
                _(
                    "The %(year)s target is %(target)s people: %(gap)s more are needed.",
                    year=tg.year,
                    target=f.number(tg.people, lang),
                    gap=f.number(tg.gap_people, lang),
                )
            )
    areas = [a for a in fig.areas if a.share is not None]
    if len(areas) >= 2:
        best = max(areas, key=lambda a: (a.share or 0, a.people))
        worst = min(areas, key=lambda a: (a.share or 0, -a.people))
        out.append(
            _(
                "Coverage is highest in %(best)s (%(bs)s of those registered) and lowest in "
                "%(worst)s (%(ws)s).",
                best=best.name,
                bs=f.percent(best.share, lang, digits=1),
                worst=worst.name,
                ws=f.percent(worst.share, lang, digits=1),
            )
        )
    if fig.budget:
        now = next((b for b in reversed(fig.burn_down) if b.month <= r.on), fig.burn_down[0])
        out.append(
            _(
                "Of the %(year)s budget of %(budget)s, %(spent)s has been paid, %(committed)s "
                "is invoiced and not yet paid, and %(unspent)s is not yet invoiced.",
                year=fig.on.year,
                budget=f.rupiah(fig.budget, lang),
                spent=f.rupiah(now.spent, lang),
                committed=f.rupiah(now.committed, lang),
                unspent=f.rupiah(now.unspent, lang),
            )
        )
    return out


def map_drawing(
    shapes: Mapping[str, Mapping[str, Any]],
    shares: Mapping[str, float],
    width: float,
    height: float,
) -> Drawing:
    """The areas coloured by coverage, one scale for both axes (the map keeps its shape),
    with a legend, fitted inside ``width`` x ``height``."""
    pts = [p for s in shapes.values() for ring in s["r"] for p in ring]
    d = Drawing(width, height)
    if not pts:
        return d
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    kx = math.cos(math.radians((min(ys) + max(ys)) / 2 / 10_000))
    legend = 18
    span_x, span_y = max(1.0, (max(xs) - min(xs)) * kx), max(1.0, float(max(ys) - min(ys)))
    scale = min(width / span_x, (height - legend) / span_y)
    ox = (width - span_x * scale) / 2
    for code, s in sorted(shapes.items()):
        share = shares.get(code)
        fill = NO_DATA if share is None else SHADES[min(4, int(max(share, 0.0) * 5))]
        for ring in s["r"]:
            flat: list[float] = []
            for x, y in ring:
                flat += [ox + (x - min(xs)) * kx * scale, legend + (y - min(ys)) * scale]
            d.add(
                Polygon(
                    flat,
                    fillColor=colors.HexColor(fill),
                    strokeColor=colors.white,
                    strokeWidth=0.6,
                )
            )
    for k, shade in enumerate(SHADES):
        d.add(Rect(k * 62, 2, 10, 9, fillColor=colors.HexColor(shade), strokeColor=colors.grey))
        d.add(String(k * 62 + 13, 3, f"{k * 20}–{(k + 1) * 20}%", fontSize=7))
    return d


def _letterhead(head: Head, width: float, ss: Any) -> list[Any]:
    lines = [Paragraph(f"<b>{head.authority}</b>", ss["Title"])]
    if head.office:
        lines.append(Paragraph(f"<para align=center><b>{head.office}</b></para>", ss["Normal"]))
    if head.address:
        lines.append(Paragraph(f"<para align=center>{head.address}</para>", ss["Normal"]))
    logo = None
    if head.logo:
        try:
            iw, ih = ImageReader(io.BytesIO(head.logo)).getSize()
            h = 2.4 * cm
            logo = Image(io.BytesIO(head.logo), width=h * iw / ih, height=h)
        except Exception:  # an unreadable logo: the letterhead without it
            logo = None
    if logo is not None:
        t = Table([[logo, lines]], colWidths=[3 * cm, width - 3 * cm])
    else:
        t = Table([[lines]], colWidths=[width])
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 2, colors.black),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return [t, Spacer(1, 0.6 * cm)]


def signed_pdf(
    r: CoverageReport,
    fig: Figures,
    shapes: Mapping[str, Mapping[str, Any]],
    head: Head | None = None,
    lang: str = "id",
    made_on: dt.date | None = None,
) -> bytes:
    """The report to sign: cover with letterhead and summary; target against actual and the
    map and coverage by area; the trend, the budget and the signature block."""
    with i18n.using(lang):
        return _signed_pdf(r, fig, shapes, head, lang, made_on or dt.date.today())


def _signed_pdf(
    r: CoverageReport,
    fig: Figures,
    shapes: Mapping[str, Mapping[str, Any]],
    head: Head | None,
    lang: str,
    made: dt.date,
) -> bytes:
    ss = pdf_styles()
    ss["Normal"].fontSize = 10
    ss["Normal"].leading = 14
    body = ss["Normal"]
    head = head or Head(authority="JARING")
    buf = io.BytesIO()
    title = _("Employment Social Security Coverage Report")
    doc, width = a4_document(buf, title)
    page_h = 29.7 * cm - 2.4 * cm
    story: list[Any] = _letterhead(head, width, ss)
    # the cover: title, where and when, the summary, the key figures
    story += [
        Spacer(1, 1.2 * cm),
        Paragraph(f"<font size=20><b>{title}</b></font>", ss["Title"]),
        Spacer(1, 0.5 * cm),
        Paragraph(
            f"<font size=14>{r.region.name} ({r.region.code})</font>",
            ss["Title"],
        ),
        Paragraph(_("on %(day)s", day=f.date(r.on, lang)), ss["Title"]),
        Spacer(1, 1.0 * cm),
        Paragraph("<b>" + _("Executive summary") + "</b>", ss["Heading2"]),
    ]
    story += [Paragraph(s, body) for s in summary_sentences(r, fig, lang)]
    story += [Spacer(1, 0.6 * cm), Paragraph("<b>" + _("Key figures") + "</b>", ss["Heading2"])]
    story.append(figures_table(key_figures(r, lang), width))
    story.append(PageBreak())
    # target against actual, the map and coverage by area
    story.append(Paragraph("<b>" + _("Coverage by area") + "</b>", ss["Heading2"]))
    tg = r.target
    rows = [
        [_("Covered"), f.number(r.covered, lang)],
        [_("Target"), f.number(tg.people, lang) if tg and tg.people is not None else "-"],
        [_("Gap"), f.number(tg.gap_people, lang) if tg and tg.gap_people is not None else "-"],
    ]
    t = Table(rows, colWidths=[width * 0.4, width * 0.3])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
    story += [t, Spacer(1, 0.4 * cm)]
    if shapes:
        shares = {a.code: a.share for a in fig.areas if a.share is not None}
        story.append(map_drawing(shapes, shares, width, page_h * 0.42))
        story.append(Spacer(1, 0.3 * cm))
    bars = [(a.name, a.share or 0.0) for a in fig.areas if a.people]
    if bars:
        story.append(
            image(
                charts.percent_by_area(bars, lang, _("Coverage by area, in percent")),
                width,
                max_height=page_h * 0.38,
            )
        )
    # a short page 2 (a distrik has no map) is not left half empty: the trend follows on it
    story.append(CondPageBreak(page_h * 0.36))
    # the trend, the budget, the signature
    story.append(Paragraph("<b>" + _("Coverage over time and the budget") + "</b>", ss["Heading2"]))
    if r.trend:
        story.append(image(charts.trend_long(r.trend, lang), width, max_height=page_h * 0.33))
    if fig.budget:
        story.append(
            image(
                charts.burn_down(
                    [b.month for b in fig.burn_down],
                    [
                        (_("spent"), [b.spent for b in fig.burn_down]),
                        (_("committed"), [b.committed for b in fig.burn_down]),
                        (_("unspent"), [b.unspent for b in fig.burn_down]),
                    ],
                    lang,
                    _("Budget by month: spent, committed, unspent"),
                ),
                width,
                max_height=page_h * 0.33,
            )
        )
    place = r.region.name
    sign = [
        [""],
        [Paragraph(f"{place}, {f.date(made, lang)}", body)],
        [Paragraph(head.signatory_title or _("Head of region"), body)],
        [Spacer(1, 2.2 * cm)],
        [Paragraph(f"<b><u>{head.signatory or '(' + ' ' * 40 + ')'}</u></b>", body)],
    ]
    block = Table(sign, colWidths=[width * 0.45], hAlign="RIGHT")
    story += [
        CondPageBreak(5 * cm),
        Spacer(1, 0.5 * cm),
        KeepTogether([block]),
        Spacer(1, 0.4 * cm),
        Paragraph(
            _("Made by Jaring, %(day)s.", day=f.date(made, lang))
            + " "
            + _(
                "Covered: people with a paid coverage period containing the date; each person "
                "counted once."
            ),
            ss["Italic"],
        ),
    ]
    doc.build(story)
    return buf.getvalue()
