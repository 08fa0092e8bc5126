"""Spark in local mode gives what DuckDB gives: the same cross-region pairs and clusters, the
same doubly paid months and rupiah, the same coverage. All Spark tests live in this file so
that one test worker starts Spark's JVM once (``--dist loadfile``). Skipped when Java is
missing; failing instead under ``JARING_REQUIRE_SPARK=1`` (CI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from jaring.national import coverage, dedupe, engines, funding, pu

from .conftest import manifests, model, truth_clusters


def test_the_same_pairs_on_both_engines(spark: engines.SparkEngine, clear_dir: Path) -> None:
    ms = manifests(clear_dir)
    duck = engines.DuckDBEngine(threads=2)
    try:
        a = dedupe.run(duck, ms, model=model(clear_dir))
    finally:
        duck.close()
    b = dedupe.run(spark, ms, model=model(clear_dir))
    assert a.pairs.height > 50
    cols = ["id_l", "id_r", "pemda_l", "person_l", "pemda_r", "person_r", "link", "hold", "explain"]
    assert a.pairs.select(cols).equals(b.pairs.select(cols))
    diff = (a.pairs.get_column("match_probability") - b.pairs.get_column("match_probability")).abs()
    assert float(diff.max()) < 1e-9  # type: ignore[arg-type]
    assert a.clusters.equals(b.clusters)
    assert (a.cross_region_pairs, a.cross_region_people) == (
        b.cross_region_pairs,
        b.cross_region_people,
    )


def test_double_funding_and_coverage_on_spark(spark: engines.SparkEngine, clear_dir: Path) -> None:
    ms = manifests(clear_dir)
    clusters = truth_clusters(clear_dir)
    participants = pu.read(clear_dir / "pu.csv")
    duck = engines.DuckDBEngine(threads=2)
    try:
        fa = funding.double_funding(duck, ms, clusters=clusters, pu=participants)
        ca = coverage.coverage(
            duck, ms, level="regency", on=dt.date(2026, 6, 15), clusters=clusters
        )
    finally:
        duck.close()
    fb = funding.double_funding(spark, ms, clusters=clusters, pu=participants)
    assert fa.months.height > 50
    assert fa.months.equals(fb.months)
    assert fa.rupiah == fb.rupiah and fa.by_payer.equals(fb.by_payer)
    cb = coverage.coverage(spark, ms, level="regency", on=dt.date(2026, 6, 15), clusters=clusters)
    assert ca.regions.equals(cb.regions)
    assert (ca.total_listed, ca.total_covered) == (cb.total_listed, cb.total_covered)
    assert pl.Series(fb.months.get_column("amount")).dtype == pl.Int64
