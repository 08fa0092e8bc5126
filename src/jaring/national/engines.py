"""The engines the national questions run on, behind one small interface: DuckDB on one
machine, Apache Spark (local mode, or a cluster by its master URL). Both read the
snapshots' Parquet files where they lie, run the same SQL text (:mod:`~jaring.national.dedupe`,
:mod:`~jaring.national.funding` and :mod:`~jaring.national.coverage` use only what both
dialects share) and give Polars frames back; Splink gets the engine's own API.

Spark's session is started once per process (:func:`spark_session`) and reused: its JVM
takes seconds to start (18-42 s on two shared cores at load 6-8 without what follows, 7-11 s
with it), most of it loading and compiling Spark's own classes. A class archive (Java's application class-data sharing, :func:`_java_options`)
written by the first session and mapped by later ones cuts that.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from typing import Any, Protocol

import polars as pl

from jaring.national import errors

ENGINES = ("duckdb", "spark")

_SPARK_TYPES = {pl.Int64: "bigint", pl.Int32: "int", pl.String: "string", pl.Date: "date",
                pl.Float64: "double", pl.Boolean: "boolean", pl.Int8: "tinyint"}  # fmt: skip


def _spark_type(t: Any) -> str:
    if isinstance(t, pl.List):
        return f"array<{_spark_type(t.inner)}>"
    return _SPARK_TYPES[t]


def spark_ddl(schema: dict[str, Any]) -> str:
    """Spark's DDL of a table's columns (name -> Polars type)."""
    return ", ".join(f"`{c}` {_spark_type(t)}" for c, t in schema.items())


class Engine(Protocol):
    name: str

    def register(self, name: str, paths: Sequence[str], schema: dict[str, Any]) -> None:
        """A view ``name`` over the Parquet files ``paths`` (empty: no rows, ``schema``)."""

    def register_frame(self, name: str, frame: pl.DataFrame) -> None:
        """A view ``name`` over a Polars frame."""

    def materialise(self, name: str, sql: str) -> None:
        """A table (or cached view) ``name`` holding the result of ``sql``."""

    def view(self, name: str, sql: str) -> None:
        """A view ``name`` over ``sql`` (computed when read)."""

    def sql(self, sql: str) -> pl.DataFrame:
        """The result of ``sql`` as a Polars frame."""

    def splink_api(self) -> Any:
        """Splink's database API for this engine."""

    def write_parquet(self, sql: str, path: str) -> None:
        """The result of ``sql`` written to ``path`` as one Parquet file."""

    def work_dir(self) -> str:
        """A directory the engine reads files from that the run writes."""

    def close(self) -> None: ...


def _memory_bytes() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def default_duckdb_memory() -> str:
    """DuckDB's memory limit when none is given: ``JARING_DUCKDB_MEMORY``, else a third of
    the machine's memory (8 GB on a 24 GiB machine; DuckDB's own default is 80%): what a
    run holds beyond it goes to the temporary directory, so memory does not grow with the
    input."""
    return os.environ.get("JARING_DUCKDB_MEMORY") or f"{max(1, _memory_bytes() // 3 >> 30)}GB"


class DuckDBEngine:
    """DuckDB in process, spilling to a temporary directory when memory is short
    (``memory_limit``: DuckDB's own setting, e.g. ``8GB``; default
    :func:`default_duckdb_memory`)."""

    name = "duckdb"

    def __init__(self, *, threads: int | None = None, memory_limit: str | None = None) -> None:
        import duckdb

        self.con = duckdb.connect()
        self._tmp = tempfile.mkdtemp(prefix="jaring-national-duckdb-")
        self.con.execute("SET temp_directory = ?", [self._tmp])
        self.con.execute("SET preserve_insertion_order = false")
        if threads:
            self.con.execute("SET threads = ?", [threads])
        self.con.execute("SET memory_limit = ?", [memory_limit or default_duckdb_memory()])
        self._api: Any = None

    def register(self, name: str, paths: Sequence[str], schema: dict[str, Any]) -> None:
        if paths:
            rel = self.con.read_parquet(list(paths), hive_partitioning=False)
            cols = [c for c in schema if c in rel.columns]
            rel.select(*cols).create_view(name, replace=True)
        else:
            self.register_frame(name, pl.DataFrame(schema=schema))

    def register_frame(self, name: str, frame: pl.DataFrame) -> None:
        self.con.register(name, frame.to_arrow())

    def materialise(self, name: str, sql: str) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {name}")  # our own names, never input
        self.con.sql(sql).create(name)

    def view(self, name: str, sql: str) -> None:
        self.con.sql(sql).create_view(name, replace=True)

    def sql(self, sql: str) -> pl.DataFrame:
        return self.con.sql(sql).pl()

    def splink_api(self) -> Any:
        from splink import DuckDBAPI

        if self._api is None:
            self._api = DuckDBAPI(connection=self.con)
        return self._api

    def write_parquet(self, sql: str, path: str) -> None:
        self.con.sql(sql).write_parquet(path, compression="zstd")

    def work_dir(self) -> str:
        return self._tmp

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self._tmp, ignore_errors=True)


