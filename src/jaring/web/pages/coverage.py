"""The coverage report page: key figures, and charts people read at a glance, all on the day
the date picker (``?on=``) names: coverage over time as a line with whole month names,
coverage by area in percent, a map of the region's areas coloured by coverage, the budget's
burn-down and claims per month by type; downloads (PDF, XLSX)."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jaring.coverage import queries
from jaring.coverage.indicators import UNKNOWN
from jaring.errors import JaringError
from jaring.i18n import N_, _
from jaring.web import charts, i18n
from jaring.web.dashboard import default_day
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
# short names of the claim types for a chart's legend (the claims pages use the long ones)
CLAIM_TYPES = {
    "jkm": "JKM",
    "jkk_death": N_("JKK death"),
    "jkk_medical": N_("JKK medical care"),
    "jkk_stmb": "JKK STMB",
    "jkk_disability": N_("JKK disability"),
    "scholarship": N_("Scholarship"),
}


def _charts(r: Any, fig: queries.Figures, shapes: dict[str, Any]) -> dict[str, Any]:
    """The SVG figures of the page, every one on the same day."""
    out: dict[str, Any] = {}
    if r.trend:
        out["trend"] = charts.line_chart(
            [(t.date, t.covered) for t in r.trend], _("Covered at each month's end")
        )
    rows = [
        (
            _("unknown") if a.code is None else a.name,
            a.share or 0.0,
            f"({i18n.number(a.covered)} / {i18n.number(a.people)})",
        )
        for a in fig.areas
        if a.people
    ]
    if rows:
        out["areas"] = charts.percent_bars(rows, _("Coverage by area, in percent"))
    if shapes:
        out["map"] = charts.choropleth(
            shapes,
            {a.code: a.share for a in fig.areas if a.share is not None},
            _("Map of coverage by area"),
        )
    if fig.budget:
        months = [b.month for b in fig.burn_down]
        out["burn"] = charts.stacked_bars(
            months,
            [
                (_("spent"), [b.spent for b in fig.burn_down]),
                (_("committed"), [b.committed for b in fig.burn_down]),
                (_("unspent"), [b.unspent for b in fig.burn_down]),
            ],
            _("Budget by month: spent, committed, unspent"),
            fmt=i18n.rupiah,
        )
    if fig.claim_types:
        out["claims"] = charts.stacked_bars(
            [c.month for c in fig.claims],
            [
                (_(CLAIM_TYPES.get(t, t)), [c.counts.get(t, 0) for c in fig.claims])
                for t in fig.claim_types
            ],
            _("Claims filed per month, by type"),
        )
    return out


@router.get("/coverage")
def coverage(
    request: Request,
    p: Annotated[Principal, Depends(require("coverage.read"))],
    region: str = "",
    on: str = "",
) -> Response:
    eng = request.app.state.engine
    region = region.strip()[:13] or queries.default_region(eng, p)
    try:
        day = dt.date.fromisoformat(on) if on else default_day(eng)
    except ValueError:
        day = default_day(eng)
    ctx: dict[str, Any] = {
        "region": region,
        "on": day,
        "options": queries.region_options(eng, p),
        "unknown": UNKNOWN,  # the word the figures carry for an unknown age or area
    }
    try:
        r = queries.coverage_report(eng, p, region, day)
        fig = queries.figures(eng, p, region, day)
        shapes = queries.outlines(region)
    except JaringError as e:
        ctx["error"] = e.message(i18n.current.get())
    else:
        ctx.update(r=r, fig=fig, charts=_charts(r, fig, shapes))
        parent = region.rsplit(".", 1)[0] if "." in region else None
        ctx["parent"] = parent
    return page(request, "coverage/report.html", **ctx)
