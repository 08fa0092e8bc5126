"""What every command shares: the database option, JSON output, the language of messages, and
turning refusals into one line and exit code 2 (never a traceback to a user)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
import os
import sys
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from jaring.errors import JaringError

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: JARING_DATABASE_URL, else sqlite:///jaring.db). / URL basis data.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON. / Keluaran JSON.")]
LangOpt = Annotated[
    str | None, typer.Option("--lang", help="Message language: id (default) or en. / Bahasa pesan.")
]

_state: dict[str, Any] = {"lang": os.environ.get("JARING_LANG", "id"), "db": None}


def set_lang(lang: str | None) -> str:
    """Record the language chosen on the command line (``id`` or ``en``)."""
    if lang:
        if lang not in ("id", "en"):
            raise JaringError(
                "bad_lang",
                f"Bahasa tidak dikenal: {lang} (pilih id atau en)",
                f"Unknown language: {lang} (choose id or en)",
            )
        _state["lang"] = lang
    return _state["lang"]


def lang() -> str:
    return str(_state["lang"])


def set_default_db(url: str | None) -> None:
    _state["db"] = url


def engine(db: str | None, *, migrate: bool = True) -> Engine:
    """The engine for ``--db`` (or the top-level ``--db``, env, default), migrated to head.

    Migrating on open keeps ``jaring demo`` and every other command one step for the user;
    it is a no-op when the schema is current.
    """
    from jaring.store import make_engine
    from jaring.store import migrate as do_migrate

    eng = make_engine(db or _state["db"])
    if migrate:
        do_migrate(eng)
    return eng


def to_jsonable(value: Any) -> Any:
    """Dates as ISO text, Decimals as strings, dataclasses as dicts; rupiah stay integers."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "to_dict"):
        return to_jsonable(value.to_dict())
    return value


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2) + "\n")


def fail(error: JaringError) -> None:
    """Print one line in the chosen language and exit 2."""
    sys.stderr.write(f"jaring: {error.message(lang())} [{error.code}]\n")
    raise SystemExit(2)
