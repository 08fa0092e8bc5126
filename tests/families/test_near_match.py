"""A death row whose NIK no one has, scored by the registry's deduplication model against the
registry's people, on SQLite and PostgreSQL: a one-digit NIK typo with the same name and
birth date waits for review with the probability and the model's reasons, never recorded
by itself; a twin (the serial one off, another given name) names no one.

The registry here is large enough for the model to train as it does in a Pemda (a generated
market list of 200 rows with its own duplicates, and the P3KE families of the world)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from families.world import SYSTEM, build, deaths_csv
from jaring.access import Actor
from jaring.demo.synth import appearances, corrupt, people
from jaring.families.actions import deaths
from jaring.families.queries import deaths as dq
from jaring.registry.actions import imports
from jaring.store.tables.families import death
from jaring.store.tables.web import audit_event

TODAY = dt.date(2024, 9, 1)
YOHANIS = "9671011505800001"  # head of KK A, born 15 May 1980
PETRUS = "9671012003050003"  # his son, born 20 March 2005
OPERATOR = Actor(username="ops", role="operator", regions=("96.71",))
SUPERVISOR = Actor(username="spv", role="supervisor", regions=("96.71",))


def _market_list(path: Path, rows: int = 200) -> Path:
    """A market list as typed by hand (the demo's generator): about 10% second appearances."""
    pop = people(int(rows * 0.9), seed=11)
    app = appearances(pop, seed=11).head(rows)
    typed = corrupt(app, 11)
    typed.select(
        pl.col("nik_text").alias("NIK"),
        pl.col("name_text").alias("Nama Lengkap"),
        pl.col("bd_text").alias("Tgl Lahir"),
        pl.col("sex_text").alias("L/P"),
        pl.col("village_text").alias("Kelurahan"),
        pl.col("district_text").alias("Distrik"),
        pl.col("phone_text").alias("No HP"),
    ).write_csv(path)
    return path


@pytest.fixture
def world(engine: Engine, tmp_path: Path, store_copies) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The market list, then the families' Kota Sorong (made once per test process and
    dialect, then copied: ``store_copies``)."""

    def make() -> dict[str, Any]:
        imports.import_files(
            engine, SYSTEM, [_market_list(tmp_path / "pasar.csv")], "Pasar Remu",
            listed_on=dt.date(2024, 1, 2), region="96.71",
        )  # fmt: skip
        return build(engine, tmp_path)

    return dict(store_copies.once(engine, "families.test_near_match.world", tmp_path, make))


def _recorded(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(death)).scalar_one())


def test_a_one_digit_nik_typo_waits_for_review_with_the_model_reasons(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    typo = YOHANIS[:13] + "2" + YOHANIS[14:]  # serial 0001 typed 0021
    path = deaths_csv(
        tmp_path / "d.csv", [(typo, "Yohanis Wonatorei", "15/06/2024", "RSUD Sorong")]
    )
    out = deaths.import_deaths(engine, OPERATOR, path, source="Dukcapil", today=TODAY)
    assert (out.recorded, out.review, out.refused) == (0, 1, 0)
    assert _recorded(engine) == 0  # never recorded on a near match, however probable
    (row,) = dq.list_rows(engine, OPERATOR)
    assert row.reason == "near_match" and row.person_name == "Yohanis Wonatorei"
    assert row.match_score is not None and row.match_score >= 0.5
    why = row.match_explain
    assert why["name_norm"]["level"] == "sama" and why["birth_date"]["level"] == "sama"
    assert why["nik"]["level"] not in ("sama", "beda") and "hold" not in why
    decided = deaths.decide_row(
        engine, SUPERVISOR, row.id, accept=True, reason="NIK salah ketik di daftar Dukcapil"
    )
    assert decided.outcome == "accepted" and _recorded(engine) == 1
    with engine.connect() as c:
        actions = c.execute(select(audit_event.c.action)).scalars().all()
    assert "death.import" in actions and "death.review" in actions


def test_a_twin_does_not_match(engine: Engine, tmp_path: Path, world: dict[str, Any]) -> None:
    twin = PETRUS[:12] + "0004"  # the next serial on the same birth date: a twin brother
    path = deaths_csv(tmp_path / "t.csv", [(twin, "Paulus Wonatorei", "01/07/2024", "Remu")])
    out = deaths.import_deaths(engine, OPERATOR, path, source="Kelurahan Remu", today=TODAY)
    assert (out.recorded, out.review, out.refused) == (0, 0, 1)
    (row,) = dq.list_rows(engine, SYSTEM, outcome="refused")
    assert (row.reason, row.person_id, row.match_explain) == ("unknown_nik", None, {})
    assert _recorded(engine) == 0
