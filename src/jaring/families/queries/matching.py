"""Near matches of a death list's rows: the registry's deduplication model, as the registry
itself scores new rows against the people it has.

A row of a death list whose NIK no one in the registry has may still name someone: a NIK typed
with a slip, the old Papua region code. Such rows are scored by the registry's Fellegi-Sunter
model (:mod:`jaring.registry.dedupe`) exactly as a deduplication run scores a list's new rows
against the rows already linked to people (:func:`jaring.registry.actions.linking.dedupe`):
the same record columns, comparisons, blocking, training (u by random sampling, m by
expectation maximisation over the registry's rows together with the new ones), holds and
thresholds (:class:`jaring.registry.dedupe.Thresholds`). The death rows are the run's new
rows; the registry's accepted source rows, each standing for its person, are the existing
ones (a person the registry holds without any source row, entered by hand, stands for
itself).

A pair at or above the review probability names a candidate, with the probability and the
model's reasons (:func:`jaring.registry.dedupe.explain`), for a supervisor to decide: a near
match never records a death by itself, however high its probability. Pairs the model holds
as different people without asking (twins, names apart: :data:`jaring.registry.dedupe.
NOT_ASKED`) name no one.
"""

from __future__ import annotations

import dataclasses

import polars as pl
from sqlalchemy import Connection, select

from jaring.access import Actor
from jaring.registry import dedupe as dd
from jaring.registry.actions.linking import read_rows
from jaring.registry.queries.people import ids_in_scope
from jaring.store.bulk import read_frame
from jaring.store.dialect import date_columns
from jaring.store.tables.registry import person, registry_link

#: the columns a death row brings to the model (the others are unknown: null)
ROW_COLUMNS = ("nik", "name_norm", "birth_date", "sex", "district_code", "village_code")


@dataclasses.dataclass(frozen=True)
class NearMatch:
    """The person a death row may name: the model's ``probability`` and ``explain`` (JSON
    text: each field's agreement level in Indonesian and its weight in bits, and the hold
    when a rule asks a person to look first)."""

    person_id: int
    probability: float
    explain: str


def _registry_records(conn: Connection) -> pl.DataFrame:
    """The registry's side of the run: every accepted source row linked to a person (its
    ``person_id``), and each person with no source row as one record of its own."""
    cols = [c for c in dd.RECORD_COLUMNS if c != "is_new"]
    rows = read_rows(conn).filter(pl.col("person_id").is_not_null())
    rows = rows.select(*cols, pl.col("person_id").cast(pl.Int64))
    linked = select(registry_link.c.person_id)
    p = person.c
    alone = read_frame(
        conn,
        select(p.id.label("person_id"), *(p[c] for c in cols if c != "id")).where(
            p.id.not_in(linked)
        ),
    )
    if alone.height:
        alone = date_columns(alone, "birth_date")
        start = int(rows.select(pl.col("id").max()).item() or 0) + 1
        alone = alone.with_columns(id=pl.int_range(start, start + alone.height, dtype=pl.Int64))
        rows = pl.concat(
            [rows, alone.select(*cols, pl.col("person_id").cast(pl.Int64))],
            how="vertical_relaxed",
        )
    return rows


def near_matches(
    conn: Connection,
    actor: Actor,
    rows: pl.DataFrame,
    *,
    thresholds: dd.Thresholds | None = None,
    seed: int = 42,
) -> dict[int, NearMatch]:
    """The candidate person of each death row that has one: row position (0-based, in
    ``rows``) -> :class:`NearMatch`, the most probable person at or above the review
    probability inside the actor's regions. ``rows`` has the columns of
    :data:`ROW_COLUMNS`. Reads the registry on ``conn``; writes nothing."""
    th = thresholds or dd.Thresholds()
    if rows.height == 0:
        return {}
    registry = _registry_records(conn)
    if registry.height == 0:
        return {}
    base = int(registry.select(pl.col("id").max()).item() or 0) + 1
    new = rows.select(
        pl.int_range(base, base + rows.height, dtype=pl.Int64).alias("id"),
        *(pl.col(c) for c in ROW_COLUMNS),
        pl.lit(None, dtype=pl.String).alias("phone"),
    )
    records = pl.concat(
        [
            registry.drop("person_id").with_columns(is_new=pl.lit(0, dtype=pl.Int8)),
            new.with_columns(is_new=pl.lit(1, dtype=pl.Int8)),
        ],
        how="vertical_relaxed",
    ).select(dd.RECORD_COLUMNS)
    scored = dd.score_pairs(records, min_probability=th.review, seed=seed)
    decided = dd.decide(scored, th)
    # what a run would link and what it would ask about: both only proposals here
    pairs = pl.concat([decided.links, decided.queue], how="diagonal_relaxed").filter(
        pl.col("match_probability") >= th.review
    )
    # a pair of one death row and one registry record (two death rows say nothing)
    pairs = pairs.filter((pl.col("id_l") < base) & (pl.col("id_r") >= base))
    if pairs.height == 0:
        return {}
    pairs = pairs.with_columns(explain=dd.explain(pairs))
    owner = registry.select(pl.col("id").alias("id_l"), "person_id")
    found = (
        pairs.join(owner, on="id_l")
        .select(
            (pl.col("id_r") - base).alias("row"),
            "person_id",
            pl.col("match_probability").alias("probability"),
            "explain",
        )
        .sort(["row", "probability", "person_id"], descending=[False, True, False])
    )
    visible = ids_in_scope(conn, actor, found.get_column("person_id").unique().to_list())
    found = found.filter(pl.col("person_id").is_in(sorted(visible))).unique(
        "row", keep="first", maintain_order=True
    )
    return {
        int(r["row"]): NearMatch(
            person_id=int(r["person_id"]),
            probability=round(float(r["probability"]), 6),
            explain=r["explain"],
        )
        for r in found.iter_rows(named=True)
    }
