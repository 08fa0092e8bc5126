"""`jaring report`: Laporan PDF/XLSX: the one-page coverage report for the head of region and
the Paritrana dossier. The format follows the file name (``.pdf`` or ``.xlsx``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from jaring import i18n
from jaring.award import dossier as dossier_render
from jaring.award import queries as award
from jaring.cli.common import actor, as_json, command, engine, print_json, progress, say
from jaring.coverage import errors
from jaring.coverage import queries as coverage
from jaring.coverage import report as coverage_render
from jaring.dates import parse_date
from jaring.i18n import _

app = typer.Typer(help="Laporan PDF/XLSX. / Reports.", no_args_is_help=True)

OutOpt = Annotated[Path, typer.Option("--out", help="laporan.pdf atau laporan.xlsx / file")]


def _kind(out: Path) -> str:
    kind = out.suffix.lower().lstrip(".")
    if kind not in coverage_render.FORMATS:
        raise errors.BAD_FORMAT(field="out", file=out.name)
    return kind


def _write(out: Path, data: bytes) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError:
        raise errors.CANNOT_WRITE(field="out", file=str(out)) from None


@command(app, "coverage")
def coverage_report(
    region: Annotated[str, typer.Option("--region", help="Kode wilayah / region code")],
    out: OutOpt,
    on: Annotated[str, typer.Option("--on", help="Tanggal / date")] = dt.date.today().isoformat(),
) -> None:
    """Laporan cakupan satu halaman. / One-page coverage report."""
    kind = _kind(out)
    eng = engine()
    lang = i18n.lang()
    with progress() as p:
        r = coverage.coverage_report(
            eng, actor(eng), region, parse_date(on, "on", required=True), progress=p
        )
        p.step(_("Drawing the report"))
        if kind == "pdf":
            data = coverage_render.coverage_pdf(r, lang)
        else:
            data = coverage_render.coverage_xlsx(r, lang)
    _write(out, data)
    if as_json():
        summary = {
            "file": str(out),
            "format": kind,
            "bytes": len(data),
            "covered": r.covered,
            "ratio": r.ratio,
        }
        print_json(summary)
    else:
        say(f"{out} ({len(data)} byte)")


@command(app, "dossier")
def dossier(
    edition: Annotated[int, typer.Option("--edition", help="Tahun edisi / edition year")],
    candidate: Annotated[str, typer.Option("--candidate", help="Kode kandidat / candidate")],
    out: OutOpt,
) -> None:
    """Dosir Paritrana seorang kandidat. / A candidate's Paritrana dossier."""
    kind = _kind(out)
    eng = engine()
    lang = i18n.lang()
    with progress() as p:
        d = award.dossier(eng, actor(eng), edition, candidate, progress=p)
        p.step(_("Drawing the report"))
        if kind == "pdf":
            data = dossier_render.dossier_pdf(d, lang)
        else:
            data = dossier_render.dossier_xlsx(d, lang)
    _write(out, data)
    if as_json():
        print_json({"file": str(out), "format": kind, "bytes": len(data), "total": d.results.total})
    else:
        say(f"{out} ({len(data)} byte)")
