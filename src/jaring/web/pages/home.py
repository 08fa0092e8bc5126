"""The dashboard: coverage, money and people by distrik, with SVG charts."""

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from jaring.families.queries import deaths as death_queries
from jaring.i18n import _
from jaring.web import dashboard as dash
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()


@router.get("/")
def home(
    request: Request,
    p: Annotated[Principal, Depends(require())],
    on: dt.date | None = None,
) -> Response:
    if not p.can("dashboard.read"):  # a juror lands on their own work
        return RedirectResponse("/award", status_code=303)
    d = dash.dashboard(request.app.state.engine, p, on)
    chart = [dataclasses.asdict(x) for x in d.districts[:15]]
    return page(
        request, "coverage/dashboard.html", d=d, chart=chart, extra_tiles=deaths_tiles(request, p)
    )


def deaths_tiles(request: Request, p: Principal) -> list[dict[str, str]]:
    """The tile of deaths of covered people with no claim yet, by days since the death."""
    if not p.can("claim.read"):
        return []
    bands = death_queries.tasks_by_age(request.app.state.engine, p)
    total = sum(b.deaths for b in bands)
    sub = " · ".join(
        _("%(band)s days: %(n)s", band=b.band, n=i18n.number(b.deaths)) for b in bands if b.deaths
    )
    return [
        {
            "label": _("Deaths without a claim"),
            "value": i18n.number(total),
            "sub": sub or _("none"),
            "href": "/deaths#tasks",
        }
    ]
