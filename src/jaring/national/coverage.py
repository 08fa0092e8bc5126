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
from jaring.national.funding import CLUSTERS, _union
from jaring.national.snapshot import TABLES, Manifest

LEVELS = {"province": "province_code", "regency": "regency_code", "district": "district_code"}

# Each human once per region (and once in the nation, the grouping set without region) with
# whether any of their periods holds the date, then plain counts: no count(DISTINCT), whose
# hash set per group and per distinct aggregate made the query ten times slower.
_SQL = """
WITH ppl AS ({people}),
cov AS ({coverage}),
on_day AS (
  SELECT id, max(CASE WHEN segment = 'bpu' THEN 1 ELSE 0 END) AS bpu,
         max(CASE WHEN segment = 'pu' THEN 1 ELSE 0 END) AS pu
  FROM cov WHERE start_date <= DATE '{on}' AND end_date >= DATE '{on}' GROUP BY id
),
h AS (
  SELECT p.{column} AS region, COALESCE(c.cluster, p.id) AS human,
         COALESCE(o.bpu, 0) AS bpu, COALESCE(o.pu, 0) AS pu
  FROM ppl p LEFT JOIN on_day o ON o.id = p.id LEFT JOIN national_clusters c ON c.id = p.id
),
hr AS (
  SELECT region, grouping(region) AS nation, human, max(bpu) AS bpu, max(pu) AS pu
  FROM h GROUP BY GROUPING SETS ((region, human), (human))
)
SELECT region, nation, count(*) AS listed,
       sum(CASE WHEN bpu = 1 OR pu = 1 THEN 1 ELSE 0 END) AS covered,
       sum(bpu) AS covered_bpu, sum(pu) AS covered_pu
FROM hr GROUP BY region, nation
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
    for i, m in enumerate(manifests):
        engine.register(f"national_cpeople_{i}", m.paths("people"), TABLES["people"])
        engine.register(f"national_coverage_{i}", m.paths("coverage"), TABLES["coverage"])
    if isinstance(clusters, pl.DataFrame):
        engine.register_frame("national_clusters", clusters.select(list(CLUSTERS)))
    else:
        engine.register("national_clusters", clusters or [], CLUSTERS)
    people = _union(
        manifests,
        "national_cpeople",
        "SELECT {id} AS id, province_code, regency_code, district_code FROM {view}",
    )
    cov = _union(
        manifests,
        "national_coverage",
        "SELECT {id} AS id, segment, start_date, end_date FROM {view}",
    )
    # one pass: the regions and the nation (the empty grouping set) in one grouped query
    sql = _SQL.format(people=people, coverage=cov, on=on.isoformat(), column=LEVELS[level])
    frame = engine.sql(sql).with_columns(
        pl.col("listed", "covered", "covered_bpu", "covered_pu").cast(pl.Int64),
        pl.col("nation").cast(pl.Int64),
    )
    total = frame.filter(pl.col("nation") == 1)
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
        total_covered=int(total.get_column("covered").sum()),
    )


__all__ = ["ID_SHIFT", "LEVELS", "NationalCoverage", "coverage"]
