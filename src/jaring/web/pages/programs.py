"""Program pages: list and create, the budget's standing, plan scenarios side by side,
enrolment, BPJS files, invoices and payments."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from jaring.dates import parse_date
from jaring.errors import JaringError, NotFound
from jaring.web import i18n
from jaring.web.api.common import Id
from jaring.web.programs import (
    MEDIA,
    bpjs_export_bytes,
    bpjs_import_bytes,
    check_program_scope,
    done,
)
from jaring.web.render import page
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("program.read"))]
Writer = Annotated[Principal, Depends(require("program.write"))]
Payer = Annotated[Principal, Depends(require("billing.write"))]


def _money(v: str | None) -> int | None:
    v = (v or "").replace(".", "").replace(",", "").replace("Rp", "").replace(" ", "")
    return int(v) if v.isdigit() else None


def _programs_page(request: Request, status: int = 200, **ctx: Any) -> Response:
    from jaring.programs import service

    programs = service.list_programs(request.app.state.engine)
    return page(request, "programs.html", status_code=status, programs=programs, **ctx)


@router.get("/programs")
def programs(request: Request, p: Reader) -> Response:
    return _programs_page(request)


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
    from jaring.programs import service

    try:
        check_program_scope(p)
        year, amount = _money(fiscal_year), _money(budget)
        if not name.strip() or year is None or amount is None:
            raise JaringError(
                "missing_option",
                "Nama, tahun anggaran dan anggaran wajib diisi.",
                "The name, fiscal year and budget are required.",
            )
        out = service.create_program(
            request.app.state.engine,
            name=name.strip(),
            fiscal_year=year,
            budget=amount,
            funder_region=funder_region.strip() or None,
            with_jht=with_jht == "true",
        )
    except JaringError as e:
        return _programs_page(request, 400, error=e.message(i18n.current.get()))
    done(request.app.state.engine, p, "program.create", "program", out["id"], out)
    return RedirectResponse(f"/programs/{out['id']}", status_code=303)


def _program_page(request: Request, program_id: int, status: int = 200, **ctx: Any) -> Response:
    from jaring.programs import billing_service, service

    eng = request.app.state.engine
    prog = next((x for x in service.list_programs(eng) if x["id"] == program_id), None)
    if prog is None:
        raise NotFound(
            "program_not_found", f"Program {program_id} tidak ada.", f"No program {program_id}."
        )
    f = dict(request.query_params)
    if f.get("compare") and "s" not in ctx:
        try:
            ctx["s"] = service.compare_scenarios(
                eng, program_id, budget=_money(f.get("budget")), priority=f.get("priority") or None
            )
        except JaringError as e:
            ctx["error"] = e.message(i18n.current.get())
    return page(
        request,
        "program.html",
        status_code=status,
        prog=prog,
        r=billing_service.reconcile(eng, program_id),
        invoices=billing_service.list_invoices(eng, program_id),
        f=f,
        **ctx,
    )


@router.get("/programs/{program_id}")
def program_page(request: Request, program_id: Id, p: Reader) -> Response:
    return _program_page(request, program_id)


def _act(
    request: Request, program_id: int, p: Principal, fn: Any, message: Any, key: str = "message"
) -> Response:
    """Run one program action; on refusal re-render the page with the message. ``key`` names
    what the page shows of the result (``message`` text, or ``plan`` for a saved plan)."""
    try:
        check_program_scope(p)
        out = fn()
    except JaringError as e:
        return _program_page(request, program_id, 400, error=e.message(i18n.current.get()))
    return _program_page(request, program_id, **{key: message(out)})


@router.post("/programs/{program_id}/plan")
def plan(
    request: Request,
    program_id: Id,
    p: Writer,
    scenario: Annotated[str, Form(max_length=10)] = "full",
    budget: Annotated[str, Form(max_length=30)] = "",
    priority: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    from jaring.programs import service

    eng = request.app.state.engine

    def run() -> dict[str, Any]:
        out = service.plan_program(
            eng,
            program_id,
            scenario="spread" if scenario == "spread" else "full",
            budget=_money(budget),
            priority=priority or None,
        )
        done(eng, p, "program.plan", "program", program_id, out)
        return out

    return _act(request, program_id, p, run, lambda out: out, key="plan")


@router.post("/programs/{program_id}/enrol")
def enrol(request: Request, program_id: Id, p: Writer) -> Response:
    from jaring.programs import service

    eng = request.app.state.engine

    def run() -> dict[str, Any]:
        out = service.enrol(eng, program_id)
        done(eng, p, "program.enrol", "program", program_id, out)
        return out

    return _act(
        request,
        program_id,
        p,
        run,
        lambda out: i18n._("Enrolled: %(summary)s", summary=_summary(out)),
    )


def _summary(out: dict[str, Any]) -> str:
    return ", ".join(
        f"{k} {v}" for k, v in out.items() if isinstance(v, int) and not isinstance(v, bool)
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
        check_program_scope(p)
        summary, content = bpjs_export_bytes(request.app.state.engine, program_id, fmt, False)
    except JaringError as e:
        return _program_page(request, program_id, 400, error=e.message(i18n.current.get()))
    done(request.app.state.engine, p, "program.bpjs_export", "program", program_id, summary)
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="registrasi-{program_id}.{fmt}"'},
    )


@router.post("/programs/{program_id}/bpjs/answers")
def bpjs_answer(
    request: Request, program_id: Id, p: Writer, file: Annotated[UploadFile, File()]
) -> Response:
    eng = request.app.state.engine

    def run() -> dict[str, Any]:
        out = bpjs_import_bytes(eng, program_id, file.filename or "", file.file.read())
        done(eng, p, "program.bpjs_import", "program", program_id, out)
        return out

    return _act(
        request,
        program_id,
        p,
        run,
        lambda out: i18n._("BPJS answer read: %(summary)s", summary=_summary(out)),
    )


@router.post("/programs/{program_id}/invoices")
def create_invoice(
    request: Request, program_id: Id, p: Payer, month: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    from jaring.programs import billing_service

    eng = request.app.state.engine

    def run() -> dict[str, Any]:
        m = parse_date(month.strip()[:7], "month", required=True)
        out = billing_service.create_invoice(eng, program_id, m)
        done(eng, p, "billing.invoice", "program", program_id, out)
        return out

    return _act(
        request,
        program_id,
        p,
        run,
        lambda out: i18n._(
            "Invoice %(number)s issued: %(amount)s for %(lines)s members.",
            number=out["invoice"],
            amount=i18n.rupiah(out["amount"]),
            lines=i18n.number(out["lines"]),
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
    from jaring.programs import billing_service

    eng = request.app.state.engine

    def run() -> dict[str, Any]:
        money = _money(amount)
        day = parse_date(on, "on", required=True)
        if money is None or not invoice_id.isdigit():
            raise JaringError(
                "bad_amount", "Jumlah pembayaran tidak sah.", "Not a valid amount.", field="amount"
            )
        out = billing_service.pay(eng, int(invoice_id), amount=money, sp2d=sp2d, on=day)
        done(eng, p, "billing.pay", "invoice", invoice_id, out)
        return out

    return _act(
        request,
        program_id,
        p,
        run,
        lambda out: i18n._(
            "Payment %(sp2d)s recorded: %(amount)s; outstanding %(left)s.",
            sp2d=out["sp2d"],
            amount=i18n.rupiah(out["amount"]),
            left=i18n.rupiah(out["outstanding"]),
        ),
    )
