"""`jaring report`: Laporan PDF/XLSX. / Reports."""

import typer

app = typer.Typer(help="Laporan PDF/XLSX. / Reports.", no_args_is_help=True)
