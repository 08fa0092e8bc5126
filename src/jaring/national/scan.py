"""One table of several snapshots as rows that know their snapshot: the reading under the
analytical questions (:mod:`~jaring.national.coverage`, :mod:`~jaring.national.funding`).

:func:`snapshot_rows` gives the SQL of ``table``'s rows over every snapshot, from a template
whose ``{id}`` is the record's key in the run (snapshot number x ``ID_SHIFT`` + person) and
``{src}`` the snapshot's source as an SQL text value.

- **DuckDB**: one view per snapshot and ``UNION ALL``, the snapshot a constant in each branch
  (DuckDB scans the union's branches in one pipeline: 2 s over 10M memberships).
- **Spark**: one scan of every snapshot's files, the snapshot told by the file each row comes
  from (``_metadata.file_path``) joined to a broadcast list of the files. A union of one scan
  per snapshot costs Spark a stage's fixed cost and at least one task per file per snapshot;
  one scan packs the small files into a few tasks.

Matching Spark's file names to the manifests. Spark reports each file as a URI of its own
making, not the text it was given: ``file:/a%20b/x.parquet`` for ``/a b/x.parquet``, spaces
and ``%`` and ``#`` escaped, other characters (``é``) left as they are, and the default file
system's scheme and host (``hdfs://nn/...``) put in front of a path given without one. So the
run takes the files as the scan lists them (``inputFiles``: no job) and reduces both sides by
one rule (:func:`file_key`) before they are matched: the scheme and host when both sides name
one, and the path with every escape decoded. Every file listed must be one file of one
manifest, and every file of the manifests with rows must be listed, or the run refuses
(``snapshot_damaged``) before any figure is computed. The listing spells a local file
``file:///a`` and a row's ``_metadata`` ``file:/a``: the list of files holds both spellings,
and a row whose file it lacks stops the query (never a row dropped by the join). The files'
contents are the manifest's checksums' business (:func:`jaring.national.snapshot.read`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from jaring.national import errors
from jaring.national.dedupe import ID_SHIFT
from jaring.national.engines import Engine, spark_ddl
from jaring.national.snapshot import TABLES, Manifest

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_EMPTY_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):///")


@dataclass(frozen=True)
class FileKey:
    """A file as :func:`file_key` reduces it: ``scheme`` and ``host`` ("" when not named;
    ``file`` URIs have no host) and the absolute ``path`` without escapes."""

    scheme: str
    host: str
    path: str

    def same_file(self, other: FileKey) -> bool:
        """One file: the same path, and the same scheme and host where both name one (a path
        given without a scheme is read on the default file system, whose name Spark adds)."""
        if self.path != other.path:
            return False
        if self.scheme and other.scheme:
            return (self.scheme, self.host) == (other.scheme, other.host)
        return True


def file_key(name: str) -> FileKey:
    """``name`` (a local path, absolute or relative to the working directory, or a URI such
    as ``file:/a%20b``, ``file:///a%20b`` or ``s3a://bucket/a%20b``) reduced to the
    :class:`FileKey` both sides of the match share. A plain path is taken as written (its
    ``%`` is a character); a URI's path is unescaped (``%20`` a space, ``%25`` a ``%``;
    ``+`` stays a plus, as in a URI's path)."""
    if not _SCHEME.match(name) or re.match(r"^[A-Za-z]:[\\/]", name):
        return FileKey("", "", os.path.abspath(name))
    parts = urlsplit(name)
    scheme = parts.scheme.lower()
    host = "" if scheme == "file" else parts.netloc.lower()
    path = unquote(parts.path, errors="strict")
    return FileKey(scheme, host, os.path.normpath(path) if path else "/")


def snapshot_rows(
    engine: Engine, manifests: list[Manifest], parts: list[tuple[str, str, str]]
) -> list[str]:
    """Per ``(table, view, select)`` of ``parts``: the SQL of the rows of ``table`` of every
    snapshot, ``select`` a template (``{view}``, ``{id}``, ``{src}``; see the module) applied
    to them; registers the views it reads (named from ``view``). On Spark one job names the
    files of all the tables."""
    if engine.name == "spark":
        _spark_views(engine, manifests, [(table, view) for table, view, _ in parts])
        key = f"_snapshot * {ID_SHIFT} + person_id"
        return [select.format(view=view, id=key, src="_source") for _, view, select in parts]
    out = []
    for table, view, select in parts:
        union = []
        for i, m in enumerate(manifests):
            engine.register(f"{view}_{i}", m.paths(table), TABLES[table])
            src = "'" + m.source.replace("'", "") + "'"
            key = f"CAST({i} AS BIGINT) * {ID_SHIFT} + person_id"
            union.append(select.format(view=f"{view}_{i}", id=key, src=src))
        out.append(" UNION ALL ".join(union))
    return out


def _spark_views(engine: Any, manifests: list[Manifest], tables: list[tuple[str, str]]) -> None:
    """Per ``(table, view)``: a Spark view ``view`` over every snapshot's files of ``table``
    in one scan, with the snapshot's number (``_snapshot``) and source (``_source``) of each
    row (see the module)."""
    from pyspark.sql import functions as F

    spark = engine.spark
    scans: dict[str, Any] = {}
    lookup: list[tuple[str, int, str]] = []
    for table, view in tables:
        got = _spark_scan(engine, view, manifests, table)
        if got is None:
            continue
        scans[view] = got[0]
        lookup += _spellings(got[0].inputFiles(), got[1])
    if not scans:
        return
    # one local table of the files of every table: one broadcast, reused by every scan
    args: dict[str, Any] = {}
    values = []
    for n, (name, i, source) in enumerate(lookup):
        args.update({f"f{n}": name, f"i{n}": i, f"s{n}": source})
        values.append(f"(:f{n}, CAST(:i{n} AS BIGINT), :s{n})")
    files = spark.sql(
        f"SELECT * FROM VALUES {', '.join(values)} AS t(_file, _snapshot, _source)", args=args
    )
    # a row of a file the lookup does not spell as Spark does stops the query: never a row
    # silently dropped
    unnamed = F.raise_error(F.concat(F.lit("snapshot file not named as Spark reads it: "),
                                     F.col("_file")))  # fmt: skip
    for view, scan in scans.items():
        (
            scan.withColumn("_file", F.col("_metadata.file_path"))
            .join(F.broadcast(files), "_file", "left")
            .withColumn(
                "_snapshot",
                F.when(F.col("_snapshot").isNull(), unnamed).otherwise(F.col("_snapshot")),
            )
            .drop("_file")
            .createOrReplaceTempView(view)
        )
        engine._views.append(view)  # dropped with the engine's other views


def _spellings(
    names: list[str], listed: list[tuple[FileKey, str, int, Manifest, dict[str, Any]]]
) -> list[tuple[str, int, str]]:
    """The files of one scan as Spark lists them (``names``, its ``inputFiles``), each as
    (spelling, snapshot number, source) for every way Spark spells it in a row's
    ``_metadata.file_path``: the listed URI, and for one with an empty authority
    (``file:///a``) the same without it (``file:/a``, as the rows name it). Every name must
    be one file of one manifest, and every manifest file with rows one of the names, or the
    run refuses (``snapshot_damaged``)."""
    by_path: dict[str, list[tuple[FileKey, int, Manifest, dict[str, Any]]]] = {}
    for key, _, i, m, f in listed:
        by_path.setdefault(key.path, []).append((key, i, m, f))
    out, seen = [], set()
    for name in names:
        key = file_key(name)
        hits = [h for h in by_path.get(key.path, []) if h[0].same_file(key)]
        if len(hits) != 1:  # Spark lists a file no manifest names: never silently read
            raise RuntimeError(f"Spark read {name!r}, which is {len(hits)} snapshot files")
        _, i, m, f = hits[0]
        seen.add((i, f["path"]))
        out.append((name, i, m.source))
        bare = _EMPTY_AUTHORITY.sub(r"\1:/", name)
        if bare != name:
            out.append((bare, i, m.source))
    for _, _, i, m, f in listed:
        if int(f["rows"]) and (i, f["path"]) not in seen:
            raise errors.SNAPSHOT_DAMAGED(dir=str(m.path), file=f["path"], field="snapshots")
    return out


def _spark_scan(
    engine: Any, view: str, manifests: list[Manifest], table: str
) -> tuple[Any, list[tuple[FileKey, str, int, Manifest, dict[str, Any]]]] | None:
    """One scan of every snapshot's files of ``table`` and the files, each as (key, path
    given to Spark, snapshot number, manifest, file entry); none (and an empty view
    ``view``) when no snapshot has the table. Refuses ``snapshot_damaged`` for a file the
    manifest lists and the folder lacks."""
    spark = engine.spark
    listed = [
        (file_key(path), path, i, m, f)
        for i, m in enumerate(manifests)
        for f in m.files.get(table, [])
        for path in [os.path.abspath(m.path / f["path"])]
    ]
    if not listed:
        ddl = spark_ddl(TABLES[table]) + ", `_snapshot` bigint, `_source` string"
        spark.createDataFrame([], ddl).createOrReplaceTempView(view)
        engine._views.append(view)
        return None
    missing = [x for x in listed if not os.path.isfile(x[1])]
    if missing:
        m, f = missing[0][3], missing[0][4]
        raise errors.SNAPSHOT_DAMAGED(dir=str(m.path), file=f["path"], field="snapshots")
    return spark.read.schema(spark_ddl(TABLES[table])).parquet(*[x[1] for x in listed]), listed
