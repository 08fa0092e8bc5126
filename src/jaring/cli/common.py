"""What commands use: the store, the actor, progress on a terminal, JSON output; and, from
:mod:`jaring.cli.options`, the shared options and refusals as one line and exit code 2.

A command module registers its commands with :func:`command` instead of ``app.command``::

    @command(app, "invoice")
    def invoice(program: ProgramArg, month: MonthOpt) -> None:
        eng = engine()
        res = actions.create_invoice(eng, actor(eng), program, month)
        if as_json():
            print_json(res)
            return
        say(_("Invoice %(number)s ...", number=res.number))

The actor is the account named by ``--user`` or ``JARING_USER`` (checked against the
accounts: an unknown or inactive name is refused), else the system actor, recorded as
``system`` in the audit trail.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine

from jaring.access import Actor
from jaring.accounts.queries import actor_named
from jaring.cli import options
from jaring.cli.options import (
    DbOpt,
    JsonOpt,
    LangOpt,
    UserOpt,
    as_json,
    choose,
    command,
    fail,
    lang,
    print_json,
    progress,
    say,
    set_default_db,
    set_lang,
    shared,
    to_jsonable,
)
from jaring.store import make_engine
from jaring.store import migrate as do_migrate

__all__ = [
    "DbOpt",
    "JsonOpt",
    "LangOpt",
    "UserOpt",
    "actor",
    "as_json",
    "choose",
    "command",
    "engine",
    "fail",
    "lang",
    "print_json",
    "progress",
    "say",
    "set_default_db",
    "set_lang",
    "shared",
    "to_jsonable",
]


def engine(db: str | None = None, *, migrate: bool = True) -> Engine:
    """The store for ``--db`` (or ``JARING_DATABASE_URL``, or the default), migrated to head.

    Migrating on open keeps ``jaring demo`` and every other command one step for the user; it
    is a no-op when the schema is current.
    """
    eng = make_engine(db or options.state.db)
    if migrate:
        do_migrate(eng)
    return eng


def actor(eng: Engine) -> Actor:
    """Who acts: the account named by ``--user`` / ``JARING_USER``, else the system."""
    name = options.state.user or os.environ.get("JARING_USER")
    if not name:
        return Actor.system(via="cli")
    return actor_named(eng, name, via="cli")
