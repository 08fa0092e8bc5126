"""Deaths and families pages: the claims officer's "klaim belum diajukan" tasks with the
letter to each family, a death list uploaded and its rows reviewed, refunds, the
coverage-gap report; on a person's page, their family and deaths (a section loaded by HTMX,
also a page of its own without JavaScript).

A thin adapter: each route parses its form, calls one action or query of
:mod:`jaring.families` with the signed-in user, and renders ``families/*.html`` or the
refusal's message.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.families import relations
from jaring.families.actions import deaths as death_actions
from jaring.families.actions import families as family_actions
from jaring.families.queries import deaths as death_queries
from jaring.families.queries import families as family_queries
from jaring.web.api.common import MEDIA, Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Anyone = Annotated[Principal, Depends(require())]
PersonReader = Annotated[Principal, Depends(require("person.read"))]
PersonWriter = Annotated[Principal, Depends(require("person.write"))]
Approver = Annotated[Principal, Depends(require("person.approve"))]
ClaimReader = Annotated[Principal, Depends(require("claim.read"))]
CoverageReader = Annotated[Principal, Depends(require("coverage.read"))]


def claim_link(t: death_queries.Task) -> str:
    """The claim form filled from a task: the member's NIK, the date of death, and the heirs
    proposed from the family (one per line, ``*`` marking who receives), for the operator to
    check and confirm."""
    lines = []
    for h in t.heirs:
        parts = [h.relation + ("*" if h.recipient else ""), h.name]
        if h.nik and "*" not in h.nik:
            parts.append(h.nik)
        if h.birth_date:
            parts.append(h.birth_date.isoformat())
        lines.append(":".join(parts))
    query = {"type": "jkm", "event_date": t.death_date.isoformat(), "heirs": "\n".join(lines)}
    if t.nik and "*" not in t.nik:
        query["nik"] = t.nik
    return "/claims?" + urlencode(query)


def _deaths_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    eng = request.app.state.engine
    tasks = death_queries.tasks(eng, p) if p.can("claim.read") else []
    return page(
        request,
        "families/deaths.html",
        status_code=status,
        tasks=tasks,
        claim_links={t.death_id: claim_link(t) for t in tasks},
        rows=death_queries.list_rows(eng, p) if p.can("person.read") else [],
        refunds=death_queries.refunds(eng, p) if p.can("program.read") else [],
        changes=family_queries.changes(eng, p) if p.can("person.read") else [],
        **ctx,
    )


@router.get("/deaths")
def deaths_page(request: Request, p: Anyone) -> Response:
    return _deaths_page(request, p)


@router.post("/deaths/lists")
async def upload(
    request: Request,
    p: PersonWriter,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form(max_length=200)] = "",
    listed_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    content = await file.read()
    eng = request.app.state.engine

    def run() -> Response:
        try:
            out = death_actions.import_upload(
                eng, p, file.filename or "kematian.csv", content, source=source,
                listed_on=parse_date(listed_on, "listed_on"),
            )  # fmt: skip
        except JaringError as e:
            return _deaths_page(request, p, 400, error=e.message(), f={"source": source})
        return _deaths_page(request, p, imported=out)

    return await run_in_threadpool(run)


@router.post("/deaths/review/{row_id}")
def decide(
    request: Request,
    row_id: Id,
    p: Approver,
    decision: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        death_actions.decide_row(
            request.app.state.engine, p, row_id, accept=decision == "accept", reason=reason
        )
    except JaringError as e:
        return _deaths_page(request, p, 400, error=e.message())
    return RedirectResponse("/deaths#review", status_code=303)


@router.get("/deaths/{death_id}/letter.pdf")
def letter(request: Request, death_id: Id, p: ClaimReader) -> Response:
    try:
        pdf = death_actions.print_letter(request.app.state.engine, p, death_id)
    except JaringError as e:
        return _deaths_page(request, p, e.status, error=e.message())
    return Response(
        pdf,
        media_type=MEDIA["pdf"],
        headers={"Content-Disposition": f'inline; filename="surat-keluarga-{death_id}.pdf"'},
    )


@router.post("/deaths/{death_id}/undo")
def undo(
    request: Request,
    death_id: Id,
    p: Approver,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    eng = request.app.state.engine
    try:
        out = death_actions.undo_death(eng, p, death_id, reason=reason)
    except JaringError as e:
        try:
            person_id = death_queries.get_death(eng, p, death_id).person_id
        except JaringError:
            return _deaths_page(request, p, 400, error=e.message())
        return _family_page(request, p, person_id, 400, error=e.message())
    return RedirectResponse(f"/people/{out.person_id}/family", status_code=303)


@router.get("/deaths/gaps")
def gaps(request: Request, p: CoverageReader, since: str = "", until: str = "") -> Response:
    try:
        report = death_queries.gap_report(
            request.app.state.engine, p, since=parse_date(since, "since"),
            until=parse_date(until, "until"),
        )  # fmt: skip
    except JaringError as e:
        return page(request, "families/gaps.html", status_code=400, error=e.message(), r=None)
    return page(
        request,
        "families/gaps.html",
        r=report,
        reasons={k: death_queries.gap_reason_text(k) for k in death_queries.GAP_REASONS},
        f={"since": since, "until": until},
    )


# ------------------------------------------------------------------ a person's family


def _family_page(
    request: Request, p: Principal, person_id: int, status: int = 200, **ctx: Any
) -> Response:
    eng = request.app.state.engine
    partial = request.headers.get("hx-request") == "true" and status == 200
    return page(
        request,
        "families/person_family.html",
        status_code=status,
        person_id=person_id,
        family=family_queries.family_of(eng, p, person_id),
        deaths=death_queries.deaths_of(eng, p, person_id),
        relations=relations.RELATIONS,
        partial=partial,
        **ctx,
    )


@router.get("/people/{person_id}/family")
def family(request: Request, person_id: Id, p: PersonReader) -> Response:
    try:
        return _family_page(request, p, person_id)
    except JaringError as e:
        return page(request, "error.html", status_code=e.status, message=e.message())


@router.post("/people/{person_id}/family/members")
def add_member(
    request: Request,
    person_id: Id,
    p: PersonWriter,
    kk_number: Annotated[str, Form(max_length=30)] = "",
    relation: Annotated[str, Form(max_length=40)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    nik: Annotated[str, Form(max_length=20)] = "",
    birth_date: Annotated[str, Form(max_length=10)] = "",
    sex: Annotated[str, Form(max_length=1)] = "",
    is_self: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        family_actions.add_member(
            request.app.state.engine, p, kk_number, relation=relation, name=name,
            nik=nik or None, birth_date=parse_date(birth_date, "birth_date"), sex=sex or None,
            person_id=person_id if is_self else None,
        )  # fmt: skip
    except JaringError as e:
        return _family_page(request, p, person_id, 400, member_error=e.message())
    return RedirectResponse(f"/people/{person_id}/family", status_code=303)


@router.post("/people/{person_id}/deaths")
def record_death(
    request: Request,
    person_id: Id,
    p: PersonWriter,
    death_date: Annotated[str, Form(max_length=10)] = "",
    source: Annotated[str, Form(max_length=200)] = "",
    place: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        death_actions.record_death(
            request.app.state.engine, p, person_id,
            parse_date(death_date, "death_date", required=True), source=source,
            place=place or None,
        )  # fmt: skip
    except JaringError as e:
        return _family_page(request, p, person_id, 400, death_error=e.message())
    return RedirectResponse(f"/people/{person_id}/family", status_code=303)


@router.post("/people/{person_id}/family/members/{member_id}/changes")
def request_change(
    request: Request,
    person_id: Id,
    member_id: Id,
    p: PersonWriter,
    field: Annotated[str, Form(max_length=20)] = "",
    value: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        family_actions.request_change(
            request.app.state.engine, p, member_id, {field: value}, reason=reason
        )
    except JaringError as e:
        return _family_page(request, p, person_id, 400, change_error=e.message())
    return RedirectResponse(f"/people/{person_id}/family?asked=1", status_code=303)


@router.post("/families/changes/{change_id}")
def decide_change(
    request: Request,
    change_id: Id,
    p: Approver,
    decision: Annotated[str, Form(max_length=10)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        family_actions.decide_change(
            request.app.state.engine, p, change_id, approve=decision == "approve", note=note or None
        )
    except JaringError as e:
        return _deaths_page(request, p, 400, error=e.message())
    return RedirectResponse("/deaths#changes", status_code=303)
