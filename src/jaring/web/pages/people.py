"""People: search (live with HTMX, plain GET without JavaScript) and one person's file."""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from jaring.attachments import queries as attachment_queries
from jaring.dates import parse_date
from jaring.errors import Forbidden, JaringError, NotFound, RateLimited
from jaring.i18n import _
from jaring.programs import actions as program_actions
from jaring.programs import errors as program_errors
from jaring.programs import queries as program_queries
from jaring.registry import errors
from jaring.registry.actions import changes, decisions, exports, search_index, workers
from jaring.registry.actions import niks as nik_actions
from jaring.registry.queries import browse, people, search, timeline
from jaring.registry.queries import changes as change_queries
from jaring.web import dashboard, i18n
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("person.read"))]
Writer = Annotated[Principal, Depends(require("person.write"))]


def _search(request: Request, p: Principal, q: str) -> dict[str, Any]:
    """A NIK (or its first digits) exactly; a name as people write it: every name a person
    was listed under, tolerant of typos and of parts in another order. A refusal comes back
    as ``error`` with its HTTP status (429 with ``retry_after`` past the NIK look-up limit
    of masked roles)."""
    eng = request.app.state.engine
    try:
        if search.is_name(q):  # a NIK look-up stays three index probes lighter
            search_index.refresh(eng)
        finding = search.find(eng, p, q, 50)
        return {"result": finding.search, "q": q, "matched": finding.matched}
    except JaringError as e:
        out: dict[str, Any] = {"error": e.message(i18n.current.get()), "q": q, "result": None}
        if isinstance(e, RateLimited):
            out["status_code"] = e.status
            out["retry_after"] = e.context["retry_after"]
        return out


def _filters(request: Request) -> browse.Filters:
    """The list's filters from the query string, each cut to size; a date that is not one,
    or out of the years Jaring works with, is refused (``bad_date``)."""
    qp = request.query_params

    def text(key: str, n: int = 100) -> str | None:
        v = (qp.get(key) or "").strip()[:n]
        return v or None

    day = parse_date(text("on", 10), "on")
    return browse.Filters(
        district=text("district", 8),
        village=text("village", 13),
        occupation=text("occupation"),
        covered=text("covered", 10),
        on=day,
        source=text("source", 200),
    )


def _after(request: Request) -> int | None:
    v = request.query_params.get("after") or ""
    return int(v) if v.isdigit() and len(v) < 19 else None


def _listing(request: Request, p: Principal) -> dict[str, Any]:
    """The browsable list under the search: filters, one page, the next page's key."""
    eng = request.app.state.engine
    try:
        f = _filters(request)
        listing = browse.browse(eng, p, f, after=_after(request))
    except JaringError as e:
        return {"list_error": e.message(i18n.current.get()), "filters": browse.Filters()}
    links = {k: str(v) for k, v in f.active().items()}
    return {
        "listing": listing,
        "filters": f,
        "filter_query": urlencode(links),
        "choices": browse.choices(eng, p, f.district),
        "can_clear_nik": not p.masked and p.can("nik.export"),
        "first_page": _after(request) is None,
        "programs": program_queries.list_programs(eng, p)
        if p.can("program.write") and p.all_regions and p.can("program.read")
        else [],
    }


def _with_retry(response: Response, ctx: dict[str, Any]) -> Response:
    if "retry_after" in ctx:
        response.headers["Retry-After"] = str(ctx["retry_after"])
    return response


@router.get("/people")
def people_page(request: Request, p: Reader, q: str = "") -> Response:
    ctx = _search(request, p, q[:100])
    if not q.strip():
        ctx.update(_listing(request, p))
    return _with_retry(page(request, "registry/people.html", **ctx), ctx)


