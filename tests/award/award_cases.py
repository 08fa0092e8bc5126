"""Helpers shared by the award tests (a uniquely named module: test folders here are not
packages, so ``conftest`` is not importable by name)."""

from __future__ import annotations

from jaring.award import service

REGENCIES = ["96.71", "96.01", "96.02", "96.03", "96.04"]
JURORS = [f"J{i}" for i in range(1, 10)]


def score_all(engine, code: str, inovasi: int, wawancara: int, jurors=JURORS) -> None:  # type: ignore[no-untyped-def]
    for j in jurors:
        service.record_scores(
            engine, 2024, code, j, {"inovasi": inovasi, "wawancara": wawancara}, submit=True
        )
