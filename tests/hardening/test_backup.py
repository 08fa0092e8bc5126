"""`jaring db backup` while the server writes, then `jaring db restore` into a new store: every
table's rows and checksum as in the backup's manifest, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, insert, text
from tests.web.conftest import _seed_all

from jaring.errors import JaringError
from jaring.store import backup, make_engine
from jaring.store.tables.web import web_login_attempt


def writing(engine: Engine, stop: threading.Event) -> threading.Thread:
    """A writer that goes on committing small transactions until ``stop``."""

    def run() -> None:
        n = 0
        while not stop.is_set():
            with engine.begin() as conn:
                conn.execute(insert(web_login_attempt).values(address=f"w{n}", at=time.time()))
            n += 1

    t = threading.Thread(target=run)
    t.start()
    return t


def fresh_target(engine: Engine, tmp_path: Path, request: pytest.FixtureRequest) -> Engine:
    if engine.dialect.name == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    admin_url = request.getfixturevalue("pg_server")
    name = f"jaring_r_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()

    def drop() -> None:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return make_engine(f"{admin_url.rsplit('/', 1)[0]}/{name}")


def test_backup_while_writing_restores_every_row(
    engine: Engine, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    _seed_all(engine)
    stop = threading.Event()
    writer = writing(engine, stop)
    try:
        time.sleep(0.2)
        done = backup.backup(engine, tmp_path / "jaring.backup")
        time.sleep(0.2)
    finally:
        stop.set()
        writer.join()
    assert done.tables["person"]["rows"] == 4 and done.tables["web_user"]["rows"] >= 6
    assert done.tables["web_login_attempt"]["rows"] > 0  # taken in the middle of the writes
    saved = json.loads((tmp_path / "jaring.backup.manifest.json").read_text())
    assert saved == done.tables

    target = fresh_target(engine, tmp_path, request)
    restored = backup.restore(target, tmp_path / "jaring.backup")
    assert restored.tables == done.tables  # every count and checksum equal
    with pytest.raises(JaringError) as e:  # a store with data is not replaced unasked
        backup.restore(target, tmp_path / "jaring.backup")
    assert e.value.code == "restore_not_empty"
    target.dispose()


def test_backup_does_not_overwrite(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "x.backup").write_text("keep me")
    with pytest.raises(JaringError) as e:
        backup.backup(engine, tmp_path / "x.backup")
    assert e.value.code == "backup_exists"
