"""`jaring coverage status` (issue 4, owned by the programs work): who is covered on a date,
a query over paid coverage periods."""

from __future__ import annotations

from typing import Annotated

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, print_json, set_lang
from jaring.cli.program import num, say


def status(
    on: Annotated[str, typer.Option("--on", help="Date, YYYY-MM-DD. / Tanggal.")],
    nik: Annotated[str | None, typer.Option("--nik", help="One person's NIK.")] = None,
    person: Annotated[int | None, typer.Option("--person", help="One person's id.")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Status kepesertaan pada tanggal. / Coverage on a date, for one person or all."""
    from jaring.dates import parse_date
    from jaring.programs import service

    set_lang(lang_)
    res = service.coverage_on(engine(db), parse_date(on, "--on"), nik=nik, person_id=person)
    if json_:
        print_json(res)
        return
    if nik is None and person is None:
        say(
            f"{num(res['covered'])} orang terlindungi pada {res['on']}",
            f"{num(res['covered'])} people covered on {res['on']}",
        )
        for p in res["programs"]:
            typer.echo(f"  {p['program']}: {num(p['people'])}")
        return
    for p in res["people"]:
        say(
            f"Orang {p['person_id']}: {'TERLINDUNGI' if p['covered'] else 'tidak terlindungi'} "
            f"pada {res['on']}",
            f"Person {p['person_id']}: {'COVERED' if p['covered'] else 'not covered'} on {res['on']}",
        )
        for m in p["memberships"]:
            spans = ", ".join(f"{x['start']}..{x['end']}" for x in m["periods"]) or "-"
            typer.echo(f"  {m['program']} KPJ {m['kpj'] or '-'} [{m['state']}] {spans}")
