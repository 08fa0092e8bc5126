"""An operator's decisions on links: accept or reject a possible duplicate (accepting joins
two people into one), and split a wrongly merged row off its person. Both are remembered:
a decided pair is never asked again and overrides the model; a split row is never merged
with the rows it left.

Each decision is one transaction with its audit event (``registry.review``,
``registry.split``), for an actor holding ``person.write`` whose regions hold the rows
(:mod:`jaring.registry.queries.review`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import (
    Connection,
    Engine,
    Table,
    UniqueConstraint,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors
from jaring.registry.actions.linking import person_attributes, read_rows, update_people
from jaring.registry.queries.people import require_person_in_scope
from jaring.registry.queries.review import require_pair_in_scope, require_row_in_scope
from jaring.store.bulk import insert_frame, next_ids
from jaring.store.tables import metadata
from jaring.store.tables.programs import membership
from jaring.store.tables.registry import person, registry_link, registry_pair, registry_split


@dataclasses.dataclass
class Decision:
    """A pair decided: ``accepted`` or ``rejected``; when accepting joined two people,
    ``person`` is the one kept and ``merged`` the one that went into it."""

    pair: int
    status: str
    person: int | None
    merged: int | None


@dataclasses.dataclass
class Split:
    """Source row ``row`` left person ``from_person`` for the new ``person``;
    ``pairs_rejected`` pairs between it and the rows it left were marked rejected."""

    row: int
    from_person: int
    person: int
    pairs_rejected: int


@dataclasses.dataclass
class Bulk:
    """Pairs decided at once: how many (``decided``), how many joined two people
    (``merged``), and the pairs left pending because accepting them would join two members
    of one program (``conflicts``); ``pairs``: the ids decided (to undo them)."""

    decided: int
    merged: int
    conflicts: list[int]
    pairs: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Undone:
    """A decision undone: pair ``pair`` is pending again; when its accept had joined two
    people, the rows it moved (``rows``) left ``from_person`` for the new ``person``."""

    pair: int
    rows: list[int]
    from_person: int | None
    person: int | None


def review_decide(
    engine: Engine, actor: Actor, pair_id: int, accept: bool, *, reason: str | None = None
) -> Decision:
    """Record ``actor``'s decision on a pair; it is never asked again. Accepting joins the two
    rows' people into one (the older id stays; every reference to the other moves to it:
    links, memberships, coverage, plan lines, claims); rejecting keeps them apart even if a
    later run scores them high. Undone by :func:`review_undo`.

    Refuses ``pair_not_found``, ``pair_out_of_region``, ``pair_decided`` and, when the two
    people are members of one program, ``merge_conflict``.
    """
    actor.require("person.write")
    with engine.begin() as conn:
        pair = conn.execute(select(registry_pair).where(registry_pair.c.id == pair_id)).first()
        if pair is None:
            raise errors.PAIR_NOT_FOUND(pair=pair_id)
        require_pair_in_scope(conn, actor, pair_id, [int(pair.row_l), int(pair.row_r)])
        if pair.status != "pending":
            raise errors.PAIR_DECIDED(pair=pair_id, status=pair.status, decided_by=pair.decided_by)
        return _decide(conn, actor, pair, accept, reason, audit.now())


def review_decide_many(
    engine: Engine,
    actor: Actor,
    pair_ids: Sequence[int],
    accept: bool,
    *,
    reason: str | None = None,
) -> Bulk:
    """Decide many pending pairs at once (one transaction, one audit event per pair, each
    undoable like a single decision). Pairs already decided or outside the actor's regions
    are refused as in :func:`review_decide`; a pair whose accept would join two members of
    one program stays pending and is listed in ``conflicts``."""
    actor.require("person.write")
    now = audit.now()
    decided = merged = 0
    conflicts: list[int] = []
    done: list[int] = []
    with engine.begin() as conn:
        for pair_id in pair_ids:
            pair = conn.execute(select(registry_pair).where(registry_pair.c.id == pair_id)).first()
            if pair is None:
                raise errors.PAIR_NOT_FOUND(pair=pair_id)
            require_pair_in_scope(conn, actor, pair_id, [int(pair.row_l), int(pair.row_r)])
            if pair.status != "pending":
                raise errors.PAIR_DECIDED(
                    pair=pair_id, status=pair.status, decided_by=pair.decided_by
                )
            if accept:
                a, b = _people_of(conn, pair)
                if a is not None and b is not None and a != b and _clash(conn, a, b):
                    conflicts.append(pair_id)
                    continue
            d = _decide(conn, actor, pair, accept, reason, now)
            done.append(int(pair_id))
            decided += 1
            merged += d.merged is not None
    return Bulk(decided=decided, merged=merged, conflicts=conflicts, pairs=done)


def accept_above(engine: Engine, actor: Actor, above: float, *, reason: str | None = None) -> Bulk:
    """Accept every pending pair of the actor's at or above probability ``above`` (0.5 to
    1; refuses ``bad_threshold``): what an operator does after checking a sample
    (:func:`jaring.registry.queries.review.sample_above`)."""
    from jaring.registry.queries.review import pending_above

    actor.require("person.write")
    if not 0.5 <= above <= 1:
        raise errors.BAD_THRESHOLD(value=above, field="above")
    ids = pending_above(engine, actor, above)
    return review_decide_many(engine, actor, ids, True, reason=reason)


def _people_of(conn: Connection, pair: Any) -> tuple[int | None, int | None]:
    pids = {
        r.row_id: r.person_id
        for r in conn.execute(
            select(registry_link.c.row_id, registry_link.c.person_id).where(
                registry_link.c.row_id.in_([pair.row_l, pair.row_r])
            )
        )
    }
    return pids.get(pair.row_l), pids.get(pair.row_r)


def _decide(
    conn: Connection, actor: Actor, pair: Any, accept: bool, reason: str | None, now: Any
) -> Decision:
    status = "accepted" if accept else "rejected"
    person_id = None
    merged = None
    moved: list[int] | None = None
    if accept:
        a, b = _people_of(conn, pair)
        if a is not None and b is not None and a != b:
            keep, gone = min(a, b), max(a, b)
            moved = sorted(
                conn.execute(
                    select(registry_link.c.row_id).where(registry_link.c.person_id == gone)
                ).scalars()
            )
            _merge_people(conn, keep, gone)
            person_id, merged = keep, gone
        else:
            person_id = a or b
    conn.execute(
        update(registry_pair)
        .where(registry_pair.c.id == pair.id)
        .values(
            status=status,
            decided_by=actor.username,
            decided_at=now,
            reason=reason,
            merged_rows=json.dumps(moved) if moved else None,
        )
    )
    audit.record(
        conn,
        actor,
        "registry.review",
        "registry_pair",
        pair.id,
        after={"accept": accept, "person": person_id, "merged": merged},
    )
    return Decision(pair=int(pair.id), status=status, person=person_id, merged=merged)


def review_undo(engine: Engine, actor: Actor, pair_id: int, *, reason: str | None = None) -> Undone:
    """Undo a decision: the pair is pending again (asked again in the queue). When its accept
    joined two people, the rows that came with the merged person leave for a new person of
    their own (attributes from those rows; the kept person's recomputed); memberships,
    coverage and other references stay with the kept person.

    Refuses ``pair_not_found``, ``pair_out_of_region`` and ``pair_pending``."""
    actor.require("person.write")
    with engine.begin() as conn:
        pair = conn.execute(select(registry_pair).where(registry_pair.c.id == pair_id)).first()
        if pair is None:
            raise errors.PAIR_NOT_FOUND(pair=pair_id)
        require_pair_in_scope(conn, actor, pair_id, [int(pair.row_l), int(pair.row_r)])
        if pair.status == "pending":
            raise errors.PAIR_PENDING(pair=pair_id)
        now = audit.now()
        rows = json.loads(pair.merged_rows) if pair.merged_rows else []
        former = new_id = None
        if rows:
            owners = {
                int(r.person_id)
                for r in conn.execute(
                    select(registry_link.c.person_id).where(registry_link.c.row_id.in_(rows))
                )
            }
            if len(owners) == 1:
                former = owners.pop()
                others = conn.execute(
                    select(func.count())
                    .select_from(registry_link)
                    .where(registry_link.c.person_id == former, registry_link.c.row_id.not_in(rows))
                ).scalar_one()
                if others:
                    (new_id,) = next_ids(conn, person, 1)
                    moved = read_rows(conn, ids=rows).with_columns(
                        person_id=pl.lit(new_id, dtype=pl.Int64)
                    )
                    insert_frame(
                        conn, person, person_attributes(moved).with_columns(created_at=pl.lit(now))
                    )
                    conn.execute(
                        update(registry_link)
                        .where(registry_link.c.row_id.in_(rows))
                        .values(person_id=new_id, method="split", match_weight=None, linked_at=now)
                    )
                    update_people(conn, person_attributes(read_rows(conn, person_id=former)))
                else:
                    former = None
            if new_id is None:
                rows = []
        conn.execute(
            update(registry_pair)
            .where(registry_pair.c.id == pair_id)
            .values(
                status="pending", decided_by=None, decided_at=None, reason=None, merged_rows=None
            )
        )
        audit.record(
            conn,
            actor,
            "registry.review_undo",
            "registry_pair",
            pair_id,
            before={"status": pair.status},
            after={"rows": rows, "from_person": former, "person": new_id, "reason": reason},
        )
    return Undone(pair=pair_id, rows=rows, from_person=former, person=new_id)


def split_row(
    engine: Engine,
    actor: Actor,
    row_id: int,
    *,
    reason: str | None,
    person_id: int | None = None,
) -> Split:
    """Undo a wrong merge: source row ``row_id`` leaves its person (``person_id``, when the
    caller names whose row it means) for a new person of its own (attributes from that row);
    the former person's attributes are recomputed from the rows it keeps. Remembered like a
    review decision: the split is recorded (who, when, ``reason``) and every pair between the
    row and the rows it leaves is rejected (pending ones decided, accepted ones reversed), so
    no review asks it again; later runs never move linked rows. Memberships and coverage stay
    with the former person.

    Refuses ``person_out_of_region`` (``person_id`` outside the actor's regions),
    ``row_not_linked`` (not linked, or not to ``person_id``), the region refusals of
    :func:`jaring.registry.queries.review.require_row_in_scope`, ``split_single_row`` (the
    person has no other row) and ``reason_required`` (the split is undone only by another
    review: say why).
    """
    actor.require("person.write")
    with engine.begin() as conn:
        if person_id is not None:
            require_person_in_scope(conn, actor, person_id)
        link = conn.execute(select(registry_link).where(registry_link.c.row_id == row_id)).first()
        if link is None or (person_id is not None and int(link.person_id) != person_id):
            raise errors.ROW_NOT_LINKED(row=row_id)
        former = int(link.person_id)
        require_row_in_scope(conn, actor, row_id, former)
        others = list(
            conn.execute(
                select(registry_link.c.row_id).where(
                    registry_link.c.person_id == former, registry_link.c.row_id != row_id
                )
            ).scalars()
        )
        if not others:
            raise errors.SPLIT_SINGLE_ROW(row=row_id, person=former)
        reason = (reason or "").strip()
        if not reason:
            raise errors.REASON_REQUIRED(field="reason")
        now = audit.now()
        row = read_rows(conn, ids=[row_id])
        (new_id,) = next_ids(conn, person, 1)
        alone = person_attributes(row.with_columns(person_id=pl.lit(new_id, dtype=pl.Int64)))
        insert_frame(conn, person, alone.with_columns(created_at=pl.lit(now)))
        conn.execute(
            update(registry_link)
            .where(registry_link.c.row_id == row_id)
            .values(person_id=new_id, method="split", match_weight=None, linked_at=now)
        )
        update_people(conn, person_attributes(read_rows(conn, person_id=former)), actor=actor)
        pr = registry_pair.c
        rejected = conn.execute(
            update(registry_pair)
            .where(
                or_(
                    and_(pr.row_l == row_id, pr.row_r.in_(others)),
                    and_(pr.row_r == row_id, pr.row_l.in_(others)),
                ),
                pr.status != "rejected",
            )
            .values(status="rejected", decided_by=actor.username, decided_at=now, reason=reason)
        ).rowcount
        conn.execute(
            insert(registry_split).values(
                row_id=row_id,
                from_person=former,
                to_person=new_id,
                decided_by=actor.username,
                decided_at=now,
                reason=reason,
            )
        )
        out = Split(row=row_id, from_person=former, person=new_id, pairs_rejected=rejected)
        audit.record(
            conn,
            actor,
            "registry.split",
            "registry_row",
            row_id,
            after={"from_person": former, "person": new_id, "pairs_rejected": rejected},
        )
    return out


def _merge_people(conn: Connection, keep: int, gone: int) -> None:
    """Move everything that points at ``gone`` to ``keep`` and remove ``gone``; refuses
    ``merge_conflict`` when both are members of one program.

    Every table with a foreign key to ``person`` is carried (:func:`_person_references`:
    links, memberships, coverage, plan lines, claims and whatever a later table adds). Where
    the reference is part of a unique key (a plan's line per person), a line of ``gone`` that
    ``keep`` already has in the same place is dropped: the surviving person's stays."""
    if _clash(conn, keep, gone):
        raise errors.MERGE_CONFLICT(keep=keep, gone=gone)
    for table, col, uniques in _person_references():
        for others in uniques:
            k = table.alias("k")
            same = [k.c[o] == table.c[o] for o in others]
            conn.execute(
                delete(table).where(
                    table.c[col] == gone,
                    exists(select(1).select_from(k).where(k.c[col] == keep, *same)),
                )
            )
        conn.execute(update(table).where(table.c[col] == gone).values({col: keep}))
    rows = read_rows(conn, person_id=keep)
    conn.execute(delete(person).where(person.c.id == gone))
    if rows.height:
        update_people(conn, person_attributes(rows))


def _clash(conn: Connection, keep: int, gone: int) -> bool:
    """Whether ``keep`` and ``gone`` are both members of one program."""
    a, b = membership.alias("a"), membership.alias("b")
    return bool(
        conn.execute(
            select(func.count())
            .select_from(a.join(b, a.c.program_id == b.c.program_id))
            .where(a.c.person_id == keep, b.c.person_id == gone)
        ).scalar_one()
    )


def _person_references() -> list[tuple[Table, str, list[list[str]]]]:
    """Each table column with a foreign key to ``person.id``, with the other columns of every
    unique key (primary key, unique constraint or index) it is part of."""
    out = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not person:
                continue
            col = fk.parent.name
            keys = [[c.name for c in table.primary_key.columns]]
            keys += [
                [c.name for c in con.columns]
                for con in table.constraints
                if isinstance(con, UniqueConstraint)
            ]
            keys += [[c.name for c in ix.columns] for ix in table.indexes if ix.unique]
            uniques = [[c for c in key if c != col] for key in keys if col in key]
            out.append((table, col, [u for u in uniques if u]))
    return out
