"""Program pages: the list and a new program with its period, package and targeting; each
program as a guided sequence of steps (set-up, targeting, plan, enrol, send to BPJS, read the
answer, invoice, pay) with a tab per part: set-up, plan, BPJS exchange, invoices.

Each form calls one action of :mod:`jaring.programs.actions` with the signed-in principal
(rights, regions and the audit trail are the domain's); a refusal re-renders the page with
its message, a change refreshes the dashboard's figures. Amounts are read as people type them
(``1,5 miliar``, ``Rp1.500.000.000``) by :mod:`jaring.programs.budget`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from jaring.dates import parse_date
from jaring.errors import JaringError
from jaring.formatting import month_long, number, rupiah
from jaring.i18n import _
from jaring.programs import actions, errors, queries
from jaring.programs.budget import parse_optional_rupiah, parse_rupiah
from jaring.programs.targeting import PRIORITY_KEYS
from jaring.web import dashboard, i18n
from jaring.web.api.common import MAX_ID, MEDIA, Id
from jaring.web.render import page
from jaring.web.security import Principal, require

router = APIRouter()
Reader = Annotated[Principal, Depends(require("program.read"))]
Writer = Annotated[Principal, Depends(require("program.write"))]
Payer = Annotated[Principal, Depends(require("billing.write"))]
Text = Annotated[str, Form(max_length=200)]
Short = Annotated[str, Form(max_length=30)]

TABS = ("steps", "setup", "plan", "bpjs", "invoices")
QUOTA_KINDS = ("distrik", "desa", "women")


def _month(value: dt.date) -> str:
    return month_long(value, i18n.current.get())


def _rules_from_form(
    desil_max: str, occupations: str, districts: list[str], age_min: str, age_max: str, sex: str
) -> dict[str, Any]:
    """The targeting rules as the set-up form sends them; empty fields drop the rule."""

    def whole(v: str, field: str) -> int | None:
        v = v.strip()
        if not v:
            return None
        if not v.isdigit():
            raise errors.BAD_RULES(reason=f"{field}={v[:20]}", field=field)
        return int(v)

    return {
        "desil_max": whole(desil_max, "desil_max"),
        "occupations": [o.strip() for o in occupations.split(",") if o.strip()],
        "districts": [d for d in districts if d],
        "age_min": whole(age_min, "age_min"),
        "age_max": whole(age_max, "age_max"),
        "sex": sex if sex in ("L", "P") else None,
    }


def _programs_page(request: Request, p: Principal, status: int = 200, **ctx: Any) -> Response:
    eng = request.app.state.engine
    programs = queries.list_programs(eng, p)
    ctx.setdefault("form", {})
    return page(
        request,
        "programs/programs.html",
        status_code=status,
        programs=programs,
        next_steps={g.id: queries.program_steps(eng, p, g.id).next for g in programs[-50:]},
        districts=queries.district_choices(request.app.state.engine, p),
        funders=queries.funder_choices(request.app.state.engine, p),
        **ctx,
    )


@router.get("/programs")
def programs(request: Request, p: Reader) -> Response:
    return _programs_page(request, p)


@router.post("/programs")
async def create_program(request: Request, p: Writer) -> Response:
    form = await request.form()
    f = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str)}
    try:
        name = f.get("name", "").strip()
        if not name:
            raise errors.MISSING_OPTION(fields=_("name"), field="name")
        year_text = f.get("fiscal_year", "").strip()
        if not year_text.isdigit():
            raise errors.MISSING_OPTION(fields=_("fiscal year"), field="fiscal_year")
        year = int(year_text)
        package = f.get("package", "jkk_jkm")
        out = actions.create_program(
            request.app.state.engine,
            p,
            name=name,
            fiscal_year=year,
            budget=parse_rupiah(f.get("budget", ""), "budget"),
            funder_type=f.get("funder_type") or "apbd",
            funder_region=f.get("funder_region", "").strip() or None,
            segment=f.get("segment", "bpu"),
            income_base=parse_optional_rupiah(f.get("income_base"), "income_base"),
            risk=f.get("risk") or None,
            with_jht=package == "jkk_jkm_jht" or f.get("with_jht") == "true",
            with_jp=f.get("with_jp") == "true",
            period_start=parse_date(f.get("period_start"), "period_start"),
            period_end=parse_date(f.get("period_end"), "period_end"),
            rules={
                k: v
                for k, v in _rules_from_form(
                    f.get("desil_max", ""),
                    f.get("occupations", ""),
                    [str(d) for d in form.getlist("districts")][:100],
                    f.get("age_min", ""),
                    f.get("age_max", ""),
                    f.get("sex", ""),
                ).items()
                if v not in (None, [], "")
            },
        )
    except JaringError as e:
        return _programs_page(request, p, 400, error=e.message(), form=f)
    dashboard.invalidate()
    return RedirectResponse(f"/programs/{out.id}", status_code=303)


REFUSALS_PAGE = 200  # refused rows on one page of the BPJS tab


def _cursor(text: Any) -> int | None:
    """A page cursor from the address (a refused row's id), or ``None`` for anything else."""
    raw = str(text or "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None


def _tab(
    request: Request, p: Principal, program_id: int, tab: str, status: int = 200, **ctx: Any
) -> Response:
    """One tab of a program's page, with the steps strip above every tab."""
    eng = request.app.state.engine
    prog = queries.program_status(eng, p, program_id)
    steps = queries.program_steps(eng, p, program_id)
    ctx.setdefault("f", dict(request.query_params))
    if tab == "plan" and ctx["f"].get("compare") and "s" not in ctx:
        f = ctx["f"]
        try:
            ctx["s"] = queries.compare_scenarios(
                eng,
                p,
                program_id,
                budget=parse_optional_rupiah(f.get("budget"), "budget"),
                priority=f.get("priority") or None,
                quotas=_quotas(f),
            )
        except JaringError as e:
            ctx["error"] = e.message()
    if tab == "bpjs":
        f = ctx["f"]
        ctx["x"] = queries.bpjs_exchange(
            eng,
            p,
            program_id,
            REFUSALS_PAGE,
            after=_cursor(f.get("after")),
            before=_cursor(f.get("before")),
        )
    if tab == "invoices":
        by_invoice: dict[int, list[queries.PaymentRow]] = {}
        for y in queries.payments(eng, p, program_id):
            by_invoice.setdefault(y.invoice_id, []).append(y)
        ctx["by_invoice"] = by_invoice
        ctx["refunds"] = queries.program_refunds(eng, p, program_id)
    if tab == "setup":
        ctx["districts"] = queries.district_choices(eng, p, prog.funder_region)
        ctx["funders"] = queries.funder_choices(eng, p)
    if tab == "plan" and p.can("person.read"):
        ctx["cand"] = queries.candidate_list(eng, p, program_id)
    return page(
        request,
        f"programs/{tab}.html",
        status_code=status,
        prog=prog,
        r=prog.reconcile,
        invoices=prog.invoices,
        st=steps,
        tab=tab,
        month=_month,
        priority_keys=PRIORITY_KEYS,
        quota_kinds=QUOTA_KINDS,
        **ctx,
    )


def _quotas(f: dict[str, str]) -> list[str]:
    """``quota_distrik=20`` (percent, a number control) -> ``["distrik=0.2"]``."""
    out = []
    for kind in QUOTA_KINDS:
        v = (f.get(f"quota_{kind}") or "").strip().replace(",", ".")
        if not v:
            continue
        try:
            share = float(v) / 100
        except ValueError:
            share = -1.0
        out.append(f"{kind}={share:g}")
    return out


def _priority(f: dict[str, str]) -> str | None:
    """The ordered priorities chosen from lists (``priority_1``, ``priority_2``...)."""
    keys = [f.get(f"priority_{i}", "") for i in range(1, len(PRIORITY_KEYS) + 1)]
    chosen = [k for k in keys if k]
    return ",".join(dict.fromkeys(chosen)) or f.get("priority") or None


@router.get("/programs/{program_id}")
def program_page(request: Request, program_id: Id, p: Reader) -> Response:
    return _tab(request, p, program_id, "steps")


@router.get("/programs/{program_id}/{tab}")
def program_tab(request: Request, program_id: Id, tab: str, p: Reader) -> Response:
    if tab not in TABS:
        return _tab(request, p, program_id, "steps", 404, error=_("No such page."))
    return _tab(request, p, program_id, tab)


def _act(
    request: Request,
    program_id: int,
    p: Principal,
    tab: str,
    fn: Callable[[], Any],
    message: Callable[[Any], Any],
    key: str = "message",
    **ctx: Any,
) -> Response:
    """Run one program action; on refusal re-render the tab with the message. ``key`` names
    what the page shows of the result (``message`` text, or ``plan`` for a saved plan)."""
    try:
        out = fn()
    except JaringError as e:
        return _tab(request, p, program_id, tab, 400, error=e.message(), **ctx)
    dashboard.invalidate()
    return _tab(request, p, program_id, tab, **{key: message(out)}, **ctx)


@router.post("/programs/{program_id}/candidates/remove")
async def remove_candidates(request: Request, program_id: Id, p: Writer) -> Response:
    """Take the ticked people off the program's candidates added by hand."""
    form = await request.form()
    raw = [str(v) for v in form.getlist("ids")][:10_000]
    ids = [int(v) for v in raw if v.isdigit() and len(v) < 19]
    return _act(
        request,
        program_id,
        p,
        "plan",
        lambda: actions.remove_candidates(request.app.state.engine, p, program_id, ids),
        lambda out: _("%(n)s people taken off the candidates.", n=number(out.removed)),
    )


@router.post("/programs/{program_id}/setup")
async def setup(request: Request, program_id: Id, p: Writer) -> Response:
    form = await request.form()
    f = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str)}

    def run() -> queries.Program:
        return actions.update_program(
            request.app.state.engine,
            p,
            program_id,
            period_start=parse_date(f.get("period_start"), "period_start"),
            period_end=parse_date(f.get("period_end"), "period_end"),
            segment=f.get("segment") or None,
            income_base=parse_optional_rupiah(f.get("income_base"), "income_base"),
            risk=f.get("risk") or None,
            with_jht=(f["package"] == "jkk_jkm_jht") if f.get("package") else None,
            # an unticked box sends nothing: with the package fields sent, no box is "no JP"
            with_jp=(f.get("with_jp") == "true") if f.get("package") else None,
            budget=parse_optional_rupiah(f.get("budget"), "budget"),
            rules=_rules_from_form(
                f.get("desil_max", ""),
                f.get("occupations", ""),
                [str(d) for d in form.getlist("districts")][:100],
                f.get("age_min", ""),
                f.get("age_max", ""),
                f.get("sex", ""),
            ),
            funder_type=f.get("funder_type") or None,
            funder_region=f.get("funder_region") if "funder_region" in f else None,
        )

    def saved(out: queries.Program) -> str:
        if "funder_type_was" in f and out.funder_type != f["funder_type_was"]:
            return _(
                "Set-up saved. The payer is changed: invoices already issued keep their "
                "amounts; those issued from now on follow the new payer."
            )
        return _("Set-up saved.")

    return _act(request, program_id, p, "setup", run, saved)


