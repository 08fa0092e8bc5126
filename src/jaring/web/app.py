"""The application factory: ``create_app(engine)`` for ``jaring serve`` and the tests.

One FastAPI app serves the pages (server-rendered, Jinja2 + HTMX, under ``/``) and the JSON
API (under ``/api/v1``, OpenAPI at ``/api/v1/openapi.json``). Both call the same domain
actions and queries as the CLI, with the signed-in user as the actor. Refusals
(:class:`JaringError`) become ``application/problem+json`` with the error's stable ``code``
and the status of its kind on the API (:mod:`jaring.web.problems`), and a page with the
message in the user's language in the browser (``login_required`` redirects to the sign-in
page, ``password_change_required`` to the password form). Anything else is a bug: logged,
answered 500 without a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import threading
from collections.abc import AsyncIterator
from importlib import resources
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jaring import errors
from jaring.accounts import actions
from jaring.accounts import errors as account_errors
from jaring.audit import ReadLog
from jaring.errors import JaringError
from jaring.logs import exception_text, hide_digits, log_to_stderr
from jaring.store import make_engine
from jaring.web import i18n
from jaring.web.api import router as api_router
from jaring.web.dashboard import ForgetTasksOnWrite
from jaring.web.hotpath import HotPaths
from jaring.web.lookup import NikLookup
from jaring.web.pages import router as pages_router
from jaring.web.problems import api_refusal, problem, status_of
from jaring.web.render import page
from jaring.web.security import AuthCache, LoginLimiter, principal_or_none

__all__ = [
    "API_PREFIX",
    "api_refusal",
    "app_from_env",
    "create_app",
    "freeze_startup_objects",
    "problem",
    "status_of",
]

log = logging.getLogger("jaring.web")

API_PREFIX = "/api/v1"
LANG_COOKIE = "jaring_lang"

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


# Swagger UI's React sets style attributes: allowed on the docs page alone (no inline script).
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCS_PATH = f"{API_PREFIX}/docs"


class LanguageAndHeaders:
    """Pure ASGI middleware (cheaper than ``@app.middleware``, which costs a task and a
    stream per request): picks the language and adds the security headers.

    ``?lang=`` wins, then the switch's cookie; machine clients may also send
    ``Accept-Language``. Pages default to Bahasa Indonesia whatever the browser says."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        lang = i18n.pick(request.query_params.get("lang")) or i18n.pick(
            request.cookies.get(LANG_COOKIE)
        )
        if lang is None and scope["path"].startswith(API_PREFIX):
            lang = i18n.from_accept_language(request.headers.get("accept-language"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                h.setdefault("X-Content-Type-Options", "nosniff")
                h.setdefault("Referrer-Policy", "same-origin")
                h.setdefault("X-Frame-Options", "DENY")
                kind = h.get("content-type", "")
                if kind.startswith("text/html"):
                    docs = scope["path"] == DOCS_PATH
                    h.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
                    h.setdefault("Cache-Control", "no-store")
                elif scope["path"].startswith(API_PREFIX) and "json" in kind:
                    # API answers carry NIKs, names, phones: no cache (shared or browser)
                    # keeps them
                    h.setdefault("Cache-Control", "no-store")
            await send(message)

        token = i18n.current.set(lang or i18n.DEFAULT)
        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            i18n.current.reset(token)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """While serving, reads of personal data are audited in batches (:class:`ReadLog`) and
    expired KTP photos are erased on a schedule (:func:`_expire_photos`); at shutdown, the
    queued reads are written and the look-up's held connections closed."""
    reads = ReadLog(app.state.engine)
    stop = threading.Event()
    threading.Thread(
        target=_expire_photos, args=(app.state.engine, stop), name="jaring-photos", daemon=True
    ).start()
    try:
        yield
    finally:
        stop.set()
        reads.close()
        app.state.nik_lookup.close()


PHOTO_PURGE_EVERY = 6 * 3600.0  # seconds between purges of expired KTP photos


def _expire_photos(engine: Engine, stop: threading.Event) -> None:
    """While the server runs: erase the KTP photos past their region's retention at start
    and every :data:`PHOTO_PURGE_EVERY` seconds (syncs and uploads also do it)."""
    from jaring.field.actions import purge_expired_quietly

    while True:
        purge_expired_quietly(engine)
        if stop.wait(PHOTO_PURGE_EVERY):
            return


def freeze_startup_objects() -> None:
    """Move everything built so far (routes, models, SQLAlchemy metadata: about 120,000
    objects) out of the garbage collector's reach, once the server process has built its app:
    a full collection over them costs tens of milliseconds (measured 75-120 ms on the shared
    machine), a pause that every request in flight would wait for. Called by ``jaring serve``
    and :func:`app_from_env`, not by :func:`create_app` (a test process must stay collectable).
    """
    gc.collect()
    gc.freeze()


def create_app(engine: Engine, *, rate_limit: int = 10, hot_paths: bool = True) -> FastAPI:
    """The web app on ``engine`` (already migrated). ``rate_limit`` = sign-in attempts per
    client address per minute, shared by every app on the same database.
    ``hot_paths=False`` leaves the NIK look-up to its FastAPI route (the tests compare both)."""
    app = FastAPI(
        title="Jaring API",
        version="1",
        description=(
            "Jaring: BPJS Ketenagakerjaan coverage for vulnerable workers, paid by regional "
            "governments. Authenticate with `Authorization: Bearer <token>` (create tokens on "
            "the web page *Token API*). Errors are `application/problem+json` with a stable "
            "`code`."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=_lifespan,
        docs_url=None,  # served below from vendored Swagger UI: the CDN's is blocked by our CSP
        redoc_url=None,
    )
    app.state.engine = engine
    app.state.auth_cache = AuthCache()
    app.state.login_limiter = LoginLimiter(engine, limit=rate_limit)
    app.state.secret = actions.secret_key(engine)
    app.state.nik_lookup = NikLookup(engine)

    if hot_paths:
        app.add_middleware(HotPaths)  # innermost: inside gzip, language and headers
    app.add_middleware(ForgetTasksOnWrite)
    app.add_middleware(GZipMiddleware, minimum_size=800)

    app.add_middleware(LanguageAndHeaders)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith(API_PREFIX)

    @app.exception_handler(JaringError)
    async def on_refusal(request: Request, exc: JaringError) -> Response:
        lang = i18n.current.get()
        status = status_of(exc)
        if is_api(request):
            return api_refusal(exc)
        if exc.code == account_errors.LOGIN_REQUIRED.code:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        if exc.code == account_errors.PASSWORD_CHANGE_REQUIRED.code:
            return RedirectResponse("/account/password", status_code=303)
        await _principal_for_error_page(request)
        return page(
            request,
            "error.html",
            status_code=status,
            status=status,
            code=exc.code,
            message=exc.message(lang),
        )

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        if is_api(request):
            return problem(exc.status_code, code, str(exc.detail), str(exc.detail))
        await _principal_for_error_page(request)
        msg = i18n._("Page not found.") if exc.status_code == 404 else str(exc.detail)
        return page(
            request,
            "error.html",
            status_code=exc.status_code,
            status=exc.status_code,
            code=code,
            message=msg,
        )

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return problem(
            422,
            "invalid_request",
            "Invalid request",
            i18n._("The request is not valid."),
            {"errors": errors},
        )

    @app.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception) -> Response:
        # the exception by its type and frames, never its message (it may quote a NIK or a
        # name), whatever handler the log has
        log.error(
            "internal error on %s %s\n%s",
            request.method,
            loggable_path(request.url.path),
            exception_text(exc) if not os.environ.get("JARING_DEBUG") else repr(exc),
        )
        return problem(
            500,
            "internal_error",
            "Internal error",
            i18n._("Internal error; nothing was half-written. Please report it."),
        )

    @app.exception_handler(OverflowError)
    async def on_overflow(request: Request, exc: OverflowError) -> Response:
        # a date near year 1 or 9999, or a number beyond 64 bits, pushed past what Python or
        # the store can hold: the request's value, not a bug
        if "date" in str(exc):
            return await on_refusal(request, errors.DATE_OUT_OF_RANGE())
        return await on_refusal(request, errors.BAD_VALUE(field="value", value="?"))

    @app.exception_handler(ValueError)
    async def on_value_error(request: Request, exc: ValueError) -> Response:
        # "year 10000 is out of range": a day after 9999-12-31 computed from the request's
        # date (a period's end, the next day). Any other ValueError is a bug.
        if _YEAR_OUT_OF_RANGE.match(str(exc)):
            return await on_refusal(request, errors.DATE_OUT_OF_RANGE())
        return await on_bug(request, exc)

    @app.exception_handler(OperationalError)
    async def on_store_busy(request: Request, exc: OperationalError) -> Response:
        if not is_locked(exc):
            return await on_bug(request, exc)
        log.warning("store busy on %s %s", request.method, loggable_path(request.url.path))
        busy = errors.STORE_BUSY(retry_after=RETRY_AFTER)
        response: Response
        if is_api(request):
            response = api_refusal(busy)
        else:
            response = page(
                request,
                "error.html",
                status_code=503,
                status=503,
                code=busy.code,
                message=busy.message(i18n.current.get()),
            )
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    async def api_docs() -> Response:
        return Response(DOCS_PAGE, media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        # browsers ask for it on pages that name no icon (the API's JSON, a PDF)
        return RedirectResponse("/static/field/icon-192.png", status_code=301)

    _keep_errors_out_of_the_server_log(app)
    app.include_router(api_router, prefix=API_PREFIX)
    app.include_router(pages_router)
    static = str(resources.files("jaring.web") / "static")
    app.mount("/static", StaticFiles(directory=static), name="static")
    return app


RETRY_AFTER = 5
_YEAR_OUT_OF_RANGE = re.compile(r"^year -?\d+ is out of range")

# The API's docs: Swagger UI vendored in static/swagger (no CDN: the docs work offline), its
# start in a file of ours (the CSP allows no inline script).
DOCS_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Jaring API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="{API_PREFIX}/openapi.json"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/swagger/init.js"></script>
</body>
</html>
"""


def is_locked(exc: OperationalError) -> bool:
    """Whether the store refused because another writer holds it (SQLite's "database is
    locked" after its busy timeout; PostgreSQL's lock timeout)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "lock timeout" in text or "database is busy" in text


def _keep_errors_out_of_the_server_log(app: FastAPI) -> None:
    """Starlette answers an unhandled exception with our 500 (:func:`create_app`'s
    ``on_bug``, logged without its message) and then raises it again "so that servers can log
    it": uvicorn then printed the raw exception, message and all (a NIK and a name reached the
    log that way). The outermost layer here takes that second raise: the answer is sent, the
    error was logged safely once."""
    build = app.build_middleware_stack

    def build_quiet() -> ASGIApp:
        inner = build()

        async def quiet(scope: Scope, receive: Receive, send: Send) -> None:
            try:
                await inner(scope, receive, send)
            except Exception:
                if scope["type"] != "http":
                    raise

        return quiet

    app.build_middleware_stack = build_quiet  # type: ignore[method-assign]


async def _principal_for_error_page(request: Request) -> None:
    try:
        await principal_or_none(request)
    except Exception:  # an error page must render even when the store is unwell
        request.state.principal = None


def loggable_path(path: str) -> str:
    """The path with long digit runs hidden: a NIK travels in the look-up's path
    (``/api/v1/people/by-nik/{nik}``) and must never reach a log."""
    return hide_digits(path)


def app_from_env() -> FastAPI:
    """The app on ``JARING_DATABASE_URL``, for uvicorn's ``factory=True``: with ``--workers``
    uvicorn imports the app by name in each worker process, so it cannot be handed an app
    object built in the parent."""
    log_to_stderr()  # each worker's internal errors reach the server's log, without personal data
    app = create_app(make_engine())
    freeze_startup_objects()
    return app
