"""People: search (live with HTMX, plain GET without JavaScript) and one person's file."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from jaring.errors import Forbidden, JaringError, NotFound
from jaring.registry.actions import decisions
from jaring.registry.queries import people
from jaring.web import dashboard, i18n
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("person.read"))]
Writer = Annotated[Principal, Depends(require("person.write"))]


def _search(request: Request, p: Principal, q: str) -> dict[str, Any]:
    try:
        return {"result": people.search(request.app.state.engine, p, q, 50), "q": q}
    except JaringError as e:
        return {"error": e.message(i18n.current.get()), "q": q, "result": None}


@router.get("/people")
def people_page(request: Request, p: Reader, q: str = "") -> Response:
    return page(request, "registry/people.html", **_search(request, p, q[:100]))


@router.get("/people/results")
def people_results(request: Request, p: Reader, q: str = "") -> Response:
    """The results table alone, for HTMX's live search."""
    return page(request, "registry/people_results.html", **_search(request, p, q[:100]))


def _person_page(
    request: Request,
    p: Principal,
    person_id: int,
    on: dt.date | None = None,
    status: int = 200,
    **ctx: object,
) -> Response:
    """The person's file; clear-data roles also see the source rows linked to the person
    (and, with ``person.write``, may split a wrongly merged one off)."""
    eng = request.app.state.engine
    person = people.person_file(eng, p, person_id, on)
    rows = None if p.masked else people.source_rows_of(eng, p, person_id)
    return page(
        request, "registry/person.html", status_code=status, p=person, source_rows=rows, **ctx
    )


@router.get("/people/{person_id}")
def person_page(
    request: Request,
    person_id: Id,
    p: Reader,
    on: dt.date | None = None,
    split: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    return _person_page(request, p, person_id, on, split=split)


@router.post("/people/{person_id}/rows/{row_id}/split")
async def split_row(request: Request, person_id: Id, row_id: Id, p: Writer) -> Response:
    """The split button of a source row: its reason is required; on success back to the
    person's page, which links to the new person."""
    form = await request.form()
    reason = str(form.get("reason") or "")[:500]
    eng = request.app.state.engine

    def run() -> Response:
        try:
            out = decisions.split_row(eng, p, row_id, reason=reason, person_id=person_id)
        except (NotFound, Forbidden):
            raise
        except JaringError as e:
            return _person_page(
                request, p, person_id, status=400, split_error=e.message(i18n.current.get())
            )
        dashboard.invalidate()
        return RedirectResponse(f"/people/{person_id}?split={out.person}", status_code=303)

    return await run_in_threadpool(run)
