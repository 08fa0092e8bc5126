"""The options every command shares, defined once: ``--db``, ``--json``, ``--lang`` and
``--user`` (added to every command by :func:`command`, and accepted before the group too),
and refusals as one line and exit code 2. Light to import: ``jaring --help`` loads only this
and the names of the command groups (:mod:`jaring.cli`); :mod:`jaring.cli.common` has what
commands use (the store, the actor, progress, JSON).

A command module registers its commands with :func:`command` instead of ``app.command``::

    @command(app, "invoice")
    def invoice(program: ProgramArg, month: MonthOpt) -> None:
        eng = engine()
        res = actions.create_invoice(eng, actor(eng), program, month)
        if as_json():
            print_json(res)
            return
        say(_("Invoice %(number)s ...", number=res.number))

The shared options may also be given before the command group (``jaring --db URL law ...``);
the one given last wins. The actor is the account named by ``--user`` or ``JARING_USER``
(checked against the accounts: an unknown or inactive name is refused), else the system actor,
recorded as ``system`` in the audit trail.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import inspect
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer._click.globals import get_current_context

from jaring import errors, i18n, jsonable
from jaring.errors import JaringError
from jaring.progress import SILENT, Progress

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
UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user",
        help="Act as this account (default: JARING_USER, else the system). / Bertindak sebagai akun ini.",
        show_default=False,
    ),
]


@dataclass
class _State:
    db: str | None = None
    json: bool = False
    user: str | None = None


state = _State()


def reset() -> None:
    """Forget the options of an earlier run in this process (the entry point calls it)."""
    state.db, state.json, state.user = None, False, None
    i18n.set_lang(os.environ.get("JARING_LANG") or i18n.DEFAULT)


reset()


def set_lang(value: str | None) -> str:
    """Record the language chosen on the command line (``id``, ``en``...)."""
    if value:
        if value not in i18n.languages():
            raise errors.BAD_LANG(value=value, choices=", ".join(i18n.languages()), field="lang")
        i18n.set_lang(value)
    return i18n.lang()


def lang() -> str:
    return i18n.lang()


def set_default_db(url: str | None) -> None:
    if url:
        state.db = url


def shared(
    db: str | None = None, json_: bool = False, lang_: str | None = None, user: str | None = None
) -> None:
    """Apply the shared options of one command (or of the root, before the group)."""
    set_default_db(db)
    set_lang(lang_)
    state.json = state.json or json_
    if user:
        state.user = user


def as_json() -> bool:
    """Whether ``--json`` was given."""
    return state.json


F = TypeVar("F", bound=Callable[..., Any])

_SHARED = (
    inspect.Parameter("db", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=DbOpt),
    inspect.Parameter("json_", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=JsonOpt),
    inspect.Parameter("lang_", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=LangOpt),
    inspect.Parameter("user", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=UserOpt),
)


def command(app: typer.Typer, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Register a function as a command of ``app`` with the shared options appended; the
    function itself takes only its own arguments and reads the shared ones through
    :func:`engine`, :func:`actor` and :func:`as_json`."""

    def register(fn: F) -> F:
        sig = inspect.signature(fn, eval_str=True)  # modules may defer annotations
        own = [p for p in sig.parameters.values() if p.name not in {s.name for s in _SHARED}]

        @functools.wraps(fn)
        def run(*args: Any, **kw: Any) -> Any:
            shared(
                kw.pop("db", None),
                kw.pop("json_", False),
                kw.pop("lang_", None),
                kw.pop("user", None),
            )
            try:
                for key, value in kw.items():
                    check_value(key, value)
                    if key in OUT_PARAMS:
                        check_out(key, value)
                return fn(*args, **kw)
            except JaringError as e:  # here the command's options are known: fail names them
                fail(e)
            except OSError as e:  # a file the user named could not be read or written
                refusal = file_error(e, kw)
                if refusal is None:
                    raise
                fail(refusal)

        run.__signature__ = sig.replace(parameters=[*own, *_SHARED])  # type: ignore[attr-defined]
        app.command(name, **kwargs)(run)
        return fn

    return register


INT64 = 2**63 - 1


def check_value(field: str, value: Any) -> None:
    """Refuse (``bad_value``, naming the option) what no command can mean: a whole number
    beyond 64 bits (the store cannot hold it), a number that is not finite, an empty or blank
    text. Applied to every option and argument of every command before it runs."""
    values = value if isinstance(value, list | tuple) else [value]
    for v in values:
        if isinstance(v, bool) or v is None:
            continue
        if (isinstance(v, int) and abs(v) > INT64) or (
            isinstance(v, float) and not math.isfinite(v)
        ):
            raise errors.BAD_VALUE(field=field, value=str(v)[:30])
        if isinstance(v, str) and not v.strip():
            raise errors.BAD_VALUE(field=field, value=repr(v))


OUT_PARAMS = frozenset({"out", "output"})


