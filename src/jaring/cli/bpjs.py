"""`jaring bpjs`: Berkas pertukaran dengan BPJS TK. / Exchange files with BPJS TK."""

import typer

app = typer.Typer(
    help="Berkas pertukaran dengan BPJS TK. / Exchange files with BPJS TK.", no_args_is_help=True
)
