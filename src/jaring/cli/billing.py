"""`jaring billing`: Tagihan bulanan dan pembayaran (SP2D). / Monthly invoices and payments."""

from __future__ import annotations

from typing import Annotated

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, print_json, set_lang
from jaring.cli.program import ProgramArg, num, rupiah, say

app = typer.Typer(
    help="Tagihan bulanan dan pembayaran (SP2D). / Monthly invoices and payments.",
    no_args_is_help=True,
)


@app.command("invoice")
def invoice(
    program: ProgramArg,
    month: Annotated[str, typer.Option("--month", help="Month billed, YYYY-MM.")],
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Buat tagihan bulanan. / Issue the monthly invoice."""
    from jaring.programs import service
    from jaring.programs.months import parse_month

    set_lang(lang_)
    res = service.create_invoice(engine(db), program, parse_month(month))
    if json_:
        print_json(res)
        return
    say(
        f"Tagihan {res['invoice']}: {num(res['lines'])} peserta, {rupiah(res['amount'])}"
        f"; {num(res['suspended'])} ditangguhkan karena tunggakan 3 bulan",
        f"Invoice {res['invoice']}: {num(res['lines'])} members, {rupiah(res['amount'])}"
        f"; {num(res['suspended'])} suspended for 3 months of arrears",
    )


@app.command("pay")
def pay(
    invoice: Annotated[str, typer.Argument(help="Invoice number or id.")],
    amount: Annotated[int, typer.Option("--amount", help="Rupiah paid.")],
    sp2d: Annotated[str, typer.Option("--sp2d", help="SP2D number (unique).")],
    date: Annotated[str, typer.Option("--date", help="Payment date, YYYY-MM-DD.")],
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Catat pembayaran (SP2D). / Record a payment against an invoice."""
    from jaring.dates import parse_date
    from jaring.programs import service

    set_lang(lang_)
    res = service.pay(engine(db), invoice, amount=amount, sp2d=sp2d, on=parse_date(date, "--date"))
    if json_:
        print_json(res)
        return
    say(
        f"{res['invoice']}: dibayar {rupiah(res['paid'])} dari {rupiah(res['invoice_amount'])}, "
        f"sisa {rupiah(res['outstanding'])}; {num(res['lines_paid'])} peserta lunas bulan ini",
        f"{res['invoice']}: paid {rupiah(res['paid'])} of {rupiah(res['invoice_amount'])}, "
        f"outstanding {rupiah(res['outstanding'])}; {num(res['lines_paid'])} members paid in full",
    )


@app.command("list")
def list_(
    program: ProgramArg, db: DbOpt = None, json_: JsonOpt = False, lang_: LangOpt = None
) -> None:
    """Daftar tagihan. / Invoices with paid and outstanding amounts."""
    from jaring.programs import service

    set_lang(lang_)
    rows = service.list_invoices(engine(db), program)
    if json_:
        print_json(rows)
        return
    for r in rows:
        typer.echo(
            f"{r['number']}  {num(r['lines']):>7}  {rupiah(r['amount']):>18}  "
            f"{rupiah(r['paid']):>18}  {rupiah(r['outstanding']):>16}"
        )
