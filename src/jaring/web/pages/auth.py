"""Sign-in, sign-out, the language switch and changing one's password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from jaring.accounts import actions
from jaring.accounts import errors as account_errors
from jaring.errors import JaringError
from jaring.web import i18n
from jaring.web.render import page
from jaring.web.security import (
    PRE_CSRF_COOKIE,
    SESSION_COOKIE,
    Principal,
    check_pre_csrf,
    client_address,
    pre_csrf_pair,
    principal_or_none,
    require,
)

router = APIRouter()
LANG_COOKIE = "jaring_lang"


def _safe_next(value: str | None) -> str:
    """Only local paths: an open redirect would let a phishing mail borrow our name."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_page(request: Request, status: int = 200, **ctx: object) -> Response:
    cookie, raw = pre_csrf_pair(request.app.state.secret)
    resp = page(request, "accounts/login.html", status_code=status, pre_csrf=raw, **ctx)
    resp.set_cookie(
        PRE_CSRF_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=3600,
        path="/login",
    )
    return resp


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    request.state.principal = None
    return _login_page(request, next=_safe_next(next))


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    request.state.principal = None
    state = request.app.state
    try:
        check_pre_csrf(state.secret, request.cookies.get(PRE_CSRF_COOKIE), csrf_token)
        await run_in_threadpool(state.login_limiter.check, client_address(request))
        user = await run_in_threadpool(actions.authenticate, state.engine, username, password)
        session = await run_in_threadpool(actions.start_session, state.engine, user)
    except JaringError as e:
        # the form answers 400 for its own expired token, 401 for anything about the account
        status = (
            e.status
            if e.code == account_errors.RATE_LIMITED.code
            else 400
            if e.code == account_errors.CSRF_FAILED.code
            else 401
        )
        return _login_page(
            request,
            status,
            error=e.message(i18n.current.get()),
            username=username,
            next=_safe_next(next),
        )
    target = "/account/password" if user.must_change_password else _safe_next(next)
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        session.token,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=actions.SESSION_HOURS * 3600,
        path="/",
    )
    resp.delete_cookie(PRE_CSRF_COOKIE, path="/login")
    if user.lang and not request.cookies.get(LANG_COOKIE):
        resp.set_cookie(LANG_COOKIE, user.lang, samesite="lax", max_age=365 * 86400)
    return resp


@router.post("/logout")
async def logout(
    request: Request, p: Annotated[Principal, Depends(require(allow_password_change=True))]
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await run_in_threadpool(actions.end_session, request.app.state.engine, p, cookie)
    request.app.state.auth_cache.clear()
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp


@router.get("/lang/{code}")
async def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """The language switch: a cookie for a year; Bahasa Indonesia unless it says otherwise."""
    lang = i18n.pick(code) or i18n.DEFAULT
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(LANG_COOKIE, lang, samesite="lax", secure=_secure(request), max_age=365 * 86400)
    return resp


@router.get("/account/password")
async def password_form(
    request: Request, p: Annotated[Principal, Depends(require(allow_password_change=True))]
) -> Response:
    return page(request, "accounts/password.html")


@router.post("/account/password")
def change_password(
    request: Request,
    p: Annotated[Principal, Depends(require(allow_password_change=True))],
    current: Annotated[str, Form(max_length=200)] = "",
    new: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        actions.change_password(
            request.app.state.engine,
            p,
            current,
            new,
            keep_session=request.cookies.get(SESSION_COOKIE),
        )
    except JaringError as e:
        return page(
            request,
            "accounts/password.html",
            status_code=400,
            error=e.message(i18n.current.get()),
        )
    request.app.state.auth_cache.clear()
    if p.must_change_password:
        return RedirectResponse("/", status_code=303)
    return page(request, "accounts/password.html", done=True)


__all__ = ["principal_or_none", "router"]
