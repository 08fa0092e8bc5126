"""`jaring registry`: Registri pekerja: impor, validasi NIK, deduplikasi. / Worker registry."""

import typer

app = typer.Typer(
    help="Registri pekerja: impor, validasi NIK, deduplikasi. / Worker registry.",
    no_args_is_help=True,
)
