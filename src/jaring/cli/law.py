"""`jaring law`: Aturan BPJS TK: iuran, manfaat, parameter. / The law: contributions, benefits, parameters."""

import typer

app = typer.Typer(
    help="Aturan BPJS TK: iuran, manfaat, parameter. / The law: contributions, benefits, parameters.",
    no_args_is_help=True,
)
