"""`jaring db`: schema migrations."""

from __future__ import annotations

import typer

from jaring.cli.common import as_json, command, engine, print_json, say
from jaring.i18n import _
from jaring.store.db import current_revision

app = typer.Typer(
    help="Basis data: migrasi skema. / Database: schema migrations.", no_args_is_help=True
)


@command(app, "upgrade")
def upgrade() -> None:
    """Migrasikan skema ke versi terbaru. / Migrate the schema to the latest revision."""
    eng = engine()
    rev = current_revision(eng)
    url = eng.url.render_as_string(hide_password=True)
    if as_json():
        print_json({"url": url, "revision": rev})
        return
    say(_("schema at revision %(revision)s (%(url)s)", revision=rev, url=url))


@command(app, "current")
def current() -> None:
    """Revisi skema saat ini. / The current schema revision."""
    rev = current_revision(engine(migrate=False))
    if as_json():
        print_json({"revision": rev})
        return
    say(rev or "-")
