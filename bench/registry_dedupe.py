"""Benchmark: deduplicate 1 million worker rows with 5% duplicates (exact NIK + Splink 5 on
DuckDB + connected components), with peak memory and F1 against the injected truth, and
where the time goes (wall and CPU seconds per stage; CPU counts DuckDB's threads too).
With ``--store``, also the deduplication on the store (a SQLite file): the CSV imported, then
``registry.actions.linking.dedupe`` timed, reading and writing the store included.
Run: PYTHONPATH=src python bench/registry_dedupe.py [rows] [--store]"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import polars as pl

from registry_common import DATA, measure, worker_csv


def prepare(rows: int) -> tuple[Path, Path]:
    """The CSV, read and validated as intake does; accepted rows as dedupe records."""
    from jaring.registry import intake

    records = DATA / f"dedupe_records_{rows}.parquet"
    truth_path = DATA / f"dedupe_truth_{rows}.parquet"
    if records.exists() and truth_path.exists():
        return records, truth_path
    csv = DATA / f"dedupe_{rows}.csv"
    truth = worker_csv(rows, csv, seed=11, duplicate_share=0.05)
    staged = intake.canonical(intake.read_file(csv).sheets[0])
    checked = intake.validate_rows(staged, listed_on=dt.date(2024, 1, 1), region="96.71")
    out = checked.filter(pl.col("status") == "accepted").select(
        pl.col("row_number").cast(pl.Int64).alias("id"),
        "nik", "name_norm", "birth_date", "sex", "district_code", "village_code", "phone",
    )  # fmt: skip
    out.write_parquet(records)
    truth.rename({"row_number": "id"}).with_columns(pl.col("id").cast(pl.Int64)).write_parquet(
        truth_path
    )
    return records, truth_path


class _Stages(logging.Handler):
    """Collects the ``dedupe stage`` timings that jaring.registry.dedupe logs at DEBUG."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.stages: list[tuple[str, float, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "stage"):
            self.stages.append((record.stage, record.wall, record.cpu))  # type: ignore[attr-defined]


