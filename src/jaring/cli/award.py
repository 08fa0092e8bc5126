"""`jaring award`: the Paritrana Award: editions, candidates, evidence, jurors, interviews,
scores, results, ranking. Each command calls one function of :mod:`jaring.award.service`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, lang, print_json, set_lang
from jaring.errors import JaringError

app = typer.Typer(
    help="Paritrana Award: edisi, kandidat, juri, peringkat. / The Paritrana Award.",
    no_args_is_help=True,
)
edition_app = typer.Typer(help="Edisi penghargaan. / Award editions.", no_args_is_help=True)
candidate_app = typer.Typer(help="Kandidat. / Candidates.", no_args_is_help=True)
juror_app = typer.Typer(help="Dewan juri. / Jurors.", no_args_is_help=True)
interview_app = typer.Typer(help="Wawancara. / Interviews.", no_args_is_help=True)
evidence_app = typer.Typer(help="Bukti per kriteria. / Evidence.", no_args_is_help=True)
rubric_app = typer.Typer(help="Rubrik penilaian. / Rubrics.", no_args_is_help=True)
app.add_typer(edition_app, name="edition")
app.add_typer(candidate_app, name="candidate")
app.add_typer(juror_app, name="juror")
app.add_typer(interview_app, name="interview")
app.add_typer(evidence_app, name="evidence")
app.add_typer(rubric_app, name="rubric")

EditionOpt = typer.Option(..., "--edition", help="Tahun edisi / edition year, e.g. 2024")
CandidateOpt = typer.Option(..., "--candidate", help="Kode kandidat / candidate code (96.71)")
JurorOpt = typer.Option(..., "--juror", help="Kode juri / juror code (J1)")
ViewerOpt = typer.Option(
    None, "--as-juror", help="Lihat sebagai juri (hanya setelah mengirim nilai) / view as juror"
)


def _out(data: Any, json_: bool, text: str) -> None:
    if json_:
        print_json(data)
    else:
        typer.echo(text)


def _svc():  # type: ignore[no-untyped-def]
    from jaring.award import service

    return service


def _en() -> bool:
    return lang() == "en"


@rubric_app.command("show")
def rubric_show(
    category: str = typer.Option("kabupaten-kota", "--category"),
    file: Path | None = typer.Option(None, "--file", help="Berkas rubrik YAML / rubric file"),
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Tampilkan dan periksa rubrik. / Show and check a rubric."""
    from jaring.award import rubric as rb

    set_lang(lang_)
    r = rb.load(file, category)
    if json_:
        print_json(rb.to_json(r))
        return
    typer.echo(f"{r['title'][lang()]} [{r['code']}]")
    typer.echo(r.get("notice", {}).get(lang(), ""))
    for c in r["criteria"]:
        typer.echo(
            f"  {c['code']:<12} {c['weight_pct']:>6}%  {c['scored_by']:<8} {c['name'][lang()]}"
        )


