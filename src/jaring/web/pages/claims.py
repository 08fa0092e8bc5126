"""Claim pages: file (JKM and the others), checklist, heirs, advance, explanation of the amount.

A thin adapter: each route parses its form, calls one action or query of
:mod:`jaring.claims` with the signed-in user, and renders ``claims/claims.html`` or
``claims/claim.html`` (which read the domain's dataclasses) or the refusal's message.
Heirs are entered as form rows (relation from a list, name, NIK, birth date, one marked as
the recipient). Approval and payment are offered only to a claims approver who did not file
the claim; the claims domain refuses the rest anyway (maker-checker).
"""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from jaring.claims import actions, catalog, queries, workflow
from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.i18n import _
from jaring.web.api.common import Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("claim.read"))]
Writer = Annotated[Principal, Depends(require("claim.write"))]

HEIR_ROWS = 4  # heir rows on the filing form (more can be added on the claim's page)
FILTERS = ("status", "type", "district", "q")


def _list_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    q = request.query_params
    f = {k: str(q.get(k) or "")[:60] for k in FILTERS}
    rows = queries.list_claims(
        request.app.state.engine,
        p,
        status=f["status"] or None,
        claim_type=f["type"] or None,
        district=f["district"] or None,
        search=f["q"] or None,
        limit=200,
    )
    return page(
        request,
        "claims/claims.html",
        status_code=status,
        rows=rows,
        f=f,
        form=ctx.pop("form", None) or {},
        heirs=ctx.pop("heirs", None) or [{} for _ in range(HEIR_ROWS)],
        types=catalog.claim_types(),
        relations=list(catalog.heir_relations()),
        statuses=workflow.STATUSES,
        districts=queries.claim_districts(request.app.state.engine, p),
        **ctx,
    )


@router.get("/claims")
def claims(request: Request, p: Reader) -> Response:
    try:
        return _list_page(request, p)
    except JaringError as e:
        request.scope["query_string"] = b""
        return _list_page(request, p, 400, error=e.message())


def heirs_of(form: FormData, rows: int) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The heir rows of a form (``heir_relation_N``, ``heir_name_N``, ``heir_nik_N``,
    ``heir_birth_N``, the recipient's N in ``recipient``): the heirs given, and every row as
    typed (to show the form again after a refusal). A row without a name is empty."""
    typed: list[dict[str, str]] = []
    heirs: list[dict[str, Any]] = []
    recipient = str(form.get("recipient") or "")
    for i in range(rows):
        row = {
            k: str(form.get(f"heir_{k}_{i}") or "").strip()[:200]
            for k in ("relation", "name", "nik", "birth")
        }
        row["recipient"] = "1" if recipient == str(i) else ""
        typed.append(row)
        if not row["name"]:
            continue
        heir: dict[str, Any] = {
            "relation": row["relation"],
            "name": row["name"],
            "recipient": bool(row["recipient"]),
        }
        if row["nik"]:
            heir["nik"] = row["nik"]
        if row["birth"]:
            heir["birth_date"] = parse_date(row["birth"], "heir_birth_date")
        heirs.append(heir)
    return heirs, typed


@router.post("/claims")
async def file_claim(request: Request, p: Writer) -> Response:
    form = await request.form()
    f = {k: str(form.get(k) or "").strip()[:200] for k in ("type", "nik", "event_date", "reporter")}
    eng = request.app.state.engine

    def run() -> Response:
        typed: list[dict[str, str]] = []
        try:
            heirs, typed = heirs_of(form, HEIR_ROWS)
            c = actions.file_claim(
                eng,
                p,
                claim_type=f["type"] or "jkm",
                event_date=parse_date(f["event_date"], "event_date"),
                nik=f["nik"],
                reporter=f["reporter"],
                heirs=heirs,
            )
        except JaringError as e:
            return _list_page(request, p, 400, form=f, heirs=typed or None, error=e.message())
        return RedirectResponse(f"/claims/{c.claim}?done=filed", status_code=303)

    return await run_in_threadpool(run)


DONE = {
    "filed": "The claim is filed.",
    "documents": "The documents are recorded.",
    "heirs": "The heirs are recorded.",
    "advanced": "The claim has moved on.",
}


def _claim_page(
    request: Request, p: Principal, claim_id: int, status: int = 200, **ctx: Any
) -> Response:
    view = queries.claim_page(request.app.state.engine, p, claim_id)
    done = DONE.get(str(request.query_params.get("done") or ""))
    return page(
        request,
        "claims/claim.html",
        status_code=status,
        c=view.claim,
        view=view,
        today=dt.date.today().isoformat(),
        message=_(done) if done and status == 200 else None,
        heir_rows=2,
        **ctx,
    )


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: Id, p: Reader) -> Response:
    return _claim_page(request, p, claim_id)


@router.post("/claims/{claim_id}/documents")
async def documents(request: Request, claim_id: Id, p: Writer) -> Response:
    form = await request.form()
    codes = [str(c) for c in form.getlist("codes")][:30]
    received = str(form.get("received_on") or "")[:10]
    eng = request.app.state.engine

    def run() -> Response:
        try:
            on = parse_date(received, "received_on")
            actions.record_documents(eng, p, claim_id, codes, received_on=on)
        except JaringError as e:
            return _claim_page(request, p, claim_id, e.status, error=e.message())
        return RedirectResponse(f"/claims/{claim_id}?done=documents", status_code=303)

    return await run_in_threadpool(run)


@router.post("/claims/{claim_id}/heirs")
async def heirs(request: Request, claim_id: Id, p: Writer) -> Response:
    form = await request.form()
    eng = request.app.state.engine

    def run() -> Response:
        try:
            given, _typed = heirs_of(form, 2)
            actions.add_heirs(eng, p, claim_id, given)
        except JaringError as e:
            return _claim_page(request, p, claim_id, e.status, error=e.message())
        return RedirectResponse(f"/claims/{claim_id}?done=heirs", status_code=303)

    return await run_in_threadpool(run)


@router.post("/claims/{claim_id}/advance")
def advance(
    request: Request,
    claim_id: Id,
    p: Reader,
    to: Annotated[str, Form(max_length=30)] = "",
    reason_code: Annotated[str, Form(max_length=60)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    paid_on: Annotated[str, Form(max_length=10)] = "",
    amount: Annotated[str, Form(max_length=30)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
    confirm_uncertain: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        money = amount.replace("Rp", "").replace(".", "").replace(",", "").strip()
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
            confirm_uncertain=bool(confirm_uncertain),
        )
    except JaringError as e:
        return _claim_page(request, p, claim_id, e.status, error=e.message(), tried=to)
    return RedirectResponse(f"/claims/{claim_id}?done=advanced", status_code=303)
