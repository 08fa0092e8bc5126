"""Hand-made coverage cases written straight into the contract tables."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from jaring.store.bulk import insert_frame

D = dt.date


def add_people(conn, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    """``rows``: id, district (e.g. '96.71.01'), sex, birth, occupation, desil."""
    frame = pl.DataFrame(
        {
            "id": [r["id"] for r in rows],
            "name": [f"Orang {r['id']}" for r in rows],
            "sex": [r.get("sex", "L") for r in rows],
            "birth_date": [r.get("birth", D(1980, 1, 1)) for r in rows],
            "province_code": [r["district"][:2] for r in rows],
            "regency_code": [r["district"][:5] for r in rows],
            "district_code": [r["district"] for r in rows],
            "village_code": [r.get("village") for r in rows],
            "occupation": [r.get("occupation", "pedagang") for r in rows],
            "desil": [r.get("desil") for r in rows],
            "registered_on": [D(2023, 1, 1)] * len(rows),
        },
        schema_overrides={"desil": pl.Int16, "village_code": pl.String, "birth_date": pl.Date},
    )
    insert_frame(conn, "person", frame)


def add_program(conn, pid: int, segment: str = "bpu", name: str | None = None) -> None:  # type: ignore[no-untyped-def]
    insert_frame(
        conn,
        "program",
        pl.DataFrame(
            {
                "id": [pid],
                "name": [name or f"Program {pid}"],
                "funder_type": ["apbd"],
                "funder_region": ["96.71"],
                "fiscal_year": [2024],
                "budget": [2_200_000_000],
                "segment": [segment],
                "income_base": [1_000_000],
                "with_jht": [False],
                "period_start": [D(2024, 1, 1)],
                "period_end": [D(2024, 12, 31)],
                "rules": ["{}"],
            }
        ),
    )


def add_cover(conn, rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    """``rows``: (membership_id, person_id, program_id, segment, start, end)."""
    members = pl.DataFrame(
        {
            "id": [r[0] for r in rows],
            "program_id": [r[2] for r in rows],
            "person_id": [r[1] for r in rows],
            "segment": [r[3] for r in rows],
            "income_base": [1_000_000] * len(rows),
            "with_jht": [False] * len(rows),
            "state": ["active"] * len(rows),
            "start_month": [r[4].replace(day=1) for r in rows],
        }
    ).unique("id", keep="first", maintain_order=True)
    insert_frame(conn, "membership", members)
    insert_frame(
        conn,
        "coverage_period",
        pl.DataFrame(
            {
                "id": list(range(1, len(rows) + 1)),
                "membership_id": [r[0] for r in rows],
                "person_id": [r[1] for r in rows],
                "program_id": [r[2] for r in rows],
                "segment": [r[3] for r in rows],
                "start_date": [r[4] for r in rows],
                "end_date": [r[5] for r in rows],
            }
        ),
    )


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
