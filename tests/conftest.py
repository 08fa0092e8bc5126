"""Shared fixtures. Store tests run on SQLite and on the real PostgreSQL of this machine.

``db_url`` (and ``engine`` on it) is parametrised over both dialects: a fresh database per
test, migrated to head, dropped afterwards. PostgreSQL cases need a reachable server; without a reachable server they are skipped, unless
``JARING_REQUIRE_PG=1`` (CI sets it) turns that into a failure.
Override the server with ``JARING_TEST_PG`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import copy
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text

from jaring.cli import options
from jaring.store import make_engine, migrate

# Tests do not time: on a loaded 2-core machine an example may take seconds, and hypothesis's
# per-example deadline then fails a correct test. Tests that set their own keep it.
settings.register_profile("jaring", deadline=None)
settings.load_profile("jaring")

PG_ADMIN_URL = os.environ.get("JARING_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        eng = create_engine(PG_ADMIN_URL)
        with eng.connect() as c:
            c.execute(text("select 1"))
        eng.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_server() -> str:
    if not _pg_available():
        if os.environ.get("JARING_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL required but not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable")
    return PG_ADMIN_URL


def _pg_admin(admin_url: str, statement: str) -> None:
    """Run one statement that may not run in a transaction (``CREATE``/``DROP DATABASE``)
    on the server of ``admin_url``."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text(statement))
    finally:
        admin.dispose()


def _create_pg_database(admin_url: str) -> tuple[str, str]:
    name = f"jaring_t_{uuid.uuid4().hex[:12]}"
    _pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


def _drop_pg_database(admin_url: str, name: str) -> None:
    _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head per test session; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "jaring.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    with eng.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


class PgClones:
    """Fresh copies of template databases for the tests of one process, each made while the
    test before runs (``CREATE DATABASE ... TEMPLATE`` in a thread: the test waits for it only
    when it was not ready), and dropped after its test the same way.

    A copy takes a fraction of a second on a quiet machine and a second or more on a loaded
    one, when most of it is waiting; a test of each dialect paid it before its first line.
    """

    def __init__(self, admin_url: str) -> None:
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.base = admin_url.rsplit("/", 1)[0]
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-clones")
        self.spare: dict[str, Future[str]] = {}  # template -> the next copy of it
        self.drops: list[Future[None]] = []
        self.closed = False

    def _create(self, template: str) -> str:
        name = f"jaring_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        return name

    def _drop(self, name: str) -> None:
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def take(self, template: str) -> str:
        """The name of a fresh copy of ``template`` (nobody connected to it yet); the next
        one is started at once."""
        ready = self.spare.pop(template, None)
        name = ready.result() if ready is not None else self._create(template)
        self.spare[template] = self.thread.submit(self._create, template)
        return name

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def drop(self, name: str) -> None:
        """Drop the copy ``name`` (its test over) in the thread."""
        self.drops.append(self.thread.submit(self._drop, name))

    def release(self, template: str) -> None:
        """Drop the spare copy of ``template`` and wait until nothing runs: the template
        may be dropped after."""
        ready = self.spare.pop(template, None)
        if ready is not None:
            self._drop(ready.result())
        if not self.closed:
            self.thread.submit(lambda: None).result()

    def close(self) -> None:
        for template in list(self.spare):
            self.release(template)
        self.closed = True
        self.thread.shutdown(wait=True)
        try:
            for done in self.drops:
                done.result()  # a failed drop fails the run here, never silently
        finally:
            self.admin.dispose()


@pytest.fixture(scope="session")
def pg_clones(pg_server: str) -> Iterator[PgClones]:
    """Fresh copies of template databases, made ahead (:class:`PgClones`)."""
    clones = PgClones(pg_server)
    try:
        yield clones
    finally:
        clones.close()


