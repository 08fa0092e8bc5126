"""A deduplication leaves the coverage tally of its snapshots and clusters beside its
results, so that the first coverage query over them only reads it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jaring.national import coverage, dedupe, engines, results

from .conftest import manifests, model


def test_the_tally_is_made_with_the_clusters_and_read_after(
    duck: engines.DuckDBEngine, clear_dir: Path, tmp_path: Path
) -> None:
    ms = manifests(clear_dir)
    out = tmp_path / "hasil"
    results.write(dedupe.run(duck, ms, model=model(clear_dir)), out)
    clusters = results.clusters_path(out)
    tally = coverage.prepare_tally(duck, ms, clusters)
    assert tally is not None and tally.parent == out / "coverage" and tally.is_file()
    made = tally.stat().st_mtime_ns
    assert coverage.prepare_tally(duck, ms, clusters) == tally  # there already: not made again
    on = dt.date(2026, 6, 15)
    for level in ("province", "regency", "district"):
        read = coverage.coverage(duck, ms, level=level, on=on, clusters=clusters, tally=True)
        rows = coverage.coverage(duck, ms, level=level, on=on, clusters=clusters, tally=False)
        assert (read.total_listed, read.total_covered) == (rows.total_listed, rows.total_covered)
        assert read.regions.sort("region").equals(rows.regions.sort("region"))
    assert tally.stat().st_mtime_ns == made
