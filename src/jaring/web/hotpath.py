"""The look-up's hot path: ``GET /api/v1/people/by-nik/{nik}`` answered before FastAPI routes.

FastAPI's route matching (through the nested routers) and its dependency solving cost more
of the look-up's CPU than the query itself. This pure ASGI layer sits inside the
language/security-header and gzip middleware and answers that one path itself, with exactly the checks the route's dependency
runs (:func:`jaring.web.security.authorise` with ``person.read``), the same look-up
(:class:`jaring.web.lookup.NikLookup`) and the same problem+json refusals
(:func:`jaring.web.app.api_refusal`). Every other request, and any other method on this path,
goes on to FastAPI. The FastAPI route stays registered: it documents the operation in the
OpenAPI schema and answers identically (a test compares the two).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from jaring.errors import JaringError
from jaring.registry.queries.people import PersonRow
from jaring.web.security import authorise

BY_NIK = "/api/v1/people/by-nik/"


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, PersonRow):
        return vars(value)  # its fields, in order; dates come back here
    raise TypeError(f"not JSON: {type(value).__name__}")


# the bytes Starlette's JSONResponse would send for the same content
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"), default=_default
)


def by_nik_body(found: Sequence[PersonRow]) -> bytes:
    """The look-up's JSON answer (dates as ISO text, as everywhere in the API)."""
    return _ENCODER.encode({"count": len(found), "people": found}).encode("utf-8")


def _route_path(scope: Scope) -> str:
    """The path without the ASGI ``root_path`` (as Starlette's router sees it)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] == "/":
        return path[len(root) :]
    return path


class HotPaths:
    """Answers the NIK look-up directly; passes everything else to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            path = _route_path(scope)
            if path.startswith(BY_NIK):
                nik = path[len(BY_NIK) :]
                if nik and "/" not in nik:
                    await self._by_nik(scope, receive, send, nik)
                    return
        await self.app(scope, receive, send)

    async def _by_nik(self, scope: Scope, receive: Receive, send: Send, nik: str) -> None:
        from jaring.web.app import api_refusal  # jaring.web.app imports this module

        request = Request(scope, receive)
        try:
            principal = await authorise(request, "person.read")
            found = await request.app.state.nik_lookup(principal, nik)
        except JaringError as exc:
            await api_refusal(exc)(scope, receive, send)
            return
        body = by_nik_body(found)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(body)).encode("latin-1")),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
