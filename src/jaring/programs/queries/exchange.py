"""A program's set-up as a sequence of steps, its file exchange with BPJS TK, and its
payments: what the program page shows a budget officer.

Reads need ``program.read``; refused rows name their person only by id (the page links to
the registry's record, where the NIK is corrected) and show the NIK masked for roles that see
personal data masked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Connection, Engine, case, func, select

from jaring.access import Actor, mask
from jaring.programs.months import add_months
from jaring.programs.queries.programs import Program, find_program
from jaring.programs.states import LIVE_STATES
from jaring.registry import regions
from jaring.store import dialect
from jaring.store.tables.programs import (
    bpjs_file,
    bpjs_refusal,
    invoice,
    membership,
    payment,
    plan,
    program,
)
from jaring.store.tables.registry import person

STEPS = ("setup", "targeting", "plan", "enrol", "export", "answer", "invoice", "payment")


@dataclasses.dataclass(frozen=True)
class Step:
    """One step of a program's set-up: ``key`` (one of :data:`STEPS`), whether it is
    ``done``, whether it can run now (``ready``), and the figure that says how far it is
    (``count``: plans, members, files, invoices... ``pending``: what still waits)."""

    key: str
    done: bool
    ready: bool
    count: int = 0
    pending: int = 0


@dataclasses.dataclass(frozen=True)
class ProgramSteps:
    """The steps in order, the first one not done (``next``; ``None`` when all are), and the
    counts behind them: memberships by state, plans saved and not yet enrolled, unresolved
    refused rows, the months left to invoice."""

    program_id: int
    steps: list[Step]
    next: str | None
    states: dict[str, int]
    plans: int
    plans_waiting: int
    refusals: int
    months_to_invoice: list[dt.date]


@dataclasses.dataclass(frozen=True)
class ExchangedFile:
    """A file sent to or received from BPJS: when, by whom, its name and counts."""

    id: int
    direction: str
    filename: str
    format: str
    rows: int
    accepted: int
    refused: int
    resend: bool
    created_by: str
    created_at: dt.datetime | None


@dataclasses.dataclass(frozen=True)
class RefusedRow:
    """A refused answer row waiting for correction: the file and row, the NIK as received
    (masked for masked-data roles), BPJS's reason (``detail``) or Jaring's (``reason``), the
    person it matched (``person_id``, for the link to fix their data; ``None`` when the NIK
    matched no one waiting) and whether a resend can carry it (``resendable``)."""

    id: int
    file: str
    row: int
    nik: str | None
    kpj: str | None
    reason: str
    detail: str | None
    person_id: int | None
    resendable: bool
    created_at: dt.datetime | None


@dataclasses.dataclass(frozen=True)
class Exchange:
    """Everything exchanged with BPJS for a program, newest first, and the refused rows."""

    program_id: int
    files: list[ExchangedFile]
    refusals: list[RefusedRow]
    waiting: int  # members sent, not yet answered
    to_send: int  # members planned, not yet sent
    refusals_total: int = 0  # every refused row still open (``refusals`` holds one page)
    # the page of refused rows: its place among them all (1-based, 0 when none), the cursors
    # of the pages before and after it (``None`` at either end), and how many of all the
    # open rows a resend can carry
    refusals_from: int = 0
    refusals_before: int | None = None
    refusals_after: int | None = None
    refusals_resendable: int = 0


@dataclasses.dataclass(frozen=True)
class PaymentRow:
    """A payment recorded against an invoice: SP2D number, date, amount."""

    id: int
    invoice_id: int
    invoice: str
    month: dt.date
    sp2d: str
    paid_on: dt.date
    amount: int


def _states(conn: Connection, program_id: int) -> dict[str, int]:
    rows = conn.execute(
        select(membership.c.state, func.count())
        .where(membership.c.program_id == program_id)
        .group_by(membership.c.state)
    ).all()
    return {r[0]: int(r[1]) for r in rows}


def program_steps(
    engine: Engine, actor: Actor, program_ref: str | int, today: dt.date | None = None
) -> ProgramSteps:
    """Where a program's set-up stands, step by step. Needs ``program.read``."""
    actor.require("program.read")
    today = today or dt.date.today()
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        states = _states(conn, prog.id)
        plans = conn.execute(
            select(plan.c.enrolled, func.count())
            .where(plan.c.program_id == prog.id)
            .group_by(plan.c.enrolled)
        ).all()
        by_enrolled = {bool(r[0]): int(r[1]) for r in plans}
        files = conn.execute(
            select(bpjs_file.c.direction, func.count())
            .where(bpjs_file.c.program_id == prog.id)
            .group_by(bpjs_file.c.direction)
        ).all()
        by_dir = {r[0]: int(r[1]) for r in files}
        refusals = int(
            conn.execute(
                select(func.count()).where(
                    bpjs_refusal.c.program_id == prog.id, bpjs_refusal.c.resolved.is_(False)
                )
            ).scalar_one()
        )
        inv = conn.execute(
            select(invoice.c.id, invoice.c.month, invoice.c.amount).where(
                invoice.c.program_id == prog.id
            )
        ).all()
        paid = int(
            conn.execute(
                select(func.coalesce(func.sum(payment.c.amount), 0))
                .select_from(payment.join(invoice, invoice.c.id == payment.c.invoice_id))
                .where(invoice.c.program_id == prog.id)
            ).scalar_one()
        )
    invoiced = {dialect.to_date(r.month) for r in inv}
    owed = sum(int(r.amount) for r in inv) - paid
    members = sum(states.get(s, 0) for s in LIVE_STATES) + states.get("suspended", 0)
    planned, submitted = states.get("planned", 0), states.get("submitted", 0)
    active = states.get("active", 0) + states.get("suspended", 0)
    plans_all = sum(by_enrolled.values())
    waiting_plans = by_enrolled.get(False, 0)
    left = _months_to_invoice(prog, invoiced, today)
    steps = [
        Step("setup", done=True, ready=True),
        Step("targeting", done=bool(prog.rules) or plans_all > 0, ready=True),
        Step("plan", done=plans_all > 0, ready=True, count=plans_all),
        Step(
            "enrol",
            done=by_enrolled.get(True, 0) > 0 and waiting_plans == 0,
            ready=waiting_plans > 0,
            count=members,
            pending=waiting_plans,
        ),
        Step(
            "export",
            done=by_dir.get("sent", 0) > 0 and planned == 0,
            ready=planned > 0 or refusals > 0,
            count=by_dir.get("sent", 0),
            pending=planned,
        ),
        Step(
            "answer",
            done=by_dir.get("received", 0) > 0 and submitted == 0 and refusals == 0,
            ready=by_dir.get("sent", 0) > 0,
            count=active,
            pending=submitted,
        ),
        Step(
            "invoice",
            done=bool(inv) and not left,
            ready=active > 0 and bool(left),
            count=len(inv),
            pending=len(left),
        ),
        Step("payment", done=bool(inv) and owed == 0, ready=owed > 0, count=len(inv), pending=owed),
    ]
    nxt = next((s.key for s in steps if not s.done), None)
    return ProgramSteps(
        program_id=prog.id,
        steps=steps,
        next=nxt,
        states=states,
        plans=plans_all,
        plans_waiting=waiting_plans,
        refusals=refusals,
        months_to_invoice=left,
    )


