"""People: search (live with HTMX, plain GET without JavaScript) and one person's file."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from jaring.attachments import queries as attachment_queries
from jaring.errors import Forbidden, JaringError, NotFound
from jaring.registry import errors
from jaring.registry.actions import changes, decisions, search_index, workers
from jaring.registry.actions import niks as nik_actions
from jaring.registry.queries import changes as change_queries
from jaring.registry.queries import people, search, timeline
from jaring.web import dashboard, i18n
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("person.read"))]
Writer = Annotated[Principal, Depends(require("person.write"))]


def _search(request: Request, p: Principal, q: str) -> dict[str, Any]:
    """A NIK (or its first digits) exactly; a name as people write it: every name a person
    was listed under, tolerant of typos and of parts in another order."""
    eng = request.app.state.engine
    try:
        result = people.search(eng, p, q, 50)
        matched: dict[int, str] = {}
        if result.kind == "name":
            search_index.refresh(eng)
            found = search.by_name(eng, p, q, limit=50)
            seen = {x.id for x in result.people}
            extra = [f for f in found if f.person.id not in seen]
            matched = {f.person.id: f.matched for f in found}
            result = people.Search(
                query=result.query,
                kind=result.kind,
                people=[*result.people, *(f.person for f in extra)][:50],
                more=result.more,
            )
        return {"result": result, "q": q, "matched": matched}
    except JaringError as e:
        return {"error": e.message(i18n.current.get()), "q": q, "result": None}


@router.get("/people")
def people_page(request: Request, p: Reader, q: str = "") -> Response:
    return page(request, "registry/people.html", **_search(request, p, q[:100]))


@router.get("/people/new")
def new_worker(request: Request, p: Writer) -> Response:
    return page(request, "registry/register.html", f={})


@router.post("/people/new")
async def register_worker(request: Request, p: Writer) -> Response:
    """Register one worker: a list of one, checked and linked like any list row."""
    form = await request.form()
    f = {k: str(form.get(k) or "").strip()[:200] for k in workers.HEADERS}
    eng = request.app.state.engine

    def run() -> Response:
        try:
            out = workers.register_worker(eng, p, {k: v for k, v in f.items() if v})
        except JaringError as e:
            return page(
                request,
                "registry/register.html",
                status_code=400,
                f=f,
                error=e.message(i18n.current.get()),
            )
        dashboard.invalidate()
        if out.person_id is not None:
            return RedirectResponse(f"/people/{out.person_id}?registered=1", status_code=303)
        return page(request, "registry/register.html", status_code=400, f=f, result=out)

    return await run_in_threadpool(run)


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
    asked = None if p.masked else change_queries.changes_of_person(eng, p, person_id)
    return page(
        request,
        "registry/person.html",
        status_code=status,
        p=person,
        source_rows=rows,
        changes=asked,
        timeline=timeline.person_timeline(eng, p, person_id),
        registered=request.query_params.get("registered"),
        done=request.query_params.get("done"),
        **ctx,
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


@router.post("/people/{person_id}/nik")
async def choose_nik(request: Request, person_id: Id, p: Writer) -> Response:
    """The choice of NIK for a person whose rows carry two: it stays the person's NIK
    (audited); back to the person's page."""
    form = await request.form()
    nik = str(form.get("nik") or "")[:32]
    reason = str(form.get("reason") or "")[:500]
    eng = request.app.state.engine

    def run() -> Response:
        try:
            nik_actions.choose_nik(eng, p, person_id, nik, reason=reason)
        except (NotFound, Forbidden):
            raise
        except JaringError as e:
            return _person_page(
                request, p, person_id, status=400, nik_error=e.message(i18n.current.get())
            )
        dashboard.invalidate()
        return RedirectResponse(f"/people/{person_id}?done=nik", status_code=303)

    return await run_in_threadpool(run)


@router.post("/people/{person_id}/contact")
async def edit_contact(request: Request, person_id: Id, p: Writer) -> Response:
    """Contact details change at once (audited with before and after)."""
    form = await request.form()
    values = {k: str(form.get(k) or "")[:300] for k in workers.CONTACT_FIELDS if k in form}
    eng = request.app.state.engine

    def run() -> Response:
        try:
            workers.edit_contact(eng, p, person_id, values)
        except (NotFound, Forbidden):
            raise
        except JaringError as e:
            return _person_page(
                request, p, person_id, status=400, contact_error=e.message(i18n.current.get())
            )
        return RedirectResponse(f"/people/{person_id}?done=contact", status_code=303)

    return await run_in_threadpool(run)


@router.post("/people/{person_id}/changes")
async def ask_change(request: Request, person_id: Id, p: Writer) -> Response:
    """An identity change request, waiting for a supervisor."""
    form = await request.form()
    asked = {
        k: str(form.get(k) or "").strip()[:200]
        for k in workers.IDENTITY_FIELDS
        if str(form.get(k) or "").strip()
    }
    reason = str(form.get("reason") or "")[:1000]
    upload = form.get("evidence")
    evidence = None
    if isinstance(upload, UploadFile) and upload.filename:
        evidence = (upload.filename, await upload.read())
    eng = request.app.state.engine

    def run() -> Response:
        try:
            changes.request_change(eng, p, person_id, asked, reason, evidence=evidence)
        except (NotFound, Forbidden):
            raise
        except JaringError as e:
            return _person_page(
                request,
                p,
                person_id,
                status=400,
                change_error=e.message(i18n.current.get()),
                asked=asked,
                reason=reason,
            )
        dashboard.invalidate()
        return RedirectResponse(f"/people/{person_id}?done=asked", status_code=303)

    return await run_in_threadpool(run)


@router.get("/changes/{change_id}/evidence")
def change_evidence(request: Request, change_id: Id, p: Reader) -> Response:
    """The evidence of a change request (an audited read of the attachment store)."""
    eng = request.app.state.engine
    c = change_queries.get_change(eng, p, change_id)
    if c.evidence_id is None:
        raise errors.CHANGE_NOT_FOUND(change=change_id)
    found, data = attachment_queries.read(eng, p, c.evidence_id)
    return Response(
        data,
        media_type=found.media_type,
        headers={"Content-Disposition": f'inline; filename="{found.filename}"'},
    )


@router.post("/changes/{change_id}")
async def decide_change(request: Request, change_id: Id, p: Reader) -> Response:
    """A supervisor's decision on a change request (the domain checks the right, the region
    and that the decider is not the asker)."""
    form = await request.form()
    approve = form.get("decision") == "approve"
    note = str(form.get("note") or "")[:500]
    eng = request.app.state.engine

    def run() -> Response:
        c = change_queries.get_change(eng, p, change_id)
        try:
            changes.decide_change(eng, p, change_id, approve, note)
        except JaringError as e:
            if isinstance(e, NotFound):
                raise
            return _person_page(
                request, p, c.person_id, status=e.status, change_error=e.message(i18n.current.get())
            )
        dashboard.invalidate()
        done = "approved" if approve else "rejected"
        return RedirectResponse(f"/people/{c.person_id}?done={done}", status_code=303)

    return await run_in_threadpool(run)
