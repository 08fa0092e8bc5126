"""The pure rules: relations to a deceased member, reading a death list's cells, judging a
row (every reason), and the docstring examples."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.families import deathlist, relations

TODAY = dt.date(2024, 9, 1)
NIK = "9671011505800001"
ROW = {"nik": NIK, "nik_ok": True, "name_norm": "yohanis wonatorei", "birth_date": None,
       "death_date": dt.date(2024, 6, 15)}  # fmt: skip
PERSON = {"id": 1, "nik": NIK, "name_norm": "yohanis wonatorei", "birth_date": dt.date(1980, 5, 15)}


@pytest.mark.parametrize(
    "module", ["jaring.families.relations", "jaring.families.deathlist",
               "jaring.families.actions.families"],
)  # fmt: skip
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


def judge(row: dict, **kw: object) -> tuple:  # type: ignore[type-arg]
    args = {"today": TODAY, "people": [], "near": None, "dead": {}, "seen": {}} | kw
    return deathlist.judge({**ROW, **row}, **args)  # type: ignore[arg-type]


def test_each_reason() -> None:
    assert judge({}, people=[PERSON]) == ("recorded", None, 1, 1.0)
    assert judge({"nik_ok": False})[:2] == ("refused", "bad_nik")
    assert judge({"death_date": None})[:2] == ("refused", "bad_death_date")
    assert judge({"death_date": dt.date(2024, 9, 2)})[:2] == ("refused", "death_in_future")
    assert judge({"death_date": dt.date(1979, 1, 1)}, people=[PERSON])[:2] == (
        "refused", "death_before_birth")  # fmt: skip
    assert judge({}, people=[PERSON, {**PERSON, "id": 2}])[:2] == ("review", "nik_shared")
    assert judge({}, people=[PERSON], dead={1: dt.date(2024, 6, 15)})[:2] == (
        "unchanged", "already_recorded")  # fmt: skip
    assert judge({}, people=[PERSON], dead={1: dt.date(2024, 6, 20)})[:2] == (
        "review", "already_dead_other_date")  # fmt: skip
    assert judge({}, people=[PERSON], seen={NIK: dt.date(2024, 6, 15)})[:2] == (
        "unchanged", "duplicate_row")  # fmt: skip
    assert judge({"name_norm": "siti aminah"}, people=[PERSON])[:2] == ("review", "name_differs")
    assert judge({"name_norm": "yohanis"}, people=[PERSON])[:2] == ("recorded", None)
    # the model's candidate waits for review, however probable; without one, refused
    near = {"id": 1, "probability": 0.9912}
    assert judge({}, near=near) == ("review", "near_match", 1, 0.9912)
    assert judge({}, near=near, people=[{**PERSON, "id": 2}])[:3] == ("recorded", None, 2)
    assert judge({"death_date": dt.date(2024, 9, 2)}, near=near)[:2] == (
        "refused", "death_in_future")  # fmt: skip
    assert judge({})[:2] == ("refused", "unknown_nik")
    for code in ("bad_nik", "near_match", "name_differs", "unknown_nik"):
        assert deathlist.reason_text(code)


@given(
    probability=st.floats(min_value=0.5, max_value=1.0),
    died=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)),
)
def test_a_near_match_never_records_a_death(probability: float, died: dt.date) -> None:
    outcome, reason, _, _ = judge({"death_date": died}, near={"id": 1, "probability": probability})
    assert outcome in ("review", "refused")
    assert (outcome == "review") == (died <= TODAY) and reason in ("near_match", "death_in_future")


@pytest.mark.parametrize(
    ("deceased", "member", "heir"),
    [("head", "spouse", "spouse"), ("spouse", "head", "spouse"), ("head", "child", "child"),
     ("spouse", "parent", "parent_in_law"), ("child", "head", "parent"),
     ("child", "child", "sibling"), ("parent", "head", "child"), ("head", "other", None),
     ("child", "grandchild", None)],
)  # fmt: skip
def test_relation_to_the_deceased(deceased: str, member: str, heir: str | None) -> None:
    assert relations.to_deceased(deceased, member) == heir
