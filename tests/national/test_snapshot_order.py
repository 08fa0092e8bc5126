"""The clusters of a deduplication key each record by its snapshot's place in the list the
deduplication was given. Snapshots given to coverage or double funding in another order (a
shell's glob) give the same figures: the keys are made again from the Pemda and person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from jaring.national import coverage, engines, funding

from .conftest import manifests, truth_clusters


def test_any_order_of_the_snapshots_gives_the_same_figures(
    duck: engines.DuckDBEngine, clear_dir: Path, tmp_path: Path
) -> None:
    clusters = tmp_path / "clusters.parquet"
    truth_clusters(clear_dir).write_parquet(clusters)
    ms = manifests(clear_dir)
    shuffled = ms[::-1][1:] + ms[-1:]  # reversed, and no snapshot in its own place
    assert [m.source for m in shuffled] != [m.source for m in ms]
    on = dt.date(2026, 6, 15)
    figures = []
    for order in (ms, shuffled):
        cov = coverage.coverage(duck, order, level="regency", on=on, clusters=[str(clusters)])
        money = funding.double_funding(duck, order, clusters=[str(clusters)])
        figures.append(
            (
                cov.total_listed,
                cov.total_covered,
                cov.regions.sort("region").select("region", "listed", "covered").rows(),
                money.humans,
                money.human_months,
                money.rupiah,
            )
        )
    assert figures[0] == figures[1]
    assert figures[0][3] > 0  # something doubly paid, so the clusters were used


def test_aligned_clusters_keep_files_in_their_own_order(clear_dir: Path, tmp_path: Path) -> None:
    clusters = tmp_path / "clusters.parquet"
    truth_clusters(clear_dir).write_parquet(clusters)
    ms = manifests(clear_dir)
    assert funding.aligned_clusters([str(clusters)], ms) == [str(clusters)]
    again = funding.aligned_clusters([str(clusters)], ms[::-1])
    assert isinstance(again, pl.DataFrame)
    index = {m.source: i for i, m in enumerate(ms[::-1])}
    assert again.filter(
        pl.col("id") // (1 << 40) != pl.col("pemda").replace_strict(index, return_dtype=pl.Int64)
    ).is_empty()
