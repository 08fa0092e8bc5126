"""Insert the contract rows claims read (people, a program, memberships, coverage periods)."""

import datetime as dt

import polars as pl
from sqlalchemy import Engine, insert

from jaring.store import dialect
from jaring.store.bulk import insert_frame
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person


def world(
    engine: Engine,
    members: list[dict],
) -> dict[str, int]:
    """One program and one membership per entry of ``members``: ``nik``, ``periods`` (list of
    (start, end)), optional ``start_month``, ``segment``, ``district``, ``birth_date``, ``sex``.
    Returns nik -> person id."""
    ids: dict[str, int] = {}
    with engine.begin() as conn:
        pid = conn.execute(
            insert(program)
            .values(
                name="Sorong 2024",
                funder_type="apbd",
                funder_region="96.71",
                fiscal_year=2024,
                budget=2_200_000_000,
                segment="bpu",
                income_base=1_000_000,
                with_jht=False,
                period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2024, 12, 31),
                rules={},
            )
            .returning(program.c.id)
        ).scalar_one()
        people = pl.DataFrame(
            {
                "id": [i + 1 for i in range(len(members))],
                "nik": [m["nik"] for m in members],
                "name": [f"Peserta {i}" for i in range(len(members))],
                "birth_date": [m.get("birth_date", dt.date(1980, 1, 1)) for m in members],
                "sex": [m.get("sex", "L") for m in members],
                "district_code": [m.get("district", "96.71.01") for m in members],
                "registered_on": [dt.date(2023, 1, 1)] * len(members),
            }
        )
        insert_frame(conn, person, people)
        mems = pl.DataFrame(
            {
                "id": [i + 1 for i in range(len(members))],
                "program_id": [pid] * len(members),
                "person_id": [i + 1 for i in range(len(members))],
                "segment": [m.get("segment", "bpu") for m in members],
                "income_base": [1_000_000] * len(members),
                "with_jht": [False] * len(members),
                "state": ["active"] * len(members),
                "start_month": [
                    m.get(
                        "start_month", m["periods"][0][0] if m["periods"] else dt.date(2024, 1, 1)
                    )
                    for m in members
                ],
            }
        )
        insert_frame(conn, membership, mems)
        rows = [
            {
                "id": 0,
                "membership_id": i + 1,
                "person_id": i + 1,
                "program_id": pid,
                "segment": m.get("segment", "bpu"),
                "start_date": s,
                "end_date": e,
            }
            for i, m in enumerate(members)
            for s, e in m["periods"]
        ]
        for n, r in enumerate(rows, 1):
            r["id"] = n
        if rows:
            insert_frame(conn, coverage_period, pl.DataFrame(rows))
        for i, m in enumerate(members):
            ids[m["nik"]] = i + 1
    with engine.begin() as conn:  # ids were set explicitly: move the sequences on
        for t in (person, membership, coverage_period):
            dialect.sync_sequence(conn, t)
    return ids
