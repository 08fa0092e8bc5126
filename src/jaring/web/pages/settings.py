"""Settings an administrator changes: the time zone each region's times are shown in, and how
long each region keeps the KTP photos of field registration."""

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
        retentions=queries.region_retentions(eng, p, regions),
        retention_default=queries.DEFAULT_PHOTO_RETENTION_DAYS,
        retention_min=queries.RETENTION_MIN_DAYS,
        retention_max=queries.RETENTION_MAX_DAYS,
        **ctx,
    )


@router.get("/settings")
def settings_page(request: Request, p: Manager) -> Response:
    return _page(
        request,
        p,
        saved=request.query_params.get("saved"),
        retention_saved=request.query_params.get("retention"),
    )


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
        return _page(request, p, 400, error=e.message(i18n.current.get()), zone_region=region)
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/photo-retention")
def set_photo_retention(
    request: Request,
    p: Manager,
    region: Annotated[str, Form(max_length=20)] = "",
    days: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    try:
        actions.set_photo_retention(request.app.state.engine, p, region, days)
    except JaringError as e:
        return _page(
            request,
            p,
            400,
            retention_error=e.message(i18n.current.get()),
            retention_region=region,
        )
    return RedirectResponse("/settings?retention=1#retention", status_code=303)
