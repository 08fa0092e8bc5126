"""`jaring bpjs`: Berkas pertukaran dengan BPJS TK. / Exchange files with BPJS TK."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, print_json, set_lang
from jaring.cli.program import ProgramArg, num, say
from jaring.dates import parse_date

app = typer.Typer(
    help="Berkas pertukaran dengan BPJS TK. / Exchange files with BPJS TK.", no_args_is_help=True
)


@app.command("export")
def export(
    program: ProgramArg,
    out: Annotated[Path, typer.Option("--out", help="File to write: .xlsx or .csv.")],
    template: Annotated[
        Path | None, typer.Option("--template", help="Registration template (YAML).")
    ] = None,
    resend: Annotated[
        bool, typer.Option("--resend", help="Include members sent but not yet answered.")
    ] = False,
    on: Annotated[str | None, typer.Option("--date")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Tulis berkas pendaftaran kolektif. / Write the collective registration file."""
    from jaring.programs import service

    set_lang(lang_)
    res = service.bpjs_export(
        engine(db),
        program,
        out,
        template=template,
        include_submitted=resend,
        on=parse_date(on, "--date"),
    )
    if json_:
        print_json(res)
        return
    say(
        f"{num(res['rows'])} peserta ditulis ke {res['file']} ({res['format']})",
        f"{num(res['rows'])} members written to {res['file']} ({res['format']})",
    )


@app.command("import-kpj")
def import_kpj(
    file: Annotated[Path, typer.Argument(help="BPJS answer file (.csv or .xlsx).")],
    program: Annotated[str | None, typer.Option("--program", help="Limit to one program.")] = None,
    on: Annotated[str | None, typer.Option("--date")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Baca nomor KPJ dari BPJS. / Import KPJ numbers from BPJS's answer."""
    from jaring.programs import service

    set_lang(lang_)
    res = service.bpjs_import_kpj(
        engine(db), file, program_ref=program, on=parse_date(on, "--date")
    )
    if json_:
        print_json(res)
        return
    say(
        f"{num(res['imported'])} KPJ diterima, {num(res['refused'])} baris ditolak (disimpan untuk koreksi)",
        f"{num(res['imported'])} KPJ imported, {num(res['refused'])} rows refused (kept for correction)",
    )
    for r in res["refusals"][:50]:
        typer.echo(f"  row {r['row']}: {r['reason']}")


@app.command("refusals")
def refusals(
    program: Annotated[str | None, typer.Option("--program")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Baris yang ditolak dan menunggu koreksi. / Refused rows waiting for correction."""
    from jaring.programs import service

    set_lang(lang_)
    rows = service.bpjs_refusals(engine(db), program)
    if json_:
        print_json(rows)
        return
    for r in rows:
        typer.echo(f"{r['file']} row {r['row']}: {r['reason']} {r['detail'] or ''}".rstrip())
