"""Logging without personal data (UU 27/2022): NIKs, names, phones and addresses never reach
a log or a terminal.

Jaring's own messages name counts and ids, never people. What could still leak is an
exception: its message may quote a value (a NIK in a path, a name in a Polars parse error),
and a traceback printed by Python's last-resort handler showed it to the user. So:

* the ``jaring`` logger has a ``NullHandler`` (a library logs nowhere unless the program
  sets logging up), and the CLI answers an internal error with one line;
* :func:`safe_handler` is the handler the server logs through: long digit runs are hidden
  in every message (NIK, KPJ, phone: 8 digits or more), and an exception is logged by its
  type and frames (the code that failed), its message withheld (``JARING_DEBUG=1`` shows it,
  for developers on synthetic data).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
from typing import TextIO

DIGIT_RUNS = re.compile(r"\d{8,}")


def hide_digits(text: str) -> str:
    """``text`` with every run of 8 digits or more replaced by as many ``*``."""
    return DIGIT_RUNS.sub(lambda m: "*" * len(m[0]), text)


def exception_text(exc: BaseException) -> str:
    """A traceback that names where it failed and what kind of error, not with what: the
    frames (file, line, function, source line: code, no data) and the exception type; its
    message is withheld, digits hidden in what remains."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    kind = type(exc).__qualname__
    return hide_digits(
        f"Traceback (most recent call last):\n{frames}{kind}: (message withheld: it may hold "
        "personal data; JARING_DEBUG=1 shows it)"
    )


class PersonalDataFilter(logging.Filter):
    """Rewrites a record before any formatter sees it: the message with digit runs hidden,
    the exception as :func:`exception_text` (unless ``JARING_DEBUG`` is set)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = hide_digits(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            if os.environ.get("JARING_DEBUG"):
                record.exc_text = hide_digits(logging.Formatter().formatException(record.exc_info))
            else:
                record.exc_text = exception_text(record.exc_info[1])
        return True


def safe_handler(stream: TextIO | None = None, level: int = logging.WARNING) -> logging.Handler:
    """A stream handler (stderr by default) that logs through :class:`PersonalDataFilter`."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setLevel(level)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def log_to_stderr(level: int = logging.WARNING) -> None:
    """Send the ``jaring`` loggers to stderr through :func:`safe_handler` (the server's log),
    once per process."""
    root = logging.getLogger("jaring")
    if not any(getattr(h, "jaring_safe", False) for h in root.handlers):
        handler = safe_handler(level=level)
        handler.jaring_safe = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.setLevel(min(root.level or level, level))
