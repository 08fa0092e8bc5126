"""Helpers shared by the award tests (a uniquely named module: test folders here are not
packages, so ``conftest`` is not importable by name)."""

from __future__ import annotations

from jaring.access import Actor
from jaring.award import actions

REGENCIES = ["96.71", "96.01", "96.02", "96.03", "96.04"]
JURORS = [f"J{i}" for i in range(1, 10)]
SYSTEM = Actor.system()


def score_all(engine, code: str, inovasi: int, wawancara: int, jurors=JURORS) -> None:  # type: ignore[no-untyped-def]
    for j in jurors:
        actions.record_scores(
            engine,
            SYSTEM,
            2024,
            code,
            {"inovasi": inovasi, "wawancara": wawancara},
            submit=True,
            juror=j,
        )
