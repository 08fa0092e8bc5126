"""The ``jaring`` command: one sub-command group per domain package.

Every group lives in its own module here and is a thin layer: parse options, call one
service function of the domain, render text or ``--json``. Refusals (:class:`JaringError`)
become one line on stderr in Bahasa Indonesia (``--lang en`` for English) and exit code 2.
"""

from __future__ import annotations

import sys

import click
import typer

from jaring.cli import (
    award,
    billing,
    bpjs,
    claims,
    coverage,
    db,
    demo,
    law,
    program,
    registry,
    report,
    serve,
)
from jaring.cli.common import DbOpt, LangOpt, fail, lang, set_default_db, set_lang
from jaring.errors import JaringError

app = typer.Typer(
    name="jaring",
    help="Jaring: jaminan sosial ketenagakerjaan untuk pekerja rentan. / Social security for vulnerable workers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(db: DbOpt = None, lang_: LangOpt = None) -> None:
    set_default_db(db)
    set_lang(lang_)


app.add_typer(law.app, name="law")
app.add_typer(db.app, name="db")
app.add_typer(registry.app, name="registry")
app.add_typer(program.app, name="program")
app.add_typer(bpjs.app, name="bpjs")
app.add_typer(billing.app, name="billing")
app.add_typer(coverage.app, name="coverage")
app.add_typer(claims.app, name="claims")
app.add_typer(award.app, name="award")
app.add_typer(report.app, name="report")
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)


INTERNAL = {
    "id": "kesalahan internal ({kind}); tidak ada data yang berubah sebagian. Laporkan ke "
    "pengelola (JARING_DEBUG=1 menampilkan rinciannya).",
    "en": "internal error ({kind}); nothing was half-written. Please report it (JARING_DEBUG=1 "
    "shows the details).",
}


def main() -> None:
    """Entry point: run the app; refusals exit 2 with one line, bugs exit 1 without a traceback
    (set ``JARING_DEBUG=1`` to see it)."""
    import os

    try:
        app(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(2)
    except click.exceptions.Abort:
        sys.stderr.write("jaring: dibatalkan / aborted\n")
        sys.exit(1)
    except JaringError as e:
        fail(e)
    except SystemExit:
        raise
    except Exception as e:  # a bug: never show a traceback to a user, nor what it quotes
        if os.environ.get("JARING_DEBUG"):
            raise
        sys.stderr.write(
            "jaring: " + INTERNAL.get(lang(), INTERNAL["id"]).format(kind=type(e).__name__) + "\n"
        )
        sys.exit(1)
