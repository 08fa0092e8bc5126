"""Claims: file, checklist, advance, and the explanation of the amount.

The bodies and answers are the claims domain's own dataclasses (:mod:`jaring.claims.actions`,
:mod:`jaring.claims.queries`), so a field of a claim reaches the API without a change here.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from jaring.claims import actions, queries
from jaring.web.api.common import Id, problems
from jaring.web.security import Principal, require

router = APIRouter(tags=["claims"])
Reader = Annotated[Principal, Depends(require("claim.read"))]
Writer = Annotated[Principal, Depends(require("claim.write"))]


@router.get("/claims", responses=problems(400), response_model=list[queries.ClaimRow])
def list_claims(
    request: Request,
    p: Reader,
    status: Annotated[str | None, Query(max_length=30)] = None,
    month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    type: Annotated[str | None, Query(max_length=30)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[queries.ClaimRow]:
    """Claims in your regions, newest first."""
    return queries.list_claims(
        request.app.state.engine, p, status=status, month=month, claim_type=type, limit=limit
    )


@router.post("/claims", status_code=201, responses=problems(400, 404), response_model=queries.Claim)
def file_claim(request: Request, body: actions.Filing, p: Writer) -> queries.Claim:
    """File a claim for the person with ``nik`` (in your regions): eligibility from their
    coverage history, the amount from the law, with its explanation."""
    return actions.file_claim(request.app.state.engine, p, **body.kwargs())


@router.get("/claims/{claim_id}", responses=problems(404), response_model=queries.Claim)
def get_claim(request: Request, claim_id: Id, p: Reader) -> queries.Claim:
    """A claim with its explanation (notes in your language), heirs, documents and trail."""
    return queries.get_claim(request.app.state.engine, p, claim_id)


@router.post(
    "/claims/{claim_id}/documents", responses=problems(400, 404), response_model=queries.Claim
)
def documents(request: Request, claim_id: Id, body: actions.Documents, p: Writer) -> queries.Claim:
    """Tick documents on the checklist."""
    return actions.record_documents(
        request.app.state.engine, p, claim_id, body.codes, received_on=body.received_on
    )


@router.post(
    "/claims/{claim_id}/advance", responses=problems(400, 404), response_model=queries.Claim
)
def advance(request: Request, claim_id: Id, body: actions.Advance, p: Reader) -> queries.Claim:
    """Move the claim on (each step checks what it must; a written ``reason`` overrides).
    Approval and payment need a second user with the claims approver role (maker-checker);
    an uncertain amount needs ``confirm_uncertain`` and a ``reason``."""
    return actions.advance_claim(
        request.app.state.engine,
        p,
        claim_id,
        body.to,
        reason_code=body.reason_code,
        reason=body.reason,
        paid_on=body.paid_on,
        amount=body.amount,
        reference=body.reference,
        confirm_uncertain=body.confirm_uncertain,
    )