def _months_to_invoice(prog: Program, invoiced: set[dt.date], today: dt.date) -> list[dt.date]:
    """The program's months not yet invoiced, up to the month after ``today`` (a month is
    invoiced in advance, never a whole year ahead)."""
    horizon = add_months(today.replace(day=1), 1)
    return [m for m in prog.months if m not in invoiced and m <= max(horizon, prog.period_start)]


def bpjs_exchange(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    limit: int = 200,
    *,
    after: int | None = None,
    before: int | None = None,
) -> Exchange:
    """Every file exchanged with BPJS for a program (newest first) and one page of the
    refused rows waiting for correction, in the order they were refused: the first ``limit``
    (at most 1,000), or those right after the row ``after`` or right before the row
    ``before`` (keyset cursors: ids of refused rows, so a row settled or added meanwhile
    never shifts a page). ``refusals_total`` counts every open row, ``refusals_from`` is the
    page's first place among them, ``refusals_before`` / ``refusals_after`` are the cursors
    of the neighbouring pages. Needs ``program.read``."""
    actor.require("program.read")
    limit = max(1, min(int(limit), 1000))
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        files = conn.execute(
            select(
                bpjs_file.c.id,
                bpjs_file.c.direction,
                bpjs_file.c.filename,
                bpjs_file.c.format,
                bpjs_file.c.rows,
                bpjs_file.c.accepted,
                bpjs_file.c.refused,
                bpjs_file.c.resend,
                bpjs_file.c.created_by,
                bpjs_file.c.created_at,
            )
            .where(bpjs_file.c.program_id == prog.id)
            .order_by(bpjs_file.c.id.desc())
        ).all()
        m = membership.alias("m")
        open_rows = (bpjs_refusal.c.program_id == prog.id, bpjs_refusal.c.resolved.is_(False))
        q = (
            select(bpjs_refusal, m.c.person_id, m.c.state)
            .select_from(bpjs_refusal.outerjoin(m, m.c.id == bpjs_refusal.c.membership_id))
            .where(*open_rows)
        )
        if before is not None:
            q = q.where(bpjs_refusal.c.id < before).order_by(bpjs_refusal.c.id.desc())
        else:
            if after is not None:
                q = q.where(bpjs_refusal.c.id > after)
            q = q.order_by(bpjs_refusal.c.id)
        rows = list(conn.execute(q.limit(limit)).mappings())
        if before is not None:
            rows.reverse()
        refusals = [
            RefusedRow(
                id=int(r["id"]),
                file=r["file"],
                row=int(r["row"]),
                nik=mask(r["nik"]) if actor.masked else r["nik"],
                kpj=r["kpj"],
                reason=r["reason"],
                detail=r["detail"],
                person_id=None if r["person_id"] is None else int(r["person_id"]),
                resendable=r["state"] in ("planned", "submitted"),
                created_at=dialect.to_datetime(r["created_at"]),
            )
            for r in rows
        ]
        states = _states(conn, prog.id)
        first = refusals[0].id if refusals else None
        counts = conn.execute(
            select(
                func.count(),
                func.count(case((bpjs_refusal.c.id < (first or 0), 1))),
                func.count(case((m.c.state.in_(("planned", "submitted")), 1))),
            )
            .select_from(bpjs_refusal.outerjoin(m, m.c.id == bpjs_refusal.c.membership_id))
            .where(*open_rows)
        ).one()
    total, earlier, resendable = (int(c) for c in counts)
    if not refusals and total and before is None and after is not None:
        earlier = total  # past the last page: nothing shown, everything before
    return Exchange(
        program_id=prog.id,
        files=[
            ExchangedFile(
                id=int(f.id),
                direction=f.direction,
                filename=f.filename,
                format=f.format,
                rows=int(f.rows),
                accepted=int(f.accepted),
                refused=int(f.refused),
                resend=bool(f.resend),
                created_by=f.created_by,
                created_at=dialect.to_datetime(f.created_at),
            )
            for f in files
        ],
        refusals=refusals,
        waiting=states.get("submitted", 0),
        to_send=states.get("planned", 0),
        refusals_total=total,
        refusals_from=earlier + 1 if refusals else 0,
        refusals_before=first if refusals and earlier > 0 else None,
        refusals_after=(refusals[-1].id if refusals and earlier + len(refusals) < total else None),
        refusals_resendable=resendable,
    )


