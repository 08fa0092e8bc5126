"""The ``jaring`` command: one sub-command group per domain, each a thin adapter in its own
module, loaded only when it runs (``jaring --help`` loads none of them).

Every group parses options, calls one action or query of its domain with the actor
(:func:`jaring.cli.common.actor`), and renders text or ``--json``. Refusals
(:class:`~jaring.errors.JaringError`) and bad invocations become one line on stderr in the
chosen language and exit code 2; anything else is a bug: one line, exit 1, no traceback
(``JARING_DEBUG=1`` shows it).
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from typing import Any

import typer
from typer import _click
from typer._click import exceptions as clicked
from typer.core import TyperCommand, TyperGroup

from jaring import errors
from jaring.cli.options import DbOpt, JsonOpt, LangOpt, UserOpt, fail, reset, shared
from jaring.errors import JaringError
from jaring.i18n import _

# name -> (module, attribute, short help): the groups and top-level commands, in menu order
COMMANDS: dict[str, tuple[str, str, str]] = {
    "law": (
        "jaring.cli.law",
        "app",
        "Aturan BPJS TK: iuran, manfaat, parameter. / The law: contributions, benefits.",
    ),
    "db": (
        "jaring.cli.db",
        "app",
        "Basis data: migrasi, cadangan. / The store: migrations, backups.",
    ),
    "registry": (
        "jaring.cli.registry",
        "app",
        "Registri pekerja: impor, validasi NIK, deduplikasi. / The worker registry.",
    ),
    "program": (
        "jaring.cli.program",
        "app",
        "Program APBD: rencana anggaran, pendaftaran. / Programs: budget plans, enrolment.",
    ),
    "bpjs": (
        "jaring.cli.bpjs",
        "app",
        "Berkas pertukaran BPJS TK: pendaftaran, jawaban KPJ. / BPJS exchange files.",
    ),
    "billing": (
        "jaring.cli.billing",
        "app",
        "Tagihan bulanan dan pembayaran (SP2D). / Monthly invoices and payments.",
    ),
    "coverage": (
        "jaring.cli.coverage",
        "app",
        "Cakupan kepesertaan dan indikator. / Coverage and indicators.",
    ),
    "field": (
        "jaring.cli.field",
        "app",
        "Pendaftaran lapangan: formulir ODK, tarik kiriman. / Field registration.",
    ),
    "claims": (
        "jaring.cli.claims",
        "app",
        "Klaim JKM, JKK, beasiswa: hak dan alur kerja. / Claims: entitlement and workflow.",
    ),
    "family": (
        "jaring.cli.family",
        "app",
        "Keluarga (Kartu Keluarga) para pekerja. / Families (Kartu Keluarga).",
    ),
    "deaths": (
        "jaring.cli.deaths",
        "app",
        "Kematian: tugas klaim, surat keluarga, celah perlindungan. / Deaths and claim tasks.",
    ),
    "award": (
        "jaring.cli.award",
        "app",
        "Paritrana Award: rubrik, juri, peringkat. / The Paritrana Award.",
    ),
    "national": (
        "jaring.cli.national",
        "app",
        "Gambaran nasional: duplikat lintas wilayah, pembiayaan ganda. / The national picture.",
    ),
    "report": (
        "jaring.cli.report",
        "app",
        "Laporan untuk kepala daerah (PDF, XLSX). / Reports for the head of region.",
    ),
    "demo": (
        "jaring.cli.demo",
        "command_app",
        "Bangun demo Kota Sorong dan jalankan seluruh pekerjaan. / Build the Kota Sorong demo.",
    ),
    "serve": (
        "jaring.cli.serve",
        "command_app",
        "Jalankan aplikasi web dan REST API. / Run the web app and the REST API.",
    ),
}


class LazyGroup(TyperGroup):
    """The root group: lists every command from :data:`COMMANDS` without importing it, and
    imports a group's module only when that group runs (or its own help is asked for)."""

    _listing = False

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr, short = COMMANDS[cmd_name]
        if self._listing:  # the root's help: the name and its line, nothing imported
            return TyperCommand(cmd_name, help=short, short_help=short)
        if cmd_name not in self.commands:
            target = getattr(importlib.import_module(module), attr)
            cmd: _click.Command
            if attr == "command_app":  # a module with one command: the command itself
                cmd = typer.main.get_command(target)
            else:
                cmd = typer.main.get_group(target)
            cmd.name = cmd_name
            self.commands[cmd_name] = cmd
        return self.commands[cmd_name]

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="jaring",
    cls=LazyGroup,
    help="Jaring: jaminan sosial ketenagakerjaan untuk pekerja rentan. / Social security for vulnerable workers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root(
    db: DbOpt = None, json_: JsonOpt = False, lang_: LangOpt = None, user: UserOpt = None
) -> None:
    reset()  # an invocation starts from nothing an earlier one in this process set
    shared(db, json_, lang_, user)


