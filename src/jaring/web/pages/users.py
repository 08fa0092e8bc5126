"""Users and settings for administrators: a user's role and regions chosen from lists of
names (never typed codes), a temporary password, a new user whose role starts at the least
powerful one; each region's letterhead and logo for its reports.

Each form calls one action of :mod:`jaring.accounts.actions` (``user.manage``,
``settings.manage``; audited there)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from jaring.access import DEFAULT_ROLE, NEEDS_REGIONS, ROLES
from jaring.accounts import actions, queries
from jaring.errors import JaringError
from jaring.web import dashboard, i18n
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Admin = Annotated[Principal, Depends(require("user.manage"))]
Settings = Annotated[Principal, Depends(require("settings.manage"))]
REGION_CODE_MAX = 13


def _user_page(
    request: Request, p: Principal, user_id: int, status: int = 200, **ctx: Any
) -> Response:
    eng = request.app.state.engine
    return page(
        request,
        "accounts/user.html",
        status_code=status,
        u=queries.get_user(eng, p, user_id),
        roles=ROLES,
        needs_regions=NEEDS_REGIONS,
        choices=queries.region_choices(eng, p),
        **ctx,
    )


@router.get("/admin/users/new")
def new_user(request: Request, p: Admin) -> Response:
    return page(
        request,
        "accounts/user.html",
        u=None,
        roles=ROLES,
        default_role=DEFAULT_ROLE,
        needs_regions=NEEDS_REGIONS,
        choices=queries.region_choices(request.app.state.engine, p),
    )


def _regions(form: Any) -> list[str]:
    return [str(r)[:REGION_CODE_MAX] for r in form.getlist("regions") if str(r).strip()][:50]


@router.post("/admin/users/new")
async def create_user(request: Request, p: Admin) -> Response:
    form = await request.form()
    f = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str)}
    eng = request.app.state.engine
    try:
        u = actions.create_user(
            eng,
            p,
            username=f.get("username", ""),
            role=f.get("role") or DEFAULT_ROLE,
            password=f.get("password", ""),
            full_name=f.get("full_name", ""),
            regions=_regions(form),
        )
    except JaringError as e:
        return page(
            request,
            "accounts/user.html",
            status_code=400,
            u=None,
            roles=ROLES,
            default_role=f.get("role") or DEFAULT_ROLE,
            needs_regions=NEEDS_REGIONS,
            choices=queries.region_choices(eng, p),
            error=e.message(i18n.current.get()),
            form=f,
        )
    request.app.state.auth_cache.clear()
    return _user_page(request, p, u.id, message=i18n._("User %(name)s created.", name=u.username))


@router.get("/admin/users/{user_id}")
def user(request: Request, user_id: Id, p: Admin) -> Response:
    return _user_page(request, p, user_id)


@router.post("/admin/users/{user_id}")
async def update_user(request: Request, user_id: Id, p: Admin) -> Response:
    form = await request.form()
    f = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str)}
    try:
        actions.update_user(
            request.app.state.engine,
            p,
            user_id,
            role=f.get("role") or None,
            regions=_regions(form),
            full_name=f.get("full_name"),
        )
    except JaringError as e:
        return _user_page(request, p, user_id, 400, error=e.message(i18n.current.get()))
    request.app.state.auth_cache.clear()
    dashboard.invalidate()
    return _user_page(request, p, user_id, message=i18n._("Saved."))


@router.post("/admin/users/{user_id}/password")
async def reset_password(request: Request, user_id: Id, p: Admin) -> Response:
    form = await request.form()
    password = str(form.get("password", ""))[:200]
    try:
        u = actions.reset_password(request.app.state.engine, p, user_id, password)
    except JaringError as e:
        return _user_page(request, p, user_id, 400, error=e.message(i18n.current.get()))
    request.app.state.auth_cache.clear()
    return _user_page(
        request,
        p,
        user_id,
        message=i18n._(
            "Temporary password set: %(name)s must change it at the next sign-in.",
            name=u.username,
        ),
    )


def _settings_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    eng = request.app.state.engine
    return page(
        request,
        "accounts/settings.html",
        status_code=status,
        letterheads=queries.list_letterheads(eng, p),
        choices=[c for c in queries.region_choices(eng, p) if c.level <= 2],
        **ctx,
    )


@router.get("/admin/settings")
def settings(request: Request, p: Settings) -> Response:
    return _settings_page(request, p, edit=request.query_params.get("region", "")[:13])


@router.post("/admin/settings/letterhead")
async def set_letterhead(request: Request, p: Settings) -> Response:
    form = await request.form()
    f = {k: str(v)[:300] for k, v in form.items() if isinstance(v, str)}
    upload = form.get("logo")
    logo = None
    if upload is not None and not isinstance(upload, str):
        logo = (await upload.read(actions.LOGO_MAX_BYTES + 1)) or None
    try:
        actions.set_letterhead(
            request.app.state.engine,
            p,
            f.get("region", ""),
            authority=f.get("authority", ""),
            office=f.get("office", ""),
            address=f.get("address", ""),
            signatory=f.get("signatory", ""),
            signatory_title=f.get("signatory_title", ""),
            logo=logo,
            remove_logo=f.get("remove_logo") == "1",
        )
    except JaringError as e:
        return _settings_page(request, p, 400, error=e.message(i18n.current.get()), form=f)
    return _settings_page(request, p, message=i18n._("Letterhead saved."))


@router.get("/admin/settings/logo/{region}")
def logo(request: Request, region: str, p: Settings) -> Response:
    found = queries.letterhead_for(request.app.state.engine, region[:13])
    if found is None or found[1] is None or found[0].region_code != region[:13]:
        return RedirectResponse("/admin/settings", status_code=303)
    head, data = found
    return Response(data, media_type=head.logo_type or "application/octet-stream")
