"""Membership state changes with their dated history, inside the caller's transaction
(billing, enrolment and the claims work for ``deceased`` call :func:`set_state`)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import Connection, select, update

from jaring.programs.states import STATES
from jaring.store.bulk import insert_frame
from jaring.store.tables.programs import membership, membership_event
from jaring.store.temp import drop_temp, temp_ids


def event_frame(ids: pl.Series, state: str, on: dt.date, reason: str) -> pl.DataFrame:
    """One ``membership_event`` row per id: ``state`` entered on ``on`` for ``reason``."""
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
    """Move memberships ``ids`` to ``state`` (one of :data:`~jaring.programs.states.STATES`)
    and record one dated history event each; returns how many memberships moved.

    Takes an open connection so it joins the caller's transaction; checks no right (the
    calling action has)."""
    if state not in STATES:
        raise ValueError(state)
    if len(ids) == 0:
        return 0
    table = temp_ids(conn, tmp, ids)
    conn.execute(
        update(membership).where(membership.c.id.in_(select(table.c.id))).values(state=state)
    )
    insert_frame(conn, membership_event, event_frame(ids.unique(), state, on, reason))
    drop_temp(conn, table)
    return int(ids.n_unique())