@router.post("/people/export")
async def export_people(request: Request, p: Reader) -> Response:
    """The bulk action of the list: a file of the ticked people, or of everyone the filters
    keep (``scope=filtered``), masked as the list shows them and audited by the domain."""
    form = await request.form()
    scope = str(form.get("scope") or "selected")
    fmt = str(form.get("format") or "xlsx")[:10]
    raw_ids = [str(v) for v in form.getlist("ids")][:10_000]
    ids = [int(v) for v in raw_ids if v.isdigit() and len(v) < 19]
    fields = {
        k: str(form.get(k) or "")
        for k in ("district", "village", "occupation", "covered", "on", "source")
    }
    eng = request.app.state.engine

    def run() -> Response:
        try:
            day = parse_date(fields["on"][:10], "on")
            f = browse.Filters(
                district=fields["district"].strip()[:8] or None,
                village=fields["village"].strip()[:13] or None,
                occupation=fields["occupation"].strip()[:100] or None,
                covered=fields["covered"].strip()[:10] or None,
                on=day,
                source=fields["source"].strip()[:200] or None,
            )
            out = exports.selected_people_file(eng, p, fmt, f, None if scope == "filtered" else ids)
        except JaringError as e:
            if isinstance(e, (NotFound, Forbidden)):
                raise
            ctx = {"q": "", "result": None, "bulk_error": e.message(i18n.current.get())}
            ctx.update(_listing(request, p))
            return page(request, "registry/people.html", status_code=e.status, **ctx)
        media = {
            "csv": "text/csv; charset=utf-8",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "parquet": "application/vnd.apache.parquet",
        }[out.format]
        return Response(
            out.content,
            media_type=media,
            headers={
                "Content-Disposition": f'attachment; filename="orang.{out.format}"',
                "Cache-Control": "no-store",
            },
        )

    return await run_in_threadpool(run)


def _bulk_filters(form: Any) -> browse.Filters:
    """The list's filters as the bulk form carries them (hidden fields), cut to size."""
    fields = {
        k: str(form.get(k) or "").strip()
        for k in ("district", "village", "occupation", "covered", "on", "source")
    }
    return browse.Filters(
        district=fields["district"][:8] or None,
        village=fields["village"][:13] or None,
        occupation=fields["occupation"][:100] or None,
        covered=fields["covered"][:10] or None,
        on=parse_date(fields["on"][:10], "on"),
        source=fields["source"][:200] or None,
    )


@router.post("/people/candidates")
async def add_to_program(request: Request, p: Reader) -> Response:
    """The list's other bulk action: the ticked people, or everyone the filters keep
    (``add=filtered``), onto a program's candidates with a reason. Rights, regions and
    the audit trail are the programs domain's."""
    form = await request.form()
    scope = str(form.get("add") or "selected")
    raw_ids = [str(v) for v in form.getlist("ids")][:10_000]
    ids = [int(v) for v in raw_ids if v.isdigit() and len(v) < 19]
    program = str(form.get("program") or "")[:19]
    reason = str(form.get("reason") or "")[:500]
    eng = request.app.state.engine

    def run() -> Response:
        ctx: dict[str, Any] = {"q": "", "result": None}
        try:
            if not program.isdigit():
                raise program_errors.MISSING_OPTION(fields=_("program"), field="program")
            out = program_actions.add_candidates(
                eng,
                p,
                int(program),
                reason=reason,
                ids=None if scope == "filtered" else ids,
                filters=_bulk_filters(form),
            )
        except JaringError as e:
            if isinstance(e, Forbidden):
                raise
            ctx.update(_listing(request, p))
            ctx["bulk_error"] = e.message(i18n.current.get())
            return page(request, "registry/people.html", status_code=e.status, **ctx)
        dashboard.invalidate()
        ctx.update(_listing(request, p))
        ctx["bulk_added"] = out
        return page(request, "registry/people.html", **ctx)

    return await run_in_threadpool(run)


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
    ctx = _search(request, p, q[:100])
    return _with_retry(page(request, "registry/people_results.html", **ctx), ctx)


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
