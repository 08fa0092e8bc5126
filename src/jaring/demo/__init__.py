"""``jaring demo``: a synthetic Kota Sorong, run end to end.

Each domain contributes one step module here (``registry``, ``programs``, ``claims``,
``coverage``), run in that order on one database. A step takes the shared
:class:`DemoContext` (engine, the actor its actions run as, random seed, the results of
earlier steps) and returns a
summary dict, printed as text or JSON; ``jaring demo`` shows a progress bar over the steps on a
terminal (a step may report its own phases on ``ctx.progress``). All data is synthetic: generated NIKs use real region
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

from jaring.access import Actor
from jaring.i18n import _
from jaring.progress import SILENT, Progress

# The steps, in order. They are imported by name when they run: each imports DemoContext from
# this package, so this package cannot import them at its top.
STEPS = ("registry", "programs", "claims", "coverage", "deaths")


@dataclasses.dataclass
class DemoContext:
    engine: Engine
    # who the demo's actions run as (the system unless `jaring demo --user` names an account)
    actor: Actor = dataclasses.field(default_factory=Actor.system)
    seed: int = 2024
    out_dir: Path = Path("demo-out")
    results: dict[str, Any] = dataclasses.field(default_factory=dict)
    today: dt.date = dt.date(2024, 12, 31)
    progress: Progress = SILENT


def run(
    engine: Engine,
    seed: int = 2024,
    out_dir: Path = Path("demo-out"),
    progress: Progress = SILENT,
    actor: Actor | None = None,
) -> list[dict[str, Any]]:
    """Run every step that exists, in order, on ``engine`` as ``actor`` (default: the
    system), writing files under ``out_dir``; returns one summary per step (``step``,
    ``seconds``, and the step's own figures). ``progress`` hears one phase per step."""
    ctx = DemoContext(
        engine=engine,
        actor=actor or Actor.system(),
        seed=seed,
        out_dir=out_dir,
        progress=progress,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries: list[dict[str, Any]] = []
    for number, name in enumerate(STEPS, start=1):
        module = importlib.import_module(f"jaring.demo.{name}")
        step_run = getattr(module, "run", None)
        if step_run is None:
            continue
        progress.step(
            _(
                "Demo step %(number)d of %(steps)d: %(name)s",
                number=number,
                steps=len(STEPS),
                name=name,
            ),
            total=1,
        )
        t0 = time.perf_counter()
        summary = step_run(ctx)
        progress.advance()
        ctx.results[name] = summary
        summaries.append({"step": name, "seconds": round(time.perf_counter() - t0, 2), **summary})
    return summaries