def check_out(field: str, value: Any) -> None:
    """Refuse, before the command does any work, an output path (the ``--out``/``--output``
    of every command) that cannot be written: a part of it is a file (``path_not_folder``),
    or the nearest folder that exists takes no new file (``cannot_write_file``: no
    permission, read-only, ``/proc``...). Writes nothing that stays: the probe is a
    temporary file, removed at once. ``None`` and ``-`` (standard output) pass."""
    if not isinstance(value, Path) or str(value) == "-":
        return
    target = Path(os.path.abspath(value.expanduser()))
    near = target
    while not near.exists() and near != near.parent:
        near = near.parent
    if not near.is_dir():
        if near != target:
            raise errors.PATH_NOT_FOLDER(file=str(value), part=str(near), field=field)
        if not os.access(near, os.W_OK):
            raise errors.CANNOT_WRITE_FILE(file=str(value), field=field)
        near = near.parent
    try:
        with tempfile.TemporaryFile(dir=near):
            pass
    except OSError:
        raise errors.CANNOT_WRITE_FILE(file=str(value), field=field) from None


def file_error(e: OSError, options: dict[str, Any]) -> JaringError | None:
    """The refusal for a file the operating system would not read or write, naming the file
    (and the option that named it, when one did) and the reason in the user's words; ``None``
    when the error names no file and no output option can be meant (a bug, not the user's)."""
    if e.filename is not None:
        name = str(e.filename)
        field = next(
            (k for k, v in options.items() if isinstance(v, Path) and str(v) == name), "file"
        )
    else:  # some writers (Polars) name no file: the command's one output is meant
        outs = [(k, v) for k, v in options.items() if k in OUT_PARAMS and isinstance(v, Path)]
        if len(outs) != 1 or not isinstance(e, IsADirectoryError | PermissionError):
            return None
        field, name = outs[0][0], str(outs[0][1])
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return errors.DISK_FULL(file=name, field=field)
    if isinstance(e, IsADirectoryError) or e.errno == errno.EISDIR:
        return errors.IS_FOLDER(file=name, field=field)
    if isinstance(e, FileExistsError | NotADirectoryError):  # a file where a folder must be
        part = Path(name)
        while part != part.parent and not part.is_file():
            part = part.parent
        if part.is_file():
            return errors.PATH_NOT_FOLDER(file=name, part=str(part), field=field)
    if field in OUT_PARAMS and e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return errors.CANNOT_WRITE_FILE(file=name, field=field)
    return errors.CANNOT_OPEN_FILE(file=name, field=field)


def choose(value: str, choices: tuple[str, ...], field: str) -> str:
    """``value`` when it is one of ``choices``; else ``bad_choice`` naming them."""
    if value not in choices:
        raise errors.BAD_CHOICE(field=field, value=value, choices=", ".join(choices))
    return value


def flag_of(field: str) -> str | None:
    """The option of the running command that sets ``field`` (``paid_on`` -> ``--paid-on``)."""
    ctx = get_current_context(silent=True)
    wanted = field.lstrip("-").replace("-", "_")
    while ctx is not None:
        for param in ctx.command.params:
            opts = [o for o in getattr(param, "opts", []) if o.startswith("--")]
            if opts and (param.name == wanted or opts[0][2:].replace("-", "_") == wanted):
                return opts[0]
        ctx = ctx.parent
    return None


def fail(error: JaringError) -> None:
    """Print the refusal as one line in the chosen language (with the option that sets the
    field it names) and exit 2."""
    field = error.context.get("field")
    flag = flag_of(str(field)) if isinstance(field, str) else None
    where = f" ({flag})" if flag and flag not in error.message() else ""
    sys.stderr.write(f"jaring: {error.message()}{where} [{error.code}]\n")
    raise SystemExit(2)


def print_json(data: Any) -> None:
    sys.stdout.write(jsonable.dumps(data, indent=2) + "\n")


def say(text: str) -> None:
    """One line for the user on stdout."""
    typer.echo(text)


class _Bar:
    """A rich progress bar on stderr: description, counts, elapsed and time left."""

    def __init__(self) -> None:
        # rich's progress machinery loads only when a bar is shown (a terminal, no --json)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self._task: Any = None
        self._started = time.monotonic()

    def __enter__(self) -> _Bar:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)  # type: ignore[arg-type]

    def step(self, description: str, total: int | None = None) -> None:
        if self._task is not None:  # the previous phase is over: its clock stops
            prev = next(t for t in self._bar.tasks if t.id == self._task)
            done = prev.total if prev.total is not None else prev.completed
            self._bar.update(self._task, total=done, completed=done)
            self._bar.stop_task(self._task)
        self._task = self._bar.add_task(description, total=total)

    def advance(self, units: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, units)


@contextlib.contextmanager
def progress() -> Iterator[Progress]:
    """A :class:`~jaring.progress.Progress` for a long command: a bar on stderr when stderr
    is a terminal and ``--json`` was not given; silent otherwise (piped, scripts, tests)."""
    if as_json() or not sys.stderr.isatty():
        yield SILENT
        return
    with _Bar() as bar:
        yield bar


to_jsonable = jsonable.to_jsonable
