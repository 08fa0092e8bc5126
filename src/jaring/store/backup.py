"""Backups of the store, taken while the server writes, and their restore.

* **SQLite**: SQLite's online backup API (``sqlite3.Connection.backup``): a consistent copy
  of the file, page by page, while the web app and the CLI go on reading and writing (WAL).
* **PostgreSQL**: ``pg_dump --format=custom`` of one snapshot: the manifest below is counted
  in a repeatable-read transaction whose snapshot ``pg_dump`` is handed
  (``--snapshot``), so both see the same instant. ``pg_restore`` puts it back.

Attachments (PDF, JPG, PNG of claims, awards...) live in the store itself
(``attachment_blob``), so every backup holds them; the attachments' encryption key does not
(``JARING_ATTACHMENT_KEY`` / ``attachments.key``): an operator keeps it apart, or the encrypted
files cannot be read after a restore (``docs/security.md``).

Beside the backup ``FILE`` goes ``FILE.manifest.json``: per table, its rows and a SHA-256 of
its rows in primary-key order. :func:`restore` checks the restored store against it, so a
backup that does not restore to the same rows is found on the day it is tested, not on the
day it is needed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, select, text

from jaring import errors
from jaring.store import dialect


@dataclasses.dataclass(frozen=True)
class Backup:
    """A backup written (or restored): the file, its size, the dialect, and per table its
    rows and checksum (``tables``)."""

    file: str
    bytes: int
    dialect: str
    tables: dict[str, dict[str, Any]]


def manifest(conn: Connection) -> dict[str, dict[str, Any]]:
    """Per table of the store: ``rows`` and ``sha256`` of its rows in primary-key order (as
    the driver returns them)."""
    meta = MetaData()
    meta.reflect(conn)
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(meta.tables):
        table = meta.tables[name]
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        rows = 0
        for row in conn.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
            rows += 1
        out[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return out


def _manifest_path(file: Path) -> Path:
    return file.with_name(file.name + ".manifest.json")


def _pg_url(engine: Engine) -> str:
    """The engine's URL as libpq takes it (no SQLAlchemy driver name)."""
    url = engine.url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(args: list[str], tool: str) -> None:
    """Run ``pg_dump`` / ``pg_restore``; refuse (``backup_tool_failed``) with its exit code,
    never with its output (it may quote data)."""
    if shutil.which(args[0]) is None:
        raise errors.BACKUP_TOOL_MISSING(tool=tool)
    done = subprocess.run(args, capture_output=True, check=False)
    if done.returncode != 0:
        raise errors.BACKUP_TOOL_FAILED(tool=tool, code=done.returncode)


def backup(engine: Engine, out: Path) -> Backup:
    """Back the store up to ``out`` (its folder made) while others go on writing, with its
    manifest beside it. Refuses ``backup_exists`` rather than overwrite a file."""
    out = Path(out)
    if out.exists():
        raise errors.BACKUP_EXISTS(file=str(out), field="out")
    out.parent.mkdir(parents=True, exist_ok=True)
    if dialect.of(engine) is dialect.SQLITE:
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(out)
            try:
                raw.driver_connection.backup(target)  # type: ignore[union-attr]
            finally:
                target.close()
        finally:
            raw.close()
        copy = sqlite3.connect(out)
        try:  # the copy is a database of its own: no WAL beside it to lose
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        from jaring.store.db import make_engine

        copy_engine = make_engine(f"sqlite:///{out}")
        try:
            with copy_engine.connect() as conn:
                tables = manifest(conn)
        finally:
            copy_engine.dispose()
    else:
        with engine.connect() as conn:
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            tables = manifest(conn)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={out}",
                    f"--dbname={_pg_url(engine)}",
                ],
                "pg_dump",
            )
            conn.rollback()
    _manifest_path(out).write_text(json.dumps(tables, indent=1, sort_keys=True))
    return Backup(str(out), out.stat().st_size, dialect.of(engine).name, tables)


def restore(engine: Engine, file: Path, *, force: bool = False) -> Backup:
    """Put the backup ``file`` in place of the store of ``engine`` and check it against its
    manifest. Refuses ``file_not_found``, ``restore_not_empty`` (the store holds data and
    ``force`` was not given) and ``restore_mismatch`` (a table's rows or checksum differ)."""
    file = Path(file)
    if not file.is_file():
        raise errors.FILE_NOT_FOUND(file=str(file))
    if not force and _has_data(engine):
        raise errors.RESTORE_NOT_EMPTY(field="force")
    if dialect.of(engine) is dialect.SQLITE:
        engine.dispose()
        source = sqlite3.connect(file)
        try:
            raw = engine.raw_connection()
            try:
                source.backup(raw.driver_connection)  # type: ignore[arg-type]
            finally:
                raw.close()
        finally:
            source.close()
        engine.dispose()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_pg_url(engine)}",
                str(file),
            ],
            "pg_restore",
        )
    with engine.connect() as conn:
        tables = manifest(conn)
    expected_path = _manifest_path(file)
    if expected_path.is_file():
        expected = json.loads(expected_path.read_text())
        bad = sorted(t for t in expected if tables.get(t) != expected[t])
        if bad:
            raise errors.RESTORE_MISMATCH(tables=", ".join(bad))
    return Backup(str(file), file.stat().st_size, dialect.of(engine).name, tables)


def _has_data(engine: Engine) -> bool:
    """Whether the store holds any person, program or user (a fresh one holds none)."""
    with engine.connect() as conn:
        meta = MetaData()
        meta.reflect(conn, only=lambda name, _m: name in ("person", "program", "web_user"))
        return any(
            conn.execute(select(t).limit(1)).first() is not None for t in meta.tables.values()
        )
