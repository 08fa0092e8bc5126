"""Writing an import into the store: the batch, its files, every source row and its issues,
in one transaction, at bulk speed on both dialects.

A list can hold a million rows, so the write path is chosen per dialect for speed:

* **SQLite**: an ADBC connection (``adbc_driver_sqlite``) ingests Arrow columns straight into
  the table, with no Python object per value (``executemany`` spent more time building
  tuples than SQLite spent storing them). ADBC opens its own connection and cannot join a
  SQLAlchemy transaction, so the *whole* write - batch, files, rows, issues - runs on that
  one connection inside one ``BEGIN IMMEDIATE`` transaction: SQLite has one writer, and
  taking the write lock first means two imports of the same source cannot both decide that
  a row is new. **It runs in a child process**: the ADBC driver carries its own copy of the
  SQLite library, and two copies in one process do not see each other's POSIX file locks
  (closing one's file handle drops the other's locks: SQLite's "how to corrupt your
  database" 2.2.1). Measured in one process: a pooled connection kept reading a stale
  snapshot after the ADBC commit. The child gets the frames as Arrow IPC files (on
  ``/dev/shm`` where there is one, memory-mapped rather than copied) and answers with the
  summary as JSON. In-memory
  databases (no file a second process could open) use the SQLAlchemy path.
* **PostgreSQL**: ``COPY ... FROM STDIN (FORMAT csv)`` fed by Polars' CSV writer, on the
  caller's SQLAlchemy connection, after locking ``registry_row`` against concurrent imports.

**Re-imports** (a list exported again with a few rows added) are recognised without a hash
index: the raw values of the rows already stored for the same source are read (columnar, and
only when the source has rows) and anti-joined on ``(raw, occurrence)``, where the
occurrence number counts identical rows (a list that really holds the same row twice keeps
both; stored rows are numbered in id order, which is the order they were imported in).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

# The SQLite writer runs this module in a child process: it imports only Polars and the
# ADBC driver (SQLAlchemy, the store and the intake are imported where they are used).
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import Connection

    from jaring.registry.intake import ReadFile

#: Validated columns of ``registry_row``, in table order.
ROW_COLUMNS = (
    "nik", "name", "name_norm", "birth_date", "sex", "district_code", "village_code",
    "address", "phone", "occupation", "income", "desil",
)  # fmt: skip

ISSUE_COLUMNS = ("field", "code", "severity", "value", "detail")

_EXISTING_SQL = (
    "SELECT raw FROM registry_row WHERE batch_id IN "
    "(SELECT id FROM registry_batch WHERE source = {p}) ORDER BY id"
)


@dataclasses.dataclass
class FileInfo:
    """What ``registry_file`` keeps of a file read."""

    name: str
    sha256: str
    size: int
    sheets: list[str]
    columns: dict[str, dict[str, str]]  # sheet ("" for CSV) -> header as typed -> field
    headers: dict[str, list[str]]  # sheet ("" for CSV) -> names of the ``raw`` values

    @classmethod
    def of(cls, f: ReadFile) -> FileInfo:
        from jaring.registry.intake import raw_keys

        return cls(
            name=f.name,
            sha256=f.sha256,
            size=f.size,
            sheets=[s.sheet for s in f.sheets if s.sheet],
            columns={s.sheet or "": s.mapping for s in f.sheets},
            headers={s.sheet or "": raw_keys(s.headers) for s in f.sheets},
        )


@dataclasses.dataclass
class Batch:
    """What one import writes: ``rows`` has ``file_idx``, ``sheet``, ``row_number``, ``raw``,
    ``status`` and :data:`ROW_COLUMNS`, in source order; ``issues`` is long (``_row``: the
    position of its row in ``rows``, then :data:`ISSUE_COLUMNS`)."""

    source: str
    imported_by: str | None
    listed_on: dt.date
    files: list[FileInfo]
    files_skipped: int
    rows: pl.DataFrame
    issues: pl.DataFrame


def write(engine: Engine, batch: Batch) -> dict[str, Any]:
    """Store ``batch`` (skipping rows already stored for its source) in one transaction.
    Returns ``batch`` (id), ``rows``, ``accepted``, ``rejected``, ``warnings``,
    ``duplicates_skipped``."""
    path = _sqlite_file(engine)
    if path is not None:
        return _write_in_child(path, batch)
    with engine.begin() as conn:
        return _write(_SqlAlchemyWriter(conn), batch)


def _write_in_child(path: str, b: Batch) -> dict[str, Any]:
    """Run :func:`_write` on an ADBC SQLite connection in a child process (see the module
    docstring for why a child)."""
    meta = {
        "db": str(Path(path).resolve()),
        "source": b.source,
        "imported_by": b.imported_by,
        "listed_on": b.listed_on.isoformat(),
        "files_skipped": b.files_skipped,
        "files": [dataclasses.asdict(f) for f in b.files],
    }
    with tempfile.TemporaryDirectory(prefix="jaring-import-", dir=_scratch(b)) as tmp:
        d = Path(tmp)
        (d / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        b.rows.write_ipc(d / "rows.arrow", compression="uncompressed")
        b.issues.write_ipc(d / "issues.arrow", compression="uncompressed")
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        done = subprocess.run(
            [sys.executable, "-m", "jaring.registry.staging", str(d)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        from jaring.errors import JaringError

        lines = (done.stderr or "").strip().splitlines()
        reason = lines[-1] if lines else f"exit {done.returncode}"
        raise JaringError(
            "import_store_failed",
            f"Impor gagal disimpan, tidak ada yang tersimpan: {reason}",
            f"The import could not be stored, nothing was written: {reason}",
        )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _scratch(b: Batch) -> str | None:
    """``/dev/shm`` (memory: the child reads the frames back at once) when it has room for
    them twice over, else the system's temporary directory."""
    need = 2 * (b.rows.estimated_size() + b.issues.estimated_size())
    try:
        st = os.statvfs("/dev/shm")
    except OSError:
        return None
    room = st.f_bavail * st.f_frsize
    return "/dev/shm" if room > need and os.access("/dev/shm", os.W_OK) else None


