"""Claim pages: file (JKM and the others), checklist, advance, explanation of the amount."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.web import claims as web_claims
from jaring.web import i18n
from jaring.web.api.common import Id
from jaring.web.programs import done
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("claim.read"))]
Writer = Annotated[Principal, Depends(require("claim.write"))]


def _list_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    from jaring.claims import catalog, workflow

    f = ctx.pop("f", None) or dict(request.query_params)
    rows = web_claims.list_claims(
        request.app.state.engine, p, status=f.get("status") or None, limit=200
    )
    return page(
        request,
        "claims.html",
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
        return _list_page(request, p, 400, f={}, error=e.message(i18n.current.get()))


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
    from jaring.claims import service

    eng = request.app.state.engine
    try:
        person_id = web_claims.person_for_nik(eng, p, nik.strip())
        out = service.file_claim(
            eng,
            claim_type=type,
            event_date=parse_date(event_date, "event_date"),
            person_id=person_id,
            reporter=reporter,
            heirs=web_claims.parse_heirs(heirs),
            actor=p.username,
        )
    except JaringError as e:
        f = {
            "type": type,
            "nik": nik,
            "event_date": event_date,
            "reporter": reporter,
            "heirs": heirs,
        }
        return _list_page(request, p, 400, f=f, error=e.message(i18n.current.get()))
    done(
        eng,
        p,
        "claim.file",
        "claim",
        out["claim"],
        {k: out.get(k) for k in ("type", "amount", "eligible")},
    )
    return RedirectResponse(f"/claims/{out['claim']}", status_code=303)


def _claim_page(
    request: Request, p: Principal, claim_id: int, status: int = 200, **ctx: Any
) -> Response:
    from jaring.claims import catalog

    c = web_claims.get_claim(request.app.state.engine, p, claim_id)
    lang = i18n.current.get()
    t = catalog.claim_types().get(c["type"], {})
    return page(
        request,
        "claim.html",
        status_code=status,
        c=c,
        type_label=t.get("label", {}).get(lang, c["type"]),
        docs=web_claims.checklist(c, lang),
        steps=web_claims.next_steps(c["status"]),
        reject_reasons=catalog.reject_reasons(),
        **ctx,
    )


@router.get("/claims/{claim_id}")
def claim_page(request: Request, claim_id: Id, p: Reader) -> Response:
    return _claim_page(request, p, claim_id)


@router.post("/claims/{claim_id}/documents")
async def documents(request: Request, claim_id: Id, p: Writer) -> Response:
    from fastapi.concurrency import run_in_threadpool

    from jaring.claims import service

    form = await request.form()
    codes = [str(c) for c in form.getlist("codes")][:30]
    eng = request.app.state.engine

    def run() -> Response:
        try:
            web_claims.get_claim(eng, p, claim_id)
            service.record_documents(eng, claim_id, codes, actor=p.username)
        except JaringError as e:
            return _claim_page(request, p, claim_id, 400, error=e.message(i18n.current.get()))
        done(eng, p, "claim.documents", "claim", claim_id, {"codes": codes})
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
    from jaring.claims import service

    eng = request.app.state.engine
    try:
        before = web_claims.get_claim(eng, p, claim_id)
        money = amount.replace(".", "").replace(",", "").strip()
        service.advance_claim(
            eng,
            claim_id,
            to,
            actor=p.username,
            reason_code=reason_code or None,
            reason=reason or None,
            paid_on=parse_date(paid_on, "paid_on"),
            amount=int(money) if money.isdigit() else None,
            reference=reference or None,
        )
    except JaringError as e:
        return _claim_page(request, p, claim_id, 400, error=e.message(i18n.current.get()))
    done(eng, p, "claim.advance", "claim", claim_id, {"from": before["status"], "to": to})
    return RedirectResponse(f"/claims/{claim_id}", status_code=303)
