"""The coverage report page: key figures, SVG charts, downloads (PDF, XLSX)."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jaring.errors import JaringError
from jaring.web import i18n
from jaring.web.api.coverage import report
from jaring.web.render import page
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter()


def _default_region(request: Request, p: Principal) -> str:
    if p.regions:
        return p.regions[0]
    from jaring.programs import service

    programs = service.list_programs(request.app.state.engine)
    return next((x["funder_region"] for x in programs if x.get("funder_region")), "96.71")


@router.get("/coverage")
def coverage(
    request: Request,
    p: Annotated[Principal, Depends(require("coverage.read"))],
    region: str = "",
    on: str = "",
) -> Response:
    region = region.strip()[:13] or _default_region(request, p)
    from jaring.web.dashboard import default_day

    try:
        day = dt.date.fromisoformat(on) if on else default_day(request.app.state.engine)
    except ValueError:
        day = default_day(request.app.state.engine)
    ctx: dict[str, object] = {"region": region, "on": day}
    try:
        r = report(request, p, region, day)
        r["trend_rows"] = [
            {"label": i18n.date(t["date"])[-8:], "covered": t["covered"]}
            for t in r.get("trend", [])
        ]
        ctx["r"] = r
    except JaringError as e:
        ctx["error"] = e.message(i18n.current.get())
    return page(request, "coverage.html", **ctx)
