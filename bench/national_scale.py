"""National scale: cross-region deduplication, double funding and coverage on DuckDB and on
Spark (local mode) over generated national populations (``jaring.national.synth``: regencies
in five provinces, each regency and province a Pemda with its own snapshot; 5% of humans
listed by two Pemda with the second listing corrupted, 2% also PU).

    nice -n 10 python bench/national_scale.py 1000000 --engines duckdb spark
    nice -n 10 python bench/national_scale.py 3000000 10000000 --engines duckdb
    nice -n 10 python bench/national_scale.py 1000000 --steps blocking  # pairs per rule

Each step runs in a fresh process; its peak memory is the largest resident set of that process
and its children (Spark's JVM) sampled every half second, its CPU seconds those of the
process and its children (user + system, read from /proc at the same samples and at the end:
on a shared machine the wall time says little, the CPU time what the work costs). The model is trained once per size
(DuckDB, a sample of 100,000 records) and used by both engines, so that they score alike; its
time is reported apart. Prints one line per figure with the load average beside it (the
machine is shared) and appends it to bench/data/national/results.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import threading
import time
from pathlib import Path
from typing import Any

import polars as pl

DATA = Path(__file__).parent / "data" / "national"
KEY = b"bench-national-key-0123456789abcdef"
BATCH_ROWS = 3_000_000  # generated at once up to this; above, in batches of provinces


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _tree(pid: int, cpu: dict[int, float]) -> int:
    """Resident bytes of ``pid`` and its descendants; their CPU seconds so far (user +
    system) are written into ``cpu`` by process id (Spark's JVM included)."""
    kids: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    ticks: dict[int, float] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    hz = os.sysconf("SC_CLK_TCK")
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            kids.setdefault(int(fields[1]), []).append(int(d.name))
            rss[int(d.name)] = int(fields[21]) * page
            ticks[int(d.name)] = (int(fields[11]) + int(fields[12])) / hz
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        if p in ticks:
            cpu[p] = max(cpu.get(p, 0.0), ticks[p])
        todo.extend(kids.get(p, []))
    return total


def _child(step: str, args: dict[str, Any], q: Any) -> None:
    peak = [0]
    cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree(os.getpid(), cpu))
            done.wait(0.5)

    threading.Thread(target=sample, daemon=True).start()
    t0 = time.perf_counter()
    out = STEPS[step](**args)
    secs = time.perf_counter() - t0
    peak[0] = max(peak[0], _tree(os.getpid(), cpu))
    done.set()
    q.put(
        {
            "seconds": round(secs, 2),
            "cpu_seconds": round(sum(cpu.values()), 1),
            "peak_mib": round(peak[0] / 2**20),
            **out,
        }
    )


def measure(step: str, **args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(step, args, q))
    p.start()
    res = q.get()
    p.join()
    return res  # type: ignore[no-any-return]


def _dirs(root: Path) -> list[str]:
    return sorted(str(p) for p in root.iterdir() if (p / "manifest.json").is_file())


def _engine(name: str) -> Any:
    from jaring.national import engines

    if name == "spark":
        return engines.SparkEngine(os.environ.get("JARING_SPARK_MASTER", "local[2]"))
    # DuckDB's memory bounded (it spills beyond): the machine is shared
    return engines.DuckDBEngine(
        threads=2, memory_limit=os.environ.get("BENCH_DUCKDB_MEMORY", "6GB")
    )