@router.post("/programs/{program_id}/plan")
async def plan(request: Request, program_id: Id, p: Writer) -> Response:
    form = await request.form()
    f = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str)}
    scenario = "spread" if f.get("scenario") == "spread" else "full"

    def run() -> queries.PlanSummary:
        return actions.plan_program(
            request.app.state.engine,
            p,
            program_id,
            scenario=scenario,
            budget=parse_optional_rupiah(f.get("budget"), "budget"),
            priority=_priority(f),
            quotas=_quotas(f),
        )

    return _act(request, program_id, p, "plan", run, lambda out: out, key="plan", f=f)


@router.post("/programs/{program_id}/enrol")
def enrol(request: Request, program_id: Id, p: Writer) -> Response:
    return _act(
        request,
        program_id,
        p,
        "steps",
        lambda: actions.enrol(request.app.state.engine, p, program_id),
        lambda out: _(
            "Enrolled: %(enrolled)s new members, %(extended)s extended, from %(month)s.",
            enrolled=number(out.enrolled),
            extended=number(out.extended),
            month=_month(out.start_month),
        ),
    )


def _download(content: bytes, fmt: str, filename: str) -> Response:
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/programs/{program_id}/bpjs/registrations")
def bpjs_export(
    request: Request,
    program_id: Id,
    p: Writer,
    format: Annotated[str, Form(max_length=4)] = "xlsx",
    resend: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    fmt = "csv" if format == "csv" else "xlsx"
    try:
        res, content = actions.bpjs_export_bytes(
            request.app.state.engine, p, program_id, fmt, only_refused=resend == "1"
        )
    except JaringError as e:
        return _tab(request, p, program_id, "bpjs", 400, error=e.message())
    dashboard.invalidate()
    return _download(content, fmt, res.filename or f"registrasi-{program_id}.{fmt}")


@router.get("/programs/{program_id}/bpjs/files/{file_id}")
def bpjs_file(request: Request, program_id: Id, file_id: Id, p: Writer) -> Response:
    try:
        sent = actions.sent_file(request.app.state.engine, p, file_id)
        if sent.program_id != program_id:
            raise errors.BPJS_FILE_NOT_FOUND(file=file_id)
    except JaringError as e:
        return _tab(request, p, program_id, "bpjs", e.status, error=e.message())
    return _download(sent.content, sent.format, sent.filename)


@router.post("/programs/{program_id}/bpjs/answers")
def bpjs_answer(
    request: Request, program_id: Id, p: Writer, file: Annotated[UploadFile, File()]
) -> Response:
    return _act(
        request,
        program_id,
        p,
        "bpjs",
        lambda: actions.bpjs_import_bytes(
            request.app.state.engine, p, program_id, file.filename or "", file.file.read()
        ),
        lambda out: _(
            "BPJS answer %(file)s read: %(imported)s members active, %(refused)s rows refused.",
            file=out.file,
            imported=number(out.imported),
            refused=number(out.refused),
        ),
    )


@router.post("/programs/{program_id}/bpjs/refusals/{refusal_id}/dismiss")
def dismiss(
    request: Request, program_id: Id, refusal_id: Id, p: Writer, reason: Text = ""
) -> Response:
    return _act(
        request,
        program_id,
        p,
        "bpjs",
        lambda: actions.dismiss_refusal(request.app.state.engine, p, refusal_id, reason),
        lambda _out: _("The row is set aside."),
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
        "invoices",
        run,
        lambda out: _(
            "Invoice %(number)s issued: %(amount)s for %(lines)s members.",
            number=out.invoice,
            amount=rupiah(out.amount),
            lines=number(out.lines),
        ),
    )


#: at most this many ticks (a member's months are one) in one form
REFUNDS_AT_ONCE = 5000


@router.post("/programs/{program_id}/refunds")
def return_refund(
    request: Request,
    program_id: Id,
    p: Payer,
    refund_id: Short = "",
    refund_ids: Annotated[list[str], Form(max_length=REFUNDS_AT_ONCE)] = [],  # noqa: B006
    all_due: Annotated[str, Form(max_length=5)] = "",
    returned_on: Annotated[str, Form(max_length=10)] = "",
    reference: Annotated[str, Form(max_length=100)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Refunds are marked returned to the payer in two steps, as a payment is recorded: the
    form shows what will be recorded (the months, members, amount, day, reference) and asks
    for confirmation; only the confirmed form records it. What one transfer returned is
    ticked: a member's months (``refund_ids`` holds ids joined by commas), single months,
    ``all_due``, or ``refund_id`` (one refund)."""
    eng = request.app.state.engine
    try:
        day = parse_date(returned_on, "returned_on", required=True)
        if not reference.strip():
            raise errors.MISSING_REFUND_REFERENCE(field="reference")
        due = {r.id: r for r in queries.program_refunds(eng, p, program_id, status="due")}
        typed = [t for v in [refund_id, *refund_ids] for t in v.split(",") if t.strip()]
        if any(not t.strip().isdigit() for t in typed):
            raise errors.REFUND_NOT_FOUND(refund=typed[0], program=program_id)
        wanted = set(due) if all_due == "1" else {int(t) for t in typed}
        if not wanted:
            raise errors.NO_REFUND_CHOSEN(field="refund_ids")
        stale = sorted(wanted - set(due))
        if stale:
            raise errors.REFUND_NOT_FOUND(refund=stale[0], program=program_id)
    except JaringError as e:
        return _tab(request, p, program_id, "invoices", 400, error=e.message())
    chosen = sorted(wanted)
    if confirm != "1":
        pending = {
            "refunds": [due[i] for i in chosen],
            "on": day,
            "reference": reference.strip(),
        }
        return _tab(request, p, program_id, "invoices", pending_refund=pending)

    def run() -> list[queries.ProgramRefund]:
        return actions.return_refunds(
            eng, p, program_id, chosen, returned_on=day, reference=reference
        )

    return _act(
        request,
        program_id,
        p,
        "invoices",
        run,
        lambda out: (
            _(
                "Refund of %(amount)s for %(month)s returned to the payer on %(day)s (%(reference)s).",
                amount=rupiah(out[0].amount),
                month=_month(out[0].month),
                day=i18n.date(out[0].returned_on),
                reference=out[0].returned_reference,
            )
            if len(out) == 1
            else _(
                "%(n)s refunds, %(amount)s in all, returned to the payer on %(day)s (%(reference)s).",
                n=i18n.number(len(out)),
                amount=rupiah(sum(r.amount for r in out)),
                day=i18n.date(out[0].returned_on),
                reference=out[0].returned_reference,
            )
        ),
    )


@router.post("/programs/{program_id}/payments")
def pay(
    request: Request,
    program_id: Id,
    p: Payer,
    invoice_id: Short = "",
    amount: Short = "",
    sp2d: Annotated[str, Form(max_length=60)] = "",
    on: Annotated[str, Form(max_length=10)] = "",
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """A payment is recorded in two steps: the form shows what will be recorded (invoice,
    amount, SP2D, date) and asks for confirmation; only the confirmed form records it."""
    eng = request.app.state.engine
    try:
        money = parse_rupiah(amount, "amount")
        day = parse_date(on, "on", required=True)
        if money <= 0:
            raise errors.BAD_AMOUNT(amount=amount, field="amount")
        if not sp2d.strip():
            raise errors.MISSING_SP2D(field="sp2d")
        invoices = {i.id: i for i in queries.list_invoices(eng, p, program_id)}
        if not invoice_id.isdigit() or int(invoice_id) not in invoices:
            raise errors.INVOICE_NOT_FOUND(invoice=invoice_id)
    except JaringError as e:
        return _tab(request, p, program_id, "invoices", 400, error=e.message())
    if confirm != "1":
        pending = {
            "invoice": invoices[int(invoice_id)],
            "invoice_id": invoice_id,
            "amount": money,
            "sp2d": sp2d.strip(),
            "on": day,
        }
        return _tab(request, p, program_id, "invoices", pending=pending)

    def run() -> actions.PaymentRecorded:
        return actions.pay(eng, p, int(invoice_id), amount=money, sp2d=sp2d.strip(), on=day)

    return _act(
        request,
        program_id,
        p,
        "invoices",
        run,
        lambda out: _(
            "Payment %(sp2d)s recorded: %(amount)s; outstanding %(left)s.",
            sp2d=out.sp2d,
            amount=rupiah(out.amount),
            left=rupiah(out.outstanding),
        ),
    )
