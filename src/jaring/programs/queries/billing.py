"""Billing as it is read: a program's invoices with what was paid, where its budget stands
(``budget = spent + committed + unspent``, to the rupiah), and the look-ups the billing
actions start from (an invoice by id or number, what was billed and paid).

Reads need ``program.read``; they are not region-scoped (a program's money is one budget).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
from sqlalchemy import Connection, Engine, func, select

from jaring.access import Actor
from jaring.programs import billing, errors
from jaring.programs.months import add_months, last_day
from jaring.programs.queries.programs import Program, find_program
from jaring.programs.states import LIVE_STATES
from jaring.store import dialect
from jaring.store.bulk import read_frame
from jaring.store.tables.families import death_refund
from jaring.store.tables.programs import invoice, invoice_line, membership, payment, program


@dataclasses.dataclass(frozen=True)
class InvoiceRecord:
    """An invoice as stored: one program, one month, ``lines`` members, ``amount`` rupiah."""

    id: int
    number: str
    program_id: int
    month: dt.date
    lines: int
    amount: int


@dataclasses.dataclass(frozen=True)
class InvoiceRow:
    """An invoice of a program with what was paid against it and what is still owed."""

    id: int
    number: str
    month: dt.date
    lines: int
    amount: int
    paid: int
    outstanding: int


@dataclasses.dataclass(frozen=True)
class Reconciliation:
    """Where a program's budget stands, to the rupiah.

    ``spent``: payments recorded. ``committed``: ``arrears`` (invoiced, not yet paid) plus
    ``to_invoice`` (the law's amounts for the months still to invoice of every planned,
    submitted or active membership up to its last month). ``unspent``: the rest (negative =
    overcommitted). ``balanced`` holds when the identity holds and both ``checks`` pass
    (``invoices_equal_lines``, ``payments_equal_allocations``). ``through``: the last day
    invoiced (None before the first invoice)."""

    program: str
    budget: int
    spent: int
    committed: int
    unspent: int
    invoiced: int
    arrears: int
    to_invoice: int
    balanced: bool
    checks: dict[str, bool]
    through: dt.date | None


@dataclasses.dataclass(frozen=True)
class ProgramStatus(Program):
    """A program with where its budget stands and its invoices."""

    reconcile: Reconciliation
    invoices: list[InvoiceRow]


def find_invoice(conn: Connection, ref: str | int) -> InvoiceRecord:
    """The invoice ``ref`` names: its id or its number (``INV-1-2024-03``); refuses
    ``invoice_not_found`` (404)."""
    row = None
    if isinstance(ref, int) or str(ref).isdigit():
        row = conn.execute(select(invoice).where(invoice.c.id == int(ref))).mappings().first()
    if row is None:
        row = conn.execute(select(invoice).where(invoice.c.number == str(ref))).mappings().first()
    if row is None:
        raise errors.INVOICE_NOT_FOUND(invoice=str(ref))
    return InvoiceRecord(
        id=int(row["id"]),
        number=row["number"],
        program_id=int(row["program_id"]),
        month=dialect.to_date(row["month"]),
        lines=int(row["lines"]),
        amount=int(row["amount"]),
    )


def paid_total(conn: Connection, invoice_id: int) -> int:
    """Rupiah paid so far against an invoice."""
    return int(
        conn.execute(
            select(func.coalesce(func.sum(payment.c.amount), 0)).where(
                payment.c.invoice_id == invoice_id
            )
        ).scalar_one()
    )


def billed_before(conn: Connection, program_id: int, month: dt.date) -> int:
    """Rupiah invoiced for a program's months before ``month``."""
    return int(
        conn.execute(
            select(func.coalesce(func.sum(invoice.c.amount), 0)).where(
                invoice.c.program_id == program_id, invoice.c.month < month
            )
        ).scalar_one()
    )


def last_invoiced_month(conn: Connection, program_id: int) -> dt.date | None:
    """The latest month a program was invoiced for (None before its first invoice)."""
    last = conn.execute(
        select(func.max(invoice.c.month)).where(invoice.c.program_id == program_id)
    ).scalar_one()
    return None if last is None else dialect.to_date(last)


def next_unbilled_month(conn: Connection, prog: Program) -> dt.date:
    """The month after the last invoice, or the program's first month."""
    last = last_invoiced_month(conn, prog.id)
    return prog.period_start if last is None else add_months(last, 1)


def _invoices(conn: Connection, prog: Program) -> list[InvoiceRow]:
    paid = (
        select(func.coalesce(func.sum(payment.c.amount), 0))
        .where(payment.c.invoice_id == invoice.c.id)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(
            invoice.c.id,
            invoice.c.number,
            invoice.c.month,
            invoice.c.lines,
            invoice.c.amount,
            paid.label("paid"),
        )
        .where(invoice.c.program_id == prog.id)
        .order_by(invoice.c.month)
    ).all()
    return [
        InvoiceRow(
            id=int(r.id),
            number=r.number,
            month=dialect.to_date(r.month),
            lines=int(r.lines),
            amount=int(r.amount),
            paid=int(r.paid),
            outstanding=int(r.amount) - int(r.paid),
        )
        for r in rows
    ]


def list_invoices(engine: Engine, actor: Actor, program_ref: str | int) -> list[InvoiceRow]:
    """A program's invoices by month, with what was paid and what is still owed. Needs
    ``program.read``; refuses ``program_not_found``."""
    actor.require("program.read")
    with engine.connect() as conn:
        return _invoices(conn, find_program(conn, program_ref))


