"""Double funding: the months in which one human was paid for by more than one payer (two
Pemda, or a Pemda and an employer, the latter from the BPJS list of PU participants), with the
rupiah each Pemda paid for those months. The same SQL on DuckDB and Spark.

A human is a cluster of the cross-region deduplication (records in no cluster are humans of
their own); employers are matched to humans by NIK (keyed hashes when the snapshots carry
them: the list's NIKs are hashed with the same key first). Amounts are whole rupiah, summed
as integers: exact.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl

from jaring.national.engines import Engine
from jaring.national.scan import snapshot_rows
from jaring.national.snapshot import Manifest

CLUSTERS = {"id": pl.Int64, "pemda": pl.String, "person_id": pl.Int64, "cluster": pl.Int64}
PU = {"nik": pl.String, "employer": pl.String, "month": pl.Date}

_SQL = """
WITH pay AS ({payments}),
ppl AS ({people}),
pu_h AS (
  SELECT DISTINCT COALESCE(c.cluster, p.id) AS human, 'pu:' || u.employer AS payer, u.month
  FROM national_pu u JOIN ppl p ON p.nik = u.nik
  LEFT JOIN national_clusters c ON c.id = p.id
),
all_pay AS (
  SELECT COALESCE(c.cluster, y.id) AS human, y.month, y.payer, y.pemda, y.person_id, y.amount
  FROM pay y LEFT JOIN national_clusters c ON c.id = y.id
  UNION ALL
  SELECT human, month, payer, CAST(NULL AS STRING) AS pemda, CAST(NULL AS BIGINT) AS person_id,
         CAST(NULL AS BIGINT) AS amount
  FROM pu_h
),
doubled AS (
  SELECT human, month FROM all_pay GROUP BY human, month HAVING count(DISTINCT payer) > 1
)
SELECT a.human, a.month, a.payer, a.pemda, a.person_id, a.amount
FROM all_pay a JOIN doubled d ON a.human = d.human AND a.month = d.month
"""


@dataclasses.dataclass
class DoubleFunding:
    """``months``: one row per human, doubly paid month and payer (``human``, ``month``,
    ``payer``, ``pemda``, ``person_id``, ``amount``: rupiah, null for an employer);
    ``by_payer``: per payer, the months and rupiah at stake."""

    months: pl.DataFrame
    by_payer: pl.DataFrame

    @property
    def humans(self) -> int:
        return int(self.months.get_column("human").n_unique())

    @property
    def human_months(self) -> int:
        return int(self.months.select("human", "month").unique().height)

    @property
    def rupiah(self) -> int:
        return int(self.months.get_column("amount").sum() or 0)


def aligned_clusters(
    clusters: list[str] | pl.DataFrame | None, manifests: list[Manifest]
) -> list[str] | pl.DataFrame | None:
    """``clusters`` keyed for the snapshots in the order of ``manifests``. A record's key
    is its snapshot's place in the deduplication's list times ``ID_SHIFT`` plus its person:
    snapshots given in another order (a shell's glob sorts ``11.01/`` before ``11/``) would
    join every cluster to the wrong people, silently. The places the clusters were keyed
    with are read from them (their ``pemda`` and key); when they differ from the snapshots'
    order the keys are made again from ``pemda`` and ``person_id`` (a frame), else the
    clusters are returned as given. Files that are not local are returned as given."""
    from jaring.national.dedupe import ID_SHIFT

    if clusters is None or (isinstance(clusters, list) and not clusters):
        return clusters
    if isinstance(clusters, list) and not all(Path(p).is_file() for p in clusters):
        return clusters
    order = {m.source.replace("'", ""): i for i, m in enumerate(manifests)}
    source = pl.scan_parquet(clusters) if isinstance(clusters, list) else clusters.lazy()
    used = source.select("pemda", (pl.col("id") // ID_SHIFT).alias("place")).unique().collect()
    if all(order.get(p) == k for p, k in used.iter_rows()):
        return clusters
    place = pl.col("pemda").replace_strict(order, default=None, return_dtype=pl.Int64)
    return (
        source.with_columns(id=place * ID_SHIFT + pl.col("person_id"))
        .filter(pl.col("id").is_not_null())
        .select(list(CLUSTERS))
        .cast(CLUSTERS)  # type: ignore[arg-type]
        .collect()
    )


def register_clusters(
    engine: Engine,
    clusters: list[str] | pl.DataFrame | None,
    manifests: list[Manifest] | None = None,
) -> None:
    """A view over the clusters (files or a frame; none: no clusters), keyed for the
    snapshots ``manifests`` in their order (:func:`aligned_clusters`) when given."""
    if manifests is not None:
        clusters = aligned_clusters(clusters, manifests)
    if isinstance(clusters, pl.DataFrame):
        engine.register_frame("national_clusters", clusters.select(list(CLUSTERS)))
    else:
        engine.register("national_clusters", clusters or [], CLUSTERS)


def double_funding(
    engine: Engine,
    manifests: list[Manifest],
    *,
    clusters: list[str] | pl.DataFrame | None = None,
    pu: pl.DataFrame | None = None,
) -> DoubleFunding:
    """The doubly paid months of the snapshots ``manifests`` (see the module); ``pu``: the
    participants' months (:func:`jaring.national.pu.read`, NIKs already hashed alike)."""
    register_clusters(engine, clusters, manifests)
    engine.register_frame(
        "national_pu", (pu if pu is not None else pl.DataFrame(schema=PU)).select(list(PU))
    )
    payments, people = snapshot_rows(
        engine,
        manifests,
        [
            (
                "payments",
                "national_payments",
                "SELECT {id} AS id, {src} AS pemda, person_id, month, "
                "COALESCE(payer, {src}) AS payer, amount FROM {view}",
            ),
            ("people", "national_fpeople", "SELECT {id} AS id, nik FROM {view}"),
        ],
    )
    months = engine.sql(_SQL.format(payments=payments, people=people))
    months = months.with_columns(
        pl.col("human", "person_id", "amount").cast(pl.Int64), pl.col("month").cast(pl.Date)
    ).sort("human", "month", "payer", "pemda", nulls_last=True)
    by_payer = (
        months.group_by("payer")
        .agg(
            months=pl.struct("human", "month").n_unique(),
            rupiah=pl.col("amount").sum().cast(pl.Int64),
        )
        .sort("payer")
    )
    return DoubleFunding(months, by_payer)