def _child_main(folder: str) -> None:
    d = Path(folder)
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    batch = Batch(
        source=meta["source"],
        imported_by=meta["imported_by"],
        listed_on=dt.date.fromisoformat(meta["listed_on"]),
        files=[FileInfo(**f) for f in meta["files"]],
        files_skipped=meta["files_skipped"],
        rows=_read_arrow(d / "rows.arrow"),
        issues=_read_arrow(d / "issues.arrow"),
    )
    with _adbc_sqlite(meta["db"]) as writer:
        out = _write(writer, batch)
    print(json.dumps(out))


def _read_arrow(path: Path) -> pl.DataFrame:
    """An Arrow IPC file as a frame without copying it: memory-mapped by pyarrow (0.003 s for
    a million rows against 0.44 s for ``pl.read_ipc``, which copies; pyarrow's import costs
    0.18 s). The file stays until the parent removes it, after this process has ended."""
    import pyarrow as pa
    import pyarrow.ipc

    table = pyarrow.ipc.open_file(pa.memory_map(str(path))).read_all()
    frame = pl.from_arrow(table, rechunk=False)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _write(w: _Writer, b: Batch) -> dict[str, Any]:
    w.lock()
    rows = b.rows.with_row_index("_row")
    existing = w.existing_raw(b.source)
    before = rows.height
    if existing.height:
        occurrence = pl.int_range(pl.len()).over("raw").alias("_occ")
        rows = rows.with_columns(occurrence).join(
            existing.with_columns(occurrence), on=["raw", "_occ"], how="anti", maintain_order="left"
        )
    issues = b.issues
    if rows.height < before:
        issues = issues.join(rows.select("_row"), on="_row", how="semi", maintain_order="left")
    accepted = rows.filter(pl.col("status") == "accepted").height
    summary = {
        "rows": rows.height,
        "accepted": accepted,
        "rejected": rows.height - accepted,
        "warnings": issues.filter(pl.col("severity") == "warning").height,
        "duplicates_skipped": before - rows.height,
    }
    batch_id = w.insert_returning_id(
        "registry_batch",
        {
            "source": b.source,
            "imported_by": b.imported_by,
            "imported_at": dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0),
            "listed_on": b.listed_on,
            "files": len(b.files),
            "files_skipped": b.files_skipped,
            **summary,
        },
    )
    file_ids = [
        w.insert_returning_id(
            "registry_file",
            {
                "batch_id": batch_id,
                "name": f.name,
                "sha256": f.sha256,
                "bytes": f.size,
                "sheets": json.dumps(f.sheets),
                "columns": json.dumps(f.columns, ensure_ascii=False),
                "headers": json.dumps(f.headers, ensure_ascii=False),
            },
        )
        for f in b.files
    ]
    if rows.height:
        first = w.next_row_id(rows.height)
        rows = rows.with_columns(id=pl.int_range(first, first + pl.len(), dtype=pl.Int64))
        w.ingest(
            "registry_row",
            rows.select(
                "id",
                pl.lit(batch_id, dtype=pl.Int32).alias("batch_id"),
                pl.col("file_idx")
                .replace_strict(dict(enumerate(file_ids)), return_dtype=pl.Int32)
                .alias("file_id"),
                "sheet",
                "row_number",
                "raw",
                "status",
                *ROW_COLUMNS,
            ),
        )
        if issues.height:
            w.ingest(
                "registry_issue",
                issues.join(rows.select("_row", "id"), on="_row", maintain_order="left").select(
                    pl.col("id").alias("row_id"),
                    pl.lit(batch_id, dtype=pl.Int32).alias("batch_id"),
                    *ISSUE_COLUMNS,
                ),
            )
    return {"batch": batch_id, **summary}


