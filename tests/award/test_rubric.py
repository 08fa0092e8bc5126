"""Rubrics are data and are validated: weights sum to exactly 100%, scales apply."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.award import rubric as rb
from jaring.errors import JaringError


def test_default_rubric_is_valid_and_says_it_is_a_proposal() -> None:
    for cat in rb.CATEGORIES:
        r = rb.load(category=cat)
        assert sum(c["weight_pct"] for c in r["criteria"]) == 100
        assert r["official"] is False
        assert "bukan rubrik resmi" in r["notice"]["id"]
        assert "not an official rubric" in r["notice"]["en"]


def test_perda_scores_above_perwali() -> None:
    reg = rb.criterion(rb.load(), "regulasi")
    assert rb.evidence_points(reg, "perda") > rb.evidence_points(reg, "perkada") > 0
    with pytest.raises(JaringError) as e:
        rb.evidence_points(reg, "perwali-lama")
    assert e.value.code == "bad_evidence"


def test_threshold_bands() -> None:
    bpu = rb.criterion(rb.load(), "cakupan_bpu")
    assert rb.evidence_points(bpu, "0") == 0
    assert rb.evidence_points(bpu, "0.0499") == 0
    assert rb.evidence_points(bpu, "0.05") == 1
    assert rb.evidence_points(bpu, "0.9") == 5


BASE = rb.to_json(rb.load())


@given(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8))
def test_weights_must_sum_to_100(weights: list[int]) -> None:
    base = BASE
    data = copy.deepcopy(base)
    data["criteria"] = [
        {**base["criteria"][0], "code": f"k{i}", "weight_pct": str(w)}
        for i, w in enumerate(weights)
    ]
    if sum(weights) == 100:
        assert sum(c["weight_pct"] for c in rb.validate(data)["criteria"]) == Decimal(100)
    else:
        with pytest.raises(JaringError) as e:
            rb.validate(data)
        assert e.value.code == "bad_rubric"


def test_decimal_weights_are_exact() -> None:
    data = rb.to_json(rb.load())
    data["criteria"] = data["criteria"][:3]
    for c, w in zip(data["criteria"], ["33.33", "33.33", "33.34"], strict=True):
        c["weight_pct"] = w
    rb.validate(data)
    data["criteria"][2]["weight_pct"] = "33.33"
    with pytest.raises(JaringError):
        rb.validate(data)


def test_bad_scales_refused() -> None:
    data = rb.to_json(rb.load())
    data["criteria"][5]["scale"] = {"type": "points", "min": 5, "max": 5}
    with pytest.raises(JaringError):
        rb.validate(data)
    data = rb.to_json(rb.load())
    data["criteria"][1]["scale"]["bands"] = [["0.5", 1], ["0.1", 2]]
    with pytest.raises(JaringError):
        rb.validate(data)