def _reconcile(conn: Connection, prog: Program) -> Reconciliation:
    y, i, line = payment.alias("y"), invoice.alias("i"), invoice_line.alias("l")
    spent = int(
        conn.execute(
            select(func.coalesce(func.sum(y.c.amount), 0))
            .select_from(y.join(i, i.c.id == y.c.invoice_id))
            .where(i.c.program_id == prog.id)
        ).scalar_one()
    )
    invoiced_q = (
        select(func.coalesce(func.sum(invoice.c.amount), 0))
        .where(invoice.c.program_id == prog.id)
        .scalar_subquery()
    )
    invoiced, lines_total, lines_paid = (
        int(v)
        for v in conn.execute(
            select(
                invoiced_q,
                func.coalesce(func.sum(line.c.amount), 0),
                func.coalesce(func.sum(line.c.paid), 0),
            )
            .select_from(line.join(i, i.c.id == line.c.invoice_id))
            .where(i.c.program_id == prog.id)
        ).one()
    )
    last = last_invoiced_month(conn, prog.id)
    next_month = prog.period_start if last is None else add_months(last, 1)
    future = read_frame(
        conn,
        select(
            membership.c.id.label("membership_id"),
            membership.c.segment,
            membership.c.income_base,
            membership.c.risk,
            membership.c.with_jht,
            membership.c.start_month,
            membership.c.end_month,
        ).where(membership.c.program_id == prog.id, membership.c.state.in_(LIVE_STATES)),
    )
    to_come = 0
    months = [m for m in prog.months if m >= next_month]
    if future.height and months:
        future = dialect.date_columns(future, "start_month", "end_month").with_columns(
            pl.col("membership_id").cast(pl.Int64),
            pl.col("income_base").cast(pl.Int64),
            pl.col("risk").cast(pl.String),
            pl.col("with_jht").cast(pl.Boolean),
            paid_by=pl.lit(prog.paid_by),
            with_jp=pl.lit(prog.with_jp),
        )
        lines = billing.invoice_lines(future, months).join(
            future.select("membership_id", "start_month", "end_month"), on="membership_id"
        )
        lines = lines.filter(
            (pl.col("month") >= pl.col("start_month"))
            & (pl.col("end_month").is_null() | (pl.col("month") <= pl.col("end_month")))
        )
        to_come = int(lines["amount"].sum())
    arrears = invoiced - spent
    committed = arrears + to_come
    unspent = prog.budget - spent - committed
    checks = {
        "invoices_equal_lines": invoiced == lines_total,
        "payments_equal_allocations": spent == lines_paid,
    }
    return Reconciliation(
        program=prog.name,
        budget=prog.budget,
        spent=spent,
        committed=committed,
        unspent=unspent,
        invoiced=invoiced,
        arrears=arrears,
        to_invoice=to_come,
        balanced=prog.budget == spent + committed + unspent and all(checks.values()),
        checks=checks,
        through=last_day(add_months(next_month, -1)) if last is not None else None,
    )


def reconcile(engine: Engine, actor: Actor, program_ref: str | int) -> Reconciliation:
    """Where a program's budget stands: ``budget = spent + committed + unspent``, with the
    checks that every invoice equals its lines and every payment is allocated to lines.
    Needs ``program.read``; refuses ``program_not_found``."""
    actor.require("program.read")
    with engine.connect() as conn:
        return _reconcile(conn, find_program(conn, program_ref))


def program_status(engine: Engine, actor: Actor, program_ref: str | int) -> ProgramStatus:
    """A program, where its budget stands and its invoices, read together. Needs
    ``program.read``; refuses ``program_not_found``."""
    actor.require("program.read")
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        return ProgramStatus(
            **dataclasses.asdict(prog),
            reconcile=_reconcile(conn, prog),
            invoices=_invoices(conn, prog),
        )


@dataclasses.dataclass(frozen=True)
class MoneyToSettle:
    """What a program's payer still has to settle: invoices not fully paid (how many, the
    rupiah outstanding) and refunds owed back after deaths (months, rupiah)."""

    program_id: int
    program: str
    open_invoices: int
    outstanding: int
    refund_months: int
    refunds: int


def money_to_settle(engine: Engine, actor: Actor) -> list[MoneyToSettle]:
    """Every program with an invoice not fully paid or a refund owed (``due``), by program:
    the budget officer's work queue. Needs ``program.read``; two grouped queries whatever the
    number of invoices."""
    actor.require("program.read")
    paid = (
        select(payment.c.invoice_id, func.sum(payment.c.amount).label("paid"))
        .group_by(payment.c.invoice_id)
        .subquery()
    )
    owed = invoice.c.amount - func.coalesce(paid.c.paid, 0)
    rf = death_refund.c
    with engine.connect() as conn:
        invoices = {
            int(r.program_id): (int(r.n), int(r.owed))
            for r in conn.execute(
                select(invoice.c.program_id, func.count().label("n"), func.sum(owed).label("owed"))
                .select_from(invoice.outerjoin(paid, paid.c.invoice_id == invoice.c.id))
                .where(owed > 0)
                .group_by(invoice.c.program_id)
            )
        }
        refunds = {
            int(r.program_id): (int(r.n), int(r.amount))
            for r in conn.execute(
                select(rf.program_id, func.count().label("n"), func.sum(rf.amount).label("amount"))
                .where(rf.status == "due")
                .group_by(rf.program_id)
            )
        }
        ids = sorted(set(invoices) | set(refunds))
        names = (
            dict(
                conn.execute(
                    select(program.c.id, program.c.name).where(program.c.id.in_(ids))
                ).all()
            )
            if ids
            else {}
        )
    return [
        MoneyToSettle(
            program_id=i,
            program=str(names.get(i, i)),
            open_invoices=invoices.get(i, (0, 0))[0],
            outstanding=invoices.get(i, (0, 0))[1],
            refund_months=refunds.get(i, (0, 0))[0],
            refunds=refunds.get(i, (0, 0))[1],
        )
        for i in ids
    ]
