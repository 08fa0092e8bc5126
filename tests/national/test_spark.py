"""Spark in local mode gives what DuckDB gives: the same cross-region pairs and clusters, the
same doubly paid months and rupiah, the same coverage. All Spark tests live in this file so
that one test worker starts Spark's JVM once (``--dist loadfile``). Skipped when Java is
missing; failing instead under ``JARING_REQUIRE_SPARK=1`` (CI)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from jaring.errors import JaringError
from jaring.national import coverage, dedupe, engines, funding, pu, snapshot

from .conftest import manifests, model, snapshot_dirs, truth_clusters, twice_listed

# a folder name as people type them: what Spark escapes in the paths it reports (space, %, #)
# and what it does not (+, letters beyond ASCII), and a quote (the file list is an SQL table)
ODD = "Kab. Sorong Selatan (é, 漢) 100%20 #2+1 Pa'u"


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
    # clusters as a deduplication gives them (the humans listed twice), the rest lone
    twice = twice_listed(clusters)
    duck = engines.DuckDBEngine(threads=2)
    try:
        for level in coverage.LEVELS:
            ca = coverage.coverage(duck, ms, level=level, on=dt.date(2026, 6, 15), clusters=twice)
            cb = coverage.coverage(spark, ms, level=level, on=dt.date(2026, 6, 15), clusters=twice)
            assert ca.regions.equals(cb.regions), level
            assert (ca.total_listed, ca.total_covered) == (cb.total_listed, cb.total_covered)
    finally:
        duck.close()
    assert pl.Series(fb.months.get_column("amount")).dtype == pl.Int64


def test_coverage_tally_on_spark(
    spark: engines.SparkEngine, clear_dir: Path, tmp_path: Path
) -> None:
    """The clusters as files: Spark counts the tally once and writes it beside them; every
    later level and date gives DuckDB's figures (counted from the rows), and clusters
    rewritten in the same file are read anew (another tally), in this engine or another of
    the same session."""
    ms = manifests(clear_dir)
    path = tmp_path / "clusters.parquet"
    truth_clusters(clear_dir).write_parquet(path)
    files = [str(path)]
    duck = engines.DuckDBEngine(threads=2)
    try:
        for level, on in [
            ("regency", dt.date(2026, 6, 15)),
            ("district", dt.date(2026, 6, 15)),
            ("province", dt.date(2026, 1, 1)),
        ]:
            ca = coverage.coverage(duck, ms, level=level, on=on, clusters=files)
            cb = coverage.coverage(spark, ms, level=level, on=on, clusters=files)
            assert ca.regions.equals(cb.regions), level
            assert (ca.total_listed, ca.total_covered) == (cb.total_listed, cb.total_covered)
        assert len(list((tmp_path / "coverage").glob("tally-*.parquet"))) == 1
        before = cb.total_listed
        truth_clusters(clear_dir).head(0).write_parquet(path)
        ca = coverage.coverage(duck, ms, level="province", on=dt.date(2026, 1, 1), clusters=files)
        # another engine of the same Spark session, while the first still keeps the rows of
        # the clusters as they were: it reads the files as they are now
        other = engines.SparkEngine("local[2]")
        try:
            cc = coverage.coverage(
                other, ms, level="province", on=dt.date(2026, 1, 1), clusters=files
            )
            assert ca.regions.equals(cc.regions)
        finally:
            other.close()
        cb = coverage.coverage(spark, ms, level="province", on=dt.date(2026, 1, 1), clusters=files)
        assert ca.regions.equals(cb.regions)
        assert (ca.total_listed, ca.total_covered) == (cb.total_listed, cb.total_covered)
        # no clusters now: a human listed twice counts twice
        assert cb.total_listed > before
    finally:
        duck.close()


def test_one_scan_reads_folders_with_any_name(
    spark: engines.SparkEngine, clear_dir: Path, tmp_path: Path
) -> None:
    """Spark reads every snapshot in one scan and tells the snapshot of each row by the file's
    path, which it reports as a URI of its own: the figures are DuckDB's all the same."""
    odd = tmp_path / ODD
    for d in snapshot_dirs(clear_dir):
        shutil.copytree(d, odd / f"{d.name} ü ñ%41")
    ms = snapshot.read_all([str(p) for p in snapshot_dirs(odd)])
    assert all(" " in str(m.path) for m in ms)
    clusters = truth_clusters(clear_dir)
    participants = pu.read(clear_dir / "pu.csv")
    duck = engines.DuckDBEngine(threads=2)
    try:
        want = {
            level: coverage.coverage(
                duck, manifests(clear_dir), level=level, on=dt.date(2026, 6, 15), clusters=clusters
            )
            for level in coverage.LEVELS
        }
        fa = funding.double_funding(duck, manifests(clear_dir), clusters=clusters, pu=participants)
    finally:
        duck.close()
    for level, ca in want.items():
        cb = coverage.coverage(spark, ms, level=level, on=dt.date(2026, 6, 15), clusters=clusters)
        assert ca.regions.equals(cb.regions), level
        assert (ca.total_listed, ca.total_covered) == (cb.total_listed, cb.total_covered)
    fb = funding.double_funding(spark, ms, clusters=clusters, pu=participants)
    assert fa.months.height > 50 and fa.months.equals(fb.months)
    # without clusters every listing is a human: the listed are the manifests' people
    c0 = coverage.coverage(spark, ms, level="province", on=dt.date(2026, 6, 15))
    assert c0.total_listed == sum(m.counts["people"] for m in ms)


def test_one_scan_refuses_a_snapshot_missing_a_file(
    spark: engines.SparkEngine, clear_dir: Path, tmp_path: Path
) -> None:
    """A file the manifest lists and the folder lacks is refused, naming it (read without the
    checksums, as the benchmarks do)."""
    for d in snapshot_dirs(clear_dir):
        shutil.copytree(d, tmp_path / d.name)
    victim = snapshot_dirs(tmp_path)[0]
    gone = json.loads((victim / "manifest.json").read_text())["files"]["coverage"][0]["path"]
    (victim / gone).unlink()
    ms = snapshot.read_all([str(p) for p in snapshot_dirs(tmp_path)], verify=False)
    with pytest.raises(JaringError) as e:
        coverage.coverage(spark, ms, level="regency", on=dt.date(2026, 6, 15))
    assert e.value.code == "snapshot_damaged"
    assert e.value.context["file"] == gone
