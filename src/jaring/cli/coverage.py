"""`jaring coverage`: who is covered on a date, the indicators of a region, and the figures a
region enters (working population, targets, UCJ as BPJS reports it).

Thin: each command parses its options, calls one query or action of :mod:`jaring.coverage`
(``status`` one of :mod:`jaring.programs`) with the actor, and prints text or ``--json``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from jaring import formatting as f
from jaring import i18n, jsonable
from jaring.cli.common import actor, as_json, command, engine, print_json, progress, say
from jaring.coverage import actions, queries
from jaring.coverage.queries import CoverageReport
from jaring.dates import parse_date
from jaring.i18n import _
from jaring.programs import queries as programs
from jaring.registry.files import write_csv

app = typer.Typer(
    help="Status dan indikator kepesertaan. / Coverage status and indicators.", no_args_is_help=True
)

TODAY = dt.date.today().isoformat()
RegionOpt = Annotated[
    str, typer.Option("--region", help="Kode wilayah: 96, 96.71, 96.71.01 ... / Region code.")
]
OnOpt = Annotated[str, typer.Option("--on", help="Tanggal / date (YYYY-MM-DD)")]
YearOpt = Annotated[int, typer.Option("--year")]
SourceOpt = Annotated[
    str, typer.Option("--source", help="mis. 'BPS Sakernas Agustus 2024' / where it comes from")
]


def report_lines(r: CoverageReport, lng: str) -> list[str]:
    """The report as a few lines of text in the current language."""
    den = r.denominator
    lines = [
        _(
            "%(region)s (%(code)s), on %(day)s",
            region=r.region.name,
            code=r.region.code,
            day=f.date(r.on, lng),
        ),
        _("Covered: %(n)s", n=f.number(r.covered, lng)),
    ]
    if den:
        lines.append(
            _(
                "Ratio: %(ratio)s of %(value)s (%(label)s; %(source)s)",
                ratio=f.percent(r.ratio, lng),
                value=f.number(den.value, lng),
                label=den.label,
                source=den.source,
            )
        )
    seg = {s.value: s.covered for s in r.by_segment}
    lines.append(f"BPU {f.number(seg.get('bpu', 0), lng)}, PU {f.number(seg.get('pu', 0), lng)}")
    areas = r.by_regency or r.by_district or r.by_village  # the level just below the region
    if areas:
        lines.append(", ".join(f"{c.name} {f.number(c.covered, lng)}" for c in areas))
    if r.target:
        t = r.target
        lines.append(
            _(
                "Target: %(people)s, gap %(gap)s",
                people=f.number(t.people, lng),
                gap=f.number(t.gap_people, lng),
            )
        )
    money = r.money
    if money.spent.available:
        lines.append(
            _(
                "Spent: %(total)s (%(per)s/person)",
                total=f.rupiah(money.spent.total, lng),
                per=f.rupiah(money.spent_per_person, lng),
            )
        )
    if money.benefits_paid.available:
        lines.append(_("Benefits paid: %(total)s", total=f.rupiah(money.benefits_paid.total, lng)))
    return lines


@command(app, "status")
def status(
    on: Annotated[str, typer.Option("--on", help="Date, YYYY-MM-DD. / Tanggal.")],
    nik: Annotated[str | None, typer.Option("--nik", help="One person's NIK.")] = None,
    person: Annotated[int | None, typer.Option("--person", help="One person's id.")] = None,
) -> None:
    """Status kepesertaan pada tanggal. / Coverage on a date, for one person or all."""
    eng = engine()
    who = actor(eng)
    day = parse_date(on, "on", required=True)
    if nik is None and person is None:
        count = programs.coverage_count(eng, who, day)
        if as_json():
            print_json(count)
            return
        say(_("%(n)s people covered on %(day)s", n=f.number(count.covered), day=count.on))
        for row in count.programs:
            say(f"  {row.program}: {f.number(row.people)}")
        return
    res = programs.coverage_of(eng, who, day, nik=nik, person_id=person)
    if as_json():
        print_json(res)
        return
    for p in res.people:
        if p.covered:
            say(_("Person %(id)s: COVERED on %(day)s", id=p.person_id, day=res.on))
        else:
            say(_("Person %(id)s: not covered on %(day)s", id=p.person_id, day=res.on))
        for m in p.memberships:
            spans = ", ".join(f"{x.start}..{x.end}" for x in m.periods) or "-"
            say(f"  {m.program} KPJ {m.kpj or '-'} [{m.state}] {spans}")


@command(app, "report")
def report(
    region: RegionOpt,
    on: OnOpt = TODAY,
    trace: Annotated[
        Path | None,
        typer.Option(
            "--trace", help="Tulis baris di balik angka (CSV id) / write the rows behind it"
        ),
    ] = None,
) -> None:
    """Indikator cakupan wilayah pada tanggal. / Coverage indicators of a region on a date."""
    eng = engine()
    who = actor(eng)
    day = parse_date(on, "on", required=True)
    with progress() as p:
        r = queries.coverage_report(eng, who, region, day, progress=p)
    traced = None
    if trace is not None:
        rows = queries.trace(eng, who, region, day)
        write_csv(rows, trace)
        traced = {"file": str(trace), "rows": rows.height}
    if as_json():
        out = jsonable.to_jsonable(r)
        if traced is not None:
            out["trace"] = traced
        print_json(out)
        return
    for line in report_lines(r, i18n.lang()):
        say(line)


@command(app, "denominator")
def denominator(
    region: RegionOpt,
    year: YearOpt,
    value: Annotated[int, typer.Option("--value", help="Penduduk bekerja / working population")],
    source: SourceOpt,
    segment: Annotated[str, typer.Option("--segment", help="all | pu | bpu")] = "all",
) -> None:
    """Isi penduduk bekerja (penyebut). / Enter the working population (denominator)."""
    eng = engine()
    out = actions.set_denominator(eng, actor(eng), region, year, value, source, segment)
    if as_json():
        print_json(out)
    else:
        say(f"{out.name} {year} ({segment}): {value}")


@command(app, "denominator-import")
def denominator_import(
    file: Annotated[Path, typer.Argument(help="CSV: region,year,value,source[,segment]")],
) -> None:
    """Impor penduduk bekerja dari CSV. / Import working population from a CSV."""
    eng = engine()
    out = actions.import_denominators(eng, actor(eng), file)
    if as_json():
        print_json(out)
    else:
        say(_("%(rows)s rows imported", rows=out.rows))


@command(app, "target")
def target(
    region: RegionOpt,
    year: YearOpt,
    source: SourceOpt,
    ratio: Annotated[str | None, typer.Option("--ratio", help="persen / percent, e.g. 65")] = None,
    people: Annotated[int | None, typer.Option("--people")] = None,
    segment: Annotated[str, typer.Option("--segment")] = "all",
) -> None:
    """Isi target cakupan. / Enter a coverage target."""
    eng = engine()
    out = actions.set_target(eng, actor(eng), region, year, source, ratio, people, segment)
    if as_json():
        print_json(out)
    else:
        say(f"{out.name} {year}: target {ratio or people}")


@command(app, "ucj")
def ucj(
    region: RegionOpt,
    as_of: Annotated[str, typer.Option("--as-of")],
    segment: Annotated[str, typer.Option("--segment", help="all | pu | bpu | jakon | pmi")],
    participants: Annotated[int, typer.Option("--participants")],
    source: SourceOpt,
    working_population: Annotated[int | None, typer.Option("--working-population")] = None,
) -> None:
    """Catat UCJ seperti dilaporkan BPJS TK. / Record UCJ as BPJS TK reports it."""
    eng = engine()
    out = actions.set_ucj(
        eng,
        actor(eng),
        region,
        parse_date(as_of, "as_of", required=True),
        segment,
        participants,
        source,
        working_population,
    )
    if as_json():
        print_json(out)
    else:
        say(f"{out.name} {as_of} {segment}: {participants}")


@command(app, "by-region")
def by_region(
    on: OnOpt = TODAY,
    level: Annotated[
        int, typer.Option("--level", help="1 provinsi, 2 kab/kota, 3 distrik, 4 desa")
    ] = 2,
    out: Annotated[Path | None, typer.Option("--out", help="CSV")] = None,
) -> None:
    """Peserta aktif setiap wilayah satu tingkat. / Covered people in every region of a level."""
    eng = engine()
    day = parse_date(on, "on", required=True)
    with progress() as p:
        p.step(_("Counting covered people"))
        frame = queries.covered_by_region(eng, actor(eng), day, level)
    if out is not None:
        write_csv(frame, out)
    if as_json():
        print_json({"on": on, "level": level, "regions": frame.to_dicts()})
        return
    for row in frame.iter_rows(named=True):
        say(f"{row['code']:<14} {row['name'] or '-':<32} {row['covered']:>10}")
