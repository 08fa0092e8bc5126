"""Program pages: list and create, the budget's standing, plan scenarios side by side,
enrolment, BPJS files, invoices and payments.

Each form calls one action of :mod:`jaring.programs.actions` with the signed-in principal
(rights, regions and the audit trail are the domain's); a refusal re-renders the page with
its message, a change refreshes the dashboard's figures."""

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.formatting import number, rupiah
from jaring.i18n import _
from jaring.programs import actions, errors, queries
from jaring.web import dashboard
from jaring.web.api.common import MEDIA, Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("program.read"))]
Writer = Annotated[Principal, Depends(require("program.write"))]
Payer = Annotated[Principal, Depends(require("billing.write"))]


def _money(v: str | None) -> int | None:
    v = (v or "").replace(".", "").replace(",", "").replace("Rp", "").replace(" ", "")
    return int(v) if v.isdigit() else None


def _programs_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    programs = queries.list_programs(request.app.state.engine, p)
    return page(request, "programs/programs.html", status_code=status, programs=programs, **ctx)


@router.get("/programs")
def programs(request: Request, p: Reader) -> Response:
    return _programs_page(request, p)


@router.post("/programs")
def create_program(
    request: Request,
    p: Writer,
    name: Annotated[str, Form(max_length=200)] = "",
    fiscal_year: Annotated[str, Form(max_length=4)] = "",
    budget: Annotated[str, Form(max_length=30)] = "",
    funder_region: Annotated[str, Form(max_length=13)] = "",
    with_jht: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        year, amount = _money(fiscal_year), _money(budget)
        if not name.strip() or year is None or amount is None:
            raise errors.MISSING_OPTION(fields=_("name, fiscal year and budget"))
        out = actions.create_program(
            request.app.state.engine,
            p,
            name=name.strip(),
            fiscal_year=year,
            budget=amount,
            funder_region=funder_region.strip() or None,
            with_jht=with_jht == "true",
        )
    except JaringError as e:
        return _programs_page(request, p, 400, error=e.message())
    dashboard.invalidate()
    return RedirectResponse(f"/programs/{out.id}", status_code=303)


def _program_page(
    request: Request, p: Principal, program_id: int, status: int = 200, **ctx: Any
) -> Response:
    eng = request.app.state.engine
    prog = queries.program_status(eng, p, program_id)
    f = dict(request.query_params)
    if f.get("compare") and "s" not in ctx:
        try:
            ctx["s"] = queries.compare_scenarios(
                eng,
                p,
                program_id,
                budget=_money(f.get("budget")),
                priority=f.get("priority") or None,
            )
        except JaringError as e:
            ctx["error"] = e.message()
    return page(
        request,
        "programs/program.html",
        status_code=status,
        prog=prog,
        r=prog.reconcile,
        invoices=prog.invoices,
        f=f,
        **ctx,
    )


@router.get("/programs/{program_id}")
def program_page(request: Request, program_id: Id, p: Reader) -> Response:
    return _program_page(request, p, program_id)


def _act(
    request: Request,
    program_id: int,
    p: Principal,
    fn: Callable[[], Any],
    message: Callable[[Any], Any],
    key: str = "message",
) -> Response:
    """Run one program action; on refusal re-render the page with the message. ``key`` names
    what the page shows of the result (``message`` text, or ``plan`` for a saved plan)."""
    try:
        out = fn()
    except JaringError as e:
        return _program_page(request, p, program_id, 400, error=e.message())
    dashboard.invalidate()
    return _program_page(request, p, program_id, **{key: message(out)})


def _summary(out: Any) -> str:
    return ", ".join(
        f"{k} {v}"
        for k, v in dataclasses.asdict(out).items()
        if isinstance(v, int) and not isinstance(v, bool)
    )


@router.post("/programs/{program_id}/plan")
def plan(
    request: Request,
    program_id: Id,
    p: Writer,
    scenario: Annotated[str, Form(max_length=10)] = "full",
    budget: Annotated[str, Form(max_length=30)] = "",
    priority: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    def run() -> queries.PlanSummary:
        return actions.plan_program(
            request.app.state.engine,
            p,
            program_id,
            scenario="spread" if scenario == "spread" else "full",
            budget=_money(budget),
            priority=priority or None,
        )

    return _act(request, program_id, p, run, lambda out: out, key="plan")


@router.post("/programs/{program_id}/enrol")
def enrol(request: Request, program_id: Id, p: Writer) -> Response:
    return _act(
        request,
        program_id,
        p,
        lambda: actions.enrol(request.app.state.engine, p, program_id),
        lambda out: _("Enrolled: %(summary)s", summary=_summary(out)),
    )


@router.post("/programs/{program_id}/bpjs/registrations")
def bpjs_export(
    request: Request,
    program_id: Id,
    p: Writer,
    format: Annotated[str, Form(max_length=4)] = "xlsx",
) -> Response:
    fmt = "csv" if format == "csv" else "xlsx"
    try:
        _res, content = actions.bpjs_export_bytes(request.app.state.engine, p, program_id, fmt)
    except JaringError as e:
        return _program_page(request, p, program_id, 400, error=e.message())
    dashboard.invalidate()
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="registrasi-{program_id}.{fmt}"'},
    )


@router.post("/programs/{program_id}/bpjs/answers")
def bpjs_answer(
    request: Request, program_id: Id, p: Writer, file: Annotated[UploadFile, File()]
) -> Response:
    return _act(
        request,
        program_id,
        p,
        lambda: actions.bpjs_import_bytes(
            request.app.state.engine, p, program_id, file.filename or "", file.file.read()
        ),
        lambda out: _("BPJS answer read: %(summary)s", summary=_summary(out)),
    )


@router.post("/programs/{program_id}/invoices")
def create_invoice(
    request: Request, program_id: Id, p: Payer, month: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    def run() -> actions.IssuedInvoice:
        m = parse_date(month.strip()[:7], "month", required=True)
        return actions.create_invoice(request.app.state.engine, p, program_id, m)

    return _act(
        request,
        program_id,
        p,
        run,
        lambda out: _(
            "Invoice %(number)s issued: %(amount)s for %(lines)s members.",
            number=out.invoice,
            amount=rupiah(out.amount),
            lines=number(out.lines),
        ),
    )


@router.post("/programs/{program_id}/payments")
def pay(
    request: Request,
    program_id: Id,
    p: Payer,
    invoice_id: Annotated[str, Form(max_length=20)] = "",
    amount: Annotated[str, Form(max_length=30)] = "",
    sp2d: Annotated[str, Form(max_length=60)] = "",
    on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def run() -> actions.PaymentRecorded:
        money = _money(amount)
        day = parse_date(on, "on", required=True)
        if money is None or not invoice_id.isdigit():
            raise errors.BAD_AMOUNT(amount=amount, field="amount")
        return actions.pay(
            request.app.state.engine, p, int(invoice_id), amount=money, sp2d=sp2d, on=day
        )

    return _act(
        request,
        program_id,
        p,
        run,
        lambda out: _(
            "Payment %(sp2d)s recorded: %(amount)s; outstanding %(left)s.",
            sp2d=out.sp2d,
            amount=rupiah(out.amount),
            left=rupiah(out.outstanding),
        ),
    )
