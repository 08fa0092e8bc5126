"""`jaring db`: schema migrations, backup and restore, and bringing derived indexes up to
date after a bulk load (``refresh``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jaring import formatting as f
from jaring.cli.common import as_json, command, engine, print_json, say
from jaring.i18n import _
from jaring.store import backup, migrate, partition
from jaring.store.db import current_revision

app = typer.Typer(
    help="Basis data: migrasi, cadangan. / Database: migrations, backups.", no_args_is_help=True
)


@command(app, "upgrade")
def upgrade(
    partition_by_province: Annotated[
        bool,
        typer.Option(
            "--partition-by-province",
            help="Instans nasional (PostgreSQL): baris tagihan dipartisi per provinsi. / "
            "National instance (PostgreSQL): invoice lines partitioned by province.",
        ),
    ] = False,
) -> None:
    """Migrasikan skema ke versi terbaru. / Migrate the schema to the latest revision."""
    eng = engine(migrate=False)
    migrate(eng, partition_by_province=True if partition_by_province else None)
    rev = current_revision(eng)
    parted = partition.is_partitioned(eng)
    url = eng.url.render_as_string(hide_password=True)
    if as_json():
        print_json({"url": url, "revision": rev, "partitioned_by_province": parted})
        return
    say(_("schema at revision %(revision)s (%(url)s)", revision=rev, url=url))
    if parted:
        say(_("invoice lines partitioned by province (national instance)"))


@command(app, "current")
def current() -> None:
    """Revisi skema saat ini. / The current schema revision."""
    rev = current_revision(engine(migrate=False))
    if as_json():
        print_json({"revision": rev})
        return
    say(rev or "-")


@command(app, "refresh")
def refresh(
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Bangun ulang indeks nama seluruhnya. / Rebuild the name index from scratch.",
        ),
    ] = False,
) -> None:
    """Perbarui indeks nama dan ringkasan dasbor setelah impor besar. / Bring the name index
    and the dashboard summary up to date after a bulk load."""
    import time

    from jaring.registry.actions import search_index
    from jaring.store import summary

    eng = engine()
    t = time.perf_counter()
    names = search_index.refresh(eng, force=force)
    names_s = time.perf_counter() - t
    kept = summary.kept(eng)
    t = time.perf_counter()
    districts = summary.refresh(eng) if kept else 0
    summary_s = time.perf_counter() - t
    if as_json():
        print_json(
            {
                "name_index_rebuilt": names,
                "name_index_seconds": round(names_s, 1),
                "summary_kept": kept,
                "summary_districts_recounted": districts,
                "summary_seconds": round(summary_s, 1),
            }
        )
        return
    if names:
        say(_("name index brought up to date in %(s)s s", s=f.number(names_s, digits=1)))
    else:
        say(_("name index already up to date"))
    if not kept:
        say(_("dashboard summary: not kept on this database (figures are counted directly)"))
    elif districts:
        say(_("dashboard summary: %(n)s distrik recounted in %(s)s s", n=f.number(districts),
              s=f.number(summary_s, digits=1)))  # fmt: skip
    else:
        say(_("dashboard summary already up to date"))


@command(app, "backup")
def backup_(
    out: Annotated[Path, typer.Option("--out", help="Backup file to write. / Berkas cadangan.")],
) -> None:
    """Cadangkan basis data selagi berjalan. / Back the store up while it runs."""
    done = backup.backup(engine(), out)
    if as_json():
        print_json(done)
        return
    say(
        _(
            "backup %(file)s: %(bytes)s bytes, %(tables)s tables, manifest beside it",
            file=done.file,
            bytes=done.bytes,
            tables=len(done.tables),
        )
    )


@command(app, "restore")
def restore_(
    file: Annotated[Path, typer.Argument(help="Backup file. / Berkas cadangan.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a store that holds data. / Timpa data.")
    ] = False,
) -> None:
    """Pulihkan basis data dari cadangan. / Restore the store from a backup."""
    done = backup.restore(engine(migrate=False), file, force=force)
    if as_json():
        print_json(done)
        return
    say(
        _(
            "restored %(file)s: %(tables)s tables, rows and checksums as in its manifest",
            file=done.file,
            tables=len(done.tables),
        )
    )
