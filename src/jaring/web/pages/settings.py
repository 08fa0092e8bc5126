"""Settings an administrator changes: the time zone each region's times are shown in."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from jaring.errors import JaringError
from jaring.settings import actions, queries
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Manager = Annotated[Principal, Depends(require("settings.manage"))]


def _page(request: Request, p: Principal, status: int = 200, **ctx: object) -> Response:
    eng = request.app.state.engine
    regions = queries.known_regions(eng, p)
    return page(
        request,
        "settings/zones.html",
        status_code=status,
        zones=queries.region_zones(eng, p, regions),
        choices=queries.zones(),
        **ctx,
    )


@router.get("/settings")
def settings_page(request: Request, p: Manager) -> Response:
    return _page(request, p, saved=request.query_params.get("saved"))


@router.post("/settings/zones")
def set_zone(
    request: Request,
    p: Manager,
    region: Annotated[str, Form(max_length=20)] = "",
    zone: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        actions.set_zone(request.app.state.engine, p, region, zone)
    except JaringError as e:
        return _page(request, p, 400, error=e.message(i18n.current.get()))
    return RedirectResponse("/settings?saved=1", status_code=303)
