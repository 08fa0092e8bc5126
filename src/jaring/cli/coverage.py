"""`jaring coverage`: status of people on a date (programs) and indicators (coverage)."""

import typer

from jaring.cli.coverage_report import report
from jaring.cli.coverage_status import status

app = typer.Typer(
    help="Status dan indikator kepesertaan. / Coverage status and indicators.", no_args_is_help=True
)
if status is not None:
    app.command("status")(status)
if report is not None:
    app.command("report")(report)

# Commands for the figures coverage is judged by (issue 6): denominator, target, ucj.
from jaring.cli.coverage_report import COMMANDS  # noqa: E402

for _name, _fn in COMMANDS.items():
    app.command(_name)(_fn)
