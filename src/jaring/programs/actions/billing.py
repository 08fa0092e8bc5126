"""Billing actions: issue a month's invoice, record a payment (SP2D).

Each is one transaction, needs ``billing.write`` and every region
(:func:`~jaring.programs.actions.scope.require_whole_program`) and records its audit event in
that transaction. The rules (lines from the law, allocation of a payment, the lapse rule's
number of months) are :mod:`jaring.programs.billing`'s; this module reads and writes the store
around them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import polars as pl
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Engine,
    Select,
    String,
    Table,
    and_,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from jaring import audit
from jaring.access import Actor
from jaring.families.queries.deaths import alive_on
from jaring.i18n import _
from jaring.programs import billing, errors
from jaring.programs.actions.coverage import extend_coverage
from jaring.programs.actions.memberships import set_state
from jaring.programs.actions.scope import require_whole_program
from jaring.programs.months import add_months, first_of
from jaring.programs.pricing import package_frame
from jaring.programs.queries.billing import find_invoice, paid_total
from jaring.programs.queries.programs import find_program
from jaring.progress import SILENT, Progress
from jaring.store import dialect
from jaring.store.bulk import insert_frame, read_frame
from jaring.store.tables.programs import invoice, invoice_line, membership, payment
from jaring.store.temp import drop_temp, temp_table


@dataclasses.dataclass(frozen=True)
class IssuedInvoice:
    """The invoice of ``month``: its number and id, ``lines`` (one per active membership)
    and ``amount`` in rupiah; ``suspended`` memberships lapsed for arrears and ``ended``
    memberships past their last month before the lines were written."""

    invoice: str
    id: int
    program: str
    month: dt.date
    lines: int
    amount: int
    suspended: int
    ended: int
    issued_on: dt.date


@dataclasses.dataclass(frozen=True)
class PaymentRecorded:
    """A payment against an invoice: the invoice now has ``paid`` of ``invoice_amount``
    (``outstanding`` left); ``lines_paid`` months became covered, ``lines_part_paid`` lines
    hold a part-payment, ``reactivated`` suspended memberships had their arrears cleared."""

    invoice: str
    sp2d: str
    paid_on: dt.date
    amount: int
    invoice_amount: int
    paid: int
    outstanding: int
    lines_paid: int
    lines_part_paid: int
    reactivated: int


def create_invoice(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    month: dt.date,
    *,
    on: dt.date | None = None,
    progress: Progress = SILENT,
) -> IssuedInvoice:
    """Issue the invoice of ``month`` (its first day; ``on`` dates the state changes, default
    the month itself).

    First suspends the active memberships whose lines for the previous
    :func:`~jaring.programs.billing.lapse_months` months (3) are all unpaid and ends those
    past their last month; then writes one line per active membership, its JKK, JKM and JHT
    the law's amounts for its package in that month. Needs ``billing.write`` and every
    region; refuses ``month_outside_period``, ``invoice_exists``, ``nothing_to_invoice``.
    Audited as ``billing.invoice``. Example: 60 members on Rp1.000.000 of declared income in
    March 2024: 60 lines of Rp16.800, Rp1.008.000.
    """
    require_whole_program(actor, "billing.write")
    month = first_of(month)
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        if not prog.period_start <= month <= prog.period_end:
            raise errors.MONTH_OUTSIDE_PERIOD(
                month=month.isoformat(),
                start=prog.period_start.isoformat(),
                end=prog.period_end.isoformat(),
                field="month",
            )
        number = billing.invoice_number(prog.id, month)
        if conn.execute(select(invoice.c.id).where(invoice.c.number == number)).first():
            raise errors.INVOICE_EXISTS(invoice=number)
        today = on or month
        progress.step(_("Suspending memberships in arrears"))
        n_lapsed, n_ended = _lapse(conn, prog.id, month)
        # lines for the active memberships of this month, written by the database itself: the
        # law prices each distinct package once (a few rows in a temporary table) and one
        # INSERT ... SELECT joins it onto the memberships; no member row travels to Python
        progress.step(_("Pricing the packages"))
        m = membership.alias("m")
        # a member who died is billed up to the month of death, never after: a death recorded
        # ends the membership with that month (``deceased``), a death claim alone stops it too
        live = and_(
            m.c.program_id == prog.id,
            m.c.state.in_(("active", "deceased")),
            m.c.start_month <= month,
            or_(m.c.end_month.is_(None), m.c.end_month >= month),
            alive_on(m.c.person_id, month),
        )
        packages = read_frame(
            conn,
            select(m.c.segment, m.c.income_base, m.c.risk, m.c.with_jht).distinct().where(live),
        )
        if packages.height == 0:
            raise errors.NOTHING_TO_INVOICE(month=month.isoformat())
        packages = packages.with_columns(
            pl.col("income_base").cast(pl.Int64),
            pl.col("risk").cast(pl.String),
            pl.col("with_jht").cast(pl.Boolean),
            paid_by=pl.lit(prog.paid_by),
            with_jp=pl.lit(prog.with_jp),  # one choice for the whole program
        )
        prices = package_frame(packages, [month]).with_row_index("pkg")
        t = temp_table(
            conn,
            "tmp_price",
            Column("pkg", BigInteger),
            Column("segment", String(3)),
            Column("income_base", BigInteger),
            Column("risk", String(20)),
            Column("with_jht", Boolean),
            Column("jkk", BigInteger),
            Column("jkm", BigInteger),
            Column("jht", BigInteger),
            Column("amount", BigInteger),
        )
        insert_frame(
            conn,
            t,
            prices.select(
                pl.col("pkg").cast(pl.Int64),
                "segment",
                "income_base",
                "risk",
                "with_jht",
                "jkk",
                "jkm",
                "jht",
                amount="total",
            ),
        )
        inv_id = int(
            conn.execute(
                insert(invoice).values(
                    number=number, program_id=prog.id, month=month, lines=0, amount=0
                )
            ).inserted_primary_key[0]  # type: ignore[index]
        )
        progress.step(_("Writing invoice lines"))
        priced = m.join(
            t,
            and_(
                t.c.segment == m.c.segment,
                t.c.income_base == m.c.income_base,
                func.coalesce(t.c.risk, "") == func.coalesce(m.c.risk, ""),
                t.c.with_jht == m.c.with_jht,
            ),
        )
        if dialect.of(conn).copy_in:  # computed in Polars and copied in
            _write_lines_copy(
                conn, inv_id, select(m.c.id, t.c.pkg).select_from(priced).where(live), t, prices
            )
        else:  # INSERT ... SELECT runs in the engine itself, without a round trip
            conn.execute(
                insert(invoice_line).from_select(
                    ["invoice_id", "membership_id", "jkk", "jkm", "jht", "amount", "paid"],
                    select(
                        literal(inv_id), m.c.id, t.c.jkk, t.c.jkm, t.c.jht, t.c.amount, literal(0)
                    )
                    .select_from(priced)
                    .where(live),
                )
            )
        drop_temp(conn, t)
        n_lines, total = (
            int(v)
            for v in conn.execute(
                select(func.count(), func.coalesce(func.sum(invoice_line.c.amount), 0)).where(
                    invoice_line.c.invoice_id == inv_id
                )
            ).one()
        )
        conn.execute(
            update(invoice).where(invoice.c.id == inv_id).values(lines=n_lines, amount=total)
        )
        out = IssuedInvoice(
            invoice=number,
            id=inv_id,
            program=prog.name,
            month=month,
            lines=n_lines,
            amount=total,
            suspended=n_lapsed,
            ended=n_ended,
            issued_on=today,
        )
        audit.record(conn, actor, "billing.invoice", "program", prog.id, after=out)
    return out


def _lapse(conn: Connection, program_id: int, month: dt.date) -> tuple[int, int]:
    """Before the lines of ``month``: suspend the active memberships whose previous N months
    (the law's ``bpu.inactive_after_unpaid_months``, 3) are all invoiced and unpaid, and end
    those past their last month. Returns (suspended, ended)."""
    lapse = billing.lapse_months(month)
    line, i, m = invoice_line.alias("l"), invoice.alias("i"), membership.alias("m")
    lapsed = read_frame(
        conn,
        select(line.c.membership_id)
        .select_from(
            line.join(i, i.c.id == line.c.invoice_id).join(m, m.c.id == line.c.membership_id)
        )
        .where(
            i.c.program_id == program_id,
            i.c.month >= add_months(month, -lapse),
            i.c.month < month,
            line.c.paid < line.c.amount,
            m.c.state == "active",
        )
        .group_by(line.c.membership_id)
        .having(func.count() == lapse),
    )
    n_lapsed = 0
    if lapsed.height:
        n_lapsed = set_state(
            conn, lapsed["membership_id"].cast(pl.Int64), "suspended", month, "arrears_3_months"
        )
    ended = read_frame(
        conn,
        select(membership.c.id).where(
            membership.c.program_id == program_id,
            membership.c.state == "active",
            membership.c.end_month.is_not(None),
            membership.c.end_month < month,
        ),
    )
    if ended.height:
        set_state(conn, ended["id"].cast(pl.Int64), "ended", month, "period_over")
    return n_lapsed, ended.height


def _write_lines_copy(
    conn: Connection,
    invoice_id: int,
    members_q: Select[tuple[int, int]],
    prices_table: Table,
    prices: pl.DataFrame,
) -> None:
    """PostgreSQL: the lines of one invoice through COPY instead of ``INSERT ... SELECT``.

    ``INSERT ... SELECT`` inserts heap tuples one by one (a WAL record each, beside the
    key's), COPY in batches (about a third of the time for a million lines). So the database
    still matches each membership to its package (only ``(membership id, package index)``
    travels, two integer columns), the prices are gathered here, and the lines go back sorted
    by the key ``(invoice_id, membership_id)``, every insert landing on the right edge of the
    B-tree."""
    # a few rows: with statistics the planner hashes them instead of sorting the members
    dialect.analyze(conn, prices_table)
    members = read_frame(conn, members_q).rename({"id": "membership_id"}).sort("membership_id")
    table = prices.select(pl.col("pkg").cast(pl.Int64), "jkk", "jkm", "jht", amount=pl.col("total"))
    lines = billing.stored_lines(invoice_id, members.join(table, on="pkg", how="left"))
    insert_frame(conn, invoice_line, lines)


def pay(
    engine: Engine,
    actor: Actor,
    invoice_ref: str | int,
    *,
    amount: int,
    sp2d: str,
    on: dt.date,
) -> PaymentRecorded:
    """Record a payment (SP2D number ``sp2d``, paid on ``on``) against an invoice (its id or
    number) and allocate it to the lines: ascending membership id, each line in full before
    the next. Fully paid months become coverage; suspended members whose arrears are now all
    paid become active again.

    Needs ``billing.write`` and every region; refuses ``bad_amount``, ``missing_sp2d``,
    ``invoice_not_found``, ``sp2d_used`` and ``payment_exceeds_invoice``. Audited as
    ``billing.pay``.
    """
    require_whole_program(actor, "billing.write")
    sp2d = str(sp2d).strip()
    if amount <= 0:
        raise errors.BAD_AMOUNT(amount=amount, field="amount")
    if not sp2d:
        raise errors.MISSING_SP2D(field="sp2d")
    with engine.begin() as conn:
        inv = find_invoice(conn, invoice_ref)
        # one payment on an invoice at a time: the next one reads what this one left
        dialect.lock_row(conn, invoice, invoice.c.id == inv.id)
        if conn.execute(select(payment.c.id).where(payment.c.sp2d == sp2d)).first():
            raise errors.SP2D_USED(sp2d=sp2d, field="sp2d")
        paid_before = paid_total(conn, inv.id)
        outstanding = inv.amount - paid_before
        if amount > outstanding:
            raise errors.PAYMENT_EXCEEDS_INVOICE(
                invoice=inv.number, amount=amount, outstanding=outstanding, field="amount"
            )
        try:
            conn.execute(
                insert(payment).values(invoice_id=inv.id, paid_on=on, amount=amount, sp2d=sp2d)
            )
        except IntegrityError:  # a concurrent payment took the number
            raise errors.SP2D_USED(sp2d=sp2d, field="sp2d") from None
        paid = temp_table(conn, "tmp_paid", Column("id", BigInteger, primary_key=True))
        unpaid = and_(
            invoice_line.c.invoice_id == inv.id, invoice_line.c.paid < invoice_line.c.amount
        )
        if amount == outstanding:  # the usual SP2D settles the invoice: all in the database
            conn.execute(
                insert(paid).from_select(["id"], select(invoice_line.c.membership_id).where(unpaid))
            )
            conn.execute(update(invoice_line).where(unpaid).values(paid=invoice_line.c.amount))
            n_full = int(conn.execute(select(func.count()).select_from(paid)).scalar_one())
            n_part = 0
        else:  # a part-payment: allocate by the rule, in Polars
            n_full, n_part = _allocate(conn, inv.id, amount, paid)
        extend_coverage(conn, paid, inv.month)
        revived = _revive(conn, paid, on)
        drop_temp(conn, paid)
        out = PaymentRecorded(
            invoice=inv.number,
            sp2d=sp2d,
            paid_on=on,
            amount=amount,
            invoice_amount=inv.amount,
            paid=paid_before + amount,
            outstanding=outstanding - amount,
            lines_paid=n_full,
            lines_part_paid=n_part,
            reactivated=revived,
        )
        audit.record(conn, actor, "billing.pay", "invoice", inv.id, after=out)
    return out


def _allocate(conn: Connection, invoice_id: int, amount: int, paid: Table) -> tuple[int, int]:
    """A part-payment spread over the unpaid lines by :func:`billing.allocate`; the lines paid
    in full go into ``paid``. Returns (lines paid in full, lines part-paid)."""
    lines = read_frame(
        conn,
        select(invoice_line.c.membership_id, invoice_line.c.amount, invoice_line.c.paid).where(
            invoice_line.c.invoice_id == invoice_id, invoice_line.c.paid < invoice_line.c.amount
        ),
    ).with_columns(pl.all().cast(pl.Int64))
    changed = billing.allocate(lines, amount)
    t = temp_table(
        conn,
        "tmp_alloc",
        Column("id", BigInteger, primary_key=True),
        Column("paid", BigInteger, nullable=False),
    )
    insert_frame(conn, t, changed.select(id="membership_id", paid="paid"))
    conn.execute(
        update(invoice_line)
        .where(
            invoice_line.c.invoice_id == invoice_id,
            invoice_line.c.membership_id.in_(select(t.c.id)),
        )
        .values(
            paid=select(t.c.paid).where(t.c.id == invoice_line.c.membership_id).scalar_subquery()
        )
    )
    drop_temp(conn, t)
    full = changed.filter(pl.col("full")).select(id=pl.col("membership_id"))
    insert_frame(conn, paid, full)
    return full.height, changed.height - full.height


def _revive(conn: Connection, ids: Table, on: dt.date) -> int:
    """Suspended memberships among ``ids`` with nothing left unpaid become active."""
    m, line = membership.alias("m"), invoice_line.alias("l")
    unpaid = select(line.c.membership_id).where(
        line.c.membership_id == m.c.id, line.c.paid < line.c.amount
    )
    rows = read_frame(
        conn,
        select(m.c.id).where(
            m.c.id.in_(select(ids.c.id)), m.c.state == "suspended", ~unpaid.exists()
        ),
    )
    if rows.height == 0:
        return 0
    return set_state(conn, rows["id"].cast(pl.Int64), "active", on, "arrears_paid")
