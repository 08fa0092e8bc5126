"""The coverage report page: key figures, SVG charts, downloads (PDF, XLSX)."""

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jaring.coverage import queries
from jaring.errors import JaringError
from jaring.web import i18n
from jaring.web.dashboard import default_day
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
AREAS = ("by_regency", "by_district", "by_village")


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
    ctx: dict[str, Any] = {"region": region, "on": day}
    try:
        r = queries.coverage_report(eng, p, region, day)
    except JaringError as e:
        ctx["error"] = e.message(i18n.current.get())
    else:
        ctx["r"] = r
        ctx["trend_rows"] = [
            {"label": i18n.date(t.date)[-8:], "covered": t.covered} for t in r.trend
        ]
        ctx["areas"] = [
            [dataclasses.asdict(a) for a in rows[:20]]
            for rows in (getattr(r, key) for key in AREAS)
            if rows
        ]
    return page(request, "coverage/report.html", **ctx)