def step_generate(rows: int, root: str, hashed: bool = False) -> dict[str, Any]:
    from jaring.national import synth

    if rows > BATCH_ROWS:  # one province at a time: 10M at once needs ~24 GiB
        batches = min(len(synth.PROVINCES), -(-rows // BATCH_ROWS))
        n = synth.write_batched(rows, root, batches=batches, key=KEY if hashed else None)
        return {"records": n, "batches": batches}
    nat = synth.generate(rows)
    synth.write(nat, root, key=KEY if hashed else None)
    return {"records": int(nat.truth.height)}


def step_train(root: str, model_path: str) -> dict[str, Any]:
    from jaring.national import dedupe, engines, snapshot

    ms = snapshot.read_all(_dirs(Path(root)), verify=False)
    duck = engines.DuckDBEngine(threads=2)
    total = dedupe.register_records(duck, ms)
    model = dedupe.train(dedupe.training_sample(duck, total, 100_000), total)
    Path(model_path).write_text(json.dumps(model))
    return {}


def step_dedupe(root: str, engine: str, model_path: str, out: str) -> dict[str, Any]:
    from jaring.national import dedupe, results, snapshot, synth

    ms = snapshot.read_all(_dirs(Path(root)), verify=False)
    eng = _engine(engine)
    res = dedupe.run(eng, ms, model=json.loads(Path(model_path).read_text()))
    summary = results.write(res, out)
    q = synth.pair_quality(res.clusters, pl.read_parquet(Path(root) / "truth.parquet"))
    return {
        "records": res.records,
        "cross_region_pairs": summary["cross_region_pairs"],
        "cross_region_people": summary["cross_region_people"],
        "stages": summary["seconds"],
        **q,
    }


def _former_rules() -> list[str]:
    """The national blocking rules as they were before the spelled-word and one-word rules
    (the registry's, two Pemda, region-only NIK rule left out, birth date or name sound with
    the same sex), for the before/after counts of the ``blocking`` step."""
    from jaring.national import dedupe
    from jaring.registry import dedupe as registry_dedupe

    out = []
    for rule in registry_dedupe.BLOCKING_RULES:
        core = rule.removesuffix(dedupe._TOUCHING_NEW)
        if core.startswith("substr(l.nik, 7, 10)"):
            continue
        if core.startswith(("l.birth_date = r.birth_date AND l.phon", "l.name_phon")):
            rule += dedupe.SAME_SEX
        out.append(rule + dedupe.CROSS)
    return out


def step_blocking(root: str, former: bool = False) -> dict[str, Any]:
    """Candidate pairs of each blocking rule as Splink counts them (pairs of the rule not
    found by an earlier one) and the true pairs (one human, two Pemda) among them; the true
    pairs no rule finds. ``former``: the rules of :func:`_former_rules`."""
    from jaring.national import dedupe, snapshot

    ms = snapshot.read_all(_dirs(Path(root)), verify=False)
    duck = _engine("duckdb")
    dedupe.register_records(duck, ms)
    con = duck.con
    con.execute(
        "CREATE TABLE blocking_truth AS SELECT r.*, t.human FROM national_records r "
        f"JOIN read_parquet('{Path(root) / 'truth.parquet'}') t USING (pemda, person_id)"
    )
    rules = (
        _former_rules()
        if former
        else [r["blocking_rule"] for r in dedupe.settings("duckdb", 1e-6)[
            "blocking_rules_to_generate_predictions"]]
    )  # fmt: skip
    per = []
    for i, rule in enumerate(rules):
        earlier = " OR ".join(f"({r})" for r in rules[:i])
        new = f" AND NOT coalesce({earlier}, false)" if earlier else ""
        pairs, true = con.execute(
            "SELECT count(*), count(*) FILTER (l.human = r.human) FROM blocking_truth l "
            f"JOIN blocking_truth r ON ({rule}) AND l.id < r.id{new}"
        ).fetchone()  # type: ignore[misc]
        per.append({"rule": rule.removesuffix(dedupe.CROSS), "pairs": pairs, "true": true})
    true_pairs = con.execute(
        "SELECT count(*) FROM blocking_truth l JOIN blocking_truth r "
        "ON l.human = r.human AND l.pemda <> r.pemda AND l.id < r.id"
    ).fetchone()[0]  # type: ignore[index]
    found = sum(p["true"] for p in per)
    return {
        "rules": "former" if former else "national",
        "candidate_pairs": sum(p["pairs"] for p in per),
        "true_pairs": true_pairs,
        "true_found": found,
        "blocking_recall": round(found / max(true_pairs, 1), 5),
        "per_rule": per,
    }


def step_funding(root: str, engine: str, dedupe_out: str) -> dict[str, Any]:
    from jaring.national import funding, pu, results, snapshot

    ms = snapshot.read_all(_dirs(Path(root)), verify=False)
    eng = _engine(engine)
    res = funding.double_funding(
        eng, ms, clusters=results.clusters_path(dedupe_out), pu=pu.read(Path(root) / "pu.csv")
    )
    return {"human_months": res.human_months, "rupiah": res.rupiah, "rows": res.months.height}


def step_coverage(
    root: str, engine: str, dedupe_out: str, runs: int = 1, new_tally: bool = False
) -> dict[str, Any]:
    """Coverage by regency ``runs`` times in one process: the engine's start (Spark's
    session: the JVM, its context) apart from the query; the first query on a cold engine,
    the later ones warm. Each query's CPU seconds are the process's and its children's.
    ``tally``: whether the tally of these inputs was written before the first query (Spark
    counts from it, and makes it when it is not); ``new_tally`` removes it first."""
    from jaring.national import coverage, results, snapshot

    ms = snapshot.read_all(_dirs(Path(root)), verify=False)
    places = coverage.tally_file(ms, results.clusters_path(dedupe_out))
    if new_tally:
        for p in places:
            p.unlink(missing_ok=True)
    tally = "written before" if any(p.is_file() for p in places) else "none"
    cpu: dict[int, float] = {}
    t = time.perf_counter()
    eng = _engine(engine)
    start = time.perf_counter() - t
    _tree(os.getpid(), cpu)
    memberships = sum(m.counts.get("memberships", 0) for m in ms)
    queries, query_cpu = [], []
    for _ in range(runs):
        before = sum(cpu.values())
        t = time.perf_counter()
        res = coverage.coverage(
            eng,
            ms,
            level="regency",
            on=dt.date(2026, 6, 15),
            clusters=results.clusters_path(dedupe_out),
        )
        queries.append(round(time.perf_counter() - t, 2))
        _tree(os.getpid(), cpu)
        query_cpu.append(round(sum(cpu.values()) - before, 1))
    eng.close()
    return {
        "start_seconds": round(start, 2),
        "query_seconds": queries[0],
        "query_cpu_seconds": query_cpu[0],
        "warm_query_seconds": queries[1:],
        "warm_query_cpu_seconds": query_cpu[1:],
        "memberships": memberships,
        "regions": res.regions.height,
        "listed": res.total_listed,
        "covered": res.total_covered,
        "tally": tally,
    }


STEPS = {
    "generate": step_generate,
    "train": step_train,
    "dedupe": step_dedupe,
    "blocking": step_blocking,
    "funding": step_funding,
    "coverage": step_coverage,
}


def record(line: dict[str, Any]) -> None:
    line = {"date": dt.date.today().isoformat(), "load": load_average(), **line}
    print(json.dumps(line), flush=True)
    DATA.mkdir(parents=True, exist_ok=True)
    with (DATA / "results.jsonl").open("a") as fh:
        fh.write(json.dumps(line) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", type=int, nargs="*", default=[1_000_000])
    ap.add_argument("--engines", nargs="*", default=["duckdb", "spark"])
    ap.add_argument("--steps", nargs="*", default=["dedupe", "funding", "coverage"])
    ap.add_argument("--hashed", action="store_true", help="also the pseudonymised set (DuckDB)")
    ap.add_argument(
        "--model", help="a trained model (JSON) for every size instead of training per size"
    )
    ap.add_argument(
        "--clusters-from",
        help="the engine whose dedupe output the funding and coverage steps read (default: "
        "their own engine's)",
    )
    ap.add_argument(
        "--coverage-runs",
        type=int,
        default=3,
        help="coverage queries in one process: the first cold, the others warm",
    )
    ap.add_argument(
        "--new-tally",
        action="store_true",
        help="remove the coverage tally of the inputs first (Spark's first query makes it)",
    )
    ap.add_argument(
        "--tag",
        default="",
        help="a suffix of the dedupe output folders (dedupe_<size>_<engine>_<tag>), so that "
        "runs side by side do not share them",
    )
    a = ap.parse_args()
    tag = f"_{a.tag}" if a.tag else ""
    for n in a.sizes:
        root = DATA / f"clear_{n}"
        if not (root / "truth.parquet").is_file():
            record({"size": n, "step": "generate", **measure("generate", rows=n, root=str(root))})
        model = Path(a.model) if a.model else DATA / f"model_{n}.json"
        if "dedupe" in a.steps and not model.is_file():  # the only step that reads it
            record(
                {
                    "size": n,
                    "step": "train",
                    **measure("train", root=str(root), model_path=str(model)),
                }
            )
        if "blocking" in a.steps:  # candidate pairs per rule, before and now (DuckDB)
            for former in (True, False):
                record({"size": n, "step": "blocking",
                        **measure("blocking", root=str(root), former=former)})  # fmt: skip
        for eng in a.engines:
            out = DATA / f"dedupe_{n}_{eng}{tag}"
            clusters = DATA / f"dedupe_{n}_{a.clusters_from or eng}{tag}"
            if "dedupe" in a.steps:
                r = measure(
                    "dedupe", root=str(root), engine=eng, model_path=str(model), out=str(out)
                )
                record({"size": n, "engine": eng, "step": "dedupe", **r})
            if "funding" in a.steps:
                r = measure("funding", root=str(root), engine=eng, dedupe_out=str(clusters))
                record({"size": n, "engine": eng, "step": "double-funding", **r})
            if "coverage" in a.steps:
                r = measure(
                    "coverage",
                    root=str(root),
                    engine=eng,
                    dedupe_out=str(clusters),
                    runs=a.coverage_runs,
                    new_tally=a.new_tally,
                )
                record({"size": n, "engine": eng, "step": "coverage", **r})
        if a.hashed:
            hroot = DATA / f"hashed_{n}"
            if not (hroot / "truth.parquet").is_file():
                record({"size": n, "step": "generate hashed",
                        **measure("generate", rows=n, root=str(hroot), hashed=True)})  # fmt: skip
            r = measure("dedupe", root=str(hroot), engine="duckdb", model_path=str(model),
                        out=str(DATA / f"dedupe_{n}_hashed"))  # fmt: skip
            record({"size": n, "engine": "duckdb", "step": "dedupe pseudonymised", **r})


if __name__ == "__main__":
    main()
