"""The dashboard: coverage, money and people by distrik, with SVG charts."""

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from jaring.web import dashboard as dash
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()


@router.get("/")
def home(
    request: Request,
    p: Annotated[Principal, Depends(require())],
    on: dt.date | None = None,
) -> Response:
    if not p.can("dashboard.read"):  # a juror lands on their own work, a registrar on the form
        return RedirectResponse("/field/" if p.can("field.register") else "/award", status_code=303)
    d = dash.dashboard(request.app.state.engine, p, on)
    chart = [dataclasses.asdict(x) for x in d.districts[:15]]
    return page(request, "coverage/dashboard.html", d=d, chart=chart, extra_tiles=[])
