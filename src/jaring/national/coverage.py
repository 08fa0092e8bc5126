"""National coverage on a date by province, regency or distrik, from the snapshots: people
listed, people covered (a coverage period holds the date), the ratio, and the covered by
segment (BPU, PU), all levels' figures from one grouped pass over people and periods. The
same SQL on DuckDB and Spark.

A human listed by two Pemda (one cluster of the deduplication, when given) is counted once
in each region that lists them and once in the national total.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import polars as pl

from jaring.national import errors
from jaring.national.dedupe import ID_SHIFT
from jaring.national.engines import Engine
from jaring.national.funding import register_clusters
from jaring.national.scan import snapshot_rows
from jaring.national.snapshot import Manifest

LEVELS = {"province": "province_code", "regency": "regency_code", "district": "district_code"}

# Each human once per region and once in the nation, each source read once, grouped once:
# - listed: the people by region and cluster, and by cluster alone (the nation). A listing of
#   no cluster is a human of its own: those fall into one group per region (cluster NULL)
#   that counts them, in the partial aggregate before any shuffle; only the listings of
#   clusters (a few in a hundred) reach the shuffle as groups of their own.
# - covered: the periods holding the date (each carries its person's place) by region and
#   human (a person may hold two periods on one day), and by cluster alone for the nation
#   (the humans of no cluster lump together there, NULL, and are dropped: each is in one
#   region, so the nation adds up their regions' counts, ``lone``).
# The clusters (a few in a hundred of the listings) are broadcast to both joins, so neither
# the people nor the periods are shuffled to meet them; no count(DISTINCT) (its hash set per
# group made the query ten times slower). The rows out are a few per region.
_SQL = """
WITH ppl AS ({people}),
cov AS ({coverage}),
lc AS (
  SELECT /*+ BROADCAST(c) */ p.{column} AS region, c.cluster
  FROM ppl p LEFT JOIN national_clusters c ON c.id = p.id
),
la AS (
  SELECT region, grouping(region) AS nation, cluster, count(*) AS n
  FROM lc GROUP BY GROUPING SETS ((region, cluster), (cluster))
),
hc AS (
  SELECT /*+ BROADCAST(c) */ v.{column} AS region, COALESCE(c.cluster, v.id) AS human,
         c.cluster AS nkey, CASE WHEN c.cluster IS NULL THEN 1 ELSE 0 END AS lone,
         CASE WHEN v.segment = 'bpu' THEN 1 ELSE 0 END AS bpu,
         CASE WHEN v.segment = 'pu' THEN 1 ELSE 0 END AS pu
  FROM cov v LEFT JOIN national_clusters c ON c.id = v.id
  WHERE v.start_date <= DATE '{on}' AND v.end_date >= DATE '{on}'
),
ha AS (
  SELECT region, grouping(region) AS nation, nkey, max(lone) AS lone, max(bpu) AS bpu,
         max(pu) AS pu
  FROM hc GROUP BY GROUPING SETS ((region, human), (nkey))
),
parts AS (
  SELECT region, nation, sum(CASE WHEN cluster IS NULL THEN n ELSE 1 END) AS listed,
         0 AS covered, 0 AS covered_bpu, 0 AS covered_pu, 0 AS lone, 0 AS lone_bpu,
         0 AS lone_pu
  FROM la GROUP BY region, nation
  UNION ALL
  SELECT region, nation, 0, count(*), sum(bpu), sum(pu), sum(lone), sum(lone * bpu),
         sum(lone * pu)
  FROM ha WHERE nation = 0 OR nkey IS NOT NULL GROUP BY region, nation
)
SELECT region, nation, sum(listed) AS listed, sum(covered) AS covered,
       sum(covered_bpu) AS covered_bpu, sum(covered_pu) AS covered_pu, sum(lone) AS lone
FROM parts GROUP BY region, nation
"""


@dataclasses.dataclass
class NationalCoverage:
    """Per region of ``level`` on ``on``: ``region``, ``listed``, ``covered``, ``ratio``
    (covered / listed, exact as a fraction, shown rounded), ``covered_bpu``, ``covered_pu``;
    ``total``: the nation (each human once)."""

    level: str
    on: dt.date
    regions: pl.DataFrame
    total_listed: int
    total_covered: int

    @property
    def total_ratio(self) -> Fraction:
        return Fraction(self.total_covered, self.total_listed or 1)


def coverage(
    engine: Engine,
    manifests: list[Manifest],
    *,
    level: str,
    on: dt.date,
    clusters: list[str] | pl.DataFrame | None = None,
) -> NationalCoverage:
    """Coverage by ``level`` (``province``, ``regency``, ``district``) on ``on``; refuses
    ``national_bad_level``."""
    if level not in LEVELS:
        raise errors.BAD_LEVEL(value=level, field="level")
    register_clusters(engine, clusters)
    people, cov = snapshot_rows(
        engine,
        manifests,
        [
            (
                "people",
                "national_cpeople",
                "SELECT {id} AS id, province_code, regency_code, district_code FROM {view}",
            ),
            (
                "coverage",
                "national_coverage",
                "SELECT {id} AS id, segment, start_date, end_date, "
                + LEVELS[level]
                + " FROM {view}",
            ),
        ],
    )
    # one query: the regions, and the nation (the grouping sets without region)
    sql = _SQL.format(people=people, coverage=cov, on=on.isoformat(), column=LEVELS[level])
    frame = engine.sql(sql).with_columns(
        pl.col("listed", "covered", "covered_bpu", "covered_pu", "lone").cast(pl.Int64),
        pl.col("nation").cast(pl.Int64),
    )
    total = frame.filter(pl.col("nation") == 1)
    # the nation's covered: the clusters' humans once, and the humans of no cluster, each
    # counted in its one region
    lone = int(frame.filter(pl.col("nation") == 0).get_column("lone").sum())
    regions = (
        frame.filter(pl.col("nation") == 0)
        .with_columns(ratio=(pl.col("covered") / pl.col("listed")).round(4))
        .select("region", "listed", "covered", "ratio", "covered_bpu", "covered_pu")
        .sort("region", nulls_last=True)
    )
    return NationalCoverage(
        level=level,
        on=on,
        regions=regions,
        total_listed=int(total.get_column("listed").sum()),
        total_covered=int(total.get_column("covered").sum()) + lone,
    )


__all__ = ["ID_SHIFT", "LEVELS", "NationalCoverage", "coverage"]
