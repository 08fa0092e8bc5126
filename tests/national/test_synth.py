"""The generator in batches of provinces (how the benchmark writes 10M rows): every batch's
snapshots, one truth with humans distinct across batches, the PU list and the doubly paid
months of every batch."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from jaring.national import snapshot, synth


def test_batches_write_one_national_set(tmp_path: Path) -> None:
    n = synth.write_batched(6000, tmp_path, batches=2, provinces=("32", "96"), n_regencies=4)
    truth = pl.read_parquet(tmp_path / "truth.parquet")
    assert n == truth.height and 5900 <= n <= 6000
    dirs = sorted(p for p in tmp_path.iterdir() if (p / "manifest.json").is_file())
    assert [p.name for p in dirs] == ["32", "32.01", "32.02", "96", "96.01", "96.02"]
    ms = snapshot.read_all([str(p) for p in dirs])
    assert sum(m.counts["people"] for m in ms) == n
    # a human is listed within one batch of provinces only, and humans never collide
    prov = (
        truth.with_columns(p=pl.col("pemda").str.slice(0, 2))
        .group_by("human")
        .agg(pl.col("p").n_unique())
    )
    assert prov.get_column("p").max() == 1
    assert truth.filter(pl.col("second")).height > 200
    assert pl.read_csv(tmp_path / "pu.csv").height > 50
    paid = pl.read_parquet(tmp_path / "double_paid.parquet")
    assert paid.join(truth, on="human", how="anti").height == 0
