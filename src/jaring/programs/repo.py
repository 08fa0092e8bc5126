"""Store access shared by the programs services: finding programs and invoices, temporary id
tables for set-based updates, membership state changes with their dated history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
from sqlalchemy import Connection, select, text, update

from jaring.errors import NotFound
from jaring.programs.months import month_range
from jaring.programs.pricing import Package
from jaring.store.bulk import insert_frame, to_date
from jaring.store.tables.programs import membership, membership_event, program

STATES = ("planned", "submitted", "active", "suspended", "ended", "deceased")
LIVE_STATES = ("planned", "submitted", "active")


def temp_ids(conn: Connection, name: str, ids: pl.Series) -> None:
    """A temporary table ``name(id)`` holding ``ids`` for set-based joins (portable SQL)."""
    conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
    conn.execute(text(f"CREATE TEMPORARY TABLE {name} (id BIGINT PRIMARY KEY)"))
    insert_frame(conn, name, pl.DataFrame({"id": ids.unique().cast(pl.Int64)}))


def drop_temp(conn: Connection, name: str) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {name}"))


def find_program(conn: Connection, ref: str | int) -> dict[str, Any]:
    """A program by id or by exact name; :class:`NotFound` otherwise."""
    row = None
    if isinstance(ref, int) or str(ref).isdigit():
        row = conn.execute(select(program).where(program.c.id == int(ref))).mappings().first()
    if row is None:
        row = conn.execute(select(program).where(program.c.name == str(ref))).mappings().first()
    if row is None:
        raise NotFound(
            "program_not_found",
            f"Program tidak ditemukan: {ref}",
            f"Program not found: {ref}",
            program=str(ref),
        )
    out = dict(row)
    out["period_start"] = to_date(out["period_start"])
    out["period_end"] = to_date(out["period_end"])
    return out


def package_of(prog: dict[str, Any]) -> Package:
    return Package(
        segment=prog["segment"],
        income_base=int(prog["income_base"]),
        risk=prog["risk"],
        with_jht=bool(prog["with_jht"]),
        paid_by="self" if prog["funder_type"] == "self" else "apbd",
    )


def program_view(prog: dict[str, Any]) -> dict[str, Any]:
    keep = [
        "id",
        "name",
        "funder_type",
        "funder_region",
        "fiscal_year",
        "budget",
        "segment",
        "income_base",
        "risk",
        "with_jht",
        "period_start",
        "period_end",
        "rules",
    ]
    return {k: prog[k] for k in keep}


def event_frame(ids: pl.Series, state: str, on: dt.date, reason: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "membership_id": ids.cast(pl.Int64),
            "state": pl.Series([state] * len(ids), dtype=pl.String),
            "on_date": pl.Series([on] * len(ids), dtype=pl.Date),
            "reason": pl.Series([reason] * len(ids), dtype=pl.String),
        }
    )


def set_state(
    conn: Connection, ids: pl.Series, state: str, on: dt.date, reason: str, tmp: str = "tmp_state"
) -> int:
    """Move memberships ``ids`` to ``state`` and record one dated history event each.

    Takes an open connection so it joins the caller's transaction (the claims work calls it
    for ``deceased``)."""
    if state not in STATES:
        raise ValueError(state)
    if len(ids) == 0:
        return 0
    temp_ids(conn, tmp, ids)
    conn.execute(
        update(membership)
        .where(membership.c.id.in_(select(text("id")).select_from(text(tmp))))
        .values(state=state)
    )
    insert_frame(conn, membership_event, event_frame(ids.unique(), state, on, reason))
    drop_temp(conn, tmp)
    return int(ids.n_unique())


def program_months(prog: dict[str, Any]) -> list[dt.date]:
    return month_range(prog["period_start"], prog["period_end"])
