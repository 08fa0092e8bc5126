"""`jaring billing`: Tagihan bulanan dan pembayaran (SP2D). / Monthly invoices and payments."""

import typer

app = typer.Typer(
    help="Tagihan bulanan dan pembayaran (SP2D). / Monthly invoices and payments.",
    no_args_is_help=True,
)
