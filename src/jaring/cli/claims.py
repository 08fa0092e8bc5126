"""`jaring claims`: Klaim JKM, JKK, beasiswa. / Claims."""

import typer

app = typer.Typer(help="Klaim JKM, JKK, beasiswa. / Claims.", no_args_is_help=True)
