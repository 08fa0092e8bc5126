"""Administration: users, the audit trail, and one's own API tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from jaring.access import DEFAULT_ROLE, ROLES
from jaring.accounts import actions, queries
from jaring.errors import JaringError
from jaring.web import dashboard, i18n
from jaring.web.api.common import MAX_ID, Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Admin = Annotated[Principal, Depends(require("user.manage"))]
Anyone = Annotated[Principal, Depends(require())]
AUDIT_PAGE = 100


def _users_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    users = queries.list_users(request.app.state.engine, p)
    return page(
        request,
        "accounts/users.html",
        status_code=status,
        users=users,
        roles=ROLES,
        default_role=DEFAULT_ROLE,
        **ctx,
    )


@router.get("/admin/users")
def users(request: Request, p: Admin) -> Response:
    return _users_page(request, p)


@router.post("/admin/users")
def create_user(
    request: Request,
    p: Admin,
    username: Annotated[str, Form(max_length=200)] = "",
    full_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=40)] = "",
    regions: Annotated[str, Form(max_length=2000)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        u = actions.create_user(
            request.app.state.engine,
            p,
            username=username,
            role=role,
            password=password,
            full_name=full_name,
            regions=[r for r in regions.replace(";", ",").split(",") if r.strip()],
        )
    except JaringError as e:
        return _users_page(request, p, 400, error=e.message(i18n.current.get()))
    request.app.state.auth_cache.clear()
    return _users_page(request, p, message=i18n._("User %(name)s created.", name=u.username))


@router.post("/admin/users/{user_id}/active")
def set_active(
    request: Request, user_id: Id, p: Admin, active: Annotated[str, Form(max_length=1)] = "0"
) -> Response:
    try:
        actions.update_user(request.app.state.engine, p, user_id, active=active == "1")
    except JaringError as e:
        return _users_page(request, p, 400, error=e.message(i18n.current.get()))
    request.app.state.auth_cache.clear()
    dashboard.invalidate()
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_page(
    request: Request,
    p: Annotated[Principal, Depends(require("audit.read"))],
    entity: str = "",
    entity_id: str = "",
    actor: str = "",
    action: str = "",
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    f = {
        "entity": entity[:60],
        "entity_id": entity_id[:60],
        "actor": actor[:80],
        "action": action[:60],
    }
    a = queries.list_events(
        request.app.state.engine,
        p,
        entity=f["entity"] or None,
        entity_id=f["entity_id"] or None,
        by=f["actor"] or None,
        action=f["action"] or None,
        limit=AUDIT_PAGE,
        before_id=before_id,
    )
    return page(request, "accounts/audit.html", a=a, f=f, limit=AUDIT_PAGE)


def _tokens_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    tokens = queries.list_tokens(request.app.state.engine, p)
    return page(request, "accounts/tokens.html", status_code=status, tokens=tokens, **ctx)


@router.get("/account/tokens")
def tokens(request: Request, p: Anyone) -> Response:
    return _tokens_page(request, p)


@router.post("/account/tokens")
def create_token(
    request: Request, p: Anyone, name: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    try:
        t = actions.create_token(request.app.state.engine, p, name)
    except JaringError as e:
        return _tokens_page(request, p, 400, error=e.message(i18n.current.get()))
    return _tokens_page(request, p, new_token=t.token)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: Id, p: Anyone) -> Response:
    actions.revoke_token(request.app.state.engine, p, token_id)
    request.app.state.auth_cache.clear()
    return RedirectResponse("/account/tokens", status_code=303)
