"""What a file is, by its content; a safe file name; encryption at rest. Pure: bytes in,
bytes or values out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import unicodedata

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# The kinds a domain may accept, by the name it asks for, with their media type.
KINDS: dict[str, str] = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NONCE_BYTES = 12


@dataclasses.dataclass(frozen=True)
class Attachment:
    """One stored file, as its record says (never its bytes)."""

    id: int
    sha256: str
    media_type: str
    size: int
    filename: str
    purpose: str
    region: str | None
    personal: bool
    encrypted: bool
    read_right: str
    created_at: dt.datetime
    created_by: str
    deleted_at: dt.datetime | None = None
    deleted_by: str | None = None


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` judged by its content (PDF, JPEG or PNG), or ``None``.

    A PDF starts with ``%PDF-`` and has ``%%EOF`` in its last kilobyte; a PNG starts with
    its eight-byte signature and an IHDR chunk; a JPEG starts with SOI and a marker and ends
    with EOI (some cameras append bytes after it, so the last kilobyte is searched).

    >>> sniff(b"%PDF-1.7\\n...\\n%%EOF\\n")
    'application/pdf'
    >>> sniff(b"MZ\\x90\\x00") is None
    True
    """
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return "image/png"
    if data.startswith(b"\xff\xd8\xff") and b"\xff\xd9" in data[-1024:]:
        return "image/jpeg"
    return None


def clean_filename(name: str | None, media_type: str) -> str:
    """The file's name as people will see it again: its last path part, control and
    separator characters removed, at most 120 characters, with the extension its content
    warrants (``../../etc/passwd`` -> ``passwd.pdf``).

    >>> clean_filename("C:\\\\Users\\\\x\\\\surat keterangan.PDF", "application/pdf")
    'surat keterangan.pdf'
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    ).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.strip(" .")[:120] or "lampiran"
    return stem + EXTENSIONS[media_type]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_id(key: bytes) -> str:
    """A short name of a key that does not reveal it: the first 16 hex digits of the SHA-256
    of a fixed label and the key."""
    return hashlib.sha256(b"jaring-attachment-key\x00" + key).hexdigest()[:16]


def encrypt(key: bytes, data: bytes, sha256: str) -> bytes:
    """``nonce || AES-256-GCM(data)``, bound to the plaintext's digest (associated data), so
    that bytes moved from one record to another do not decrypt."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, data, sha256.encode())


def decrypt(key: bytes, blob: bytes, sha256: str) -> bytes | None:
    """The plaintext of :func:`encrypt`'s output, or ``None`` when the key or the record is
    not the one it was encrypted for."""
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], sha256.encode())
    except (InvalidTag, ValueError):
        return None
