"""Helpers that write hand-made coverage cases straight into the contract tables (used by
the coverage and award tests)."""

from __future__ import annotations

import datetime as dt

import polars as pl

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