def run(records_path: str, truth_path: str) -> dict:
    import time

    from jaring.registry.dedupe import link_records

    records = pl.read_parquet(records_path)
    handler = _Stages()
    dlog = logging.getLogger("jaring.registry.dedupe")
    dlog.addHandler(handler)
    dlog.setLevel(logging.DEBUG)
    t0, c0 = time.perf_counter(), time.process_time()
    clusters = link_records(records)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    dlog.removeHandler(handler)
    truth = pl.read_parquet(truth_path)
    j = clusters.join(truth, on="id")

    def pairs(keys: list[str]) -> int:
        n = j.group_by(keys).len().get_column("len").cast(pl.Int64)
        return int((n * (n - 1) // 2).sum())

    tp, pred, actual = pairs(["cluster", "person_key"]), pairs(["cluster"]), pairs(["person_key"])
    p = tp / pred if pred else 1.0
    r = tp / actual if actual else 1.0
    return {
        "seconds": secs,
        "cpu": cpu,
        "stages": handler.stages,
        "records": records.height,
        "people": clusters.get_column("cluster").n_unique(),
        "true_people": j.get_column("person_key").n_unique(),
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def run_incremental(records_path: str, truth_path: str, new_share: float) -> dict:
    """The last ``new_share`` of the rows arrive as a new import: only pairs touching them are
    scored (what ``registry.actions.linking.dedupe`` does on the store, without the store). Recall here is of
    the true pairs that touch a new row, by NIK edges and links at the match threshold."""
    import time

    from jaring.registry.dedupe import Thresholds, nik_edges, score_pairs

    records = pl.read_parquet(records_path)
    cut = records.get_column("id").quantile(1 - new_share)
    recs = records.with_columns(is_new=(pl.col("id") > cut).cast(pl.Int8))
    th = Thresholds()
    t0, c0 = time.perf_counter(), time.process_time()
    scored = score_pairs(recs, min_probability=th.review)
    edges = pl.concat(
        [
            nik_edges(recs),
            scored.filter(pl.col("match_probability") >= th.match).select("id_l", "id_r"),
        ]
    ).unique()
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    truth = pl.read_parquet(truth_path)
    new_ids = recs.filter(pl.col("is_new") == 1).select("id")
    t = truth.join(recs.select("id"), on="id")
    true_pairs = (
        t.join(t, on="person_key", suffix="_r")
        .filter(pl.col("id") < pl.col("id_r"))
        .filter(
            pl.col("id").is_in(new_ids["id"].implode())
            | pl.col("id_r").is_in(new_ids["id"].implode())
        )
        .select(id_l="id", id_r="id_r")
    )
    found = true_pairs.join(edges, on=["id_l", "id_r"], how="semi").height
    return {
        "seconds": secs,
        "cpu": cpu,
        "new": new_ids.height,
        "existing": recs.height - new_ids.height,
        "links": edges.height,
        "review": scored.filter(pl.col("match_probability") < th.match).height,
        "recall": found / true_pairs.height if true_pairs.height else 1.0,
    }


def run_store(csv: str, db: str) -> dict:
    """Import ``csv`` into a fresh SQLite store, then deduplicate it there."""
    import time

    from jaring.access import Actor
    from jaring.registry.actions import imports, linking
    from jaring.store import make_engine, migrate

    for suffix in ("", "-wal", "-shm"):
        Path(db + suffix).unlink(missing_ok=True)
    eng = make_engine(f"sqlite:///{db}")
    migrate(eng)
    system = Actor.system()
    imports.import_files(eng, system, [csv], "Bench", listed_on=dt.date(2024, 1, 1))
    t0, c0 = time.perf_counter(), time.process_time()
    linked = linking.dedupe(eng, system)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    eng.dispose()
    return {"seconds": secs, "cpu": cpu, "records": linked.records, "people": linked.people}


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser(description="Deduplicate N generated rows (5% duplicates).")
    ap.add_argument("rows", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--store", action="store_true", help="also through the store (SQLite)")
    args = ap.parse_args()
    rows = args.rows
    records, truth = prepare(rows)
    load_before = _load()
    _, peak, out = measure(run, str(records), str(truth))
    print(f"{rows:,} rows with 5% duplicates; {out['records']:,} accepted rows deduplicated")
    print(
        f"load average before {load_before}, after {_load()} (1/5/15 min; {os.cpu_count()} cores)"
    )
    print(
        f"{'seconds':>9}{'CPU s':>8}{'peak MiB':>10}{'people':>10}{'truth':>10}"
        f"{'precision':>11}{'recall':>8}{'F1':>8}"
    )
    print(
        f"{out['seconds']:>9.1f}{out['cpu']:>8.1f}{peak:>10,.0f}{out['people']:>10,}"
        f"{out['true_people']:>10,}{out['precision']:>11.4f}{out['recall']:>8.4f}{out['f1']:>8.4f}"
    )
    goal = out["seconds"] < 30 and peak < 4096 and out["f1"] >= 0.98
    print(f"goal (< 30 s, < 4 GiB, F1 >= 0.98): {'met' if goal else 'NOT met'}")
    print(f"\n{'stage':<32}{'wall s':>8}{'CPU s':>8}")
    for name, wall, cpu in out["stages"]:
        print(f"{name:<32}{wall:>8.2f}{cpu:>8.2f}")
    _, peak, inc = measure(run_incremental, str(records), str(truth), 0.02)
    print(
        f"\nincremental: {inc['new']:,} new rows against {inc['existing']:,} existing (pairs "
        f"touching a new row only): {inc['seconds']:.1f} s, {inc['cpu']:.1f} CPU s, "
        f"{peak:,.0f} MiB; {inc['links']:,} links, {inc['review']:,} to review, recall of "
        f"the new rows' true pairs {inc['recall']:.4f}"
    )
    if args.store:
        csv = DATA / f"dedupe_{rows}.csv"
        _, peak, st = measure(run_store, str(csv), str(DATA / "bench_dedupe_store.db"))
        print(
            f"\non the store (SQLite): {st['records']:,} rows -> {st['people']:,} people in "
            f"{st['seconds']:.1f} s, {st['cpu']:.1f} CPU s, {peak:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
