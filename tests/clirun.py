"""Running ``jaring ARGS`` from a test: in this process (:func:`jaring`), or as a real
``python -m jaring`` process (:func:`process`). Both give a ``CompletedProcess`` (exit code,
stdout, stderr as text), so a test reads the same either way.

In this process a command costs what it does; a new process also pays Python's start and the
imports of its group (polars, DuckDB, Splink, ReportLab, Matplotlib: seconds each time on a
loaded 2-core machine). The entry point is the same function (``jaring.cli.main``, which the
installed ``jaring`` script calls), so most tests run in this process; each CLI area keeps at
least one real process to test the entry point as a user starts it.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Mapping
from unittest import mock

from jaring import i18n
from jaring.cli import main, options


def _stream() -> io.TextIOWrapper:
    """A text stream like a pipe's: UTF-8, with a binary ``buffer``, not a terminal."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer.getvalue()  # type: ignore[attr-defined]
    # as ``subprocess.run(text=True)`` decodes: universal newlines
    return raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def jaring(*args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``jaring ARGS`` through ``jaring.cli.main`` in this process: its exit code (``SystemExit``
    as the interpreter would turn it into one), stdout and stderr. ``env`` adds variables for
    this run only."""
    out, err = _stream(), _stream()
    code = 0
    # what the command sets in this process (its language, its shared options) is put back
    # after it, as a process of its own would leave the test's untouched
    before = (i18n.lang(), options.state.db, options.state.json, options.state.user)
    with (
        mock.patch.dict(os.environ, dict(env or {})),
        mock.patch.object(sys, "argv", ["jaring", *args]),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            main()
        except SystemExit as e:
            if e.code is None or isinstance(e.code, int):
                code = e.code or 0
            else:  # sys.exit("words"): the interpreter prints them and exits 1
                print(e.code, file=sys.stderr)
                code = 1
        finally:
            i18n.set_lang(before[0])
            options.state.db, options.state.json, options.state.user = before[1:]
    return subprocess.CompletedProcess(["jaring", *args], code, _text(out), _text(err))


def process(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``python -m jaring ARGS`` as a new process (the way the installed script starts)."""
    return subprocess.run(
        [sys.executable, "-m", "jaring", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env} if env else None,
        timeout=timeout,
    )
