"""`jaring award`: the Paritrana Award: editions, candidates, evidence, jurors, interviews,
scores, results, ranking. Each command calls one action or query of :mod:`jaring.award`
with the actor (``--user`` / ``JARING_USER``, else the system)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from jaring import errors as common
from jaring import formatting, i18n, labels
from jaring.award import actions, errors, queries
from jaring.award import rubric as rb
from jaring.award.ties import tie_break_words, tie_words
from jaring.cli.common import actor, as_json, command, engine, print_json, progress, say
from jaring.i18n import _

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

EditionOpt = Annotated[int, typer.Option("--edition", help="Tahun edisi / edition year, e.g. 2024")]
CandidateOpt = Annotated[
    str, typer.Option("--candidate", help="Kode kandidat / candidate code (96.71)")
]
JurorOpt = Annotated[
    str | None,
    typer.Option(
        "--juror",
        help="Kode juri (akun juri: dirinya sendiri) / juror code (a juror account: itself)",
    ),
]
ViewerOpt = Annotated[
    str | None,
    typer.Option(
        "--as-juror",
        help="Lihat sebagai juri (hanya setelah mengirim nilai) / view as juror",
    ),
]
CategoryOpt = Annotated[str, typer.Option("--category")]
STAGE_HELP = (
    "administrasi | wawancara-provinsi | verifikasi | wawancara-nasional "
    "(provinsi, nasional: the interviews)"
)
StageOpt = Annotated[
    str | None,
    typer.Option("--stage", help="Tahap (default: tahap edisi) / stage. " + STAGE_HELP),
]


@command(rubric_app, "show")
def rubric_show(
    category: CategoryOpt = "kabupaten-kota",
    file: Annotated[
        Path | None, typer.Option("--file", help="Berkas rubrik YAML / rubric file")
    ] = None,
) -> None:
    """Tampilkan dan periksa rubrik. / Show and check a rubric."""
    r = rb.load(file, category)
    if as_json():
        print_json(rb.to_json(r))
        return
    lang = i18n.lang()
    say(f"{r['title'][lang]} [{r['code']}]")
    say(r.get("notice", {}).get(lang, ""))
    for c in r["criteria"]:
        say(f"  {c['code']:<12} {c['weight_pct']:>6}%  {c['scored_by']:<8} {c['name'][lang]}")


@command(edition_app, "create")
def edition_create(
    year: Annotated[int, typer.Option("--year")],
    categories: Annotated[
        str, typer.Option("--categories", help="provinsi,kabupaten-kota,perusahaan,umk")
    ] = "provinsi,kabupaten-kota",
    rubric: Annotated[
        Path | None, typer.Option("--rubric", help="Rubrik YAML (default: usulan Jaring)")
    ] = None,
    assessed_year: Annotated[int | None, typer.Option("--assessed-year")] = None,
    stage: Annotated[str, typer.Option("--stage", help=STAGE_HELP)] = "administrasi",
    name: Annotated[str | None, typer.Option("--name")] = None,
) -> None:
    """Buat edisi baru. / Create an edition."""
    eng = engine()
    out = actions.create_edition(
        eng, actor(eng), year, categories.split(","), rubric, assessed_year, name, stage
    )
    if as_json():
        print_json(out)
        return
    say(
        _(
            "Edition %(year)s (%(categories)s), assessing %(assessed)s",
            year=year,
            categories=", ".join(out.categories),
            assessed=out.assessed_year,
        )
    )


@command(edition_app, "stage")
def edition_stage(
    edition: EditionOpt,
    stage: Annotated[str, typer.Option("--stage", help=STAGE_HELP)],
) -> None:
    """Pindahkan edisi ke tahap lain. / Move an edition to another stage."""
    eng = engine()
    out = actions.change_stage(eng, actor(eng), edition, stage)
    if as_json():
        print_json(out)
        return
    say(
        _(
            "Edition %(year)s moved from the %(before)s stage to the %(stage)s stage.",
            year=edition,
            before=labels.label("award_stage", out.before),
            stage=labels.label("award_stage", out.stage),
        )
    )


@command(app, "shortlist")
def shortlist(
    edition: EditionOpt,
    candidate: Annotated[
        list[str] | None,
        typer.Option("--candidate", help="Kandidat yang lolos (ulangi) / who passes (repeat)"),
    ] = None,
) -> None:
    """Pilih kandidat yang lolos ke tahap berikutnya. / Choose who goes on to the next stage."""
    eng = engine()
    out = actions.shortlist(eng, actor(eng), edition, candidate or [])
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(n)s candidates go on to the %(stage)s stage.",
            n=len(out.candidates),
            stage=labels.label("award_stage", out.next_stage),
        )
    )
    if out.candidates:
        say("  " + ", ".join(out.candidates))


@command(candidate_app, "add")
def candidate_add(
    edition: EditionOpt,
    category: CategoryOpt,
    code: Annotated[
        str, typer.Option("--code", "--region", help="Kode wilayah atau kode usaha / code")
    ],
    name: Annotated[str | None, typer.Option("--name")] = None,
) -> None:
    """Tambah kandidat. / Add a candidate."""
    eng = engine()
    out = actions.add_candidate(eng, actor(eng), edition, category, code, name)
    if as_json():
        print_json(out)
    else:
        say(f"{out.name} ({out.code}) -> {category}")


@command(juror_app, "add")
def juror_add(
    edition: EditionOpt,
    code: Annotated[str, typer.Option("--code")],
    name: Annotated[str, typer.Option("--name")],
    affiliation: Annotated[str | None, typer.Option("--affiliation")] = None,
) -> None:
    """Daftarkan juri. / Register a juror."""
    eng = engine()
    out = actions.add_juror(eng, actor(eng), edition, code, name, affiliation)
    if as_json():
        print_json(out)
    else:
        say(f"{code}: {name}")


@command(interview_app, "schedule")
def interview_schedule(
    edition: EditionOpt,
    candidate: CandidateOpt,
    at: Annotated[str, typer.Option("--at", help="YYYY-MM-DDTHH:MM")],
    juror: Annotated[
        list[str] | None, typer.Option("--juror", help="Juri panel (default: semua)")
    ] = None,
    place: Annotated[str | None, typer.Option("--place")] = None,
) -> None:
    """Jadwalkan wawancara. / Schedule an interview."""
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        raise common.BAD_DATE(field="at", value=at) from None
    eng = engine()
    out = actions.schedule_interview(
        eng, actor(eng), edition, candidate, when, juror or None, place
    )
    if as_json():
        print_json(out)
    else:
        say(f"{out.candidate} {when:%Y-%m-%d %H:%M}: {', '.join(out.jurors)}")


@command(interview_app, "attendance")
def interview_attendance(
    edition: EditionOpt,
    candidate: CandidateOpt,
    attended: Annotated[
        bool, typer.Option("--attended/--absent", help="Kepala daerah hadir? / head attended?")
    ],
) -> None:
    """Catat kehadiran kepala daerah. / Record the head of region's attendance."""
    eng = engine()
    out = actions.record_attendance(eng, actor(eng), edition, candidate, attended)
    if as_json():
        print_json(out)
    else:
        said = _("attended") if attended else _("did not attend")
        say(f"{out.candidate}: {said}")


