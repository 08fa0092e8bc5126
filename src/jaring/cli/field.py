"""`jaring field`: Pendaftaran lapangan: formulir ODK, tarik kiriman. / Field registration.

Thin: parse options, call one action or query of :mod:`jaring.field` as the actor of
``--user`` / ``JARING_USER`` (else the system), render text or ``--json``.
"""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from jaring.cli.common import actor, as_json, command, engine, print_json, say
from jaring.dates import parse_date
from jaring.errors import MISSING_OPTION
from jaring.field import actions, odk, queries, xlsform
from jaring.i18n import _

app = typer.Typer(
    help="Pendaftaran lapangan: formulir ODK, tarik kiriman. / Field registration.",
    no_args_is_help=True,
)

RegionOpt = Annotated[str, typer.Option("--region", help="Regency or city code, e.g. 96.71.")]


def _answered(out: actions.Synced) -> None:
    if as_json():
        print_json(out)
        return
    say(
        _(
            "%(n)s records: %(accepted)s accepted, %(fix)s need a fix, %(dup)s already "
            "registered, %(repeated)s received before.",
            n=len(out.answers),
            accepted=out.accepted,
            fix=out.needs_fix,
            dup=out.duplicates,
            repeated=out.repeated,
        )
    )
    for a in out.answers:
        if a.status == "needs_fix" and not a.repeated:
            say(f"  {a.client_id}: " + " ".join(i.message for i in a.issues))


@command(app, "xlsform")
def xlsform_(
    region: RegionOpt,
    out: Annotated[Path, typer.Option("--out", help="The XLSForm to write (.xlsx).")],
) -> None:
    """Write the field form as an XLSForm for ODK Collect / KoboToolbox."""
    path = xlsform.write(region, out)
    if as_json():
        print_json({"path": str(path), "form_id": xlsform.form_id(region)})
        return
    say(_("XLSForm written: %(path)s (form id %(form)s).", path=path, form=xlsform.form_id(region)))


@command(app, "import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="ODK/Kobo exports (CSV or XLSX).")],
    region: RegionOpt,
) -> None:
    """Import submission exports of the XLSForm as field records (by instanceID: a
    submission already pulled or imported is not stored again)."""
    records = []
    for f in files:
        records.extend(odk.read_export(str(f), region))
    eng = engine()
    _answered(actions.sync_many(eng, actor(eng), records, origin="import"))


@command(app, "pull")
def pull_(
    url: Annotated[str, typer.Option("--url", help="ODK Central address, https://...")],
    project: Annotated[int, typer.Option("--project", help="ODK Central project id.")],
    form: Annotated[str, typer.Option("--form", help="Form id, e.g. jaring_lapangan_9671.")],
    region: RegionOpt,
    token: Annotated[
        str | None,
        typer.Option("--token", help="ODK Central token (default: ODK_TOKEN).", envvar="ODK_TOKEN"),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only submissions after this day (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Fetch submissions from ODK Central (pyodk) and store them as field records."""
    day = parse_date(since, "since")
    central = odk.Central(url=url, project=project, form=form, token=token or "")
    eng = engine()
    _answered(actions.pull(eng, actor(eng), central, region, since=day))


@command(app, "progress")
def progress_(
    since: Annotated[str | None, typer.Option("--since", help="First day (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last day (YYYY-MM-DD).")] = None,
) -> None:
    """The team's records by day, registrar, distrik and market."""
    eng = engine()
    out = queries.progress(
        eng, actor(eng), since=parse_date(since, "since"), until=parse_date(until, "until")
    )
    if as_json():
        print_json(out)
        return
    for r in out.rows:
        say(
            f"{r.day}  {r.registrar:<16} {r.district or '-':<20} {r.market or '-':<20} "
            f"{r.records:>5} {r.accepted:>5} {r.needs_fix:>5} {r.duplicates:>5}"
        )
    say(
        _(
            "%(n)s records: %(accepted)s accepted, %(fix)s need a fix, %(dup)s already registered.",
            n=out.records,
            accepted=out.accepted,
            fix=out.needs_fix,
            dup=out.duplicates,
        )
    )


@command(app, "purge-photos")
def purge_photos(
    keep_days: Annotated[
        int | None,
        typer.Option(
            "--keep-days",
            help="Keep this many days, every region alike (default: each region's setting).",
        ),
    ] = None,
    before: Annotated[
        str | None, typer.Option("--before", help="Or: erase photos added before this day.")
    ] = None,
) -> None:
    """Erase the KTP photos older than the retention the Pemda set (records stay): each
    region's own setting (the settings page) unless --keep-days or --before is given. The
    server also does this by itself (at start, every few hours, after each sync)."""
    day = parse_date(before, "before")
    if day is None and keep_days is not None:
        if keep_days < 0:
            raise MISSING_OPTION(field="keep_days", fields="--keep-days / --before")
        day = dt.date.today() - dt.timedelta(days=keep_days)
    eng = engine()
    if day is None:
        out = actions.purge_expired_photos(eng, actor(eng))
        if as_json():
            print_json(out)
            return
        say(_("%(n)s KTP photos erased.", n=out.erased))
        for region, days in sorted(out.retention.items()):
            say(_("  %(region)s: kept %(days)s days", region=region, days=days))
        return
    n = actions.purge_photos(eng, actor(eng), day)
    if as_json():
        print_json({"erased": n, "before": day})
        return
    say(_("%(n)s KTP photos erased.", n=n))
