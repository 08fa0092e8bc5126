"""`jaring report`: Laporan PDF/XLSX: the coverage report a head of region signs (the same
as the web's: letterhead, executive summary, map, charts, signature block), the region's
letterhead, and the Paritrana dossier. The format follows the file name (``.pdf`` or
``.xlsx``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from jaring import i18n
from jaring.accounts import actions as accounts
from jaring.award import dossier as dossier_render
from jaring.award import queries as award
from jaring.cli.common import actor, as_json, command, engine, print_json, progress, say
from jaring.coverage import errors, signed
from jaring.coverage import queries as coverage
from jaring.coverage import report as coverage_render
from jaring.dates import parse_date
from jaring.errors import require_file
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
    signed_on: Annotated[
        str | None,
        typer.Option("--signed-on", help="Tanggal tanda tangan / date by the signature"),
    ] = None,
) -> None:
    """Laporan cakupan untuk ditandatangani (PDF: kop surat, ringkasan, peta, grafik, blok
    tanda tangan) atau semua angkanya (XLSX). / The coverage report to sign, or its figures."""
    kind = _kind(out)
    eng = engine()
    lang = i18n.lang()
    who = actor(eng)
    day = parse_date(on, "on", required=True)
    made = parse_date(signed_on, "signed_on") if signed_on else None
    head = None
    with progress() as p:
        r = coverage.coverage_report(eng, who, region, day, progress=p)
        p.step(_("Drawing the report"))
        if kind == "pdf":
            head = coverage.report_head(eng, r.region.code)
            fig = coverage.figures(eng, who, region, day)
            data = signed.signed_pdf(r, fig, coverage.outlines(region), head, lang, made)
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
            "letterhead": head.authority if head is not None else None,
        }
        print_json(summary)
    else:
        say(f"{out} ({len(data)} byte)")
        if kind == "pdf" and head is None:
            say(
                _(
                    "No letterhead is set for %(region)s: the report carries Jaring's own "
                    "head. An administrator sets it with `jaring report letterhead`.",
                    region=r.region.name,
                )
            )


@command(app, "letterhead")
def letterhead(
    region: Annotated[str, typer.Option("--region", help="Kode wilayah / region code")],
    authority: Annotated[
        str, typer.Option("--authority", help="Nama Pemda / authority (PEMERINTAH KOTA ...)")
    ],
    office: Annotated[str | None, typer.Option("--office", help="Dinas / office")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Alamat / address")] = None,
    signatory: Annotated[
        str | None, typer.Option("--signatory", help="Penanda tangan / who signs")
    ] = None,
    signatory_title: Annotated[
        str | None, typer.Option("--signatory-title", help="Jabatan / title (Wali Kota Sorong)")
    ] = None,
    logo: Annotated[Path | None, typer.Option("--logo", help="Logo PNG/JPEG (<= 512 KB)")] = None,
    remove_logo: Annotated[
        bool, typer.Option("--remove-logo", help="Hapus logo / remove the logo")
    ] = False,
) -> None:
    """Kop surat wilayah untuk laporan yang ditandatangani (sama dengan halaman pengaturan).
    / Set a region's letterhead for its signed reports (as the settings page does)."""
    data = require_file(logo).read_bytes() if logo is not None else None
    eng = engine()
    lh = accounts.set_letterhead(
        eng,
        actor(eng),
        region,
        authority=authority,
        office=office or "",
        address=address or "",
        signatory=signatory or "",
        signatory_title=signatory_title or "",
        logo=data,
        remove_logo=remove_logo,
    )
    if as_json():
        print_json(lh)
    else:
        say(_("Letterhead of %(region)s saved.", region=region))


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
