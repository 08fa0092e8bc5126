"""Refusals as the API answers them: RFC 9457 problem details with Jaring's stable ``code``.

A refusal's HTTP status comes from its kind (:attr:`jaring.errors.JaringError.status`: 400
refused, 401 unauthorised, 403 forbidden, 404 not found, 409 conflict, 429 rate limited, 503
unavailable). Used by the app's exception handlers and by the look-up's hot path, which
answers before FastAPI's routing and must give the same bytes.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from jaring.errors import JaringError
from jaring.web import i18n


def status_of(error: JaringError) -> int:
    """The HTTP status of a refusal, from its kind."""
    return error.status


def problem(
    status: int, code: str, title: str, detail: str, extra: dict[str, Any] | None = None
) -> JSONResponse:
    """RFC 9457 problem details, with Jaring's stable ``code``. The refusal's context (file,
    row, field, value...) becomes extension members; a context key that would shadow a
    standard member (``status``, ``type``...) goes under ``context`` instead. A
    ``retry_after`` member is also sent as the ``Retry-After`` header."""
    extra = extra or {}
    body: dict[str, Any] = {
        "type": f"https://jaring.example/problems/{code}",
        "title": title,
        "status": status,
        "code": code,
        "detail": detail,
    }
    for key, value in extra.items():
        if key in body or key == "context":
            body.setdefault("context", {})[key] = value
        else:
            body[key] = value
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )


def api_refusal(exc: JaringError) -> JSONResponse:
    """A refusal as the API answers it: problem+json in the request's language (``title`` in
    English), with the refusal's JSON-able context as members."""
    return problem(
        status_of(exc),
        exc.code,
        exc.message("en"),
        exc.message(i18n.current.get()),
        {k: v for k, v in exc.context.items() if _jsonable(v)},
    )


def _jsonable(v: Any) -> bool:
    return isinstance(v, str | int | float | bool | list | dict) or v is None
