"""Rupiah spent and benefits paid, attributed to a region through its people."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from jaring.access import Actor
from jaring.coverage import queries
from jaring.store.bulk import insert_frame

D = dt.date


def test_spent_per_person_and_benefits(sorong) -> None:
    with sorong.begin() as conn:
        insert_frame(
            conn,
            "invoice",
            pl.DataFrame(
                {
                    "id": [1, 2],
                    "number": ["INV-1-2024-01", "INV-1-2024-02"],
                    "program_id": [1, 1],
                    "month": [D(2024, 1, 1), D(2024, 2, 1)],
                    "lines": [3, 1],
                    "amount": [50_400, 16_800],
                }
            ),
        )
        # memberships 1 and 3 are Kota Sorong people, 7 is Kabupaten Sorong
        insert_frame(
            conn,
            "invoice_line",
            pl.DataFrame(
                {
                    "invoice_id": [1, 1, 1, 2],
                    "membership_id": [1, 3, 7, 1],
                    "jkk": [10_000] * 4,
                    "jkm": [6_800] * 4,
                    "jht": [0] * 4,
                    "amount": [16_800] * 4,
                    "paid": [16_800, 16_800, 16_800, 16_800],
                }
            ),
        )
        empty = json.dumps({})
        insert_frame(
            conn,
            "claim",
            pl.DataFrame(
                {
                    "id": [1, 2],
                    "membership_id": [3, 7],
                    "person_id": [2, 6],
                    "program_id": [1, 1],
                    "type": ["jkm", "jkm"],
                    "benefit_key": ["death", "death"],
                    "event_date": [D(2024, 2, 1)] * 2,
                    "filed_on": [D(2024, 2, 5)] * 2,
                    "reporter": ["ahli waris"] * 2,
                    "status": ["paid", "paid"],
                    "eligible": [True, True],
                    "eligibility": [empty] * 2,
                    "inputs": [empty] * 2,
                    "amount": [42_000_000] * 2,
                    "entitlement": [empty] * 2,
                    "paid_on": [D(2024, 2, 28)] * 2,
                    "paid_amount": [42_000_000] * 2,
                }
            ),
        )
    system = Actor.system()
    m = queries.coverage_report(sorong, system, "96.71", D(2024, 12, 31)).money
    assert m.spent.total == 50_400
    assert [x.amount for x in m.spent.by_month] == [33_600, 16_800]
    # people covered at some time in 2024 in Kota Sorong: 1..5
    assert m.covered_in_period == 5
    assert m.spent_per_person == 10_080
    assert m.benefits_paid.total == 42_000_000 and m.benefits_paid.count == 1
    province = queries.coverage_report(sorong, system, "96", D(2024, 12, 31)).money
    assert province.spent.total == 67_200
    assert province.benefits_paid.count == 2
