"""`jaring deaths`: Kematian: tugas klaim, tinjauan, pembatalan, surat, laporan celah.
/ Deaths: claim tasks, review, undo, letters, the coverage-gap report.

Thin: parse options, call one action or query of :mod:`jaring.families` as the actor of
``--user`` / ``JARING_USER`` (else the system), render text or ``--json``. A death list is
read by ``jaring registry deaths FILE``.
"""

from pathlib import Path
from typing import Annotated

import typer

from jaring import formatting
from jaring.cli.common import actor, as_json, command, engine, lang, print_json, say
from jaring.dates import parse_date
from jaring.families.actions import deaths
from jaring.families.queries import deaths as queries
from jaring.i18n import _

app = typer.Typer(
    help="Kematian: tugas klaim, tinjauan, surat, laporan celah. / Deaths: tasks, review, letters.",
    no_args_is_help=True,
)

TodayOpt = Annotated[
    str | None, typer.Option("--today", help="Count days to this date (YYYY-MM-DD).")
]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why (kept in the audit trail).")]


@command(app, "record")
def record(
    nik: Annotated[str, typer.Argument(help="NIK of the person who died.")],
    death_date: Annotated[str, typer.Option("--date", help="Date of death (YYYY-MM-DD).")],
    source: Annotated[str, typer.Option("--source", help='e.g. "Surat Kelurahan Remu".')],
    place: Annotated[str | None, typer.Option("--place", help="Place of death.")] = None,
) -> None:
    """Catat satu kematian. / Record one death."""
    from jaring.registry import queries as registry

    eng = engine()
    who = actor(eng)
    pid = registry.person_by_nik(eng, who, nik)
    out = deaths.record_death(
        eng, who, pid, parse_date(death_date, "death_date", required=True), source=source,
        place=place,
    )  # fmt: skip
    if as_json():
        print_json(out)
        return
    say(
        _(
            "Death %(death)s recorded: %(memberships)s membership(s) ended, %(refunds)s "
            "refund(s) of %(amount)s owed.",
            death=out.death,
            memberships=out.memberships,
            refunds=out.refunds,
            amount=formatting.rupiah(out.refund_amount, lang()),
        )
    )
    if out.lines_cancelled:
        say(
            _(
                "Invoice lines after a death no longer asked: %(lines)s, %(amount)s.",
                lines=out.lines_cancelled,
                amount=formatting.rupiah(out.cancelled_amount, lang()),
            )
        )


@command(app, "tasks")
def tasks(today: TodayOpt = None) -> None:
    """Klaim belum diajukan. / Deaths of covered people with no claim filed."""
    eng = engine()
    found = queries.tasks(eng, actor(eng), today=parse_date(today, "today"))
    if as_json():
        print_json(found)
        return
    for t in found:
        heir = next((h for h in t.heirs if h.recipient), None)
        say(
            f"{t.death_id:>5}  {formatting.date(t.death_date, lang())}  "
            f"{_('%(days)s days', days=t.days_since):>10}  {t.name}  "
            f"{formatting.rupiah(t.expected_amount, lang())}  "
            + (f"{heir.relation_label}: {heir.name}" if heir else _("no family known"))
        )
    if not found:
        say(_("No open tasks."))


@command(app, "review")
def review() -> None:
    """Baris daftar kematian yang menunggu tinjauan. / Rows of death lists waiting for review."""
    eng = engine()
    rows = queries.list_rows(eng, actor(eng))
    if as_json():
        print_json(rows)
        return
    for r in rows:
        say(
            f"{r.id:>5}  {r.file_name}:{r.row_number}  {r.nik or '-'}  {r.name or '-'}  "
            f"{formatting.date(r.death_date, lang()) if r.death_date else '-'}  "
            f"-> {r.person_name or '-'}"
            f"{'  ' + formatting.percent(r.match_score, lang()) if r.match_score else ''}"
            f"  {r.reason_text}"
        )
        if r.match_explain:
            say("       " + ", ".join(f"{k}: {v['level']}" for k, v in r.match_explain.items()))
    if not rows:
        say(_("Nothing waits for review."))


