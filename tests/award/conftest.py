"""An edition of the Paritrana Award for Papua Barat Daya with nine jurors."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from jaring.access import Actor
from jaring.award import actions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "coverage"))

from award_cases import JURORS, REGENCIES

SYSTEM = Actor.system()


@pytest.fixture
def edition(engine):  # type: ignore[no-untyped-def]
    actions.create_edition(
        engine,
        SYSTEM,
        2024,
        ["provinsi", "kabupaten-kota"],
        assessed_year=2023,
        stage="wawancara-provinsi",
    )
    for code in REGENCIES:
        actions.add_candidate(engine, SYSTEM, 2024, "kabupaten-kota", code)
    for j in JURORS:
        actions.add_juror(engine, SYSTEM, 2024, j, f"Juri {j}", "Disnaker")
    for i, code in enumerate(REGENCIES):
        actions.schedule_interview(engine, SYSTEM, 2024, code, dt.datetime(2024, 2, 26, 9 + i))
    return engine
