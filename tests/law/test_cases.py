"""The law's worked examples (``src/jaring/law/cases/*.yaml``), each run through the one-worker
calls and the column path: the same amounts both ways, resting on the references named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from jaring.law import benefits, contributions
from jaring.law.amount import Amount

CASES = Path(contributions.__file__).parent / "cases"


def _load(name: str) -> list[dict[str, Any]]:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    for case in cases:
        assert {"name", "date", "input", "expect", "references"} <= set(case), case
        assert isinstance(case["date"], dt.date), case["name"]
    return cases  # type: ignore[no-any-return]


CONTRIBUTIONS = _load("contributions.yaml")
BENEFITS = _load("benefits.yaml")


def _cites(amount: Amount, references: list[str]) -> None:
    """Every reference of the case is (part of) a reference of the explanation's lines."""
    cited = [line.reference for line in amount.explanation]
    for ref in references:
        assert any(ref in line for line in cited), (ref, cited)


def _one_worker(case: dict[str, Any]) -> Amount:
    given, on = case["input"], case["date"]
    if given["segment"] == "pu":
        return contributions.pu(given["wage"], given["risk"], on)
    flags = {k: given[k] for k in ("jht", "paid_by", "transport") if k in given}
    return contributions.bpu(given["income"], on, **flags)


@pytest.mark.parametrize("case", CONTRIBUTIONS, ids=[c["name"] for c in CONTRIBUTIONS])
def test_contribution_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    amount = _one_worker(case)
    assert amount.total == expect["total"]
    for key, value in amount.components.items():
        assert (key, value) == (key, expect[key])
    frame_only = {"base", "jht"} if case["input"]["segment"] == "pu" else set()
    for key, value in expect.items():
        if key not in amount.components and key not in frame_only:
            assert (key, value) == (key, 0)
    _cites(amount, case["references"])
    row = contributions.frame(pl.DataFrame([case["input"]]), case["date"]).row(0, named=True)
    assert {k: row[k] for k in contributions.OUTPUT} == {
        k: expect.get(k, 0) for k in contributions.OUTPUT
    }


def test_contribution_cases_as_worker_months() -> None:
    """All the cases in one frame of worker-months: several parameter sets in one block."""
    rows = [{**case["input"], "month": case["date"]} for case in CONTRIBUTIONS]
    schema = {
        "segment": pl.String,
        "income": pl.Int64,
        "wage": pl.Int64,
        "risk": pl.String,
        "jht": pl.Boolean,
        "paid_by": pl.String,
        "transport": pl.Boolean,
        "month": pl.Date,
    }
    out = contributions.frame(pl.DataFrame(rows, schema=schema))
    for row, case in zip(out.iter_rows(named=True), CONTRIBUTIONS, strict=True):
        expected = {k: case["expect"].get(k, 0) for k in contributions.OUTPUT}
        assert {k: row[k] for k in contributions.OUTPUT} == expected, case["name"]


def _benefit_input(case: dict[str, Any]) -> dict[str, Any]:
    given = dict(case["input"])
    for key in ("percent", "function_loss"):
        if key in given:
            given[key] = Decimal(str(given[key]))
    if "children" in given:
        given["children"] = [(level, years) for level, years in given["children"]]
    return given


@pytest.mark.parametrize("case", BENEFITS, ids=[c["name"] for c in BENEFITS])
def test_benefit_case(case: dict[str, Any]) -> None:
    rule = getattr(benefits, case["benefit"])
    amount = rule(event_date=case["date"], **_benefit_input(case))
    assert amount.components == case["expect"]
    assert amount.uncertain == case.get("uncertain", False)
    _cites(amount, case["references"])
    column = _benefit_by_column(case)
    if column is not None:
        assert {k: column[k] for k in case["expect"]} == case["expect"]
        if "uncertain" in column:
            assert column["uncertain"] == amount.uncertain


def _benefit_by_column(case: dict[str, Any]) -> dict[str, Any] | None:
    """The case through jkm_frame or jkk_frame (one row), or None for a benefit without one."""
    given, on = case["input"], case["date"]
    if case["benefit"] == "jkm":
        df = pl.DataFrame(
            {
                "event_date": [on],
                "segment": [given.get("segment", "bpu")],
                "member_since": [given.get("member_since")],
            },
            schema={"event_date": pl.Date, "segment": pl.String, "member_since": pl.Date},
        )
        return benefits.jkm_frame(df).row(0, named=True)
    kinds = {
        "jkk_death": "death",
        "jkk_total_disability": "total_disability",
        "jkk_partial_disability": "partial_disability",
    }
    if case["benefit"] not in kinds:
        return None
    percent = given.get("percent")
    if "part" in given:
        parts = {row["part"]: row["percent"] for row in benefits.disability_parts(on)}
        percent = parts[given["part"]]
    df = pl.DataFrame(
        {
            "kind": [kinds[case["benefit"]]],
            "wage": [given["wage"]],
            "event_date": [on],
            "percent": [None if percent is None else float(percent)],
            "function_loss": [
                None if "function_loss" not in given else float(given["function_loss"])
            ],
        },
        schema={
            "kind": pl.String,
            "wage": pl.Int64,
            "event_date": pl.Date,
            "percent": pl.Float64,
            "function_loss": pl.Float64,
        },
    )
    return benefits.jkk_frame(df).row(0, named=True)