@command(app, "decide")
def decide(
    row: Annotated[int, typer.Argument(help="Row id (see review).")],
    accept: Annotated[bool, typer.Option("--accept/--reject", help="Record it, or not.")],
    reason: ReasonOpt,
    person: Annotated[
        int | None, typer.Option("--person", help="The person meant (id), if not the one proposed.")
    ] = None,
) -> None:
    """Putuskan baris yang ditinjau. / Decide a row waiting for review."""
    eng = engine()
    out = deaths.decide_row(eng, actor(eng), row, accept=accept, reason=reason, person_id=person)
    if as_json():
        print_json(out)
        return
    say(_("Row %(row)s: %(outcome)s", row=out.row, outcome=out.outcome))


@command(app, "undo")
def undo(
    death: Annotated[int, typer.Argument(help="Death id.")],
    reason: ReasonOpt,
) -> None:
    """Batalkan pencatatan kematian (supervisor). / Undo a recorded death (supervisor)."""
    eng = engine()
    out = deaths.undo_death(eng, actor(eng), death, reason=reason)
    if as_json():
        print_json(out)
        return
    say(
        _(
            "Death %(death)s undone: %(memberships)s membership(s) restored, %(refunds)s "
            "refund(s) cancelled.",
            death=out.death,
            memberships=out.memberships,
            refunds=out.refunds_cancelled,
        )
    )


@command(app, "refunds")
def refunds() -> None:
    """Iuran yang harus dikembalikan. / Contributions owed back after a death."""
    eng = engine()
    found = queries.refunds(eng, actor(eng))
    if as_json():
        print_json(found)
        return
    for r in found:
        say(
            f"{r.death_id:>5}  {r.name}  {r.program}  {formatting.month(r.month, lang())}  "
            f"{formatting.rupiah(r.amount, lang())}  {r.payer}"
        )
    say(
        _(
            "%(n)s refund(s), %(amount)s in all.",
            n=len(found),
            amount=formatting.rupiah(sum(r.amount for r in found), lang()),
        )
    )


@command(app, "from-claims")
def from_claims() -> None:
    """Catat kematian dari klaim. / Record the deaths death claims state."""
    eng = engine()
    n = deaths.record_claim_deaths(eng, actor(eng))
    if as_json():
        print_json({"recorded": n})
        return
    say(_("%(n)s death(s) recorded from claims.", n=n))


@command(app, "letter")
def letter(
    death: Annotated[int, typer.Argument(help="Death id (see tasks).")],
    out: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    today: TodayOpt = None,
) -> None:
    """Surat untuk keluarga (PDF). / The letter to the family (PDF)."""
    eng = engine()
    pdf = deaths.print_letter(eng, actor(eng), death, today=parse_date(today, "today"), lang=lang())
    out.write_bytes(pdf)
    if as_json():
        print_json({"file": str(out), "bytes": len(pdf)})
        return
    say(_("Letter written: %(file)s", file=str(out)))


@command(app, "gaps")
def gaps(
    since: Annotated[str | None, typer.Option("--since", help="From (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="To (YYYY-MM-DD).")] = None,
) -> None:
    """Kematian tanpa perlindungan dan manfaat yang hilang. / Deaths without coverage."""
    eng = engine()
    report = queries.gap_report(
        eng, actor(eng), since=parse_date(since, "since"), until=parse_date(until, "until")
    )
    if as_json():
        print_json(report)
        return
    say(
        _(
            "%(deaths)s deaths of listed people, %(gaps)s not covered on the day: "
            "%(amount)s of benefits the families did not get.",
            deaths=report.deaths,
            gaps=report.gaps,
            amount=formatting.rupiah(report.benefit_missed, lang()),
        )
    )
    for reason, n in sorted(report.by_reason.items()):
        say(
            f"  {queries.gap_reason_text(reason)}: {n} "
            f"({formatting.rupiah(report.missed_by_reason[reason], lang())})"
        )
