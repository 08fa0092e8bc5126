"""`jaring registry`: Registri pekerja: impor, validasi NIK, deduplikasi. / Worker registry.

Thin: parse options, call one action or query of :mod:`jaring.registry` as the actor of
``--user`` / ``JARING_USER`` (else the system), render text or ``--json``.
"""

import sys
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer

from jaring import formatting
from jaring.cli.common import (
    actor,
    as_json,
    choose,
    command,
    engine,
    lang,
    print_json,
    progress,
    say,
)
from jaring.dates import parse_date
from jaring.errors import BAD_VALUE
from jaring.i18n import _
from jaring.registry import errors, issues
from jaring.registry.actions import corrections, decisions, exports, imports, linking
from jaring.registry.actions import niks as nik_actions
from jaring.registry.dedupe import Thresholds
from jaring.registry.files import write_csv, write_frame
from jaring.registry.queries import batches, people, review
from jaring.registry.queries import exports as frames
from jaring.registry.queries import niks as nik_queries

app = typer.Typer(
    help="Registri pekerja: impor, validasi NIK, deduplikasi. / Worker registry.",
    no_args_is_help=True,
)

FormatOpt = Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Output file (default stdout).")]
#: The columns of ``jaring registry errors``, in order.
ERROR_COLUMNS = batches.ERROR_COLUMNS


def _emit(frame: pl.DataFrame, fmt: str, out: Path | None, default: Path, sheet: str) -> None:
    """A frame as the export commands give it: JSON with ``--json``, CSV on stdout when no
    ``--out`` is given, else a file in ``fmt``."""
    if as_json():
        print_json(frame.to_dicts())
    elif out is None and fmt == "csv":
        sys.stdout.write(write_csv(frame) or "")
    else:
        write_frame(frame, fmt, out or default, sheet=sheet)


@command(app, "import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="CSV/XLSX files. / Berkas CSV/XLSX.")],
    source: Annotated[str, typer.Option("--source", help='List source, e.g. "Pasar Remu".')],
    sheet: Annotated[str | None, typer.Option("--sheet", help="Only this XLSX sheet.")] = None,
    listed_on: Annotated[
        str | None, typer.Option("--listed-on", help="Date the list speaks for (YYYY-MM-DD).")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Regency code for place names, e.g. 96.71.")
    ] = None,
) -> None:
    """Impor daftar pekerja. / Import worker lists."""
    eng = engine()
    with progress() as p:
        result = imports.import_files(
            eng,
            actor(eng),
            files,
            source,
            sheet=sheet,
            listed_on=parse_date(listed_on, "listed_on"),
            region=region,
            progress=p,
        )
    if as_json():
        print_json(result)
        return
    if result.batch is None:
        say(
            _(
                "Nothing new: %(files)s file(s) were imported before.",
                files=result.files_skipped,
            )
        )
        return
    say(
        _(
            "Batch %(batch)s (%(source)s): %(rows)s rows, %(accepted)s accepted, "
            "%(rejected)s rejected, %(warnings)s warnings.",
            batch=result.batch,
            source=result.source,
            rows=result.rows,
            accepted=result.accepted,
            rejected=result.rejected,
            warnings=result.warnings,
        )
    )
    if result.duplicates_skipped or result.files_skipped:
        say(
            _(
                "Skipped: %(files)s file(s) and %(rows)s row(s) already stored.",
                files=result.files_skipped,
                rows=result.duplicates_skipped,
            )
        )
    if result.rejected:
        say(
            _(
                "See: %(command)s",
                command=f"jaring registry errors --batch {result.batch} --format csv",
            )
        )


