"""National coverage by level in one pass, against the same figures counted in Polars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from jaring.errors import JaringError
from jaring.national import coverage, engines, snapshot, synth

from .conftest import manifests, truth_clusters, twice_listed

ON = dt.date(2026, 6, 15)


def expected(nat: synth.National, clusters: pl.DataFrame, column: str) -> pl.DataFrame:
    people, cov = [], []
    for pemda, t in nat.tables.items():
        people.append(t["people"].select("person_id", column, pemda=pl.lit(pemda)))
        cov.append(t["coverage"].select("person_id", "start_date", "end_date", pemda=pl.lit(pemda)))
    p = pl.concat(people).join(clusters, on=["pemda", "person_id"])
    covered = pl.concat(cov).filter((pl.col("start_date") <= ON) & (pl.col("end_date") >= ON))
    on_day = covered.select("pemda", "person_id").unique().with_columns(cov=pl.lit(True))
    p = p.join(on_day, on=["pemda", "person_id"], how="left").with_columns(
        pl.col("cov").fill_null(False)
    )
    return (
        p.group_by(pl.col(column).alias("region"))
        .agg(
            listed=pl.col("cluster").n_unique(),
            covered=pl.col("cluster").filter("cov").n_unique(),
        )
        .sort("region")
    )


def nation_covered(nat: synth.National, clusters: pl.DataFrame) -> int:
    cov = pl.concat(
        t["coverage"].select("person_id", "start_date", "end_date", pemda=pl.lit(pemda))
        for pemda, t in nat.tables.items()
    ).filter((pl.col("start_date") <= ON) & (pl.col("end_date") >= ON))
    return cov.join(clusters, on=["pemda", "person_id"]).get_column("cluster").n_unique()


def humans_on_day(nat: synth.National, clusters: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per listing: its region, its human (the cluster, else the listing itself), and whether
    it holds a period on ``ON`` (any, BPU, PU)."""
    people, cov = [], []
    for pemda, t in nat.tables.items():
        people.append(t["people"].select("person_id", column, pemda=pl.lit(pemda)))
        cov.append(
            t["coverage"].select(
                "person_id", "segment", "start_date", "end_date", pemda=pl.lit(pemda)
            )
        )
    day = (
        pl.concat(cov)
        .filter((pl.col("start_date") <= ON) & (pl.col("end_date") >= ON))
        .group_by("pemda", "person_id")
        .agg(bpu=(pl.col("segment") == "bpu").any(), pu=(pl.col("segment") == "pu").any())
        .with_columns(cov=pl.lit(True))
    )
    human = pl.coalesce(pl.col("cluster").cast(pl.String), pl.format("{}/{}", "pemda", "person_id"))
    return (
        pl.concat(people)
        .join(clusters.select("pemda", "person_id", "cluster"), on=["pemda", "person_id"],
              how="left")
        .join(day, on=["pemda", "person_id"], how="left")
        .select(pl.col(column).alias("region"), human.alias("human"),
                pl.col("cov", "bpu", "pu").fill_null(False))
    )  # fmt: skip


@pytest.mark.parametrize("level", ["province", "regency", "district"])
def test_clusters_of_twice_listed_only(
    duck: engines.DuckDBEngine, clear_dir: Path, national: synth.National, level: str
) -> None:
    """With clusters of the humans listed twice only (the rest humans of their own), each
    region and the nation count each human once: listed, covered, covered BPU and PU."""
    clusters = twice_listed(truth_clusters(clear_dir))
    assert 0 < clusters.height < sum(m.counts["people"] for m in manifests(clear_dir))
    res = coverage.coverage(duck, manifests(clear_dir), level=level, on=ON, clusters=clusters)
    h = humans_on_day(national, clusters, coverage.LEVELS[level])
    want = (
        h.group_by("region")
        .agg(
            listed=pl.col("human").n_unique(),
            covered=pl.col("human").filter("cov").n_unique(),
            covered_bpu=pl.col("human").filter("bpu").n_unique(),
            covered_pu=pl.col("human").filter("pu").n_unique(),
        )
        .sort("region")
        .with_columns(pl.all().exclude("region").cast(pl.Int64))
    )
    got = res.regions.select("region", "listed", "covered", "covered_bpu", "covered_pu")
    assert got.equals(want)
    assert res.total_listed == h.get_column("human").n_unique()
    assert res.total_covered == h.filter("cov").get_column("human").n_unique()
    assert res.total_covered < res.regions.get_column("covered").sum() or level == "province"


@pytest.mark.parametrize("level", ["province", "regency", "district"])
def test_by_level(
    duck: engines.DuckDBEngine, clear_dir: Path, national: synth.National, level: str
) -> None:
    clusters = truth_clusters(clear_dir)
    res = coverage.coverage(duck, manifests(clear_dir), level=level, on=ON, clusters=clusters)
    want = expected(national, clusters, coverage.LEVELS[level])
    got = res.regions.select(
        "region", pl.col("listed").cast(pl.UInt32), pl.col("covered").cast(pl.UInt32)
    )
    assert got.equals(want.with_columns(pl.col("listed", "covered").cast(pl.UInt32)))
    assert (res.regions.get_column("covered_bpu") == res.regions.get_column("covered")).all()
    # the nation counts each human once
    assert res.total_listed == clusters.get_column("cluster").n_unique()
    assert res.total_covered == nation_covered(national, clusters)
    assert res.total_listed < res.regions.get_column("listed").sum() or level == "province"


def test_bad_level(duck: engines.DuckDBEngine, clear_dir: Path) -> None:
    with pytest.raises(JaringError) as e:
        coverage.coverage(duck, manifests(clear_dir), level="village", on=ON)
    assert e.value.code == "national_bad_level"


def test_without_clusters_every_listing_counts(duck: engines.DuckDBEngine, clear_dir: Path) -> None:
    ms: list[snapshot.Manifest] = manifests(clear_dir)
    res = coverage.coverage(duck, ms, level="province", on=ON)
    assert res.total_listed == sum(m.counts["people"] for m in ms)
