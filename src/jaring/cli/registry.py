"""`jaring registry`: Registri pekerja: impor, validasi NIK, deduplikasi. / Worker registry.

A thin layer over :mod:`jaring.registry.service`: parse options, call one function, render
text or ``--json``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from jaring.cli.common import DbOpt, JsonOpt, LangOpt, engine, lang, print_json, set_lang
from jaring.dates import parse_date
from jaring.errors import JaringError

app = typer.Typer(
    help="Registri pekerja: impor, validasi NIK, deduplikasi. / Worker registry.",
    no_args_is_help=True,
)


def _t(id_: str, en: str) -> str:
    return en if lang() == "en" else id_


def _emit(
    frame: pl.DataFrame, fmt: str, out: Path | None, as_json: bool, default: Path, sheet: str
) -> None:
    """A frame as the export commands give it: JSON with ``--json``, CSV on stdout when no
    ``--out`` is given, else a file in ``fmt``."""
    from jaring.registry import service

    if as_json:
        print_json(frame.to_dicts())
    elif out is None and fmt == "csv":
        sys.stdout.write(frame.write_csv())
    else:
        service.write_frame(frame, fmt, out or default, sheet=sheet)


@app.command("import")
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
    by: Annotated[str | None, typer.Option("--by", help="Who imports (operator).")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Impor daftar pekerja. / Import worker lists."""
    from jaring.registry import service

    set_lang(lang_)
    result = service.import_files(
        engine(db),
        files,
        source,
        sheet=sheet,
        imported_by=by,
        listed_on=parse_date(listed_on, "--listed-on"),
        region=region,
    )
    if json_:
        print_json(result)
        return
    if result["batch"] is None:
        typer.echo(
            _t(
                f"Tidak ada yang baru: {result['files_skipped']} berkas sudah pernah diimpor.",
                f"Nothing new: {result['files_skipped']} file(s) were imported before.",
            )
        )
        return
    typer.echo(
        _t(
            f"Batch {result['batch']} ({result['source']}): {result['rows']} baris, "
            f"{result['accepted']} diterima, {result['rejected']} ditolak, "
            f"{result['warnings']} peringatan.",
            f"Batch {result['batch']} ({result['source']}): {result['rows']} rows, "
            f"{result['accepted']} accepted, {result['rejected']} rejected, "
            f"{result['warnings']} warnings.",
        )
    )
    if result["duplicates_skipped"] or result["files_skipped"]:
        typer.echo(
            _t(
                f"Dilewati: {result['files_skipped']} berkas dan {result['duplicates_skipped']} "
                "baris yang sudah ada.",
                f"Skipped: {result['files_skipped']} file(s) and {result['duplicates_skipped']} "
                "row(s) already stored.",
            )
        )
    if result["rejected"]:
        typer.echo(
            _t(
                f"Lihat: jaring registry errors --batch {result['batch']} --format csv",
                f"See: jaring registry errors --batch {result['batch']} --format csv",
            )
        )