@command(app, "deaths")
def deaths_(
    file: Annotated[Path, typer.Argument(help="CSV/XLSX death list. / Daftar kematian.")],
    source: Annotated[str, typer.Option("--source", help='e.g. "Dukcapil Kota Sorong".')],
    listed_on: Annotated[
        str | None, typer.Option("--listed-on", help="Date the list speaks for (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Impor daftar kematian. / Import a list of deaths (Dukcapil, kelurahan)."""
    from jaring.families.actions.deaths import import_deaths

    eng = engine()
    result = import_deaths(
        eng, actor(eng), file, source=source, listed_on=parse_date(listed_on, "listed_on")
    )
    if as_json():
        print_json(result)
        return
    if result.list is None:
        say(_("Nothing new: %(files)s file(s) were imported before.", files=1))
        return
    say(
        _(
            "Death list %(list)s: %(rows)s rows, %(recorded)s recorded, %(review)s wait for "
            "review, %(refused)s refused, %(unchanged)s already known.",
            list=result.list,
            rows=result.rows,
            recorded=result.recorded,
            review=result.review,
            refused=result.refused,
            unchanged=result.unchanged,
        )
    )
    if result.lines_cancelled:
        say(
            _(
                "Invoice lines after a death no longer asked: %(lines)s, %(amount)s.",
                lines=result.lines_cancelled,
                amount=formatting.rupiah(result.cancelled_amount, lang()),
            )
        )
    if result.review:
        say(_("See: %(command)s", command="jaring deaths review"))


@command(app, "errors")
def errors_(
    batch: Annotated[int, typer.Option("--batch", help="Batch id.")],
    format_: Annotated[str, typer.Option("--format", help="table, csv or xlsx.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    only_errors: Annotated[
        bool, typer.Option("--only-errors", help="Errors only, no warnings.")
    ] = False,
) -> None:
    """Kesalahan dan peringatan per baris. / Errors and warnings per row."""
    choose(format_, ("table", "csv", "xlsx"), "format")
    eng = engine()
    found = batches.errors_frame(eng, actor(eng), batch, lang=lang(), all_issues=not only_errors)
    frame = found[list(ERROR_COLUMNS)]
    if as_json():
        print_json(frame.to_dicts())
    elif format_ == "csv":
        if out:
            write_csv(frame, out)
        else:
            sys.stdout.write(write_csv(frame) or "")
    elif format_ == "xlsx":
        write_frame(frame, "xlsx", out or Path(f"errors_batch_{batch}.xlsx"), sheet="Kesalahan")
    else:
        for r in frame.iter_rows(named=True):
            where = f"{r['file']}" + (f" [{r['sheet']}]" if r["sheet"] else "") + f" {r['row']}"
            say(f"{where}  {r['severity']:<7}  {r['field']:<10}  {r['message']}")
        if frame.height == 0:
            say(_("No issues."))


@command(app, "fix")
def fix(
    row: Annotated[int, typer.Argument(help="Row id (see errors).")],
    values: Annotated[list[str], typer.Argument(help="field=value, e.g. nik=9671011203850001")],
) -> None:
    """Perbaiki baris yang ditolak. / Correct a rejected row in place."""
    pairs = {}
    for v in values:
        if "=" not in v:
            raise BAD_VALUE(value=v, field="field=value")
        k, _sep, val = v.partition("=")
        pairs[k.strip()] = val
    eng = engine()
    result = corrections.correct_row(eng, actor(eng), row, pairs)
    if as_json():
        print_json(result)
        return
    say(_("Row %(row)s: %(status)s", row=row, status=result.status))
    for i in result.issues:
        say(f"  {i.severity}: {issues.message(i.code, lang(), i.value, i.detail)}")


@command(app, "dedupe")
def dedupe_(
    match: Annotated[float, typer.Option("--match", help="Auto-link probability.")] = 0.99,
    review_from: Annotated[float, typer.Option("--review", help="Review queue from.")] = 0.5,
) -> None:
    """Satukan baris menjadi orang. / Deduplicate rows into people."""
    eng = engine()
    with progress() as p:
        result = linking.dedupe(
            eng, actor(eng), thresholds=Thresholds(match=match, review=review_from), progress=p
        )
    if as_json():
        print_json(result)
        return
    say(
        _(
            "%(records)s source rows -> %(people)s people (%(new)s new); %(review)s pairs "
            "await review.",
            records=formatting.number(result.records),
            people=formatting.number(result.people),
            new=formatting.number(result.new_people),
            review=formatting.number(result.review),
        )
    )
    say(
        _(
            "Expected from the model: about %(false)s wrong merges and %(missed)s missed pairs.",
            false=formatting.number(result.expected_false_merges, digits=1),
            missed=formatting.number(result.expected_missed, digits=1),
        )
    )
    if result.two_niks:
        say(
            _(
                "%(n)s people have rows with two NIKs: see `jaring registry niks`.",
                n=formatting.number(result.two_niks),
            )
        )


def _say_pair(it: review.Pair) -> None:
    left, right = it.left, it.right
    say(
        f"#{it.pair}  w={it.match_weight}  p={it.match_probability}\n"
        f"   {left.name} | {left.nik or '-'} | {left.birth_date or '-'} | "
        f"{left.source} {left.row_number}\n"
        f"   {right.name} | {right.nik or '-'} | {right.birth_date or '-'} | "
        f"{right.source} {right.row_number}\n"
        "   " + ", ".join(f"{k}: {v['level']}" for k, v in it.explain.items())
    )


@command(app, "review")
def review_(
    action: Annotated[
        str, typer.Argument(help="list | clusters | accept | reject | undo")
    ] = "list",
    pair: Annotated[int | None, typer.Argument(help="Pair id (accept/reject/undo).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    status: Annotated[str, typer.Option("--status", help="pending/accepted/rejected")] = "pending",
    limit: Annotated[int, typer.Option("--limit")] = 50,
    above: Annotated[
        float | None,
        typer.Option("--above", help="accept: every pending pair at or above this probability."),
    ] = None,
    sample: Annotated[
        int, typer.Option("--sample", help="With --above: pairs shown to check first.")
    ] = 20,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --above: do not ask to confirm.")
    ] = False,
    cluster: Annotated[
        bool, typer.Option("--cluster", help="accept/reject: every pending pair of its cluster.")
    ] = False,
) -> None:
    """Periksa kemungkinan duplikat. / Review possible duplicates."""
    eng = engine()
    who = actor(eng)
    if action == "list":
        items = review.review_list(eng, who, status=status, limit=limit)
        if as_json():
            print_json(items)
            return
        for it in items:
            _say_pair(it)
        if not items:
            say(_("The queue is empty."))
        return
    if action == "clusters":
        groups = review.review_clusters(eng, who, limit=limit)
        if as_json():
            print_json(groups)
            return
        for g in groups:
            say(
                _(
                    "Cluster %(cluster)s: %(people)s people, %(rows)s rows, %(pairs)s pairs",
                    cluster=g.cluster,
                    people=len(g.people),
                    rows=g.rows,
                    pairs=len(g.pairs),
                )
            )
            for it in g.pairs:
                _say_pair(it)
        if not groups:
            say(_("The queue is empty."))
        return
    if action == "accept" and above is not None and pair is None:
        _accept_above(eng, who, above, sample, yes, reason)
        return
    if action not in ("accept", "reject", "undo") or pair is None:
        raise errors.BAD_REVIEW_ACTION(action=action, field="action")
    if action == "undo":
        undone = decisions.review_undo(eng, who, pair, reason=reason)
        if as_json():
            print_json(undone)
        else:
            say(
                _(
                    "Pair %(pair)s is pending again; %(rows)s rows moved to person %(person)s.",
                    pair=pair,
                    rows=len(undone.rows),
                    person=undone.person or "-",
                )
            )
        return
    if cluster:
        ids = review.cluster_pairs(eng, who, pair)
        bulk = decisions.review_decide_many(eng, who, ids, action == "accept", reason=reason)
        if as_json():
            print_json(bulk)
        else:
            _say_bulk(bulk)
        return
    result = decisions.review_decide(eng, who, pair, action == "accept", reason=reason)
    if as_json():
        print_json(result)
    elif result.merged:
        say(
            _(
                "Pair %(pair)s: %(status)s; person %(merged)s merged into %(person)s",
                pair=pair,
                status=result.status,
                merged=result.merged,
                person=result.person,
            )
        )
    else:
        say(_("Pair %(pair)s: %(status)s", pair=pair, status=result.status))


def _say_bulk(bulk: decisions.Bulk) -> None:
    say(
        _(
            "%(decided)s pairs decided, %(merged)s people merged; %(conflicts)s left pending "
            "(members of one program).",
            decided=bulk.decided,
            merged=bulk.merged,
            conflicts=len(bulk.conflicts),
        )
    )


def _accept_above(eng: Any, who: Any, above: float, n: int, yes: bool, reason: str | None) -> None:
    """Show a random sample of the pairs ``--above`` would accept, ask, accept them all."""
    found = review.sample_above(eng, who, above, n)
    if not as_json():
        say(
            _(
                "%(count)s pending pairs at or above %(above)s (%(held)s held for one look "
                "each are left out). A random sample of %(n)s:",
                count=found.count,
                above=above,
                held=found.held,
                n=len(found.sample),
            )
        )
        for it in found.sample:
            _say_pair(it)
    if not found.count:
        if as_json():
            print_json(decisions.Bulk(decided=0, merged=0, conflicts=[]))
        return
    if not yes and not typer.confirm(_("Accept all %(count)s pairs?", count=found.count)):
        say(_("Nothing was accepted."))
        raise typer.Exit(1)
    bulk = decisions.accept_above(eng, who, above, reason=reason)
    if as_json():
        print_json(bulk)
    else:
        _say_bulk(bulk)


@command(app, "niks")
def niks_(
    person: Annotated[int | None, typer.Option("--person", help="Only this person.")] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
) -> None:
    """Orang dengan dua NIK. / People whose rows carry two NIKs."""
    eng = engine()
    items = nik_queries.two_nik_people(eng, actor(eng), person_id=person, limit=limit)
    if as_json():
        print_json(items)
        return
    for t in items:
        say(f"{t.person}  {t.name}  {t.district_code or '-'}  NIK {t.nik or '-'}")
        for c in t.candidates:
            mark = "*" if c.nik == (t.chosen or t.likely) else " "
            say(
                f"  {mark} {c.nik}  "
                + _(
                    "rows %(rows)s, birth date %(bd)s, distrik %(district)s, score %(score)s",
                    rows=c.rows,
                    bd=_("yes") if c.agrees_birth_date else _("no"),
                    district=_("yes") if c.agrees_district else _("no"),
                    score=c.score,
                )
            )
    if not items:
        say(_("No person has rows with two NIKs."))


@command(app, "nik")
def nik_(
    person: Annotated[int, typer.Argument(help="Person id.")],
    nik: Annotated[str, typer.Argument(help="The right NIK (one on the person's rows).")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
) -> None:
    """Pilih NIK yang benar. / Choose a person's right NIK."""
    eng = engine()
    out = nik_actions.choose_nik(eng, actor(eng), person, nik, reason=reason)
    if as_json():
        print_json(out)
    else:
        say(_("Person %(person)s now carries the chosen NIK.", person=out.person))


@command(app, "split")
def split_(
    row: Annotated[int, typer.Argument(help="Source row id (see `registry links`).")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
) -> None:
    """Pisahkan baris dari orangnya (penggabungan yang salah). / Split a row off its person."""
    eng = engine()
    result = decisions.split_row(eng, actor(eng), row, reason=reason)
    if as_json():
        print_json(result)
        return
    say(
        _(
            "Row %(row)s split off person %(from_person)s into person %(person)s; "
            "%(pairs)s pairs marked rejected.",
            row=row,
            from_person=result.from_person,
            person=result.person,
            pairs=result.pairs_rejected,
        )
    )


@command(app, "export")
def export_(
    format_: FormatOpt = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Output file.")] = None,
) -> None:
    """Ekspor daftar orang. / Export the people."""
    eng = engine()
    result = exports.export_people(eng, actor(eng), format_, out or Path(f"people.{format_}"))
    if as_json():
        print_json(result)
        return
    say(_("%(rows)s people -> %(path)s", rows=result.rows, path=result.path))


@command(app, "links")
def links_(format_: FormatOpt = "csv", out: OutOpt = None) -> None:
    """Satu baris per baris sumber: berkas, lembar, nomor baris, id orang. / Source row -> person."""
    eng = engine()
    _emit(frames.links(eng, actor(eng)), format_, out, Path(f"links.{format_}"), "Tautan")


@command(app, "rows")
def rows_(
    batch: Annotated[
        int | None, typer.Option("--batch", help="Satu batch saja. / One batch only.")
    ] = None,
    format_: FormatOpt = "csv",
    out: OutOpt = None,
) -> None:
    """Baris sumber: asal, nilai kini, sel seperti diketik. / Source rows: provenance, values now, cells as typed."""
    eng = engine()
    frame = frames.source_rows_frame(eng, actor(eng), batch=batch)
    _emit(frame, format_, out, Path(f"baris.{format_}"), "Baris")


@command(app, "find")
def find_(
    query: Annotated[str, typer.Argument(help="NIK (prefix) or name.")],
    region: Annotated[
        str | None, typer.Option("--region", help="Region prefix, e.g. 96.71.02.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit")] = 20,
) -> None:
    """Cari orang menurut NIK atau nama. / Find people by NIK or name."""
    eng = engine()
    found = people.find_people(eng, actor(eng), query, limit=limit, region_prefix=region)
    if as_json():
        print_json(found)
        return
    for r in found:
        say(
            f"{r.id:>7}  {r.nik or '-':<16}  {r.name:<32}  {r.birth_date or '-'}  "
            f"{r.district_code or '-'}"
        )
    if not found:
        say(_("Not found."))


@command(app, "batches")
def batches_() -> None:
    """Siapa mengimpor apa dan kapan. / Who imported what and when."""
    eng = engine()
    found = batches.batches(eng, actor(eng))
    if as_json():
        print_json(found)
        return
    for b in found:
        say(
            f"{b.id:>4}  {b.imported_at:%Y-%m-%d %H:%M}  {b.source:<20}  "
            f"{b.rows:>7} {b.accepted:>7} {b.rejected:>6}  {b.imported_by or '-'}"
        )
