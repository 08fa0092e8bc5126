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

import polars as pl
from sqlalchemy import Connection, Engine, and_, delete, func, insert, or_, select, update

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors
from jaring.registry.actions.linking import person_attributes, read_rows, update_people
from jaring.registry.queries.people import require_person_in_scope
from jaring.registry.queries.review import require_pair_in_scope, require_row_in_scope
from jaring.store.bulk import insert_frame, next_ids
from jaring.store.tables.programs import coverage_period, membership
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


def review_decide(
    engine: Engine, actor: Actor, pair_id: int, accept: bool, *, reason: str | None = None
) -> Decision:
    """Record ``actor``'s decision on a pair; it is never asked again. Accepting joins the two
    rows' people into one (the older id stays; links, memberships and coverage move to it);
    rejecting keeps them apart even if a later run scores them high.

    Refuses ``pair_not_found``, ``pair_out_of_region``, ``pair_decided`` and, when the two
    people are members of one program, ``merge_conflict``.
    """
    actor.require("person.write")
    status = "accepted" if accept else "rejected"
    with engine.begin() as conn:
        pair = conn.execute(select(registry_pair).where(registry_pair.c.id == pair_id)).first()
        if pair is None:
            raise errors.PAIR_NOT_FOUND(pair=pair_id)
        require_pair_in_scope(conn, actor, pair_id, [int(pair.row_l), int(pair.row_r)])
        if pair.status != "pending":
            raise errors.PAIR_DECIDED(pair=pair_id, status=pair.status, decided_by=pair.decided_by)
        conn.execute(
            update(registry_pair)
            .where(registry_pair.c.id == pair_id)
            .values(status=status, decided_by=actor.username, decided_at=audit.now(), reason=reason)
        )
        person_id = None
        merged = None
        if accept:
            pids = {
                r.row_id: r.person_id
                for r in conn.execute(
                    select(registry_link.c.row_id, registry_link.c.person_id).where(
                        registry_link.c.row_id.in_([pair.row_l, pair.row_r])
                    )
                )
            }
            a, b = pids.get(pair.row_l), pids.get(pair.row_r)
            if a is not None and b is not None and a != b:
                keep, gone = min(a, b), max(a, b)
                _merge_people(conn, keep, gone)
                person_id, merged = keep, gone
            else:
                person_id = a or b
        audit.record(
            conn, actor, "registry.review", "registry_pair", pair_id, after={"accept": accept}
        )
    return Decision(pair=pair_id, status=status, person=person_id, merged=merged)


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
    ``merge_conflict`` when both are members of one program."""
    a, b = membership.alias("a"), membership.alias("b")
    clash = conn.execute(
        select(func.count())
        .select_from(a.join(b, a.c.program_id == b.c.program_id))
        .where(a.c.person_id == keep, b.c.person_id == gone)
    ).scalar_one()
    if clash:
        raise errors.MERGE_CONFLICT(keep=keep, gone=gone)
    for table in (registry_link, membership, coverage_period):
        conn.execute(update(table).where(table.c.person_id == gone).values(person_id=keep))
    rows = read_rows(conn, person_id=keep)
    conn.execute(delete(person).where(person.c.id == gone))
    if rows.height:
        update_people(conn, person_attributes(rows))
