"""People: search (live with HTMX, plain GET without JavaScript) and one person's file."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jaring.errors import JaringError
from jaring.web import i18n, people
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("person.read"))]


def _search(request: Request, p: Principal, q: str) -> dict[str, object]:
    try:
        return {"result": people.search(request.app.state.engine, p, q, 50), "q": q}
    except JaringError as e:
        return {"error": e.message(i18n.current.get()), "q": q, "result": None}


@router.get("/people")
def people_page(request: Request, p: Reader, q: str = "") -> Response:
    return page(request, "people.html", **_search(request, p, q[:100]))


@router.get("/people/results")
def people_results(request: Request, p: Reader, q: str = "") -> Response:
    """The results table alone, for HTMX's live search."""
    return page(request, "people_results.html", **_search(request, p, q[:100]))


@router.get("/people/{person_id}")
def person_page(request: Request, person_id: Id, p: Reader, on: dt.date | None = None) -> Response:
    return page(
        request, "person.html", p=people.get_person(request.app.state.engine, p, person_id, on)
    )
