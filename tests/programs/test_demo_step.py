"""The programs demo step on a small registry: it runs, reconciles, and reads well."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from jaring.demo import DemoContext
from jaring.demo import programs as step
from programs.helpers import add_people, people_frame


def test_demo_step(engine: Engine, tmp_path: Path) -> None:
    add_people(engine, people_frame(300, seed=11))
    summary = step.run(DemoContext(engine=engine, out_dir=tmp_path))
    assert summary["registry_people"] == 300
    assert summary["balanced"]
    assert summary["budget"] == summary["spent"] + summary["committed"] + summary["unspent"]
    assert summary["kpj_imported"] + summary["kpj_refused"] == summary["enrolled"]
    assert summary["lapsed"] == step.SHORT_LINES
    assert summary["people_covered"] == summary["kpj_imported"]
    for lang in ("id", "en"):
        lines = step.render(summary, lang)
        assert len(lines) == 7 and all(isinstance(x, str) and x for x in lines)