@edition_app.command("create")
def edition_create(
    year: int = typer.Option(..., "--year"),
    categories: str = typer.Option(
        "provinsi,kabupaten-kota", "--categories", help="provinsi,kabupaten-kota,perusahaan,umk"
    ),
    rubric: Path | None = typer.Option(
        None, "--rubric", help="Rubrik YAML (default: usulan Jaring)"
    ),
    assessed_year: int | None = typer.Option(None, "--assessed-year"),
    stage: str = typer.Option("provinsi", "--stage", help="provinsi | nasional"),
    name: str | None = typer.Option(None, "--name"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Buat edisi baru. / Create an edition."""
    set_lang(lang_)
    out = _svc().create_edition(
        engine(db), year, categories.split(","), rubric, assessed_year, name, stage
    )
    _out(
        out,
        json_,
        f"Edisi {year} ({', '.join(out['categories'])}), menilai tahun {out['assessed_year']}",
    )


@candidate_app.command("add")
def candidate_add(
    edition: int = EditionOpt,
    category: str = typer.Option(..., "--category"),
    code: str = typer.Option(..., "--code", "--region", help="Kode wilayah atau kode usaha"),
    name: str | None = typer.Option(None, "--name"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Tambah kandidat. / Add a candidate."""
    set_lang(lang_)
    out = _svc().add_candidate(engine(db), edition, category, code, name)
    _out(out, json_, f"{out['name']} ({out['code']}) -> {category}")


@juror_app.command("add")
def juror_add(
    edition: int = EditionOpt,
    code: str = typer.Option(..., "--code"),
    name: str = typer.Option(..., "--name"),
    affiliation: str | None = typer.Option(None, "--affiliation"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Daftarkan juri. / Register a juror."""
    set_lang(lang_)
    out = _svc().add_juror(engine(db), edition, code, name, affiliation)
    _out(out, json_, f"{code}: {name}")


@interview_app.command("schedule")
def interview_schedule(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    at: str = typer.Option(..., "--at", help="YYYY-MM-DDTHH:MM"),
    juror: list[str] | None = typer.Option(None, "--juror", help="Juri panel (default: semua)"),
    place: str | None = typer.Option(None, "--place"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Jadwalkan wawancara. / Schedule an interview."""
    set_lang(lang_)
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        raise JaringError(
            "bad_date",
            f"Waktu tidak valid: {at!r} (YYYY-MM-DDTHH:MM)",
            f"Invalid time: {at!r} (YYYY-MM-DDTHH:MM)",
            field="at",
            value=at,
        ) from None
    out = _svc().schedule_interview(engine(db), edition, candidate, when, juror or None, place)
    _out(out, json_, f"{out['candidate']} {when:%Y-%m-%d %H:%M}: {', '.join(out['jurors'])}")


@interview_app.command("attendance")
def interview_attendance(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    attended: bool = typer.Option(..., "--attended/--absent", help="Kepala daerah hadir?"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Catat kehadiran kepala daerah. / Record the head of region's attendance."""
    set_lang(lang_)
    out = _svc().record_attendance(engine(db), edition, candidate, attended)
    _out(out, json_, f"{out['candidate']}: {'hadir' if attended else 'tidak hadir'}")


@evidence_app.command("add")
def evidence_add(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    criterion: str = typer.Option(..., "--criterion"),
    value: str = typer.Option(..., "--value", help="Level (perda) atau angka / level or number"),
    file: Path | None = typer.Option(None, "--file", help="Dokumen bukti / document"),
    note: str | None = typer.Option(None, "--note"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Isi bukti satu kriteria. / Enter the evidence of a criterion."""
    set_lang(lang_)
    out = _svc().add_evidence(engine(db), edition, candidate, criterion, value, file, note)
    _out(out, json_, f"{out['candidate']} {criterion} = {value}: {out['points']} poin")


@evidence_app.command("fill")
def evidence_fill(
    edition: int = EditionOpt,
    candidate: str | None = typer.Option(None, "--candidate"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Isi kriteria terukur dari data Jaring. / Fill measurable criteria from Jaring data."""
    set_lang(lang_)
    out = _svc().fill_evidence(engine(db), edition, candidate)
    if json_:
        print_json(out)
        return
    for f in out["filled"]:
        typer.echo(f"{f['candidate']} {f['criterion']} = {f['value']} ({f['points']} poin)")
    for s in out["skipped"]:
        typer.echo(f"{s['candidate']}: dilewati / skipped ({s['reason']})")


def _points(items: list[str]) -> dict[str, int]:
    out = {}
    for item in items:
        key, sep, val = item.partition("=")
        if not sep or not val.strip().lstrip("-").isdigit():
            raise JaringError(
                "bad_points",
                f"Tulis nilai sebagai kriteria=angka: {item!r}",
                f"Write points as criterion=number: {item!r}",
                value=item,
            )
        out[key.strip()] = int(val)
    return out


@app.command("score")
def score(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    juror: str = JurorOpt,
    points: list[str] = typer.Option(..., "--points", help="kriteria=nilai, e.g. inovasi=4"),
    submit: bool = typer.Option(False, "--submit", help="Kirim dan kunci / submit and lock"),
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Juri memberi nilai. / A juror scores a candidate."""
    set_lang(lang_)
    out = _svc().record_scores(engine(db), edition, candidate, juror, _points(points), None, submit)
    state = "dikirim, terkunci" if submit else "draf"
    _out(out, json_, f"{juror} -> {out['candidate']}: {out['points']} ({state})")


@app.command("submit")
def submit(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    juror: str = JurorOpt,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Kirim dan kunci nilai juri. / Submit and lock a juror's scores."""
    set_lang(lang_)
    out = _svc().submit_scores(engine(db), edition, candidate, juror)
    _out(out, json_, f"{juror} -> {out['candidate']}: terkunci / locked")


@app.command("view")
def view(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    juror: str = JurorOpt,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Apa yang boleh dilihat juri. / What a juror may see."""
    set_lang(lang_)
    out = _svc().juror_view(engine(db), edition, candidate, juror)
    others = "(kirim nilai dulu)" if out["others"] is None else out["others"]
    _out(out, json_, f"nilai sendiri: {out['own']}; juri lain: {others}")


@app.command("results")
def results(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    as_juror: str | None = ViewerOpt,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Nilai tertimbang satu kandidat. / A candidate's weighted score."""
    set_lang(lang_)
    r = _svc().results(engine(db), edition, candidate, as_juror)
    if json_:
        print_json(r)
        return
    typer.echo(
        f"{r['name']} ({r['candidate']}): {r['total']} (bukti {r['evidence_part']}, juri {r['jury_part']})"
    )
    for j in r["jurors"]:
        typer.echo(f"  {j['juror']}: +{j['contribution']} (sendiri {j['own_total']})")
    typer.echo(f"  rentang antarjuri {r['spread']['range']}, simpangan baku {r['spread']['stdev']}")


@app.command("ranking")
def ranking(
    edition: int = EditionOpt,
    category: str = typer.Option(..., "--category"),
    as_juror: str | None = ViewerOpt,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Peringkat per kategori. / Ranking of a category."""
    set_lang(lang_)
    r = _svc().ranking(engine(db), edition, category, as_juror)
    if json_:
        print_json(r)
        return
    typer.echo(f"Paritrana {edition}, {category}: {r['rubric']['notice'][lang()]}")
    for row in r["ranking"]:
        why = f" [{row['decided_by']}]" if row["decided_by"] else ""
        flag = "" if row["complete"] else " (belum lengkap / incomplete)"
        typer.echo(f"{row['rank']:>3}. {row['name']:<32} {row['total']:>7}{why}{flag}")
    typer.echo("Pemecah seri / tie-break: " + " > ".join(r["tie_break"]))


@app.command("dossier")
def dossier(
    edition: int = EditionOpt,
    candidate: str = CandidateOpt,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Dosir kandidat (data; PDF/XLSX: jaring report dossier). / A candidate's dossier."""
    set_lang(lang_)
    d = _svc().dossier(engine(db), edition, candidate)
    if json_:
        print_json(d)
        return
    typer.echo(f"{d['edition_name']}: {d['candidate']['name']} ({d['candidate']['code']})")
    for c in d["criteria"]:
        typer.echo(
            f"  {c['code']:<12} {c['value'] or '-':<14} {c['score'] or 0:>6} / {c['weight_pct']}"
        )
    typer.echo(f"  total {d['results']['total']}")
