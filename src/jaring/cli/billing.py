"""`jaring billing`: Tagihan bulanan dan pembayaran (SP2D). / Monthly invoices and payments."""

from __future__ import annotations

from typing import Annotated

import typer

from jaring import formatting, labels
from jaring.cli.common import actor, as_json, command, engine, print_json, progress, say
from jaring.cli.program import ProgramArg
from jaring.dates import parse_date
from jaring.formatting import number, rupiah
from jaring.i18n import _
from jaring.programs import actions, queries
from jaring.programs.months import parse_month

app = typer.Typer(
    help="Tagihan bulanan dan pembayaran (SP2D). / Monthly invoices and payments.",
    no_args_is_help=True,
)


@command(app, "invoice")
def invoice(
    program: ProgramArg,
    month: Annotated[str, typer.Option("--month", help="Month billed, YYYY-MM.")],
) -> None:
    """Buat tagihan bulanan. / Issue the monthly invoice."""
    billed = parse_month(month, "month")
    eng = engine()
    who = actor(eng)
    with progress() as p:
        res = actions.create_invoice(eng, who, program, billed, progress=p)
    if as_json():
        print_json(res)
        return
    say(
        _(
            "Invoice %(invoice)s: %(lines)s members, %(amount)s; %(suspended)s suspended for "
            "3 months of arrears",
            invoice=res.invoice,
            lines=number(res.lines),
            amount=rupiah(res.amount),
            suspended=number(res.suspended),
        )
    )


@command(app, "pay")
def pay(
    invoice: Annotated[str, typer.Argument(help="Invoice number or id.")],
    amount: Annotated[int, typer.Option("--amount", help="Rupiah paid.")],
    sp2d: Annotated[str, typer.Option("--sp2d", help="SP2D number (unique).")],
    on: Annotated[str, typer.Option("--date", help="Payment date, YYYY-MM-DD.")],
) -> None:
    """Catat pembayaran (SP2D). / Record a payment against an invoice."""
    eng = engine()
    res = actions.pay(
        eng,
        actor(eng),
        invoice,
        amount=amount,
        sp2d=sp2d,
        on=parse_date(on, "on", required=True),
    )
    if as_json():
        print_json(res)
        return
    say(
        _(
            "%(invoice)s: paid %(paid)s of %(amount)s, outstanding %(outstanding)s; "
            "%(lines)s members paid in full",
            invoice=res.invoice,
            paid=rupiah(res.paid),
            amount=rupiah(res.invoice_amount),
            outstanding=rupiah(res.outstanding),
            lines=number(res.lines_paid),
        )
    )


@command(app, "list")
def list_(program: ProgramArg) -> None:
    """Daftar tagihan. / Invoices with paid and outstanding amounts."""
    eng = engine()
    rows = queries.list_invoices(eng, actor(eng), program)
    if as_json():
        print_json(rows)
        return
    for r in rows:
        say(
            f"{r.number}  {number(r.lines):>7}  {rupiah(r.amount):>18}  "
            f"{rupiah(r.paid):>18}  {rupiah(r.outstanding):>16}"
        )


@command(app, "refunds")
def refunds(
    program: ProgramArg,
    status: Annotated[
        str | None, typer.Option("--status", help="due | returned | cancelled (default: all).")
    ] = None,
) -> None:
    """Iuran bulan setelah peserta meninggal. / Months paid after a death, owed back."""
    eng = engine()
    rows = queries.program_refunds(eng, actor(eng), program, status=status)
    if as_json():
        print_json(rows)
        return
    for r in rows:
        back = f"  {r.returned_on} {r.returned_reference}" if r.returned_on else ""
        say(
            f"{r.id:>6}  {r.month:%Y-%m}  {rupiah(r.amount):>12}  "
            f"{labels.label('refund_status', r.status):<20}  {r.name} {r.nik or ''}{back}"
        )


@command(app, "refund-returned")
def refund_returned(
    program: ProgramArg,
    refund: Annotated[
        list[int],
        typer.Argument(help="Refund ids (from 'billing refunds'): one transfer for all of them."),
    ],
    reference: Annotated[str, typer.Option("--reference", help="Transfer reference.")],
    on: Annotated[str, typer.Option("--date", help="Day returned, YYYY-MM-DD.")],
) -> None:
    """Catat iuran sudah dikembalikan. / Mark refunds returned to the payer.

    Several ids are one transfer: all are recorded or, when one is not owed, none. With
    ``--json``, one id prints the refund, several a list."""
    eng = engine()
    res = actions.return_refunds(
        eng,
        actor(eng),
        program,
        refund,
        returned_on=parse_date(on, "returned_on", required=True),
        reference=reference,
    )
    if as_json():
        print_json(res[0] if len(refund) == 1 else res)
        return
    for r in res:
        say(
            _(
                "Refund of %(amount)s for %(month)s returned to the payer on %(day)s (%(reference)s).",
                amount=rupiah(r.amount),
                month=formatting.month(r.month),
                day=formatting.date(r.returned_on),
                reference=r.returned_reference,
            )
        )
    if len(res) > 1:
        say(
            _(
                "%(n)s refunds, %(amount)s in all, returned by transfer %(reference)s.",
                n=number(len(res)),
                amount=rupiah(sum(r.amount for r in res)),
                reference=res[0].returned_reference,
            )
        )
