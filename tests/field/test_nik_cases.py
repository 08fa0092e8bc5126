"""The shared NIK cases (``field/data/nik_cases.json``) against the server's rules
(``registry/nik.py``); ``test_browser.py`` runs the same file against the phone's
(``web/static/field/checks.js``) in Chromium. The two must agree on every case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from jaring.field import rules

DATA = json.loads((resources.files("jaring.field") / "data" / "nik_cases.json").read_text("utf-8"))
TODAY = dt.date.fromisoformat(DATA["today"])


def verdict(case: dict[str, Any]) -> dict[str, Any]:
    out = rules.check_nik(
        case["nik"], birth_date=case.get("birth_date"), sex=case.get("sex"), today=TODAY
    )
    return dataclasses.asdict(out)


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
def test_server_rules_give_the_expected_verdict(case: dict[str, Any]) -> None:
    assert verdict(case) == case["expect"]


def test_the_cases_cover_every_nik_rule() -> None:
    codes = {code for c in DATA["cases"] for code in c["expect"]["codes"]}
    assert codes >= {
        "nik_missing",
        "nik_excel_mangled",
        "nik_not_digits",
        "nik_length",
        "nik_date_invalid",
        "nik_serial_zero",
        "nik_region_unknown",
        "nik_birth_date_mismatch",
        "nik_sex_mismatch",
    }
    assert sum(c["expect"]["error"] is None for c in DATA["cases"]) >= 10
