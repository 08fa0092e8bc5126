"""Programs: budget, plan scenarios, enrolment, BPJS files, invoices and payments.

Each route parses its input, calls one action or query of :mod:`jaring.programs` with the
signed-in principal (rights, regions and the audit trail are the domain's) and answers its
dataclass; a change refreshes the dashboard's figures."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine

from jaring.programs import actions, errors, queries
from jaring.programs.actions import (
    Enrolment,
    IssuedInvoice,
    KpjImport,
    PaymentRecorded,
)
from jaring.programs.queries import (
    Exchange,
    InvoiceRow,
    PaymentRow,
    PlanSummary,
    Program,
    ProgramStatus,
    ProgramSteps,
    Scenarios,
)
from jaring.registry.queries.browse import Filters
from jaring.web import dashboard
from jaring.web.api.common import MAX_ID, MEDIA, Id, files, problems
from jaring.web.security import Principal, require

router = APIRouter(tags=["programs"])
Reader = Annotated[Principal, Depends(require("program.read"))]
Writer = Annotated[Principal, Depends(require("program.write"))]
Payer = Annotated[Principal, Depends(require("billing.write"))]
Budget = Annotated[int, Field(ge=0, le=10**15)]


class ProgramIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    fiscal_year: int = Field(ge=2015, le=2100)
    budget: Budget
    funder_type: Literal["apbd", "self", "apbn", "apbdes", "donor"] = "apbd"
    funder_region: str | None = Field(None, max_length=13)
    segment: Literal["bpu", "pu"] = "bpu"
    income_base: int | None = Field(None, ge=0, le=10**10)
    risk: str | None = Field(None, max_length=20)
    with_jht: bool = False
    with_jp: bool = False
    period_start: dt.date | None = None
    period_end: dt.date | None = None


class Rules(BaseModel):
    """Targeting rules; an empty value drops the rule."""

    desil_max: int | None = Field(None, ge=1, le=10)
    occupations: list[str] | None = Field(None, max_length=50)
    districts: list[str] | None = Field(None, max_length=200)
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    sex: Literal["L", "P", ""] | None = None


class ProgramChange(BaseModel):
    """What to change of a program; what is absent stays."""

    period_start: dt.date | None = None
    period_end: dt.date | None = None
    segment: Literal["bpu", "pu"] | None = None
    income_base: int | None = Field(None, ge=0, le=10**10)
    risk: str | None = Field(None, max_length=20)
    with_jht: bool | None = None
    with_jp: bool | None = None
    budget: Budget | None = None
    rules: Rules | None = None
    funder_type: Literal["apbd", "self", "apbn", "apbdes", "donor"] | None = Field(
        None,
        description="who pays (PP 50/2025); may change at any time: issued invoices keep "
        "their amounts, later ones follow the new type",
    )
    funder_region: str | None = Field(None, max_length=20, description='"" clears it')


class DismissIn(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


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


class RefundReturnIn(BaseModel):
    returned_on: dt.date
    reference: str = Field(min_length=1, max_length=100)


class RefundsReturnIn(RefundReturnIn):
    """Refunds returned by one transfer: all of ``refund_ids`` or none."""

    refund_ids: list[int] = Field(min_length=1, max_length=5000)


class PeopleFiltersIn(BaseModel):
    """The people list's filters (``/people``): distrik and kelurahan code prefixes, an
    occupation, covered (``yes``/``no``) on a date, the source list's name."""

    district: str | None = Field(None, max_length=8)
    village: str | None = Field(None, max_length=13)
    occupation: str | None = Field(None, max_length=100)
    covered: Literal["yes", "no"] | None = None
    on: dt.date | None = None
    source: str | None = Field(None, max_length=200)


class CandidatesIn(BaseModel):
    """People to put on a program's candidates: ``ids``, or everyone ``filters`` keep
    (both: the ids among those the filters keep), and why."""

    reason: str = Field(min_length=1, max_length=500)
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=100_000)
    filters: PeopleFiltersIn | None = None


class CandidateIdsIn(BaseModel):
    ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, max_length=100_000)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


@router.get("/programs", responses=problems(), response_model=list[Program])
def list_programs(request: Request, p: Reader) -> list[Program]:
    return queries.list_programs(_engine(request), p)


@router.post("/programs", status_code=201, responses=problems(400), response_model=Program)
def create_program(request: Request, body: ProgramIn, p: Writer) -> Program:
    out = actions.create_program(_engine(request), p, **body.model_dump())
    dashboard.invalidate()
    return out


@router.get("/programs/{program_id}", responses=problems(404), response_model=ProgramStatus)
def get_program(request: Request, program_id: Id, p: Reader) -> ProgramStatus:
    """The program, where its budget stands (spent + committed + unspent) and its invoices."""
    return queries.program_status(_engine(request), p, program_id)