@pytest.fixture(scope="session")
def _pg_template(pg_server: str, pg_clones: PgClones) -> Iterator[str]:
    """One PostgreSQL database migrated to head per test session, used as a ``TEMPLATE``."""
    name, url = _create_pg_database(pg_server)
    eng = make_engine(url)
    migrate(eng)
    eng.dispose()
    try:
        yield name
    finally:
        pg_clones.release(name)
        _drop_pg_database(pg_server, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to a fresh database of each dialect, already migrated to head.

    Copied from a per-session template (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE``
    on PostgreSQL), which is much faster than running the migrations for every test. Commands
    that migrate on open find nothing to do.
    """
    if request.param == "sqlite":
        path = tmp_path / "jaring.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("_pg_template")
    clones: PgClones = request.getfixturevalue("pg_clones")
    name = clones.take(template)
    try:
        yield clones.url(name)
    finally:
        clones.drop(name)


class StoreCopies:
    """Stores built once per test process, each kept as a template and copied into a later
    test's fresh store (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
    PostgreSQL) with the files its building wrote: see :func:`families.world.built`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[tuple[str, str], tuple[str, Path, Any]] = {}  # -> template, files, result

    def once(self, eng: Engine, key: str, tmp_path: Path, build: Callable[[], Any]) -> Any:
        """``build()`` (which fills ``eng``'s fresh store and may write files in
        ``tmp_path``) run in the first test of this process and dialect; a copy of the store,
        the files and ``build``'s result for every later test."""
        got = self.get(eng, key, tmp_path)
        if got is None:
            got = build()
            self.keep(eng, key, tmp_path, got)
        return got

    def get(self, eng: Engine, key: str, tmp_path: Path) -> Any | None:
        """Copy the store kept under ``key`` into ``eng``'s store (which must be fresh, and
        have no connection checked out), its files into ``tmp_path``; its result, or
        ``None`` when nothing is kept yet."""
        kept = self.made.get((eng.dialect.name, key))
        if kept is None:
            return None
        template, files, result = kept
        eng.dispose()
        if eng.dialect.name == "sqlite":
            path = Path(str(eng.url.database))
            for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                extra.unlink(missing_ok=True)
            shutil.copyfile(template, path)
        else:
            name = str(eng.url.database)
            _drop_pg_database(PG_ADMIN_URL, name)
            _pg_admin(PG_ADMIN_URL, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        for f in files.iterdir():
            shutil.copyfile(f, tmp_path / f.name)
        return copy.deepcopy(result)

    def keep(self, eng: Engine, key: str, tmp_path: Path, result: Any) -> None:
        """Keep ``eng``'s store as just built (every connection returned) under ``key``,
        with the files now in ``tmp_path``; ``eng`` stays usable."""
        files = self.folder / uuid.uuid4().hex[:12]
        files.mkdir()
        for f in tmp_path.iterdir():
            if f.is_file():
                shutil.copyfile(f, files / f.name)
        if eng.dialect.name == "sqlite":
            with eng.connect() as c:
                c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            eng.dispose()
            template = str(files.with_suffix(".db"))
            shutil.copyfile(str(eng.url.database), template)
        else:
            eng.dispose()
            template = f"jaring_t_{uuid.uuid4().hex[:12]}"
            _pg_admin(PG_ADMIN_URL, f'CREATE DATABASE "{template}" TEMPLATE "{eng.url.database}"')
        self.made[(eng.dialect.name, key)] = (template, files, copy.deepcopy(result))


@pytest.fixture(scope="session")
def store_copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreCopies]:
    """The stores built once per test process (:class:`StoreCopies`); the PostgreSQL ones
    dropped at the end."""
    copies = StoreCopies(tmp_path_factory.mktemp("store_copies"))
    yield copies
    for (dialect, _), (template, _, _) in copies.made.items():
        if dialect != "sqlite":
            _drop_pg_database(PG_ADMIN_URL, template)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on each dialect, fresh for every test."""
    eng = make_engine(db_url)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture(autouse=True)
def _fresh_cli_options() -> Iterator[None]:
    """Each test starts in Indonesian with no CLI option left by an earlier test run in the
    same worker (the CLI runs in-process in some tests)."""
    options.reset()
    yield
    options.reset()
