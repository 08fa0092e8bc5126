"""The letter to a family after a death: the benefit it is owed, the documents to bring and
where to go, printed from the claims officer's task (PDF, A4, in Indonesian by default).

Pure: a :class:`~jaring.families.queries.deaths.Task` in, PDF bytes out. Figures go through
:mod:`jaring.formatting`; every sentence through ``_()`` so the letter can also be printed
in English for a reader who asks."""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer, Table, TableStyle

from jaring import formatting, i18n
from jaring.coverage.report import a4_document, pdf_styles
from jaring.families.queries.deaths import Task
from jaring.i18n import _
from jaring.registry.regions import name_of


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def letter_pdf(
    task: Task,
    *,
    made_on: dt.date | None = None,
    office: str | None = None,
    lang: str | None = None,
) -> bytes:
    """The letter for ``task`` (its heirs, amount and documents), dated ``made_on`` (default
    today); ``office``: where the family should go (default: the Dinas Tenaga Kerja of the
    regency, or the nearest BPJS Ketenagakerjaan branch)."""
    with i18n.using(lang or i18n.lang()):
        return _letter(task, made_on or dt.date.today(), office)


def _letter(task: Task, made: dt.date, office: str | None) -> bytes:
    lang = i18n.lang()
    buf = io.BytesIO()
    doc, width = a4_document(buf, _("Letter to the family of %(name)s", name=task.name))
    ss = pdf_styles()
    body = ParagraphStyle("body", parent=ss["Normal"], fontSize=10.5, leading=14, spaceAfter=6)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=11, textColor=colors.grey)
    head = ParagraphStyle("head", parent=ss["Title"], fontSize=13, leading=16, alignment=0)
    regency = task.district_code[:5] if task.district_code else None
    place = (name_of(regency) if regency else None) or ""
    where = office or _(
        "the Dinas Tenaga Kerja of %(place)s, or the nearest BPJS Ketenagakerjaan branch office",
        place=place or _("your regency"),
    )
    recipient = next((h for h in task.heirs if h.recipient), None)
    to = (
        _("To %(name)s and the family of the late %(deceased)s",
          name=recipient.name, deceased=task.name)
        if recipient is not None
        else _("To the family of the late %(deceased)s", deceased=task.name)
    )  # fmt: skip
    story = [
        _p(escape(_("Jaring: social security for vulnerable workers")), small),
        _p(escape(_("Jaminan Kematian benefit: the family is owed a payment")), head),
        _p(escape(f"{place}, {formatting.date(made, lang)}"), small),
        Spacer(1, 0.3 * cm),
        _p(escape(to), body),
        _p(
            escape(
                _(
                    "We are sorry for the loss of %(name)s, who died on %(date)s. "
                    "%(name)s was a participant of BPJS Ketenagakerjaan in the program "
                    "%(program)s (member card %(kpj)s), and the contributions for the month of "
                    "death were paid. No claim has been filed yet.",
                    name=task.name,
                    date=formatting.date(task.death_date, lang),
                    program=task.program,
                    kpj=task.kpj or "-",
                )
            ),
            body,
        ),
        _p(
            "<b>"
            + escape(
                _(
                    "The family is entitled to a death benefit (Jaminan Kematian) of %(amount)s.",
                    amount=formatting.rupiah(task.expected_amount, lang),
                )
            )
            + "</b>",
            body,
        ),
    ]
    if task.early_death:
        story.append(
            _p(
                escape(
                    _(
                        "The death fell in the first months of membership, when the law pays "
                        "this smaller amount; BPJS Ketenagakerjaan confirms it."
                    )
                ),
                small,
            )
        )
    if task.heirs:
        story.append(_p("<b>" + escape(_("Heirs, in the order of the law")) + "</b>", body))
        rows = [[_("Name"), _("Relation"), _("Order")]] + [
            [h.name + (" *" if h.recipient else ""), h.relation_label, str(h.rank)]
            for h in task.heirs
        ]
        tbl = Table(rows, colWidths=[width * 0.5, width * 0.3, width * 0.2])
        tbl.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f7")),
                    ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ]
            )
        )
        story += [
            tbl,
            _p(escape(_("* receives the benefit on behalf of the heirs.")), small),
        ]
    story.append(_p("<b>" + escape(_("Documents to bring")) + "</b>", body))
    story.append(
        ListFlowable(
            [ListItem(_p(escape(d.label), body), leftIndent=12) for d in task.documents],
            bulletType="bullet",
            start="-",
        )
    )
    story += [
        _p("<b>" + escape(_("Where to go")) + "</b>", body),
        _p(escape(_("Bring these documents to %(where)s.", where=where)), body),
        _p(
            escape(
                _(
                    "The claim is free of charge. A complete file is paid within a few working "
                    "days, into the bank account of the heir who receives it."
                )
            ),
            body,
        ),
        Spacer(1, 0.5 * cm),
        _p(escape(_("Source of the date of death: %(source)s", source=task.source)), small),
    ]
    doc.build(story)
    return buf.getvalue()
