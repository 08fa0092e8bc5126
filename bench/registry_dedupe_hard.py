"""Benchmark: deduplicate hard lists typed by hand (:mod:`jaring.demo.hardlists`: 40% of rows
duplicates, NIKs mistyped, twins, NIKs shared by two people), against their truth.

Prints, for the model of :mod:`jaring.registry.dedupe`: pairwise precision, recall and F1
of the automatic links; the review queue (pairs, clusters, and its share of the rows);
recall after a perfect reviewer decides the queue; twin pairs merged; the recall of the
blocking rules alone; the calibration (expected false merges and missed pairs, against the
real counts); seconds and peak memory.

Run: PYTHONPATH=src python bench/registry_dedupe_hard.py [rows ...] [--seed N] [--harsh]
(default 10000 rows, seed 7; ``--harsh``: the harsher profile of :data:`HARSH`, with seed 11
unless given)"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import polars as pl

from registry_common import load_average, measure

# the harsher profile: more of every error, twice the twins and shared NIKs
HARSH = {
    "nik_typo": 0.50,
    "nik_missing": 0.15,
    "bd_typo": 0.30,
    "name_typo": 0.60,
    "initial": 0.10,
    "phone_missing": 0.50,
    "village_other": 0.20,
    "twins": 0.04,
    "shared_nik": 0.006,
}


def run(rows: int, seed: int, harsh: bool = False) -> dict:
    from jaring.demo.hardlists import Rates, hard_list, quality
    from jaring.registry import dedupe as dd

    frame = hard_list(rows, seed=seed, rates=Rates(**HARSH) if harsh else None)
    records = frame.select(*[c for c in dd.RECORD_COLUMNS if c != "is_new"])
    truth = frame.select("id", "person_key", "twin_of")
    t0, c0 = time.perf_counter(), time.process_time()
    result = dd.deduplicate(records)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    auto = quality(result.clusters, truth)
    # a perfect reviewer accepts the true pairs of the queue and rejects the others
    key = truth.select("id", "person_key")
    q = result.queue.join(key.rename({"id": "id_l", "person_key": "k_l"}), on="id_l").join(
        key.rename({"id": "id_r", "person_key": "k_r"}), on="id_r"
    )
    accepted = q.filter(pl.col("k_l") == pl.col("k_r")).select("id_l", "id_r")
    edges = pl.concat([result.links.select("id_l", "id_r"), accepted])
    reviewed = dd.components(records.get_column("id"), edges).rename(
        {"node": "id", "root": "cluster"}
    )
    after = quality(reviewed, truth)
    # blocking alone: share of the true pairs that any rule puts in front of the model
    t = truth.select("id", "person_key")
    true_pairs = (
        t.join(t, on="person_key", suffix="_r")
        .filter(pl.col("id") < pl.col("id_r"))
        .select(id_l="id", id_r="id_r")
    )
    blocked = dd.blocked_pairs(records)
    block_recall = true_pairs.join(blocked, on=["id_l", "id_r"], how="semi").height / max(
        1, true_pairs.height
    )
    return {
        "rows": rows,
        "seconds": secs,
        "cpu": cpu,
        "auto": auto,
        "after": after,
        "queue_pairs": result.queue.height,
        "queue_clusters": result.review_clusters,
        "blocked_pairs": blocked.height,
        "block_recall": block_recall,
        "expected_false_merges": result.expected_false_merges,
        "expected_missed": result.expected_missed,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description="Deduplicate generated hard lists.")
    ap.add_argument("sizes", nargs="*", type=int, default=[10_000], help="rows of each list")
    ap.add_argument("--harsh", action="store_true", help="the harsh corruption profile")
    ap.add_argument("--seed", type=int, help="the generator's seed (default 7, harsh 11)")
    opts = ap.parse_args()
    harsh, sizes = opts.harsh, opts.sizes
    seed = opts.seed if opts.seed is not None else (11 if harsh else 7)
    for rows in sizes:
        load_before = load_average()
        secs, peak, out = measure(run, rows, seed, harsh)
        a, r = out["auto"], out["after"]
        profile = "harsh profile" if harsh else "default rates"
        print(f"{rows:,} rows (hard list, seed {seed}, {profile}); load {load_before} -> "
              f"{load_average()} ({os.cpu_count()} cores)")  # fmt: skip
        print(f"  dedupe {out['seconds']:.1f} s ({out['cpu']:.1f} CPU s); whole run {secs:.1f} s, "
              f"peak {peak:,.0f} MiB")  # fmt: skip
        print(f"  automatic: precision {a['precision']:.4f}, recall {a['recall']:.4f}, "
              f"F1 {a['f1']:.4f} ({a['false_pairs']:,} false pairs, {a['missed_pairs']:,} "
              f"missed of {a['true_pairs']:,}); twin pairs merged {a['twin_pairs_merged']}")  # fmt: skip
        print(f"  review queue: {out['queue_pairs']:,} pairs ({out['queue_pairs'] / rows:.2%} of "
              f"rows) in {out['queue_clusters']:,} clusters, one decision each "
              f"({out['queue_clusters'] / rows:.2%} of rows)")  # fmt: skip
        print(f"  after a perfect reviewer: precision {r['precision']:.4f}, recall "
              f"{r['recall']:.4f}; twin pairs merged {r['twin_pairs_merged']}")  # fmt: skip
        print(
            f"  blocking: {out['blocked_pairs']:,} pairs scored, recall {out['block_recall']:.4f}"
        )
        print(f"  calibration: expected false merges {out['expected_false_merges']:.1f} "
              f"(real {a['false_pairs']}), expected missed {out['expected_missed']:.1f} "
              f"(real {a['missed_pairs']})")  # fmt: skip


if __name__ == "__main__":
    main()
