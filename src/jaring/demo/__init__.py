"""``jaring demo``: a synthetic Kota Sorong, run end to end.

Each domain contributes one step module here (``registry``, ``programs``, ``claims``,
``coverage``), run in that order on one database. A step takes the shared
:class:`DemoContext` (engine, random seed, the results of earlier steps) and returns a
summary dict, printed as text or JSON. All data is synthetic: generated NIKs use real region
codes but random serials, and names are drawn from common-name lists; no real person's data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

STEPS = ("registry", "programs", "claims", "coverage")


@dataclasses.dataclass
class DemoContext:
    engine: Engine
    seed: int = 2024
    out_dir: Path = Path("demo-out")
    results: dict[str, Any] = dataclasses.field(default_factory=dict)
    today: dt.date = dt.date(2024, 12, 31)


def run(engine: Engine, seed: int = 2024, out_dir: Path = Path("demo-out")) -> list[dict[str, Any]]:
    """Run every step that exists; returns one summary per step (``step``, ``seconds``, ...)."""
    ctx = DemoContext(engine=engine, seed=seed, out_dir=out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries: list[dict[str, Any]] = []
    for name in STEPS:
        module = importlib.import_module(f"jaring.demo.{name}")
        step_run = getattr(module, "run", None)
        if step_run is None:
            continue
        t0 = time.perf_counter()
        summary = step_run(ctx)
        ctx.results[name] = summary
        summaries.append({"step": name, "seconds": round(time.perf_counter() - t0, 2), **summary})
    return summaries
