"""The key of encryption at rest for attachments, kept outside the database.

In order: ``JARING_ATTACHMENT_KEY`` (32 bytes, URL-safe base64), the file named by
``JARING_ATTACHMENT_KEY_FILE``, else ``attachments.key`` in Jaring's configuration directory
(``$XDG_CONFIG_HOME/jaring``, by default ``~/.config/jaring``). When no key is set and
``create`` is true, a new random key is written to that file, readable by its owner only.
Back the key up apart from the database: without it, encrypted attachments cannot be read.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

KEY_BYTES = 32


def key_path() -> Path:
    named = os.environ.get("JARING_ATTACHMENT_KEY_FILE")
    if named:
        return Path(named)
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "jaring" / "attachments.key"


def _decode(text: str) -> bytes | None:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode() + b"==")
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == KEY_BYTES else None


def load(create: bool = False) -> bytes | None:
    """The key, or ``None`` when none is set (and ``create`` is false) or it is malformed."""
    env = os.environ.get("JARING_ATTACHMENT_KEY")
    if env:
        return _decode(env)
    path = key_path()
    if path.exists():
        return _decode(path.read_text(encoding="ascii", errors="replace"))
    if not create:
        return None
    key = os.urandom(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first: use that one
        return _decode(path.read_text(encoding="ascii", errors="replace"))
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(base64.urlsafe_b64encode(key).decode().rstrip("=") + "\n")
    return key