@app.command("errors")
def errors_(
    batch: Annotated[int, typer.Option("--batch", help="Batch id.")],
    format_: Annotated[str, typer.Option("--format", help="table, csv or xlsx.")] = "table",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    only_errors: Annotated[
        bool, typer.Option("--only-errors", help="Errors only, no warnings.")
    ] = False,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Kesalahan dan peringatan per baris. / Errors and warnings per row."""
    from jaring.registry import service

    set_lang(lang_)
    frame = service.errors(engine(db), batch, lang=lang(), all_issues=not only_errors)
    cols = ["file", "sheet", "row", "field", "code", "severity", "value", "message", "row_id"]
    frame = frame.select(cols)
    if json_:
        print_json(frame.to_dicts())
    elif format_ == "csv":
        if out:
            frame.write_csv(out)
        else:
            sys.stdout.write(frame.write_csv())
    elif format_ == "xlsx":
        service.write_frame(
            frame, "xlsx", out or Path(f"errors_batch_{batch}.xlsx"), sheet="Kesalahan"
        )
    else:
        for r in frame.iter_rows(named=True):
            where = f"{r['file']}" + (f" [{r['sheet']}]" if r["sheet"] else "") + f" {r['row']}"
            typer.echo(f"{where}  {r['severity']:<7}  {r['field']:<10}  {r['message']}")
        if frame.height == 0:
            typer.echo(_t("Tidak ada kesalahan.", "No issues."))


@app.command("fix")
def fix(
    row: Annotated[int, typer.Argument(help="Row id (see errors).")],
    values: Annotated[list[str], typer.Argument(help="field=value, e.g. nik=9671011203850001")],
    by: Annotated[str | None, typer.Option("--by", help="Who corrects.")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Perbaiki baris yang ditolak. / Correct a rejected row in place."""
    from jaring.registry import service
    from jaring.registry.messages import message

    set_lang(lang_)
    pairs = {}
    for v in values:
        if "=" not in v:
            raise JaringError(
                "bad_value",
                f"Tulis kolom=nilai, bukan {v}",
                f"Write field=value, not {v}",
                value=v,
            )
        k, _, val = v.partition("=")
        pairs[k.strip()] = val
    result = service.correct_row(engine(db), row, pairs, by=by)
    if json_:
        print_json(result)
        return
    typer.echo(_t(f"Baris {row}: {result['status']}", f"Row {row}: {result['status']}"))
    for i in result["issues"]:
        typer.echo(f"  {i['severity']}: {message(i['code'], lang(), i['value'], i['detail'])}")


@app.command("dedupe")
def dedupe_(
    match: Annotated[float, typer.Option("--match", help="Auto-link probability.")] = 0.99,
    review: Annotated[float, typer.Option("--review", help="Review queue from.")] = 0.5,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Satukan baris menjadi orang. / Deduplicate rows into people."""
    from jaring.registry import service
    from jaring.registry.dedupe import Thresholds

    set_lang(lang_)
    result = service.dedupe(engine(db), thresholds=Thresholds(match=match, review=review))
    if json_:
        print_json(result)
        return
    typer.echo(
        _t(
            f"{result['records']} baris sumber -> {result['people']} orang "
            f"({result['new_people']} baru); {result['review']} pasangan menunggu pemeriksaan.",
            f"{result['records']} source rows -> {result['people']} people "
            f"({result['new_people']} new); {result['review']} pairs await review.",
        )
    )


@app.command("review")
def review_(
    action: Annotated[str, typer.Argument(help="list | accept | reject")] = "list",
    pair: Annotated[int | None, typer.Argument(help="Pair id (accept/reject).")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who decides.")] = None,
    status: Annotated[str, typer.Option("--status", help="pending/accepted/rejected")] = "pending",
    limit: Annotated[int, typer.Option("--limit")] = 50,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Periksa kemungkinan duplikat. / Review possible duplicates."""
    from jaring.registry import service

    set_lang(lang_)
    eng = engine(db)
    if action == "list":
        items = service.review_list(eng, status=status, limit=limit)
        if json_:
            print_json(items)
            return
        for it in items:
            left, right = it["left"], it["right"]
            typer.echo(
                f"#{it['pair']}  w={it['match_weight']}  p={it['match_probability']}\n"
                f"   {left['name']} | {left['nik'] or '-'} | {left['birth_date'] or '-'} | "
                f"{left['source']} {left['row_number']}\n"
                f"   {right['name']} | {right['nik'] or '-'} | {right['birth_date'] or '-'} | "
                f"{right['source']} {right['row_number']}\n"
                "   " + ", ".join(f"{k}: {v['level']}" for k, v in it["explain"].items())
            )
        if not items:
            typer.echo(_t("Antrean kosong.", "The queue is empty."))
        return
    if action not in ("accept", "reject") or pair is None:
        raise JaringError(
            "bad_review_action",
            "Pakai: jaring registry review list | accept ID | reject ID",
            "Use: jaring registry review list | accept ID | reject ID",
            action=action,
        )
    result = service.review_decide(eng, pair, action == "accept", by=by, reason=reason)
    if json_:
        print_json(result)
    else:
        typer.echo(
            _t(
                f"Pasangan {pair}: {result['status']}"
                + (
                    f"; orang {result['merged']} digabung ke {result['person']}"
                    if result["merged"]
                    else ""
                ),
                f"Pair {pair}: {result['status']}"
                + (
                    f"; person {result['merged']} merged into {result['person']}"
                    if result["merged"]
                    else ""
                ),
            )
        )


@app.command("split")
def split_(
    row: Annotated[int, typer.Argument(help="Source row id (see `registry links`).")],
    reason: Annotated[str | None, typer.Option("--reason", help="Why.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Who decides.")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Pisahkan baris dari orangnya (penggabungan yang salah). / Split a row off its person."""
    from jaring.registry import service

    set_lang(lang_)
    result = service.split_row(engine(db), row, by=by, reason=reason)
    if json_:
        print_json(result)
    else:
        typer.echo(
            _t(
                f"Baris {row} dipisah dari orang {result['from_person']} menjadi orang "
                f"{result['person']}; {result['pairs_rejected']} pasangan ditandai ditolak.",
                f"Row {row} split off person {result['from_person']} into person "
                f"{result['person']}; {result['pairs_rejected']} pairs marked rejected.",
            )
        )


@app.command("export")
def export_(
    format_: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Output file.")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Ekspor daftar orang. / Export the people."""
    from jaring.registry import service

    set_lang(lang_)
    result = service.export_people(engine(db), format_, out or Path(f"people.{format_}"))
    if json_:
        print_json(result)
    else:
        typer.echo(
            _t(
                f"{result['rows']} orang -> {result['path']}",
                f"{result['rows']} people -> {result['path']}",
            )
        )


@app.command("links")
def links_(
    format_: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Output file (default stdout).")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Satu baris per baris sumber: berkas, lembar, nomor baris, id orang. / Source row -> person."""
    from jaring.registry import service

    set_lang(lang_)
    _emit(service.links(engine(db)), format_, out, json_, Path(f"links.{format_}"), "Tautan")


@app.command("rows")
def rows_(
    batch: Annotated[
        int | None, typer.Option("--batch", help="Satu batch saja. / One batch only.")
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Output file (default stdout).")] = None,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Baris sumber: asal, nilai kini, sel seperti diketik. / Source rows: provenance, values now, cells as typed."""
    from jaring.registry import service

    set_lang(lang_)
    frame = service.source_rows_frame(engine(db), batch=batch)
    _emit(frame, format_, out, json_, Path(f"baris.{format_}"), "Baris")


@app.command("find")
def find_(
    query: Annotated[str, typer.Argument(help="NIK (prefix) or name.")],
    region: Annotated[
        str | None, typer.Option("--region", help="Region prefix, e.g. 96.71.02.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit")] = 20,
    db: DbOpt = None,
    json_: JsonOpt = False,
    lang_: LangOpt = None,
) -> None:
    """Cari orang menurut NIK atau nama. / Find people by NIK or name."""
    from jaring.registry import service

    set_lang(lang_)
    rows = service.find_people(engine(db), query, limit=limit, region_prefix=region)
    if json_:
        print_json(rows)
        return
    for r in rows:
        typer.echo(
            f"{r['id']:>7}  {r['nik'] or '-':<16}  {r['name']:<32}  {r['birth_date'] or '-'}  "
            f"{r['district_code'] or '-'}"
        )
    if not rows:
        typer.echo(_t("Tidak ditemukan.", "Not found."))


@app.command("batches")
def batches_(db: DbOpt = None, json_: JsonOpt = False, lang_: LangOpt = None) -> None:
    """Siapa mengimpor apa dan kapan. / Who imported what and when."""
    from jaring.registry import service

    set_lang(lang_)
    rows = service.batches(engine(db))
    if json_:
        print_json(rows)
        return
    for b in rows:
        typer.echo(
            f"{b['id']:>4}  {b['imported_at']:%Y-%m-%d %H:%M}  {b['source']:<20}  "
            f"{b['rows']:>7} {b['accepted']:>7} {b['rejected']:>6}  {b['imported_by'] or '-'}"
        )
