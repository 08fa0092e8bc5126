"""`jaring national`: the national picture. ``snapshot`` writes a store's (or a region's)
people, source rows, memberships, coverage and paid months as a snapshot; ``dedupe``,
``double-funding`` and ``coverage`` ask many snapshots at once, on DuckDB or Spark (local, or a
cluster by ``--master``); ``receive``, ``review`` and ``decide`` bring the cross-region pairs
back into a Pemda's store for its operators.

Thin: each command parses its options, calls one action or rule of :mod:`jaring.national`, and
prints text or ``--json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jaring import formatting as f
from jaring.cli.common import actor, as_json, command, engine, print_json, say
from jaring.dates import parse_date
from jaring.i18n import _

app = typer.Typer(
    help="Gambaran nasional: snapshot, duplikat lintas wilayah, pembiayaan ganda, cakupan. / "
    "The national picture.",
    no_args_is_help=True,
)

SnapshotsArg = Annotated[list[Path], typer.Argument(help="Folder snapshot / snapshot folders")]
EngineOpt = Annotated[str, typer.Option("--engine", help="duckdb | spark")]
MasterOpt = Annotated[
    str | None,
    typer.Option("--master", help="Spark master URL (default local[*]) / URL master Spark"),
]
KeyOpt = Annotated[
    Path | None,
    typer.Option("--pseudonymise", help="Berkas kunci HMAC / HMAC key file (32+ bytes)"),
]
DedupeOpt = Annotated[
    Path | None,
    typer.Option("--dedupe", help="Folder hasil `national dedupe` / a dedupe's --out folder"),
]


def _manifests(paths: list[Path]) -> Any:
    from jaring.national import snapshot

    return snapshot.read_all([str(p) for p in paths])


def _engine(name: str, master: str | None) -> Any:
    from jaring.national import engines

    return engines.open_engine(name, master=master)


@command(app, "snapshot")
def snapshot_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder baru / a new folder")],
    region: Annotated[str | None, typer.Option("--region", help="Kode wilayah / region")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Kode Pemda pemilik / the Pemda's code")
    ] = None,
    pseudonymise: KeyOpt = None,
) -> None:
    """Tulis snapshot nasional. / Write a national snapshot of this store."""
    from jaring.national import actions, pseudonym

    key = pseudonym.read_key(pseudonymise) if pseudonymise else None
    eng = engine()
    res = actions.snapshot(eng, actor(eng), out, region=region, source=source, key=key)
    if as_json():
        print_json(res)
        return
    say(_("Snapshot of %(source)s written to %(path)s", source=res.source, path=res.path))
    for table, n in res.counts.items():
        say(f"  {table}: {f.number(n)}")
    if res.pseudonymised:
        say(_("NIKs are keyed hashes (HMAC-SHA256)."))


@command(app, "dedupe")
def dedupe_cmd(
    snapshots: SnapshotsArg,
    out: Annotated[Path, typer.Option("--out", help="Folder hasil / results folder")],
    engine_: EngineOpt = "duckdb",
    master: MasterOpt = None,
) -> None:
    """Duplikat lintas wilayah (Splink). / Cross-region duplicates (Splink)."""
    from jaring.national import coverage, dedupe, results

    ms = _manifests(snapshots)
    eng = _engine(engine_, master)
    try:
        res = dedupe.run(eng, ms)
        summary = results.write(res, out)
        # the coverage tally of these snapshots and clusters, so coverage only reads it
        tally = coverage.prepare_tally(eng, ms, results.clusters_path(out))
    finally:
        eng.close()
    summary = {**summary, "coverage_tally": str(tally) if tally else None}
    if as_json():
        print_json(summary)
        return
    say(_("%(n)s records from %(k)s snapshots", n=f.number(res.records), k=len(ms)))
    say(_("Cross-region pairs: %(n)s", n=f.number(summary["cross_region_pairs"])))
    say(
        _("People listed by more than one Pemda: %(n)s", n=f.number(summary["cross_region_people"]))
    )
    say(_("Pairs for review: %(n)s", n=f.number(summary["pairs_for_review"])))


def _pu(path: Path, ms: Any, key_file: Path | None) -> Any:
    """The PU list's months (NIKs hashed as the snapshots' are) and its rejected rows."""
    from jaring.national import errors, pseudonym, pu

    got = pu.read_rows(path)
    frame = got.months
    if ms[0].pseudonymised:
        if key_file is None:
            raise errors.PU_NEEDS_KEY(field="pseudonymise")
        key = pseudonym.read_key(key_file)
        if pseudonym.key_id(key) != ms[0].key_id:
            raise errors.SNAPSHOTS_MIXED(field="pseudonymise")
        frame = pseudonym.hash_column(frame, "nik", key)
    return frame, got.rejected


def _rejected_words(row: int, column: str) -> str:
    if column == "nik":
        return _("row %(row)s: the NIK is not 16 digits", row=f.number(row))
    return _(
        "row %(row)s: the months are not understood (write 2026-03, 2026-01..2026-06, or "
        "several separated by ;)",
        row=f.number(row),
    )


@command(app, "double-funding")
def double_funding_cmd(
    snapshots: SnapshotsArg,
    pu: Annotated[
        Path | None, typer.Option("--pu", help="CSV BPJS peserta PU: nik,employer,months")
    ] = None,
    dedupe: DedupeOpt = None,
    pseudonymise: KeyOpt = None,
    out: Annotated[Path | None, typer.Option("--out", help="Parquet bulan ganda / months")] = None,
    engine_: EngineOpt = "duckdb",
    master: MasterOpt = None,
) -> None:
    """Bulan dibiayai ganda, rupiah per pembayar. / Months paid for twice, rupiah per payer."""
    from jaring.national import funding, results

    ms = _manifests(snapshots)
    participants, rejected = _pu(pu, ms, pseudonymise) if pu else (None, None)
    clusters = results.clusters_path(dedupe) if dedupe else None
    eng = _engine(engine_, master)
    try:
        res = funding.double_funding(eng, ms, clusters=clusters, pu=participants)
    finally:
        eng.close()
    if out is not None:
        res.months.write_parquet(out)
    if as_json():
        print_json(
            {
                "humans": res.humans,
                "human_months": res.human_months,
                "rupiah": res.rupiah,
                "by_payer": res.by_payer.to_dicts(),
                "pu_rejected": [
                    {**r, "message": _rejected_words(r["row"], r["column"])}
                    for r in (rejected.to_dicts() if rejected is not None else [])
                ],
            }
        )
        return
    if rejected is not None and rejected.height:
        say(
            _(
                "%(n)s rows of %(file)s were left out (the others were used):",
                n=f.number(rejected.height),
                file=pu.name if pu else "",
            )
        )
        for r in rejected.head(20).iter_rows(named=True):
            say("  " + _rejected_words(r["row"], r["column"]))
        if rejected.height > 20:
            say("  " + _("and %(n)s more", n=f.number(rejected.height - 20)))
    say(
        _(
            "%(people)s people, %(months)s person-months paid for twice; %(rupiah)s at stake",
            people=f.number(res.humans),
            months=f.number(res.human_months),
            rupiah=f.rupiah(res.rupiah),
        )
    )
    for r in res.by_payer.iter_rows(named=True):
        money = f.rupiah(r["rupiah"]) if r["rupiah"] is not None else "-"
        say(f"  {r['payer']}: {f.number(r['months'])} / {money}")


@command(app, "coverage")
def coverage_cmd(
    snapshots: SnapshotsArg,
    level: Annotated[str, typer.Option("--level", help="province | regency | district")],
    on: Annotated[str, typer.Option("--on", help="Tanggal / date (YYYY-MM-DD)")],
    dedupe: DedupeOpt = None,
    engine_: EngineOpt = "duckdb",
    master: MasterOpt = None,
) -> None:
    """Cakupan nasional per wilayah. / National coverage by region."""
    from jaring.national import coverage, errors, results

    if level not in coverage.LEVELS:  # before any snapshot is read
        raise errors.BAD_LEVEL(value=level, field="level")
    day = parse_date(on, "on", required=True)
    ms = _manifests(snapshots)
    clusters = results.clusters_path(dedupe) if dedupe else None
    eng = _engine(engine_, master)
    try:
        res = coverage.coverage(eng, ms, level=level, on=day, clusters=clusters)
    finally:
        eng.close()
    if as_json():
        print_json(
            {
                "level": res.level,
                "on": res.on,
                "listed": res.total_listed,
                "covered": res.total_covered,
                "ratio": round(float(res.total_ratio), 4),
                "regions": res.regions.to_dicts(),
            }
        )
        return
    say(
        _(
            "Nation on %(day)s: %(covered)s of %(listed)s covered (%(ratio)s)",
            day=f.date(res.on),
            covered=f.number(res.total_covered),
            listed=f.number(res.total_listed),
            ratio=f.percent(float(res.total_ratio)),
        )
    )
    for r in res.regions.iter_rows(named=True):
        say(
            f"  {r['region']}: {f.number(r['covered'])} / {f.number(r['listed'])} "
            f"({f.percent(r['ratio'])}); BPU {f.number(r['covered_bpu'])}, "
            f"PU {f.number(r['covered_pu'])}"
        )


@command(app, "receive")
def receive_cmd(
    results_dir: Annotated[Path, typer.Argument(help="Folder hasil dedupe / a dedupe's folder")],
    pemda: Annotated[str, typer.Option("--pemda", help="Kode Pemda ini / this Pemda's code")],
) -> None:
    """Terima pasangan lintas wilayah untuk ditinjau. / Take cross-region pairs into review."""
    from jaring.national import actions

    eng = engine()
    res = actions.receive(eng, actor(eng), results_dir, pemda=pemda)
    if as_json():
        print_json(res)
        return
    say(
        _(
            "%(pairs)s cross-region pairs of %(people)s people to review",
            pairs=f.number(res.pairs),
            people=f.number(res.people),
        )
    )


@command(app, "review")
def review_cmd(
    status: Annotated[str, typer.Option("--status", help="pending | same | different")] = "pending",
    limit: Annotated[int, typer.Option("--limit")] = 50,
) -> None:
    """Pasangan lintas wilayah. / Cross-region pairs to review."""
    from jaring.national import queries

    eng = engine()
    rows = queries.cross_region_pairs(eng, actor(eng), status=status, limit=limit)
    if as_json():
        print_json(rows)
        return
    for r in rows:
        levels = ", ".join(f"{k}: {v['level']}" for k, v in r.explain.items())
        say(
            f"#{r.pair} [{_('cross-region')}] {r.name} ({r.nik}) ~ {r.other_region} "
            f"p={'-' if r.match_probability is None else f.number(r.match_probability, digits=4)}"
            f"; {levels}"
        )


@command(app, "decide")
def decide_cmd(
    pair: Annotated[int, typer.Argument(help="Nomor pasangan / pair number")],
    same: Annotated[bool, typer.Option("--same/--different", help="Satu orang? / one human?")],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
) -> None:
    """Putuskan pasangan lintas wilayah. / Decide a cross-region pair."""
    from jaring.national import actions

    eng = engine()
    res = actions.decide(eng, actor(eng), pair, same, reason=reason)
    if as_json():
        print_json(res)
        return
    say(_("Pair %(pair)s: %(status)s", pair=res.pair, status=res.status))


@command(app, "undo")
def undo_cmd(
    pair: Annotated[int, typer.Argument(help="Nomor pasangan / pair number")],
    reason: Annotated[str | None, typer.Option("--reason")] = None,
) -> None:
    """Batalkan keputusan atas pasangan lintas wilayah. / Take back a cross-region decision."""
    from jaring.national import actions

    eng = engine()
    res = actions.undo(eng, actor(eng), pair, reason=reason)
    if as_json():
        print_json(res)
        return
    say(_("Pair %(pair)s: the decision is taken back; it waits for review again.", pair=res.pair))
