"""Programs: budget, plan scenarios, enrolment, BPJS files, invoices and payments."""

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jaring.web.api.common import Id, problems
from jaring.web.programs import (
    MEDIA,
    bpjs_export_bytes,
    bpjs_import_bytes,
    check_program_scope,
    done,
)
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter(tags=["programs"])
Reader = Annotated[Principal, Depends(require("program.read"))]
Writer = Annotated[Principal, Depends(require("program.write"))]
Payer = Annotated[Principal, Depends(require("billing.write"))]
Budget = Annotated[int, Field(ge=0, le=10**15)]


class ProgramIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    fiscal_year: int = Field(ge=2015, le=2100)
    budget: Budget
    funder_type: Literal["apbd", "self"] = "apbd"
    funder_region: str | None = Field(None, max_length=13)
    segment: Literal["bpu", "pu"] = "bpu"
    income_base: int | None = Field(None, ge=0, le=10**10)
    risk: str | None = Field(None, max_length=20)
    with_jht: bool = False
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class PlanIn(BaseModel):
    scenario: Literal["full", "spread"] = "full"
    budget: Budget | None = None
    priority: str | None = Field(None, max_length=200)
    quotas: list[str] = Field(default_factory=list, max_length=20)
    drop_covered: bool = False
    name: str | None = Field(None, max_length=100)
    save: bool = True


class InvoiceIn(BaseModel):
    month: dt.date


class PaymentIn(BaseModel):
    amount: int = Field(ge=1, le=10**15)
    sp2d: str = Field(min_length=1, max_length=60)
    on: dt.date


def _engine(request: Request):  # type: ignore[no-untyped-def]
    return request.app.state.engine


@router.get("/programs", responses=problems())
def list_programs(request: Request, p: Reader) -> list[dict[str, Any]]:
    from jaring.programs import service

    return service.list_programs(_engine(request))


@router.post("/programs", status_code=201, responses=problems(400))
def create_program(request: Request, body: ProgramIn, p: Writer) -> dict[str, Any]:
    from jaring.programs import service

    check_program_scope(p)
    out = service.create_program(_engine(request), **body.model_dump())
    done(_engine(request), p, "program.create", "program", out["id"], out)
    return out


@router.get("/programs/{program_id}", responses=problems(404))
def get_program(request: Request, program_id: Id, p: Reader) -> dict[str, Any]:
    """The program, where its budget stands (spent + committed + unspent) and its invoices."""
    from jaring.programs import billing_service, service

    eng = _engine(request)
    prog = next((x for x in service.list_programs(eng) if x["id"] == program_id), None)
    if prog is None:
        from jaring.errors import NotFound

        raise NotFound(
            "program_not_found",
            f"Program {program_id} tidak ada.",
            f"No program {program_id}.",
            program=program_id,
        )
    return {
        **prog,
        "reconcile": billing_service.reconcile(eng, program_id),
        "invoices": billing_service.list_invoices(eng, program_id),
    }


@router.get("/programs/{program_id}/scenarios", responses=problems(400, 404))
def scenarios(
    request: Request,
    program_id: Id,
    p: Reader,
    budget: Annotated[int | None, Query(ge=0, le=10**15)] = None,
    priority: Annotated[str | None, Query(max_length=200)] = None,
    extra: Annotated[int, Query(ge=0, le=10**14)] = 1_000_000_000,
) -> dict[str, Any]:
    """Side by side: everyone for fewer months vs fewer people for the whole period, and
    what ``extra`` rupiah more would buy. Nothing is saved."""
    from jaring.programs import service

    return service.compare_scenarios(
        _engine(request), program_id, budget=budget, priority=priority, extra=extra
    )


@router.post("/programs/{program_id}/plans", status_code=201, responses=problems(400, 404))
def plan(request: Request, program_id: Id, body: PlanIn, p: Writer) -> dict[str, Any]:
    """Plan what the budget buys (saved unless ``save`` is false)."""
    from jaring.programs import service

    check_program_scope(p)
    out = service.plan_program(_engine(request), program_id, **body.model_dump())
    if body.save:
        done(_engine(request), p, "program.plan", "program", program_id, out)
    return out


@router.post("/programs/{program_id}/enrol", responses=problems(400, 404))
def enrol(
    request: Request, program_id: Id, p: Writer, plan_id: int | None = None
) -> dict[str, Any]:
    """Turn the latest saved plan (or ``plan_id``) into memberships."""
    from jaring.programs import service

    check_program_scope(p)
    out = service.enrol(_engine(request), program_id, plan_id=plan_id)
    done(_engine(request), p, "program.enrol", "program", program_id, out)
    return out


@router.post(
    "/programs/{program_id}/bpjs/registrations",
    responses={**problems(400, 404), 200: {"content": {MEDIA["xlsx"]: {}, MEDIA["csv"]: {}}}},
    response_class=Response,
)
def bpjs_export(
    request: Request,
    program_id: Id,
    p: Writer,
    format: Literal["xlsx", "csv"] = "xlsx",
    include_submitted: bool = False,
) -> Response:
    """The registration file for BPJS TK (members not yet sent become ``submitted``)."""
    check_program_scope(p)
    summary, content = bpjs_export_bytes(_engine(request), program_id, format, include_submitted)
    done(_engine(request), p, "program.bpjs_export", "program", program_id, summary)
    return Response(
        content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="registrasi-{program_id}.{format}"'},
    )


@router.post("/programs/{program_id}/bpjs/answers", responses=problems(400, 404))
def bpjs_answer(
    request: Request, program_id: Id, p: Writer, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    """BPJS's answer (KPJ numbers by NIK, CSV or XLSX): good rows activate memberships."""
    check_program_scope(p)
    out = bpjs_import_bytes(_engine(request), program_id, file.filename or "", file.file.read())
    done(_engine(request), p, "program.bpjs_import", "program", program_id, out)
    return out


@router.get("/programs/{program_id}/invoices", responses=problems(404))
def invoices(request: Request, program_id: Id, p: Reader) -> list[dict[str, Any]]:
    from jaring.programs import billing_service

    return billing_service.list_invoices(_engine(request), program_id)


@router.post("/programs/{program_id}/invoices", status_code=201, responses=problems(400, 404))
def create_invoice(request: Request, program_id: Id, body: InvoiceIn, p: Payer) -> dict[str, Any]:
    """Issue the invoice of ``month`` (amounts from the law)."""
    from jaring.programs import billing_service

    check_program_scope(p)
    out = billing_service.create_invoice(_engine(request), program_id, body.month)
    done(_engine(request), p, "billing.invoice", "program", program_id, out)
    return out


@router.post("/invoices/{invoice_id}/payments", status_code=201, responses=problems(400, 404))
def pay(request: Request, invoice_id: Id, body: PaymentIn, p: Payer) -> dict[str, Any]:
    """Record a payment (SP2D) against an invoice; paid months become coverage."""
    from jaring.programs import billing_service

    check_program_scope(p)
    out = billing_service.pay(
        _engine(request), invoice_id, amount=body.amount, sp2d=body.sp2d, on=body.on
    )
    done(_engine(request), p, "billing.pay", "invoice", invoice_id, out)
    return out
