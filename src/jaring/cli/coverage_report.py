"""`jaring coverage report` and the figures a region enters: working population
(denominator), targets and UCJ as BPJS reports it. Thin: each command calls one function of
:mod:`jaring.coverage.service`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, lang, print_json, set_lang
from jaring.dates import parse_date

RegionOpt = typer.Option(..., "--region", help="Kode wilayah: 96, 96.71, 96.71.01 ...")


def report_lines(r: dict[str, Any], lng: str) -> list[str]:
    """The report as a few lines of text (also used by the demo)."""
    from jaring import formatting as f

    en = lng == "en"
    den = r["denominator"]
    lines = [
        f"{r['region']['name']} ({r['region']['code']}), "
        + ("on " if en else "per ")
        + f.date(r["on"], lng),
        ("Covered: " if en else "Peserta aktif: ") + f.number(r["covered"], lng),
    ]
    if den:
        lines.append(
            ("Ratio: " if en else "Rasio cakupan: ")
            + f"{f.percent(r['ratio'], lng)} "
            + ("of " if en else "dari ")
            + f"{f.number(den['value'], lng)} ({den['label']}; {den['source']})"
        )
    seg = {s["value"]: s["covered"] for s in r["by_segment"]}
    lines.append(f"BPU {f.number(seg.get('bpu', 0), lng)}, PU {f.number(seg.get('pu', 0), lng)}")
    key = next((k for k in ("by_regency", "by_district", "by_village") if k in r), None)
    if key:  # the level just below the region
        lines.append(", ".join(f"{c['name']} {f.number(c['covered'], lng)}" for c in r[key]))
    if r.get("target"):
        t = r["target"]
        lines.append(
            "Target: "
            + f"{f.number(t['people'], lng)}, "
            + ("gap " if en else "kurang ")
            + f.number(t["gap_people"], lng)
        )
    money = r["money"]
    if money["spent"]["available"]:
        lines.append(
            ("Spent: " if en else "Belanja iuran: ")
            + f.rupiah(money["spent"]["total"], lng)
            + f" ({f.rupiah(money['spent_per_person'], lng)}/"
            + ("person)" if en else "orang)")
        )
    if money["benefits_paid"]["available"]:
        lines.append(
            ("Benefits paid: " if en else "Manfaat dibayar: ")
            + f.rupiah(money["benefits_paid"]["total"], lng)
        )
    return lines


def report(
    region: str = RegionOpt,
    on: str = typer.Option(dt.date.today().isoformat(), "--on", help="Tanggal / date (YYYY-MM-DD)"),
    trace: Path | None = typer.Option(
        None, "--trace", help="Tulis baris di balik angka (CSV id) / write the rows behind it"
    ),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Indikator cakupan wilayah pada tanggal. / Coverage indicators of a region on a date."""
    from jaring.coverage import service

    set_lang(lang_)
    eng = engine(db)
    day = parse_date(on, "--on")
    r = service.coverage_report(eng, region, day)
    if trace is not None:
        rows = service.trace(eng, region, day)
        rows.write_csv(trace)
        r["trace"] = {"file": str(trace), "rows": rows.height}
    if json_:
        print_json(r)
        return
    for line in report_lines(r, lang()):
        typer.echo(line)


def denominator(
    region: str = RegionOpt,
    year: int = typer.Option(..., "--year"),
    value: int = typer.Option(..., "--value", help="Penduduk bekerja / working population"),
    source: str = typer.Option(..., "--source", help="mis. 'BPS Sakernas Agustus 2024'"),
    segment: str = typer.Option("all", "--segment", help="all | pu | bpu"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Isi penduduk bekerja (penyebut). / Enter the working population (denominator)."""
    from jaring.coverage import service

    set_lang(lang_)
    eng = engine(db)
    out = service.set_denominator(eng, region, year, value, source, segment)
    if json_:
        print_json(out)
    else:
        typer.echo(f"{out['name']} {year} ({segment}): {value}")


def denominator_import(
    file: Path = typer.Argument(..., help="CSV: region,year,value,source[,segment]"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Impor penduduk bekerja dari CSV. / Import working population from a CSV."""
    from jaring.coverage import service

    set_lang(lang_)
    out = service.import_denominators(engine(db), file)
    if json_:
        print_json(out)
    else:
        typer.echo(f"{out['rows']} baris diimpor / rows imported")


def target(
    region: str = RegionOpt,
    year: int = typer.Option(..., "--year"),
    source: str = typer.Option(..., "--source"),
    ratio: str | None = typer.Option(None, "--ratio", help="persen / percent, e.g. 65"),
    people: int | None = typer.Option(None, "--people"),
    segment: str = typer.Option("all", "--segment"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Isi target cakupan. / Enter a coverage target."""
    from jaring.coverage import service

    set_lang(lang_)
    out = service.set_target(engine(db), region, year, source, ratio, people, segment)
    if json_:
        print_json(out)
    else:
        typer.echo(f"{out['name']} {year}: target {ratio or people}")


def ucj(
    region: str = RegionOpt,
    as_of: str = typer.Option(..., "--as-of"),
    segment: str = typer.Option(..., "--segment", help="all | pu | bpu | jakon | pmi"),
    participants: int = typer.Option(..., "--participants"),
    source: str = typer.Option(..., "--source"),
    working_population: int | None = typer.Option(None, "--working-population"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Catat UCJ seperti dilaporkan BPJS TK. / Record UCJ as BPJS TK reports it."""
    from jaring.coverage import service

    set_lang(lang_)
    out = service.set_ucj(
        engine(db),
        region,
        parse_date(as_of, "--as-of"),
        segment,
        participants,
        source,
        working_population,
    )
    if json_:
        print_json(out)
    else:
        typer.echo(f"{out['name']} {as_of} {segment}: {participants}")


def by_region(
    on: str = typer.Option(dt.date.today().isoformat(), "--on", help="Tanggal / date (YYYY-MM-DD)"),
    level: int = typer.Option(2, "--level", help="1 provinsi, 2 kab/kota, 3 distrik, 4 desa"),
    out: Path | None = typer.Option(None, "--out", help="CSV"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Peserta aktif setiap wilayah satu tingkat. / Covered people in every region of a level."""
    from jaring.coverage import service

    set_lang(lang_)
    frame = service.covered_by_region(engine(db), parse_date(on, "--on"), level)
    if out is not None:
        frame.write_csv(out)
    if json_:
        print_json({"on": on, "level": level, "regions": frame.to_dicts()})
        return
    for row in frame.iter_rows(named=True):
        typer.echo(f"{row['code']:<14} {row['name'] or '-':<32} {row['covered']:>10}")


# Further `jaring coverage` commands, registered by jaring.cli.coverage.
COMMANDS = {
    "denominator": denominator,
    "denominator-import": denominator_import,
    "target": target,
    "ucj": ucj,
    "by-region": by_region,
}