_SPARK: Any = None
_SPARK_DIR: str = ""


def _cds_archive() -> tuple[str, str] | None:
    """The class archive of this PySpark and Java and the option that uses it: ``-XX:
    SharedArchiveFile`` when it is there, else ``-XX:ArchiveClassesAtExit`` to a file of this
    process that a later session takes up (its JVM gone). None when ``JARING_SPARK_CDS`` is
    ``off``. The folder: ``JARING_SPARK_CDS``, else ``$XDG_CACHE_HOME/jaring`` (or
    ``~/.cache/jaring``); an archive is about 180 MB. Java checks an archive against its own
    build and the class path and runs without it when they differ (the first run after an
    upgrade writes a new one under a new name)."""
    import time

    import pyspark

    where = os.environ.get("JARING_SPARK_CDS", "")
    if where == "off":
        return None
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = where or os.path.join(cache, "jaring")
    java = os.path.realpath(shutil.which("java") or "")
    ident = f"{pyspark.__version__}|{os.environ.get('JAVA_HOME', '')}|{java}"
    final = os.path.join(folder, f"spark-{hashlib.sha256(ident.encode()).hexdigest()[:16]}.jsa")
    try:
        os.makedirs(folder, exist_ok=True)
        # archives written at exit by earlier sessions: taken up once their JVM is gone
        for name in os.listdir(folder):
            tmp = os.path.join(folder, name)
            if not name.startswith(os.path.basename(final) + ".") or not name.endswith(".part"):
                continue
            try:
                with open(tmp + ".jvm") as fh:
                    pid = int(fh.read())
            except (OSError, ValueError):
                if time.time() - os.path.getmtime(tmp) > 3600:  # its JVM never said its id
                    os.remove(tmp)
                continue
            if _alive(pid):
                continue
            if os.path.getsize(tmp) and not os.path.exists(final):
                os.replace(tmp, final)
            else:
                os.remove(tmp)
            os.remove(tmp + ".jvm")
    except OSError:
        return None
    if os.path.exists(final):
        return final, f"-XX:SharedArchiveFile={final}"
    part = f"{final}.{os.getpid()}.part"
    return part, f"-XX:ArchiveClassesAtExit={part}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _java_options() -> tuple[str, str | None]:
    """The driver JVM's options, and the class archive it writes at exit (when it writes one):
    log4j at errors only; the class archive (:func:`_cds_archive`);
    ``JARING_SPARK_JAVA_OPTIONS`` added last. Both tiers of the JIT stay: the first tier
    alone (``-XX:TieredStopAtLevel=1``) starts faster and runs a 1M coverage on fewer CPU
    seconds, but at 10M its slower code costs more than the optimising compiler does."""
    opts = ["-Dlog4j2.level=error"]
    writes = None
    cds = _cds_archive()
    if cds is not None:
        # an archive that does not fit (another Java, another class path) is passed over
        # without a word
        opts += [cds[1], "-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
        writes = cds[0] if "ArchiveClassesAtExit" in cds[1] else None
    extra = os.environ.get("JARING_SPARK_JAVA_OPTIONS")
    if extra:
        opts.append(extra)
    return " ".join(opts), writes


def spark_session(master: str | None = None, *, driver_memory: str | None = None) -> Any:
    """The process's Spark session (started on first use): ``master`` (default
    ``local[*]``, or ``JARING_SPARK_MASTER``), Splink's similarity functions on the class
    path, the UI off, dates in UTC, shuffle partitions sized for the cores; in local mode the
    driver's heap a quarter of the machine's memory (``JARING_SPARK_DRIVER_MEMORY``) and the
    files listed by the driver; the driver's JVM options :func:`_java_options`. Refuses
    ``spark_unavailable`` when PySpark or Java is missing."""
    global _SPARK, _SPARK_DIR
    if _SPARK is not None:
        return _SPARK
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import similarity_jar_location
    except ImportError as e:
        raise errors.SPARK_UNAVAILABLE(reason=f"{type(e).__name__}: pyspark") from None
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        raise errors.SPARK_UNAVAILABLE(reason="java not found")
    master = master or os.environ.get("JARING_SPARK_MASTER") or "local[*]"
    local = master.startswith("local")
    tmp = tempfile.mkdtemp(prefix="jaring-national-spark-")
    builder = (
        SparkSession.builder.appName("jaring-national")
        .master(master)
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.local.dir", tmp)
        .config("spark.sql.adaptive.enabled", "true")
    )
    java_options, archive = _java_options()
    builder = builder.config("spark.driver.extraJavaOptions", java_options)
    partitions = os.environ.get("JARING_SPARK_PARTITIONS")
    if local:
        # one JVM does it all: the heap holds the persisted tables (spilling to spark.local.dir
        # beyond), so it gets a quarter of the machine's memory (6 GiB of 24), the rest left
        # to the Python driver, the page cache and the other processes; shuffle partitions a
        # few per core, adaptive execution merging small ones (the run at 100k) and
        # splitting skewed joins (a common name on a common birth date)
        cores = os.cpu_count() or 2
        partitions = partitions or str(max(8, 8 * cores))
        heap = driver_memory or os.environ.get("JARING_SPARK_DRIVER_MEMORY")
        heap = heap or f"{max(2, _memory_bytes() // 4 >> 30)}g"
        builder = (
            builder.config("spark.driver.memory", heap)
            .config("spark.driver.maxResultSize", "2g")
            .config("spark.sql.adaptive.skewJoin.enabled", "true")
            # the snapshots' files listed by the driver, not by a job of a task per file
            # (Spark's way past 32 paths: 25 snapshots have 40 files a table)
            .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000")
        )
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", partitions)
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # the JVM did not start
        raise errors.SPARK_UNAVAILABLE(reason=type(e).__name__) from None
    if archive:  # the JVM's id, so that a later session knows when the archive is whole
        try:
            with open(archive + ".jvm", "w") as fh:
                jvm: Any = spark.sparkContext._jvm
                fh.write(str(jvm.ProcessHandle.current().pid()))
        except OSError:
            pass
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(os.path.join(tmp, "checkpoints"))
    _SPARK, _SPARK_DIR = spark, tmp
    return spark


class SparkEngine:
    """PySpark: local mode on one machine, or a cluster by ``master``."""

    name = "spark"

    def __init__(self, master: str | None = None) -> None:
        self.spark = spark_session(master)
        self._api: Any = None
        self._views: list[str] = []

    def work_dir(self) -> str:
        """Where the run writes what Spark reads back (the prepared records): the session's
        local directory, or ``JARING_SPARK_WORK`` (on a cluster, a path every executor
        reads: a shared file system or object store mount)."""
        return os.environ.get("JARING_SPARK_WORK") or _SPARK_DIR

    def register(self, name: str, paths: Sequence[str], schema: dict[str, Any]) -> None:
        # the schema given, not inferred: inferring reads every file's footer in a job
        ddl = spark_ddl(schema)
        if paths:
            self.spark.read.schema(ddl).parquet(*paths).createOrReplaceTempView(name)
        else:
            self.spark.createDataFrame([], ddl).createOrReplaceTempView(name)
        self._views.append(name)

    def register_frame(self, name: str, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            self.register(name, [], dict(frame.schema))
            return
        self.spark.createDataFrame(frame.to_arrow()).createOrReplaceTempView(name)
        self._views.append(name)

    def materialise(self, name: str, sql: str) -> None:
        df = self.spark.sql(sql).localCheckpoint(eager=True)
        df.createOrReplaceTempView(name)
        self._views.append(name)

    def view(self, name: str, sql: str) -> None:
        self.spark.sql(sql).createOrReplaceTempView(name)
        self._views.append(name)

    def sql(self, sql: str) -> pl.DataFrame:
        out = pl.from_arrow(self.spark.sql(sql).toArrow())
        assert isinstance(out, pl.DataFrame)
        return out

    def splink_api(self) -> Any:
        from splink import SparkAPI

        if self._api is None:
            # persist (memory, spilling to disk): Splink's parquet checkpoints cost a write and
            # a read of every intermediate table
            self._api = SparkAPI(spark_session=self.spark, break_lineage_method="persist")
        return self._api

    def write_parquet(self, sql: str, path: str) -> None:
        # through the driver: the result (pairs, figures) is small next to the input
        self.sql(sql).write_parquet(path, compression="zstd")

    def close(self) -> None:
        for v in self._views:
            self.spark.catalog.dropTempView(v)
        self._views.clear()


def stamp(path: str) -> tuple[str, int, int] | None:
    """A local file's path, size and modification time (ns), for a key of what was counted
    from it (``coverage.tally_file``); ``None`` for a path not on this machine's file
    system."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (path, st.st_size, st.st_mtime_ns)


def open_engine(name: str, *, master: str | None = None, memory_limit: str | None = None) -> Engine:
    """The engine called ``name`` (``duckdb`` or ``spark``); refuses ``bad_engine``."""
    if name == "duckdb":
        return DuckDBEngine(memory_limit=memory_limit)
    if name == "spark":
        return SparkEngine(master)
    raise errors.BAD_ENGINE(value=name, field="engine")
