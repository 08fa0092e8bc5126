"""`jaring db`: schema migrations."""

import typer

from jaring.cli.common import DbOpt, JsonOpt, engine, print_json

app = typer.Typer(
    help="Basis data: migrasi skema. / Database: schema migrations.", no_args_is_help=True
)


@app.command("upgrade")
def upgrade(db: DbOpt = None, json_: JsonOpt = False) -> None:
    """Migrasikan skema ke versi terbaru. / Migrate the schema to the latest revision."""
    from jaring.store.db import current_revision

    eng = engine(db)
    rev = current_revision(eng)
    if json_:
        print_json({"url": eng.url.render_as_string(hide_password=True), "revision": rev})
    else:
        typer.echo(f"skema pada revisi {rev} ({eng.url.render_as_string(hide_password=True)})")


@app.command("current")
def current(db: DbOpt = None) -> None:
    """Revisi skema saat ini. / The current schema revision."""
    from jaring.store.db import current_revision

    typer.echo(current_revision(engine(db, migrate=False)) or "-")