@command(evidence_app, "add")
def evidence_add(
    edition: EditionOpt,
    candidate: CandidateOpt,
    criterion: Annotated[str, typer.Option("--criterion")],
    value: Annotated[
        str, typer.Option("--value", help="Level (perda) atau angka / level or number")
    ],
    file: Annotated[Path | None, typer.Option("--file", help="Dokumen bukti / document")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Isi bukti satu kriteria. / Enter the evidence of a criterion."""
    eng = engine()
    out = actions.add_evidence(eng, actor(eng), edition, candidate, criterion, value, file, note)
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(candidate)s %(criterion)s = %(value)s: %(points)s points",
            candidate=out.candidate,
            criterion=criterion,
            value=value,
            points=out.points,
        )
    )


@command(evidence_app, "fill")
def evidence_fill(
    edition: EditionOpt,
    candidate: Annotated[str | None, typer.Option("--candidate")] = None,
) -> None:
    """Isi kriteria terukur dari data Jaring. / Fill measurable criteria from Jaring data."""
    eng = engine()
    with progress() as p:
        out = actions.fill_evidence(eng, actor(eng), edition, candidate, progress=p)
    if as_json():
        print_json(out)
        return
    for f in out.filled:
        say(
            _(
                "%(candidate)s %(criterion)s = %(value)s (%(points)s points)",
                candidate=f.candidate,
                criterion=f.criterion,
                value=f.value,
                points=f.points,
            )
        )
    for s in out.skipped:
        say(_("%(candidate)s: skipped (%(reason)s)", candidate=s.candidate, reason=s.reason))


def _points(items: list[str]) -> dict[str, int]:
    out = {}
    for item in items:
        key, sep, val = item.partition("=")
        if not sep or not val.strip().lstrip("-").isdigit():
            raise errors.BAD_POINTS(field="points", value=item, scale="")
        out[key.strip()] = int(val)
    return out


@command(app, "score")
def score(
    edition: EditionOpt,
    candidate: CandidateOpt,
    points: Annotated[list[str], typer.Option("--points", help="kriteria=nilai, e.g. inovasi=4")],
    juror: JurorOpt = None,
    submit: Annotated[
        bool, typer.Option("--submit", help="Kirim dan kunci / submit and lock")
    ] = False,
) -> None:
    """Juri memberi nilai. / A juror scores a candidate."""
    eng = engine()
    out = actions.record_scores(
        eng, actor(eng), edition, candidate, _points(points), None, submit, juror=juror
    )
    if as_json():
        print_json(out)
        return
    state = _("submitted, locked") if submit else _("draft")
    say(f"{out.juror} -> {out.candidate}: {out.points} ({state})")


@command(app, "submit")
def submit(edition: EditionOpt, candidate: CandidateOpt, juror: JurorOpt = None) -> None:
    """Kirim dan kunci nilai juri. / Submit and lock a juror's scores."""
    eng = engine()
    out = actions.submit_scores(eng, actor(eng), edition, candidate, juror)
    if as_json():
        print_json(out)
    else:
        say(_("%(juror)s -> %(candidate)s: locked", juror=out.juror, candidate=out.candidate))


@command(app, "view")
def view(edition: EditionOpt, candidate: CandidateOpt, juror: JurorOpt = None) -> None:
    """Apa yang boleh dilihat juri. / What a juror may see."""
    eng = engine()
    out = queries.juror_view(eng, actor(eng), edition, candidate, juror)
    if as_json():
        print_json(out)
        return
    others = _("(submit your scores first)") if out.others is None else out.others
    say(_("own scores: %(own)s; other jurors: %(others)s", own=out.own, others=others))


@command(app, "results")
def results(
    edition: EditionOpt, candidate: CandidateOpt, as_juror: ViewerOpt = None, stage: StageOpt = None
) -> None:
    """Nilai tertimbang satu kandidat. / A candidate's weighted score."""
    eng = engine()
    r = queries.results(eng, actor(eng), edition, candidate, viewer=as_juror, stage=stage)
    if as_json():
        print_json(r)
        return
    say(
        _(
            "%(name)s (%(candidate)s): %(total)s (evidence %(evidence)s, jury %(jury)s)",
            name=r.name,
            candidate=r.candidate,
            total=r.total,
            evidence=r.evidence_part,
            jury=r.jury_part,
        )
    )
    for j in r.jurors:
        say(
            "  "
            + _(
                "%(juror)s: +%(share)s (alone %(own)s)",
                juror=j.juror,
                share=j.contribution,
                own=j.own_total,
            )
        )
    say(
        "  "
        + _(
            "spread between jurors %(range)s, standard deviation %(stdev)s",
            range=r.spread.range,
            stdev=r.spread.stdev,
        )
    )


@command(app, "ranking")
def ranking(
    edition: EditionOpt, category: CategoryOpt, as_juror: ViewerOpt = None, stage: StageOpt = None
) -> None:
    """Peringkat per kategori. / Ranking of a category."""
    eng = engine()
    with progress() as p:
        p.step(_("Ranking the candidates"))
        r = queries.ranking(eng, actor(eng), edition, category, viewer=as_juror, stage=stage)
    if as_json():
        print_json(r)
        return
    notice = r.rubric.notice or {}
    say(
        f"Paritrana {edition}, {category}, "
        + _("stage %(stage)s", stage=labels.label("award_stage", r.stage))
        + f": {notice.get(i18n.lang(), '')}"
    )
    words = tie_words(r, i18n.lang())
    for row in r.ranking:
        flag = "" if row.complete else " " + _("(incomplete)")
        total = formatting.number(row.total, digits=2) if row.total is not None else "-"
        say(f"{row.rank:>3}. {row.name:<32} {total:>7}{flag}")
        if row.candidate in words:
            say(f"     {words[row.candidate]}")
    say(_("Tie-break: %(order)s", order=tie_break_words(r)))


@command(app, "dossier")
def dossier(edition: EditionOpt, candidate: CandidateOpt) -> None:
    """Dosir kandidat (data; PDF/XLSX: jaring report dossier). / A candidate's dossier."""
    eng = engine()
    with progress() as p:
        d = queries.dossier(eng, actor(eng), edition, candidate, progress=p)
    if as_json():
        print_json(d)
        return
    say(f"{d.edition_name}: {d.candidate.name} ({d.candidate.code})")
    for c in d.criteria:
        say(f"  {c.code:<12} {c.value or '-':<14} {c.score or 0:>6} / {c.weight_pct}")
    say(f"  total {d.results.total}")
