"""The one parser for dates typed on the command line, in forms and in API queries."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.dates import parse_date
from jaring.errors import JaringError


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_iso_dates_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.isoformat()[:7]) == day.replace(day=1)


def test_empty_is_none_unless_required() -> None:
    assert parse_date(None) is None
    assert parse_date("  ") is None
    with pytest.raises(JaringError) as e:
        parse_date("", "on", required=True)
    assert (e.value.code, e.value.context["field"]) == ("bad_date", "on")
    assert "wajib" in e.value.message("id") and "required" in e.value.message("en")


def test_refusal_names_the_field_in_both_languages() -> None:
    with pytest.raises(JaringError) as e:
        parse_date("31/12/2024", "listed_on")
    assert e.value.code == "bad_date"
    assert "listed_on" in e.value.message("id") and "listed_on" in e.value.message("en")
