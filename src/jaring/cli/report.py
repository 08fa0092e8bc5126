"""`jaring report`: Laporan PDF/XLSX: the one-page coverage report for the head of region and
the Paritrana dossier. The format follows the file name (``.pdf`` or ``.xlsx``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, lang, print_json, set_lang
from jaring.errors import JaringError

app = typer.Typer(help="Laporan PDF/XLSX. / Reports.", no_args_is_help=True)


def _kind(out: Path) -> str:
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("pdf", "xlsx"):
        raise JaringError(
            "bad_format",
            f"Format laporan tidak dikenal: {out.name} (pakai .pdf atau .xlsx)",
            f"Unknown report format: {out.name} (use .pdf or .xlsx)",
            file=str(out),
        )
    return kind


def _write(out: Path, data: bytes) -> None:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError:
        raise JaringError(
            "cannot_write",
            f"Tidak dapat menulis {out}",
            f"Cannot write {out}",
            file=str(out),
        ) from None


@app.command("coverage")
def coverage(
    region: str = typer.Option(..., "--region"),
    on: str = typer.Option(dt.date.today().isoformat(), "--on"),
    out: Path = typer.Option(..., "--out", help="report.pdf atau report.xlsx"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Laporan cakupan satu halaman. / One-page coverage report."""
    from jaring.coverage import report
    from jaring.coverage.service import coverage_report
    from jaring.dates import parse_date

    set_lang(lang_)
    kind = _kind(out)
    r = coverage_report(engine(db), region, parse_date(on, "--on"))
    data = report.coverage_pdf(r, lang()) if kind == "pdf" else report.coverage_xlsx(r, lang())
    _write(out, data)
    summary = {
        "file": str(out),
        "format": kind,
        "bytes": len(data),
        "covered": r["covered"],
        "ratio": r["ratio"],
    }
    if json_:
        print_json(summary)
    else:
        typer.echo(f"{out} ({len(data)} byte)")


@app.command("dossier")
def dossier(
    edition: int = typer.Option(..., "--edition"),
    candidate: str = typer.Option(..., "--candidate"),
    out: Path = typer.Option(..., "--out", help="dosir.pdf atau dosir.xlsx"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Dosir Paritrana seorang kandidat. / A candidate's Paritrana dossier."""
    from jaring.award import dossier as render
    from jaring.award.service import dossier as build

    set_lang(lang_)
    kind = _kind(out)
    d = build(engine(db), edition, candidate)
    data = render.dossier_pdf(d, lang()) if kind == "pdf" else render.dossier_xlsx(d, lang())
    _write(out, data)
    summary = {"file": str(out), "format": kind, "bytes": len(data), "total": d["results"]["total"]}
    if json_:
        print_json(summary)
    else:
        typer.echo(f"{out} ({len(data)} byte)")
