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
    args = {"today": TODAY, "people": [], "near": [], "dead": {}, "seen": {}} | kw
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
    slip = {**PERSON, "nik": "9671011505800007"}
    assert judge({}, near=[slip])[:3] == ("review", "near_match", 1)
    assert judge({"name_norm": "siti aminah"}, near=[slip])[:2] == ("refused", "unknown_nik")
    assert judge({})[:2] == ("refused", "unknown_nik")
    for code in ("bad_nik", "near_match", "name_differs", "unknown_nik"):
        assert deathlist.reason_text(code)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_a_slip_is_never_the_nik_itself_and_always_one_step_away(nik: str) -> None:
    for v in deathlist.nik_variants(nik):
        assert v != nik and len(v) == 16
        diff = [i for i in range(16) if v[i] != nik[i]]
        assert len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1)


@pytest.mark.parametrize(
    ("deceased", "member", "heir"),
    [("head", "spouse", "spouse"), ("spouse", "head", "spouse"), ("head", "child", "child"),
     ("spouse", "parent", "parent_in_law"), ("child", "head", "parent"),
     ("child", "child", "sibling"), ("parent", "head", "child"), ("head", "other", None),
     ("child", "grandchild", None)],
)  # fmt: skip
def test_relation_to_the_deceased(deceased: str, member: str, heir: str | None) -> None:
    assert relations.to_deceased(deceased, member) == heir
