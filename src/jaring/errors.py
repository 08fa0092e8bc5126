"""Errors a user can act on, in Bahasa Indonesia with English available.

Domain code raises :class:`JaringError` for every refusal a user may meet (bad input, a rule
with no value in force, a payment larger than its invoice...). The CLI turns it into one line
and exit code 2; the web turns it into problem+json with the same stable ``code``. Anything
else that escapes is a bug: the interfaces report it without a traceback and log it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class JaringError(Exception):
    """A refusal with a stable code and a message in both languages.

    ``context`` holds the facts behind the message (file, row, field, value...) so an
    interface can show or serialise them; it must never carry personal data that the
    caller would not show anyway.
    """

    def __init__(self, code: str, id: str, en: str, **context: Any) -> None:
        super().__init__(en)
        self.code = code
        self.messages = {"id": id, "en": en}
        self.context = context

    def message(self, lang: str = "id") -> str:
        """The message in ``lang`` (``id`` or ``en``), falling back to Indonesian."""
        return self.messages.get(lang, self.messages["id"])

    def to_dict(self, lang: str = "id") -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang), **self.context}


class NotFound(JaringError):
    """A thing named by the user does not exist (a batch, program, invoice, claim...)."""


class Forbidden(JaringError):
    """The user's role or regions do not allow this."""


def require_file(path: str | Path) -> Path:
    """``path`` as a :class:`~pathlib.Path` when it names an existing file; else the one
    refusal (``file_not_found``) that every reader of a user's file gives."""
    p = Path(path)
    if not p.is_file():
        raise JaringError(
            "file_not_found",
            f"Berkas tidak ditemukan: {p}",
            f"File not found: {p}",
            file=str(p),
        )
    return p