@router.get(
    "/programs/{program_id}/scenarios", responses=problems(400, 404), response_model=Scenarios
)
def scenarios(
    request: Request,
    program_id: Id,
    p: Reader,
    budget: Annotated[int | None, Query(ge=0, le=10**15)] = None,
    priority: Annotated[str | None, Query(max_length=200)] = None,
    extra: Annotated[int, Query(ge=0, le=10**14)] = 1_000_000_000,
) -> Scenarios:
    """Side by side: everyone for fewer months vs fewer people for the whole period, and
    what ``extra`` rupiah more would buy. Nothing is saved."""
    return queries.compare_scenarios(
        _engine(request), p, program_id, budget=budget, priority=priority, extra=extra
    )


@router.post(
    "/programs/{program_id}/plans",
    status_code=201,
    responses=problems(400, 404),
    response_model=PlanSummary,
)
def plan(request: Request, program_id: Id, body: PlanIn, p: Writer) -> PlanSummary:
    """Plan what the budget buys (saved unless ``save`` is false)."""
    out = actions.plan_program(_engine(request), p, program_id, **body.model_dump())
    if body.save:
        dashboard.invalidate()
    return out


@router.get(
    "/programs/{program_id}/candidates",
    responses=problems(404),
    response_model=queries.CandidateList,
)
def candidates(
    request: Request,
    program_id: Id,
    p: Reader,
    after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> queries.CandidateList:
    """The people added to the program's candidates by hand (who, when, why), a page by
    person id; ``next`` is the ``after`` of the next page."""
    return queries.candidate_list(_engine(request), p, program_id, after=after, limit=limit)


@router.post(
    "/programs/{program_id}/candidates",
    responses=problems(400, 403, 404),
    response_model=actions.CandidatesAdded,
)
def add_candidates(
    request: Request, program_id: Id, body: CandidatesIn, p: Writer
) -> actions.CandidatesAdded:
    """Add people to the program's candidates: the next plan counts them beside those its
    rules select (alive, in the program's region, not twice)."""
    f = body.filters.model_dump() if body.filters else {}
    out = actions.add_candidates(
        _engine(request),
        p,
        program_id,
        reason=body.reason,
        ids=body.ids,
        filters=Filters(**f),
    )
    dashboard.invalidate()
    return out


@router.post(
    "/programs/{program_id}/candidates/remove",
    responses=problems(400, 403, 404),
    response_model=actions.CandidatesRemoved,
)
def remove_candidates(
    request: Request, program_id: Id, body: CandidateIdsIn, p: Writer
) -> actions.CandidatesRemoved:
    """Take people off the program's candidates."""
    out = actions.remove_candidates(_engine(request), p, program_id, body.ids)
    dashboard.invalidate()
    return out


@router.post("/programs/{program_id}/enrol", responses=problems(400, 404), response_model=Enrolment)
def enrol(request: Request, program_id: Id, p: Writer, plan_id: int | None = None) -> Enrolment:
    """Turn the latest saved plan (or ``plan_id``) into memberships."""
    out = actions.enrol(_engine(request), p, program_id, plan_id=plan_id)
    dashboard.invalidate()
    return out


@router.post(
    "/programs/{program_id}/bpjs/registrations",
    responses=files("xlsx", "csv", refusals=(400, 404)),
    response_class=Response,
)
def bpjs_export(
    request: Request,
    program_id: Id,
    p: Writer,
    format: Literal["xlsx", "csv"] = "xlsx",
    include_submitted: bool = False,
    only_refused: bool = False,
) -> Response:
    """The registration file for BPJS TK (members not yet sent become ``submitted``; with
    ``only_refused``, the members whose row BPJS refused, sent again). Kept in the exchange
    history; needs ``nik.export``."""
    summary, content = actions.bpjs_export_bytes(
        _engine(request),
        p,
        program_id,
        format,
        include_submitted=include_submitted,
        only_refused=only_refused,
    )
    dashboard.invalidate()
    name = summary.filename or f"registrasi-{program_id}.{format}"
    return Response(
        content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/programs/{program_id}/bpjs/files/{file_id}",
    responses=files("xlsx", "csv", refusals=(403, 404)),
    response_class=Response,
)
def bpjs_sent_file(request: Request, program_id: Id, file_id: Id, p: Writer) -> Response:
    """A registration file sent earlier, byte for byte (needs ``nik.export``; audited)."""
    sent = actions.sent_file(_engine(request), p, file_id)
    if sent.program_id != program_id:
        raise errors.BPJS_FILE_NOT_FOUND(file=file_id)
    return Response(
        sent.content,
        media_type=MEDIA[sent.format],
        headers={"Content-Disposition": f'attachment; filename="{sent.filename}"'},
    )


@router.get("/programs/{program_id}/bpjs", responses=problems(404), response_model=Exchange)
def bpjs_exchange(
    request: Request,
    program_id: Id,
    p: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Exchange:
    """Every file exchanged with BPJS (newest first) and one page of the refused rows to
    correct: the first ``limit``, or those after the row ``after`` / before the row
    ``before`` (the cursors ``refusals_after`` / ``refusals_before`` of the answer), with
    ``refusals_total`` and the page's place ``refusals_from``."""
    return queries.bpjs_exchange(_engine(request), p, program_id, limit, after=after, before=before)


@router.post(
    "/programs/{program_id}/bpjs/refusals/{refusal_id}/dismiss",
    responses=problems(400, 404),
    response_model=Exchange,
)
def bpjs_dismiss(
    request: Request, program_id: Id, refusal_id: Id, body: DismissIn, p: Writer
) -> Exchange:
    """Set a refused row aside without a resend, with the reason."""
    actions.dismiss_refusal(_engine(request), p, refusal_id, body.reason)
    return queries.bpjs_exchange(_engine(request), p, program_id)


@router.get("/programs/{program_id}/steps", responses=problems(404), response_model=ProgramSteps)
def steps(request: Request, program_id: Id, p: Reader) -> ProgramSteps:
    """The program's set-up step by step: done, ready to run, and the next one."""
    return queries.program_steps(_engine(request), p, program_id)


@router.patch("/programs/{program_id}", responses=problems(400, 404), response_model=Program)
def change_program(request: Request, program_id: Id, body: ProgramChange, p: Writer) -> Program:
    """Change the period and package (before anyone is enrolled), budget, targeting or who
    pays (at any time: invoices already issued keep their amounts)."""
    values = body.model_dump(exclude_unset=True)
    if body.rules is not None:
        values["rules"] = body.rules.model_dump(exclude_unset=True)
    out = actions.update_program(_engine(request), p, program_id, **values)
    dashboard.invalidate()
    return out


@router.get(
    "/programs/{program_id}/payments", responses=problems(404), response_model=list[PaymentRow]
)
def payments(request: Request, program_id: Id, p: Reader) -> list[PaymentRow]:
    """The program's payments: SP2D number, date, amount, invoice."""
    return queries.payments(_engine(request), p, program_id)


@router.get(
    "/programs/{program_id}/refunds",
    responses=problems(404),
    response_model=list[queries.ProgramRefund],
)
def refunds(
    request: Request,
    program_id: Id,
    p: Reader,
    status: Annotated[Literal["due", "returned", "cancelled"] | None, Query()] = None,
) -> list[queries.ProgramRefund]:
    """Months paid after a member's death, owed back to the payer: month, amount, member
    (NIK masked for roles that see NIKs masked), status, and when and how it was returned."""
    return queries.program_refunds(_engine(request), p, program_id, status=status)


@router.post(
    "/programs/{program_id}/refunds/{refund_id}/return",
    responses=problems(400, 404),
    response_model=queries.ProgramRefund,
)
def return_refund(
    request: Request, program_id: Id, refund_id: Id, body: RefundReturnIn, p: Payer
) -> queries.ProgramRefund:
    """Mark a refund owed as returned to the payer (the day and the transfer's reference)."""
    return actions.return_refund(
        _engine(request), p, program_id, refund_id, returned_on=body.returned_on,
        reference=body.reference,
    )  # fmt: skip


@router.post(
    "/programs/{program_id}/refunds/return",
    responses=problems(400, 404),
    response_model=list[queries.ProgramRefund],
)
def return_refunds(
    request: Request, program_id: Id, body: RefundsReturnIn, p: Payer
) -> list[queries.ProgramRefund]:
    """Mark several refunds owed as returned to the payer by one transfer: all or none (one
    not owed refuses the whole, naming it)."""
    return actions.return_refunds(
        _engine(request), p, program_id, body.refund_ids, returned_on=body.returned_on,
        reference=body.reference,
    )  # fmt: skip


@router.post(
    "/programs/{program_id}/bpjs/answers", responses=problems(400, 404), response_model=KpjImport
)
def bpjs_answer(
    request: Request, program_id: Id, p: Writer, file: Annotated[UploadFile, File()]
) -> KpjImport:
    """BPJS's answer (KPJ numbers by NIK, CSV or XLSX): good rows activate memberships."""
    out = actions.bpjs_import_bytes(
        _engine(request), p, program_id, file.filename or "", file.file.read()
    )
    dashboard.invalidate()
    return out


@router.get(
    "/programs/{program_id}/invoices", responses=problems(404), response_model=list[InvoiceRow]
)
def invoices(request: Request, program_id: Id, p: Reader) -> list[InvoiceRow]:
    return queries.list_invoices(_engine(request), p, program_id)


@router.post(
    "/programs/{program_id}/invoices",
    status_code=201,
    responses=problems(400, 404),
    response_model=IssuedInvoice,
)
def create_invoice(request: Request, program_id: Id, body: InvoiceIn, p: Payer) -> IssuedInvoice:
    """Issue the invoice of ``month`` (amounts from the law)."""
    out = actions.create_invoice(_engine(request), p, program_id, body.month)
    dashboard.invalidate()
    return out


@router.post(
    "/invoices/{invoice_id}/payments",
    status_code=201,
    responses=problems(400, 404),
    response_model=PaymentRecorded,
)
def pay(request: Request, invoice_id: Id, body: PaymentIn, p: Payer) -> PaymentRecorded:
    """Record a payment (SP2D) against an invoice; paid months become coverage."""
    out = actions.pay(
        _engine(request), p, invoice_id, amount=body.amount, sp2d=body.sp2d, on=body.on
    )
    dashboard.invalidate()
    return out
