"""Heir order and the status machine (pure)."""

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.claims import heirs, workflow
from jaring.errors import JaringError


def test_ranks_follow_the_law() -> None:
    order = ["spouse", "parent", "sibling", "parent_in_law", "will", "funeral_arranger"]
    assert [heirs.rank_of(r) for r in order] == [1, 2, 3, 4, 5, 6]
    assert heirs.rank_of("child") == 1 and heirs.rank_of("grandchild") == 2


def test_default_recipient_is_first_of_earliest_rank() -> None:
    hs = heirs.normalise(
        [{"relation": "parent", "name": "Ibu"}, {"relation": "spouse", "name": "Istri"}]
    )
    assert [h["recipient"] for h in hs] == [False, True]
    assert heirs.order_problem(hs) is None


def test_later_rank_recipient_is_a_problem() -> None:
    hs = heirs.normalise(
        [
            {"relation": "parent", "name": "Ibu", "recipient": True},
            {"relation": "child", "name": "Anak"},
        ]
    )
    assert heirs.order_problem(hs) == {
        "recipient_rank": 2,
        "recipient_relation": "parent",
        "earliest_rank": 1,
    }


def test_two_recipients_refused_and_unknown_relation_refused() -> None:
    with pytest.raises(JaringError) as e:
        heirs.normalise(
            [
                {"relation": "spouse", "name": "A", "recipient": True},
                {"relation": "child", "name": "B", "recipient": True},
            ]
        )
    assert e.value.code == "heir_recipient_many"
    with pytest.raises(JaringError) as e:
        heirs.rank_of("cousin")
    assert e.value.code == "heir_relation_unknown"


def test_parse_heir_forms() -> None:
    assert heirs.parse_heir("spouse*:Siti Aminah:9671014506900001") == {
        "relation": "spouse",
        "name": "Siti Aminah",
        "recipient": True,
        "nik": "9671014506900001",
    }
    assert heirs.parse_heir("child:Budi:2010-05-01")["birth_date"] == dt.date(2010, 5, 1)
    for bad in ("spouse", ":x", "child:Budi:notadate", "*:Budi", " * :Budi"):
        with pytest.raises(JaringError):
            heirs.parse_heir(bad)


@given(st.text(max_size=40))
def test_parse_heir_never_crashes(text: str) -> None:
    try:
        h = heirs.parse_heir(text)
    except JaringError as e:
        assert e.code == "heir_format"
    else:
        assert h["name"] and h["relation"]


ALLOWED = {(a, b) for a, bs in workflow.TRANSITIONS.items() for b in bs}


@pytest.mark.parametrize("current", workflow.STATUSES)
@pytest.mark.parametrize("target", workflow.STATUSES)
def test_only_listed_transitions_pass(current: str, target: str) -> None:
    if (current, target) in ALLOWED:
        workflow.check_transition(current, target)
    else:
        with pytest.raises(JaringError) as e:
            workflow.check_transition(current, target)
        assert e.value.code == "claim_transition_not_allowed"


def test_the_happy_path_and_finals() -> None:
    path = ["filed", "documents_complete", "verified", "approved", "paid"]
    assert all((a, b) in ALLOWED for a, b in itertools.pairwise(path))
    assert workflow.TRANSITIONS["paid"] == () and workflow.TRANSITIONS["rejected"] == ()


def test_every_relation_maps_to_a_class_in_the_laws_order() -> None:
    from jaring.claims.catalog import heir_relations
    from jaring.law.parameters import params

    classes = {r["heir"] for r in params().entry("benefits.heirs_order", dt.date(2024, 1, 1)).value}
    assert {v["heir"] for v in heir_relations().values()} == classes
