"""Keyed hashes of NIKs (HMAC-SHA256): two Pemda holding the same key turn the same NIK into
the same 64-hex-digit text, so exact NIK matching works across regions without any clear NIK
leaving a store, while nobody without the key can test a guessed NIK against a snapshot (a
plain hash of a 16-digit number with a known layout is reversed by enumeration in minutes).

What is lost: a keyed hash keeps equality only. Two NIKs one digit apart, or equal but for
the region code, hash to unrelated texts, so the model's "same NIK under another region
code" level can no longer be seen (docs/national.md gives the measured cost).
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import polars as pl

from jaring.national import errors

MIN_KEY_BYTES = 32


def read_key(path: str | Path) -> bytes:
    """The key in ``path``: its bytes as stored (at least 32), surrounding whitespace
    removed, so a key written by ``openssl rand -hex 32 > key`` works as it is. Refuses
    ``key_too_short`` and ``file_not_found``."""
    p = Path(path)
    if not p.is_file():
        from jaring.errors import FILE_NOT_FOUND

        raise FILE_NOT_FOUND(file=str(path), field="pseudonymise")
    key = p.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise errors.KEY_TOO_SHORT(file=p.name, bytes=len(key), field="pseudonymise")
    return key


def key_id(key: bytes) -> str:
    """A short name of the key that does not reveal it: snapshots made with one key carry the
    same id, so combining snapshots hashed with different keys is refused."""
    return hmac.new(key, b"jaring national key id", hashlib.sha256).hexdigest()[:16]


def hash_nik(key: bytes, nik: str | None) -> str | None:
    """The keyed hash of one NIK (``None`` stays ``None``)."""
    if nik is None:
        return None
    return hmac.new(key, nik.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def hash_column(frame: pl.DataFrame, column: str, key: bytes) -> pl.DataFrame:
    """``frame`` with ``column`` replaced by its keyed hashes (hashing each distinct value
    once)."""
    if column not in frame.columns or frame.height == 0:
        return frame
    distinct = frame.get_column(column).drop_nulls().unique()
    mapping = pl.DataFrame(
        {
            column: distinct,
            "_h": [hash_nik(key, v) for v in distinct.to_list()],
        },
        schema={column: frame.schema[column], "_h": pl.String},
    )
    return (
        frame.join(mapping, on=column, how="left", maintain_order="left")
        .with_columns(pl.col("_h").alias(column))
        .drop("_h")
    )
