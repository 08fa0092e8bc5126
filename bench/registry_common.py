"""Shared helpers of the registry benchmarks: data generation and peak-memory measurement.

Each measured step runs in a child process so that its peak resident memory (ru_maxrss) is
its own.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import resource
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import polars as pl

DATA = Path(__file__).parent / "data"


def _child(fn: Callable[..., Any], args: tuple, q: Any) -> None:  # type: ignore[type-arg]
    t0 = time.perf_counter()
    out = fn(*args)
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB
    q.put((secs, peak, out))


def measure(fn: Callable[..., Any], *args: Any) -> tuple[float, float, Any]:
    """Run ``fn(*args)`` in a fresh process: (seconds, peak MiB, result). Raises
    ``RuntimeError`` when the process ends without a result (an import or the step failed:
    its traceback is on stderr) instead of waiting for it."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child, args=(fn, args, q))
    p.start()
    while True:
        try:
            result = q.get(timeout=1)
            break
        except queue.Empty:
            if not p.is_alive():
                raise RuntimeError(
                    f"the measured process ended (exit code {p.exitcode}) without a result"
                ) from None
    p.join()
    return result


def worker_csv(rows: int, path: Path, seed: int = 7, duplicate_share: float = 0.0) -> pl.DataFrame:
    """A CSV of ``rows`` worker rows (10 columns) from the synthetic Kota Sorong generator;
    ``duplicate_share`` of them are second appearances of someone, with typing errors.
    Returns the truth (row_number, person_key)."""
    from jaring.demo.synth import corrupt, people

    n_people = int(rows * (1 - duplicate_share))
    pop = people(n_people, seed)
    dups = pop.sample(rows - n_people, seed=seed + 1) if rows > n_people else pop.head(0)
    app = pl.concat([pop, dups]).sample(fraction=1.0, shuffle=True, seed=seed + 2)
    app = app.with_columns(source=pl.lit("Pasar Remu"))
    typed = corrupt(app, seed)
    table = typed.select(
        pl.col("nik_text").alias("NIK"),
        pl.col("name_text").alias("Nama Lengkap"),
        pl.col("bd_text").alias("Tgl Lahir"),
        pl.col("sex_text").alias("L/P"),
        pl.lit("Jl. Pasar Remu").alias("Alamat"),
        pl.col("village_text").alias("Kelurahan"),
        pl.col("district_text").alias("Distrik"),
        pl.col("phone_text").alias("No HP"),
        pl.col("occupation").alias("Pekerjaan"),
        pl.col("desil").cast(pl.String).alias("Desil"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(path)
    return typed.select(
        (pl.int_range(pl.len()) + 2).cast(pl.Int32).alias("row_number"), "person_key"
    )


def _child_full(fn: Callable[..., Any], args: tuple, q: Any) -> None:  # type: ignore[type-arg]
    t0 = time.perf_counter()
    out = fn(*args)
    secs = time.perf_counter() - t0
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    q.put(
        {
            "seconds": secs,
            "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
            "peak_mib": max(me.ru_maxrss, kids.ru_maxrss) / 1024,
            "out": out,
        }
    )


def measure_full(fn: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Like :func:`measure`, with CPU seconds: ``seconds``, ``cpu`` (user + system of the
    process, its threads and the processes it waited for), ``peak_mib``, ``out``."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_child_full, args=(fn, args, q))
    p.start()
    result = q.get()
    p.join()
    return result  # type: ignore[no-any-return]


def pids_cpu(pids: Iterable[int]) -> float:
    """CPU seconds (user + system) used so far by the processes ``pids`` of this machine, from
    /proc; 0 for one that cannot be read (gone, or not ours to read)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def backend_cpu(database: str) -> float:
    """CPU seconds used so far by the PostgreSQL server processes connected to ``database``
    (same machine; read from /proc, whose process titles name the database)."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cmd.startswith("postgres:") and f" {database} " in cmd:
            pids.append(int(d.name))
    return pids_cpu(pids)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for every figure printed (shared machine)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
