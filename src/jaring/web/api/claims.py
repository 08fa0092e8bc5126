"""Claims: file, checklist, advance, and the explanation of the amount."""

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from jaring.web import claims as web_claims
from jaring.web.api.common import Id, problems
from jaring.web.programs import done
from jaring.web.security import Principal, require

router = APIRouter(tags=["claims"])
Reader = Annotated[Principal, Depends(require("claim.read"))]
Writer = Annotated[Principal, Depends(require("claim.write"))]


class HeirIn(BaseModel):
    relation: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    nik: str | None = Field(None, pattern=r"^\d{16}$")
    birth_date: dt.date | None = None
    recipient: bool = False


class ClaimIn(BaseModel):
    type: str = Field(min_length=1, max_length=30, description="jkm, jkk_death, ...")
    nik: str = Field(pattern=r"^\d{16}$")
    event_date: dt.date
    reporter: str = Field(min_length=1, max_length=200)
    filed_on: dt.date | None = None
    heirs: list[HeirIn] = Field(default_factory=list, max_length=20)
    inputs: dict[str, Any] = Field(default_factory=dict)
    reason: str | None = Field(None, max_length=500)


class DocumentsIn(BaseModel):
    codes: list[str] = Field(min_length=1, max_length=30)
    received_on: dt.date | None = None


class AdvanceIn(BaseModel):
    to: Literal["documents_complete", "verified", "approved", "rejected", "paid"]
    reason_code: str | None = Field(None, max_length=60)
    reason: str | None = Field(None, max_length=500)
    paid_on: dt.date | None = None
    amount: int | None = Field(None, ge=0, le=10**12)
    reference: str | None = Field(None, max_length=100)


@router.get("/claims", responses=problems(400))
def list_claims(
    request: Request,
    p: Reader,
    status: Annotated[str | None, Query(max_length=30)] = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    type: Annotated[str | None, Query(max_length=30)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[dict[str, Any]]:
    """Claims in your regions, newest first."""
    return web_claims.list_claims(
        request.app.state.engine, p, status=status, month=month, claim_type=type, limit=limit
    )


@router.post("/claims", status_code=201, responses=problems(400, 404))
def file_claim(request: Request, body: ClaimIn, p: Writer) -> dict[str, Any]:
    """File a claim for the person with ``nik`` (in your regions): eligibility from their
    coverage history, the amount from the law, with its explanation."""
    from jaring.claims import service

    eng = request.app.state.engine
    person_id = web_claims.person_for_nik(eng, p, body.nik)
    out = service.file_claim(
        eng,
        claim_type=body.type,
        event_date=body.event_date,
        person_id=person_id,
        filed_on=body.filed_on,
        reporter=body.reporter,
        heirs=[h.model_dump(exclude_none=True) for h in body.heirs],
        inputs=body.inputs,
        actor=p.username,
        reason=body.reason,
    )
    done(
        eng,
        p,
        "claim.file",
        "claim",
        out["claim"],
        {k: out.get(k) for k in ("type", "amount", "eligible")},
    )
    return web_claims.localized(out)


@router.get("/claims/{claim_id}", responses=problems(404))
def get_claim(request: Request, claim_id: Id, p: Reader) -> dict[str, Any]:
    return web_claims.localized(web_claims.get_claim(request.app.state.engine, p, claim_id))


@router.post("/claims/{claim_id}/documents", responses=problems(400, 404))
def documents(request: Request, claim_id: Id, body: DocumentsIn, p: Writer) -> dict[str, Any]:
    """Tick documents on the checklist."""
    from jaring.claims import service

    eng = request.app.state.engine
    web_claims.get_claim(eng, p, claim_id)
    out = service.record_documents(
        eng, claim_id, body.codes, received_on=body.received_on, actor=p.username
    )
    done(eng, p, "claim.documents", "claim", claim_id, {"codes": body.codes})
    return web_claims.localized(out)


@router.post("/claims/{claim_id}/advance", responses=problems(400, 404))
def advance(request: Request, claim_id: Id, body: AdvanceIn, p: Writer) -> dict[str, Any]:
    """Move the claim on (each step checks what it must; a written ``reason`` overrides)."""
    from jaring.claims import service

    eng = request.app.state.engine
    before = web_claims.get_claim(eng, p, claim_id)
    out = service.advance_claim(eng, claim_id, actor=p.username, **body.model_dump())
    done(eng, p, "claim.advance", "claim", claim_id, {"from": before["status"], "to": body.to})
    return web_claims.localized(out)