def payments(engine: Engine, actor: Actor, program_ref: str | int) -> list[PaymentRow]:
    """A program's payments, by date: SP2D number, date and amount against which invoice.
    Needs ``program.read``."""
    actor.require("program.read")
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        rows = conn.execute(
            select(
                payment.c.id,
                payment.c.invoice_id,
                invoice.c.number,
                invoice.c.month,
                payment.c.sp2d,
                payment.c.paid_on,
                payment.c.amount,
            )
            .select_from(payment.join(invoice, invoice.c.id == payment.c.invoice_id))
            .where(invoice.c.program_id == prog.id)
            .order_by(payment.c.paid_on, payment.c.id)
        ).all()
    return [
        PaymentRow(
            id=int(r.id),
            invoice_id=int(r.invoice_id),
            invoice=r.number,
            month=dialect.to_date(r.month),
            sp2d=r.sp2d,
            paid_on=dialect.to_date(r.paid_on),
            amount=int(r.amount),
        )
        for r in rows
    ]


@dataclasses.dataclass(frozen=True)
class Choice:
    """A region offered in a list: its code and name."""

    code: str
    name: str


def district_choices(engine: Engine, actor: Actor, region: str | None = None) -> list[Choice]:
    """The distrik a program's targeting can name, by name: those of ``region`` (a regency
    code, e.g. the paying Pemda's), else those where the registry has people. Needs
    ``program.read``."""
    actor.require("program.read")
    names = regions.regions()
    if region and region.count(".") == 1:
        rows = names.filter(
            (names["level"] == 3) & names["kode"].str.starts_with(region + ".")
        ).sort("kode")
        return [Choice(r["kode"], r["nama"]) for r in rows.iter_rows(named=True)]
    with engine.connect() as conn:
        codes = [
            c
            for (c,) in conn.execute(
                select(person.c.district_code)
                .where(person.c.district_code.is_not(None))
                .distinct()
                .order_by(person.c.district_code)
                .limit(500)
            ).all()
        ]
    return [Choice(c, regions.name_of(c) or c) for c in codes]


def funder_choices(engine: Engine, actor: Actor) -> list[Choice]:
    """The regions a new program's payer can be, by name: every province and regency (or
    city) where the registry has people, and those already paying for a program; by code.
    Needs ``program.read``."""
    actor.require("program.read")
    with engine.connect() as conn:
        codes = {
            c
            for (c,) in conn.execute(
                select(person.c.district_code).where(person.c.district_code.is_not(None)).distinct()
            )
        }
        codes |= {
            c
            for (c,) in conn.execute(
                select(program.c.funder_region).where(program.c.funder_region.is_not(None))
            )
        }
    return [Choice(c, regions.name_of(c) or c) for c in regions.with_parents(codes, deepest=2)]
