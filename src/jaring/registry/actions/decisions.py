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
import datetime as dt
import decimal
import json
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Engine,
    Float,
    Numeric,
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
from jaring.jsonable import to_jsonable
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
    carried: dict[str, Any] = {}
    if accept:
        a, b = _people_of(conn, pair)
        if a is not None and b is not None and a != b:
            keep, gone = min(a, b), max(a, b)
            moved = sorted(
                conn.execute(
                    select(registry_link.c.row_id).where(registry_link.c.person_id == gone)
                ).scalars()
            )
            carried = _merge_people(conn, keep, gone, actor=actor)
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
            merged_rows=json.dumps({"rows": moved, **carried}) if moved else None,
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
    their own (attributes from those rows; the kept person's recomputed, audited as
    ``actor``'s), and so does every reference the merge carried (memberships, coverage, plan
    lines, claims...: each row that moved goes to the new person, each row the merge dropped
    as a duplicate of the kept person's comes back for the new person). Decisions recorded
    before merges kept what they carried move the rows only.

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
        record = json.loads(pair.merged_rows) if pair.merged_rows else []
        # a list of rows, or (since merges keep what they carry) {"rows", "moved", "dropped"}
        carried: dict[str, Any] = record if isinstance(record, dict) else {"rows": record}
        rows = list(carried.get("rows") or [])
        former = new_id = None
        references = 0
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
                    references = _carry_back(conn, carried, new_id)
                    update_people(
                        conn, person_attributes(read_rows(conn, person_id=former)), actor=actor
                    )
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
            after={
                "rows": rows,
                "references": references,
                "from_person": former,
                "person": new_id,
                "reason": reason,
            },
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


def _merge_people(conn: Connection, keep: int, gone: int, *, actor: Actor) -> dict[str, Any]:
    """Move everything that points at ``gone`` to ``keep`` and remove ``gone``, for
    ``actor`` (named in the audit of the kept person's new attributes); refuses
    ``merge_conflict`` when both are members of one program.

    Every table with a foreign key to ``person`` is carried (:func:`_person_references`:
    links, memberships, coverage, plan lines, claims and whatever a later table adds). Where
    the reference is part of a unique key (a plan's line per person), a line of ``gone`` that
    ``keep`` already has in the same place is dropped: the surviving person's stays.

    Returns what :func:`review_undo` needs to put it back: ``moved`` (table -> the keys,
    after the move, of the rows that moved) and ``dropped`` (table -> the rows dropped, as
    they were), JSON-ready."""
    if _clash(conn, keep, gone):
        raise errors.MERGE_CONFLICT(keep=keep, gone=gone)
    moved: dict[str, list[dict[str, Any]]] = {}
    dropped: dict[str, list[dict[str, Any]]] = {}
    for table, col, uniques in _person_references():
        for others in uniques:
            k = table.alias("k")
            same = [k.c[o] == table.c[o] for o in others]
            clash = and_(
                table.c[col] == gone,
                exists(select(1).select_from(k).where(k.c[col] == keep, *same)),
            )
            lost = [dict(r._mapping) for r in conn.execute(select(table).where(clash))]
            if lost:
                dropped.setdefault(f"{table.name}.{col}", []).extend(to_jsonable(lost))
                conn.execute(delete(table).where(clash))
        if table is not registry_link:  # the links are the pair's own ``rows``
            key = _key_columns(table)
            going = [
                {c: (keep if c == col else v) for c, v in zip(key, r, strict=True)}
                for r in conn.execute(
                    select(*(table.c[c] for c in key)).where(table.c[col] == gone)
                )
            ]
            if going:
                moved.setdefault(f"{table.name}.{col}", []).extend(to_jsonable(going))
        conn.execute(update(table).where(table.c[col] == gone).values({col: keep}))
    rows = read_rows(conn, person_id=keep)
    conn.execute(delete(person).where(person.c.id == gone))
    if rows.height:
        update_people(conn, person_attributes(rows), actor=actor)
    return {"moved": moved, "dropped": dropped}


def _key_columns(table: Table) -> list[str]:
    """The columns that pick one row of ``table``: its primary key (every column when it
    has none)."""
    return [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]


def _from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row of ``table`` written by :func:`jaring.jsonable.to_jsonable` back to the
    column types (dates and times from ISO text, decimals from text)."""
    out: dict[str, Any] = {}
    for name, value in row.items():
        t = table.c[name].type
        if isinstance(value, str) and isinstance(t, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(t, Date):
            value = dt.date.fromisoformat(value)
        elif isinstance(value, str) and isinstance(t, Numeric) and not isinstance(t, Float):
            value = decimal.Decimal(value)
        out[name] = value
    return out


def _carry_back(conn: Connection, carried: dict[str, Any], to: int) -> int:
    """Undo what :func:`_merge_people` carried to the kept person: the rows it moved (still
    there) go to ``to`` (the person made again), the rows it dropped come back for ``to``.
    Returns how many rows moved or came back."""
    tables = {t.name: t for t in metadata.sorted_tables}
    n = 0
    for where, keys in carried.get("moved", {}).items():
        name, col = where.rsplit(".", 1)
        table = tables[name]
        for key in keys:
            k = _from_json(table, key)
            n += conn.execute(
                update(table).where(*(table.c[c] == v for c, v in k.items())).values({col: to})
            ).rowcount
    for where, rows in carried.get("dropped", {}).items():
        name, col = where.rsplit(".", 1)
        table = tables[name]
        for row in rows:
            conn.execute(insert(table).values({**_from_json(table, row), col: to}))
            n += 1
    return n


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
    unique key (primary key, unique constraint or index) it is part of (``[]`` when it is a
    key by itself)."""
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
            # an empty list: the column is a key alone (one row per person, an operator's
            # choice of NIK): the kept person's row stays, the other's is dropped
            out.append((table, col, [u for i, u in enumerate(uniques) if u not in uniques[:i]]))
    return out
