"""Claim pages: file (JKM and the others), checklist, advance, explanation of the amount.

A thin adapter: each route parses its form, calls one action or query of
:mod:`jaring.claims` with the signed-in user, and renders ``claims/claims.html`` or
``claims/claim.html`` (which read the domain's dataclasses) or the refusal's message.
Heirs are written one per line as in the CLI (``relation:name[:NIK][:date]``, ``*`` after the
relation marks the recipient).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from jaring.claims import actions, catalog, queries, workflow
from jaring.claims.heirs import parse_heir
from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("claim.read"))]
Writer = Annotated[Principal, Depends(require("claim.write"))]


def _list_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    f = ctx.pop("f", None) or dict(request.query_params)
    rows = queries.list_claims(
        request.app.state.engine, p, status=f.get("status") or None, limit=200
    )
    return page(
        request,
        "claims/claims.html",
        status_code=status,
        rows=rows,
        f=f,
        types=catalog.claim_types(),
        statuses=workflow.STATUSES,
        **ctx,
    )


@router.get("/claims")
def claims(request: Request, p: Reader) -> Response:
    try:
        return _list_page(request, p)
    except JaringError as e:
        return _list_page(request, p, 400, f={}, error=e.message())


@router.post("/claims")
def file_claim(
    request: Request,
    p: Writer,
    type: Annotated[str, Form(max_length=30)] = "jkm",
    nik: Annotated[str, Form(max_length=20)] = "",
    event_date: Annotated[str, Form(max_length=10)] = "",
    reporter: Annotated[str, Form(max_length=200)] = "",
    heirs: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        c = actions.file_claim(
            request.app.state.engine,
            p,
            claim_type=type,
            event_date=parse_date(event_date, "event_date"),
            nik=nik.strip(),
            reporter=reporter,
            heirs=[parse_heir(line) for line in heirs.splitlines() if line.strip()],
        )
    except JaringError as e:
        f = {
            "type": type,
            "nik": nik,
            "event_date": event_date,
            "reporter": reporter,
            "heirs": heirs,
        }
        return _list_page(request, p, 400, f=f, error=e.message())
    return RedirectResponse(f"/claims/{c.claim}", status_code=303)


def _claim_page(
    request: Request, p: Principal, claim_id: int, status: int = 200, **ctx: Any
) -> Response:
    view = queries.claim_page(request.app.state.engine, p, claim_id)
    return page(request, "claims/claim.html", status_code=status, c=view.claim, view=view, **ctx)


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: Id, p: Reader) -> Response:
    return _claim_page(request, p, claim_id)


@router.post("/claims/{claim_id}/documents")
async def documents(request: Request, claim_id: Id, p: Writer) -> Response:
    form = await request.form()
    codes = [str(c) for c in form.getlist("codes")][:30]
    eng = request.app.state.engine

    def run() -> Response:
        try:
            actions.record_documents(eng, p, claim_id, codes)
        except JaringError as e:
            return _claim_page(request, p, claim_id, 400, error=e.message())
        return RedirectResponse(f"/claims/{claim_id}", status_code=303)

    return await run_in_threadpool(run)


@router.post("/claims/{claim_id}/advance")
def advance(
    request: Request,
    claim_id: Id,
    p: Writer,
    to: Annotated[str, Form(max_length=30)] = "",
    reason_code: Annotated[str, Form(max_length=60)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    paid_on: Annotated[str, Form(max_length=10)] = "",
    amount: Annotated[str, Form(max_length=30)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    try:
        money = amount.replace(".", "").replace(",", "").strip()
        actions.advance_claim(
            request.app.state.engine,
            p,
            claim_id,
            to,
            reason_code=reason_code or None,
            reason=reason or None,
            paid_on=parse_date(paid_on, "paid_on"),
            amount=int(money) if money.isdigit() else None,
            reference=reference or None,
        )
    except JaringError as e:
        return _claim_page(request, p, claim_id, 400, error=e.message())
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)