def _flag(e: _click.ClickException) -> str:
    param = getattr(e, "param", None)
    if param is not None:
        if getattr(param, "param_type_name", "") == "argument":
            return str(param.name or "").upper()  # FILES, as the help shows it
        opts = getattr(param, "opts", None) or [param.name or ""]
        return str(max(opts, key=len))
    hint = getattr(e, "param_hint", None)
    return str(hint) if hint else ""


def _kind_needed(detail: str) -> str:
    """What a rejected value should have been (read off the parser's English words), in the
    current language."""
    if "valid integer" in detail:
        return _("a whole number, such as 2500000")
    if "valid number" in detail or "float" in detail:
        return _("a number, such as 0.2")
    if "valid date" in detail:
        return _("a date written YYYY-MM-DD")
    choices = re.findall(r"'([^']+)'", detail) if detail.startswith("Input should be") else []
    if choices:
        return _("one of: %(choices)s", choices=", ".join(choices))
    return _("a value of the right form")


def usage_message(e: _click.ClickException) -> str:
    """A bad invocation's one line in the current language (the parser words it in English):
    the option it concerns and what it needs."""
    flag = _flag(e)
    detail = e.format_message()
    if isinstance(e, clicked.NoSuchOption):
        words = _("Unknown option: %(flag)s.", flag=e.option_name)
        if e.possibilities:
            words += " " + _("Did you mean %(options)s?", options=", ".join(e.possibilities))
        return words
    if isinstance(e, clicked.BadOptionUsage):
        return _("%(flag)s needs a value.", flag=e.option_name)
    if isinstance(e, clicked.MissingParameter):
        return (
            _("%(flag)s is required.", flag=flag) if flag else _("Something required is missing.")
        )
    if isinstance(e, clicked.BadParameter):
        return _(
            "The value for %(flag)s cannot be used: it must be %(kind)s.",
            flag=flag,
            kind=_kind_needed(detail),
        )
    extra = re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", detail)
    if extra:
        return _("Words the command does not take: %(words)s.", words=extra.group(1))
    return _("The command was not understood: %(detail)s", detail=detail)


def _usage(e: _click.ClickException) -> None:
    """A bad invocation (unknown option, missing argument, a value of the wrong type): one
    line and exit 2."""
    try:
        words = usage_message(e)
    except Exception:  # the parser changed its exceptions: its own words, never a traceback
        words = e.format_message()
    sys.stderr.write(f"jaring: {words} [usage]\n")
    raise SystemExit(2)


def main() -> None:
    """Entry point: refusals and bad invocations exit 2 with one line; bugs exit 1 without a
    traceback (set ``JARING_DEBUG=1`` to see it)."""
    reset()
    try:
        app(standalone_mode=False)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except _click.exceptions.NoArgsIsHelpError:  # the help was shown
        sys.exit(0)
    except _click.ClickException as e:
        _usage(e)
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("jaring: dibatalkan / aborted\n")
        sys.exit(1)
    except JaringError as e:
        fail(e)
    except SystemExit:
        raise
    except Exception as e:  # a bug: never show a traceback to a user, nor what it quotes
        if os.environ.get("JARING_DEBUG"):
            raise
        internal: Any = errors.INTERNAL(kind=type(e).__name__)
        sys.stderr.write(f"jaring: {internal.message()}\n")
        sys.exit(1)
