"""`jaring bpjs`: Berkas pertukaran dengan BPJS TK. / Exchange files with BPJS TK."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jaring.cli.common import actor, as_json, command, engine, print_json, say
from jaring.cli.program import ProgramArg
from jaring.dates import parse_date
from jaring.formatting import number
from jaring.i18n import _
from jaring.programs import actions, queries

app = typer.Typer(
    help="Berkas pertukaran dengan BPJS TK. / Exchange files with BPJS TK.", no_args_is_help=True
)


@command(app, "export")
def export(
    program: ProgramArg,
    out: Annotated[Path, typer.Option("--out", help="File to write: .xlsx or .csv.")],
    template: Annotated[
        Path | None, typer.Option("--template", help="Registration template (YAML).")
    ] = None,
    include_submitted: Annotated[
        bool, typer.Option("--resend", help="Include members sent but not yet answered.")
    ] = False,
    on: Annotated[str | None, typer.Option("--date")] = None,
) -> None:
    """Tulis berkas pendaftaran kolektif. / Write the collective registration file."""
    eng = engine()
    res = actions.bpjs_export(
        eng,
        actor(eng),
        program,
        out,
        template=template,
        include_submitted=include_submitted,
        on=parse_date(on, "on"),
    )
    if as_json():
        print_json(res)
        return
    say(
        _(
            "%(rows)s members written to %(file)s (%(format)s)",
            rows=number(res.rows),
            file=res.file,
            format=res.format,
        )
    )


@command(app, "import-kpj")
def import_kpj(
    file: Annotated[Path, typer.Argument(help="BPJS answer file (.csv or .xlsx).")],
    program: Annotated[str | None, typer.Option("--program", help="Limit to one program.")] = None,
    on: Annotated[str | None, typer.Option("--date")] = None,
) -> None:
    """Baca nomor KPJ dari BPJS. / Import KPJ numbers from BPJS's answer."""
    eng = engine()
    res = actions.bpjs_import_kpj(
        eng, actor(eng), file, program_ref=program, on=parse_date(on, "on")
    )
    if as_json():
        print_json(res)
        return
    say(
        _(
            "%(imported)s KPJ imported, %(refused)s rows refused (kept for correction)",
            imported=number(res.imported),
            refused=number(res.refused),
        )
    )
    for r in res.refusals[:50]:
        say(f"  row {r.row}: {r.reason}")


@command(app, "refusals")
def refusals(
    program: Annotated[str | None, typer.Option("--program")] = None,
) -> None:
    """Baris yang ditolak dan menunggu koreksi. / Refused rows waiting for correction."""
    eng = engine()
    rows = queries.bpjs_refusals(eng, actor(eng), program)
    if as_json():
        print_json(rows)
        return
    for r in rows:
        say(f"{r.file} row {r.row}: {r.reason} {r.detail or ''}".rstrip())
