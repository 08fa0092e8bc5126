"""`jaring program`: Program APBD: rencana anggaran, pendaftaran. / Programs: budget plans, enrolment."""

import typer

app = typer.Typer(
    help="Program APBD: rencana anggaran, pendaftaran. / Programs: budget plans, enrolment.",
    no_args_is_help=True,
)