# ---------------------------------------------------------------- writers


class _Writer(Protocol):
    """The few operations an import needs, on one open write transaction."""

    def lock(self) -> None: ...
    def existing_raw(self, source: str) -> pl.DataFrame: ...
    def insert_returning_id(self, table: str, values: dict[str, Any]) -> int: ...
    def next_row_id(self, count: int) -> int: ...
    def ingest(self, table: str, frame: pl.DataFrame) -> None: ...


class _SqlAlchemyWriter:
    """PostgreSQL (COPY in CSV format) and in-memory SQLite (``store.bulk.insert_frame``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"

    def lock(self) -> None:
        from sqlalchemy import text

        if self.pg:  # concurrent imports of one source must not both see a row as new
            self.conn.execute(text("LOCK TABLE registry_row IN SHARE ROW EXCLUSIVE MODE"))

    def existing_raw(self, source: str) -> pl.DataFrame:
        from sqlalchemy import text

        if self.pg:
            literal = "'" + source.replace("'", "''") + "'"
            return self._pg_read_csv(_EXISTING_SQL.format(p=literal), {"raw": pl.String})
        rows = self.conn.execute(text(_EXISTING_SQL.format(p=":s")), {"s": source}).fetchall()
        return pl.DataFrame({"raw": [r[0] for r in rows]}, schema={"raw": pl.String})

    def _pg_read_csv(self, sql: str, schema: dict[str, Any]) -> pl.DataFrame:
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        buf = io.BytesIO()
        with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:  # type: ignore[attr-defined]
            for block in copy:
                buf.write(block)
        if buf.tell() == 0:
            return pl.DataFrame(schema=schema)
        buf.seek(0)
        return pl.read_csv(buf, has_header=False, new_columns=list(schema), schema=schema)

    def insert_returning_id(self, table: str, values: dict[str, Any]) -> int:
        from sqlalchemy import insert

        from jaring.store.tables.registry import registry_batch, registry_file

        t = {"registry_batch": registry_batch, "registry_file": registry_file}[table]
        return int(self.conn.execute(insert(t).returning(t.c.id), values).scalar_one())

    def next_row_id(self, count: int) -> int:
        from jaring.store.bulk import next_ids
        from jaring.store.tables.registry import registry_row

        return next_ids(self.conn, registry_row, count)[0]

    def ingest(self, table: str, frame: pl.DataFrame) -> None:
        if not self.pg:
            from jaring.store.bulk import insert_frame

            insert_frame(self.conn, table, frame)
            return
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        sql = f'COPY "{table}" ({cols}) FROM STDIN (FORMAT csv)'
        # Polars writes null as an empty field and "" as a quoted empty string: exactly
        # what COPY's CSV format reads as NULL and as an empty string.
        with raw.cursor() as cur, cur.copy(sql) as copy:  # type: ignore[attr-defined]
            for chunk in frame.iter_slices(250_000):
                buf = io.BytesIO()
                chunk.write_csv(buf, include_header=False)
                copy.write(buf.getvalue())


class _AdbcSqliteWriter:
    """SQLite through ADBC's low-level API (its DB-API layer imports pandas: 2 s of start-up
    in the child): Arrow streams in and out, one transaction (see the module docstring)."""

    def __init__(self, path: str) -> None:
        import adbc_driver_manager
        import adbc_driver_sqlite

        self._am = adbc_driver_manager
        self.db = adbc_driver_sqlite.connect(path)
        self.conn = adbc_driver_manager.AdbcConnection(self.db)  # autocommit: we BEGIN

    def query(self, sql: str, params: pl.DataFrame | None = None) -> pl.DataFrame:
        st = self._am.AdbcStatement(self.conn)
        try:
            st.set_sql_query(sql)
            if params is not None:
                st.bind_stream(params)
            handle, _ = st.execute_query()
            return pl.DataFrame(handle)
        finally:
            st.close()

    def execute(self, sql: str) -> None:
        st = self._am.AdbcStatement(self.conn)
        try:
            st.set_sql_query(sql)
            st.execute_update()
        finally:
            st.close()

    def close(self) -> None:
        self.conn.close()
        self.db.close()

    def lock(self) -> None:
        pass  # BEGIN IMMEDIATE already holds the write lock

    def existing_raw(self, source: str) -> pl.DataFrame:
        out = self.query(_EXISTING_SQL.format(p="?"), pl.DataFrame({"s": [source]}))
        return out.select(pl.col(out.columns[0]).cast(pl.String).alias("raw"))

    def insert_returning_id(self, table: str, values: dict[str, Any]) -> int:
        cols = list(values)
        params = pl.DataFrame(
            [pl.Series(c, [_sqlite_value(values[c])], dtype=_sqlite_dtype(values[c])) for c in cols]
        )
        sql = (
            f'INSERT INTO "{table}" ({", ".join(cols)}) '
            f"VALUES ({', '.join('?' for _ in cols)}) RETURNING id"
        )
        return int(self.query(sql, params).item(0, 0))

    def next_row_id(self, count: int) -> int:
        return int(self.query("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM registry_row").item())

    def ingest(self, table: str, frame: pl.DataFrame) -> None:
        # dates as ISO text, the form SQLAlchemy reads back on SQLite
        frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        st = self._am.AdbcStatement(self.conn)
        try:
            st.set_options(
                **{
                    "adbc.ingest.target_table": table,
                    "adbc.ingest.mode": "adbc.ingest.mode.append",
                }
            )
            st.bind_stream(frame)
            st.execute_update()
        finally:
            st.close()


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _sqlite_dtype(v: Any) -> type[pl.DataType]:
    return pl.Int64 if isinstance(v, int) else pl.String


def _sqlite_file(engine: Engine) -> str | None:
    """The database file of a SQLite engine that ADBC can open too (else ``None``)."""
    if engine.dialect.name != "sqlite":
        return None
    db = engine.url.database
    if not db or db == ":memory:" or db.startswith("file:") or engine.url.query:
        return None
    if importlib.util.find_spec("adbc_driver_sqlite") is None:  # pragma: no cover
        return None  # a dependency; without it the slow path still works
    return db


@contextmanager
def _adbc_sqlite(path: str) -> Iterator[_AdbcSqliteWriter]:
    w = _AdbcSqliteWriter(path)
    try:
        for pragma in (
            "PRAGMA busy_timeout=30000",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=NORMAL",
            # a bigger page cache for the length of one import (the table and its indexes)
            "PRAGMA cache_size=-262144",
        ):
            w.query(pragma)
        w.execute("BEGIN IMMEDIATE")
        try:
            yield w
        except BaseException:
            w.execute("ROLLBACK")
            raise
        w.execute("COMMIT")
    finally:
        w.close()


if __name__ == "__main__":
    _child_main(sys.argv[1])
