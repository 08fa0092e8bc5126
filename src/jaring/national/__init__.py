"""The national picture: every Pemda's store as a snapshot (partitioned Parquet with a
manifest, NIKs optionally as keyed hashes), and the questions that cross regions asked of
many snapshots at once on an existing engine (DuckDB on one machine, Apache Spark on a
cluster): the same human listed by two Pemda (Splink, with the registry's model), the months
one person was paid for twice, and coverage by province, regency or distrik.

Rule modules: :mod:`~jaring.national.pseudonym` (HMAC-SHA256 of NIKs),
:mod:`~jaring.national.snapshot` (layout, manifest, checksums),
:mod:`~jaring.national.engines` (DuckDB or Spark behind one small interface),
:mod:`~jaring.national.dedupe`, :mod:`~jaring.national.funding`,
:mod:`~jaring.national.coverage` (SQL that runs unchanged on both engines).
:mod:`~jaring.national.actions` writes snapshots from a store and takes results back into
it; :mod:`~jaring.national.queries` reads the store for them.
"""
