"""Administration: users, the audit trail, and one's own API tokens."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from jaring import labels
from jaring.access import DEFAULT_ROLE, ROLES
from jaring.accounts import actions, queries
from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.registry.files import neutralise_cell
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


AUDIT_FILTERS = ("entity", "entity_id", "actor", "action", "since", "until")


def _audit_filters(request: Request) -> dict[str, str]:
    q = request.query_params
    return {k: str(q.get(k) or "")[:80] for k in AUDIT_FILTERS}


def _audit_events(request: Request, p: Principal, f: dict[str, str], limit: int) -> Any:
    before = str(request.query_params.get("before_id") or "")
    return queries.list_events(
        request.app.state.engine,
        p,
        entity=f["entity"] or None,
        entity_id=f["entity_id"] or None,
        by=f["actor"] or None,
        action=f["action"] or None,
        limit=limit,
        before_id=int(before) if before.isdigit() and 0 < int(before) <= MAX_ID else None,
        since=parse_date(f["since"], "since"),
        until=parse_date(f["until"], "until"),
    )


@router.get("/audit")
def audit_page(
    request: Request, p: Annotated[Principal, Depends(require("audit.read"))]
) -> Response:
    f = _audit_filters(request)
    eng = request.app.state.engine
    try:
        a = _audit_events(request, p, f, AUDIT_PAGE)
    except JaringError as e:
        f = dict.fromkeys(AUDIT_FILTERS, "")
        a = _audit_events(request, p, f, AUDIT_PAGE)
        return page(
            request,
            "accounts/audit.html",
            status_code=400,
            a=a,
            f=f,
            limit=AUDIT_PAGE,
            choices=queries.audit_choices(eng, p),
            query="",
            error=e.message(i18n.current.get()),
        )
    query = urlencode({k: v for k, v in f.items() if v})
    return page(
        request,
        "accounts/audit.html",
        a=a,
        f=f,
        limit=AUDIT_PAGE,
        choices=queries.audit_choices(eng, p),
        query=query,
    )


@router.get("/audit.csv")
def audit_csv(
    request: Request, p: Annotated[Principal, Depends(require("audit.read"))]
) -> Response:
    """The filtered audit trail as CSV (newest first, at most the trail's page limit), with
    the actions and entities also in words."""
    f = _audit_filters(request)
    a = _audit_events(request, p, f, queries.MAX_EVENTS)
    lang = i18n.current.get()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "at_utc", "actor", "action", "action_label", "entity", "entity_label",
                "entity_id", "before", "after"])  # fmt: skip
    for e in a.events:
        w.writerow(
            neutralise_cell(v)
            for v in [
                e.id,
                e.at.isoformat() if e.at else "",
                e.actor,
                e.action,
                labels.label("audit_action", e.action, lang),
                e.entity,
                labels.label("audit_entity", e.entity, lang),
                e.entity_id or "",
                json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
            ]
        )
    return Response(
        "\ufeff" + buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="jejak_audit.csv"'},
    )


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
