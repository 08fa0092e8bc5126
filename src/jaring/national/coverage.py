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
from collections.abc import Hashable
from fractions import Fraction

import polars as pl

from jaring.national import errors
from jaring.national.dedupe import ID_SHIFT
from jaring.national.engines import Engine, stamp
from jaring.national.funding import register_clusters
from jaring.national.scan import snapshot_rows
from jaring.national.snapshot import Manifest

LEVELS = {"province": "province_code", "regency": "regency_code", "district": "district_code"}

# Each human once per region and once in the nation, each source read once and each of its
# rows aggregated once:
# - listed: the people grouped by region and cluster. A listing of no cluster is a human of
#   its own: those fall into one group per region (cluster NULL) that counts them, in the
#   partial aggregate before any shuffle; only the listings of clusters (a few in a hundred)
#   reach the shuffle as groups of their own. The regions and the nation come from these
#   groups (a few per region and one per cluster and region), by region and by cluster.
# - covered: the periods holding the date (each carries its person's place) grouped by
#   region and human (a person may hold two periods on one day). The regions and the nation
#   come from these groups: by region, and by cluster for the nation (the humans of no
#   cluster lump together there, NULL, and are dropped: each is in one region, so the
#   nation adds up their regions' counts, ``lone``).
# The nation's grouping sets are on the groups, not on the rows read: grouping sets there
# would double every row before the first aggregation (a referenced-twice CTE instead would
# be read twice: Spark inlines it, pruned differently per use). The people and the periods
# come with their clusters (``_PEOPLE``, ``_PERIODS``); no count(DISTINCT) (its hash set per
# group made the query ten times slower). The rows out are a few per region.
_SQL = """
WITH lc AS (SELECT {column} AS region, cluster FROM national_cov_people),
la AS (
  SELECT region, cluster, count(*) AS n FROM lc GROUP BY region, cluster
),
ln AS (
  SELECT region, grouping(region) AS nation, cluster,
         sum(CASE WHEN cluster IS NULL THEN n ELSE 1 END) AS listed
  FROM la GROUP BY GROUPING SETS ((region), (cluster))
),
hc AS (
  SELECT {column} AS region, COALESCE(cluster, id) AS human,
         CASE WHEN cluster IS NULL THEN 1 ELSE 0 END AS lone,
         CASE WHEN cluster IS NULL THEN 0 ELSE 1 END AS clustered,
         CASE WHEN segment = 'bpu' THEN 1 ELSE 0 END AS bpu,
         CASE WHEN segment = 'pu' THEN 1 ELSE 0 END AS pu
  FROM national_cov_periods
  WHERE start_date <= DATE '{on}' AND end_date >= DATE '{on}'
),
ha AS (
  SELECT region, human, max(lone) AS lone, max(clustered) AS clustered, max(bpu) AS bpu,
         max(pu) AS pu
  FROM hc GROUP BY region, human
),
hn AS (
  SELECT region, grouping(region) AS nation, nkey, count(*) AS covered,
         sum(bpu) AS covered_bpu, sum(pu) AS covered_pu, sum(lone) AS lone
  FROM (SELECT region, CASE WHEN clustered = 1 THEN human END AS nkey, lone, bpu, pu
        FROM ha) AS hk
  GROUP BY GROUPING SETS ((region), (nkey))
),
parts AS (
  SELECT region, nation, CASE WHEN nation = 1 AND cluster IS NOT NULL THEN 1 ELSE listed END
         AS listed, 0 AS covered, 0 AS covered_bpu, 0 AS covered_pu, 0 AS lone
  FROM ln
  UNION ALL
  SELECT region, nation, 0, CASE WHEN nation = 1 THEN 1 ELSE covered END, covered_bpu,
         covered_pu, lone
  FROM hn WHERE nation = 0 OR nkey IS NOT NULL
)
SELECT region, nation, sum(listed) AS listed, sum(covered) AS covered,
       sum(covered_bpu) AS covered_bpu, sum(covered_pu) AS covered_pu, sum(lone) AS lone
FROM parts GROUP BY region, nation
"""


# The snapshots' rows with their clusters, the same for every date and level: an engine that
# keeps results (Spark) reads the files, names each row's snapshot and joins the clusters
# once per session (for the same files, from its second query), and the later queries read
# these alone. The
# clusters (a few in a hundred of the listings) are broadcast, so neither the people nor the
# periods are shuffled to meet them.
_PEOPLE = """
SELECT /*+ BROADCAST(c) */ p.province_code, p.regency_code, p.district_code, c.cluster
FROM ({people}) AS p LEFT JOIN national_clusters c ON c.id = p.id
"""
_PERIODS = """
SELECT /*+ BROADCAST(c) */ v.id, v.segment, v.start_date, v.end_date, v.province_code,
       v.regency_code, v.district_code, c.cluster
FROM ({coverage}) AS v LEFT JOIN national_clusters c ON c.id = v.id
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
    given: list[str] | None = None if isinstance(clusters, pl.DataFrame) else clusters or []
    # each snapshot's files in order (a row's key holds its snapshot's number), the clusters'
    stamps = (
        *(tuple(stamp(p) for t in ("people", "coverage") for p in m.paths(t)) for m in manifests),
        tuple(stamp(p) for p in given or []),
    )
    # not kept when an input cannot be checked for change (a frame, a remote path)
    key: Hashable = (
        ("national_coverage", stamps)
        if given is not None and all(None not in s for s in stamps)
        else None
    )
    registered: list[tuple[str, str]] = []

    def rows() -> tuple[str, str]:
        if not registered:
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
                        "SELECT {id} AS id, segment, start_date, end_date, province_code, "
                        "regency_code, district_code FROM {view}",
                    ),
                ],
            )
            registered.append((people, cov))
        return registered[0]

    engine.keep(
        "national_cov_people", key and (key, "people"), lambda: _PEOPLE.format(people=rows()[0])
    )
    engine.keep(
        "national_cov_periods",
        key and (key, "periods"),
        lambda: _PERIODS.format(coverage=rows()[1]),
    )
    # one query: the regions, and the nation from the regions' groups
    sql = _SQL.format(on=on.isoformat(), column=LEVELS[level])
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
