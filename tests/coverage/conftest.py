"""The hand-made Kota Sorong case shared by the coverage tests."""

from __future__ import annotations

import datetime as dt

import pytest
from coverage_cases import add_cover, add_people, add_program

D = dt.date


@pytest.fixture
def sorong(engine):  # type: ignore[no-untyped-def]
    """Kota Sorong, on 2024-12-31:

    person 1  distrik 01, P, BPU program 1 and PU program 2: counted once, as PU
    person 2  distrik 01, L, BPU, covered
    person 3  distrik 02, P, BPU, lapsed in September: not counted
    person 4  distrik 02, L, BPU, two periods, covered in the second
    person 5  distrik 03, P, born 2010 (under 15), BPU, covered
    person 6  Kabupaten Sorong (96.01.01), covered: outside the city
    """
    with engine.begin() as conn:
        add_people(
            conn,
            [
                {"id": 1, "district": "96.71.01", "sex": "P", "desil": 1, "occupation": "honorer"},
                {"id": 2, "district": "96.71.01", "desil": 2},
                {"id": 3, "district": "96.71.02", "sex": "P", "desil": 1},
                {"id": 4, "district": "96.71.02", "occupation": "ojek", "desil": 3},
                {"id": 5, "district": "96.71.03", "sex": "P", "birth": D(2010, 6, 1)},
                {"id": 6, "district": "96.01.01"},
            ],
        )
        add_program(conn, 1, "bpu")
        add_program(conn, 2, "pu")
        add_cover(
            conn,
            [
                (1, 1, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (2, 1, 2, "pu", D(2024, 6, 1), D(2025, 5, 31)),
                (3, 2, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (4, 3, 1, "bpu", D(2024, 1, 1), D(2024, 9, 30)),
                (5, 4, 1, "bpu", D(2024, 1, 1), D(2024, 3, 31)),
                (5, 4, 1, "bpu", D(2024, 7, 1), D(2024, 12, 31)),
                (6, 5, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
                (7, 6, 1, "bpu", D(2024, 1, 1), D(2024, 12, 31)),
            ],
        )
    return engine
