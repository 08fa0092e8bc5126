"""Possible duplicates waiting for an operator (or decided), and the region checks of the
decisions on them: whose a pair is, whose a source row is.

A pair is an actor's when both rows lie in the actor's regions (:func:`people.in_regions`);
actors of every region see every pair. Both rows are shown side by side with their NIKs, so
only roles that see personal data in clear may list pairs.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.people import (
    in_regions,
    require_clear_data,
    require_person_in_scope,
)
from jaring.store.tables.registry import registry_link, registry_pair


@dataclasses.dataclass
class PairSide:
    """One row of a pair: where it came from, what it says, and its person (if linked)."""

    row: int
    source: str | None
    file: str | None
    row_number: int | None
    name: str | None
    nik: str | None
    birth_date: str | None
    sex: str | None
    district_code: str | None
    person: int | None


@dataclasses.dataclass
class Pair:
    """A possible duplicate: the match weight and probability, what agreed (``explain``:
    comparison -> level and weight), the decision so far and both rows."""

    pair: int
    match_weight: float
    match_probability: float
    explain: dict[str, Any]
    status: str
    decided_by: str | None
    reason: str | None
    left: PairSide
    right: PairSide


def review_list(
    engine: Engine, actor: Actor, *, status: str = "pending", limit: int = 100
) -> list[Pair]:
    """Pairs of ``status`` (``pending``, ``accepted`` or ``rejected``) that are the actor's,
    strongest first, at most ``limit``. Refuses ``registry_needs_clear_data``."""
    actor.require("person.read")
    require_clear_data(actor)
    pairs = _pairs(engine, status, limit if actor.all_regions else 1000)
    if not actor.all_regions:
        pairs = [
            p for p in pairs if in_regions(actor, [p.left.district_code, p.right.district_code])
        ][:limit]
    audit.record_read(
        engine, actor, "registry.review_list", "registry_pair", None, {"pairs": len(pairs)}
    )
    return pairs


@dataclasses.dataclass
class Sample:
    """Pending pairs at or above a probability: how many (``count``, of which ``held`` are
    left out: a rule keeps them for one look each) and a random ``sample`` to check before
    accepting them all."""

    above: float
    count: int
    held: int
    sample: list[Pair]


@dataclasses.dataclass
class Cluster:
    """Pending pairs that one decision settles: the people they would join (``people``,
    source rows ``rows``), strongest probability first; ``cluster`` is its smallest pair id
    (what to name when deciding it)."""

    cluster: int
    people: list[int]
    rows: int
    max_probability: float
    pairs: list[Pair]


def _pending(engine: Engine, actor: Actor) -> list[Any]:
    """The pending pairs that are the actor's (id, rows, probability, explain)."""
    pc = registry_pair.c
    with engine.connect() as conn:
        pairs = conn.execute(
            select(pc.id, pc.row_l, pc.row_r, pc.match_probability, pc.explain)
            .where(pc.status == "pending")
            .order_by(pc.id)
        ).all()
        if actor.all_regions or not pairs:
            return list(pairs)
        district = districts(conn, sorted({r.row_l for r in pairs} | {r.row_r for r in pairs}))
    return [p for p in pairs if in_regions(actor, [district.get(p.row_l), district.get(p.row_r)])]


def _held(explain: str) -> bool:
    return "hold" in json.loads(explain)


def pending_above(engine: Engine, actor: Actor, above: float) -> list[int]:
    """Ids of the actor's pending pairs at or above probability ``above``, without the pairs a
    rule holds for review (one NIK with two names, possible twins): those are decided one by
    one."""
    actor.require("person.read")
    return [
        int(p.id)
        for p in _pending(engine, actor)
        if p.match_probability >= above and not _held(p.explain)
    ]


def sample_above(
    engine: Engine, actor: Actor, above: float, n: int, *, seed: int | None = None
) -> Sample:
    """How many pending pairs :func:`jaring.registry.actions.decisions.accept_above` would
    accept, and ``n`` of them drawn at random to check first. Refuses ``bad_threshold``
    (``above`` not between 0.5 and 1) and ``registry_needs_clear_data``."""
    actor.require("person.read")
    if not 0.5 <= above <= 1:
        raise errors.BAD_THRESHOLD(value=above, field="above")
    require_clear_data(actor)
    mine = [p for p in _pending(engine, actor) if p.match_probability >= above]
    ids = [int(p.id) for p in mine if not _held(p.explain)]
    picked = sorted(random.Random(seed).sample(ids, min(n, len(ids))))
    return Sample(
        above=above,
        count=len(ids),
        held=len(mine) - len(ids),
        sample=_pairs(engine, "pending", len(picked), ids=picked),
    )


def review_clusters(engine: Engine, actor: Actor, *, limit: int = 50) -> list[Cluster]:
    """The actor's pending pairs grouped by the people they would join (pairs sharing a
    person are one cluster: one decision for a cluster of four rows), the clusters that
    change most first (most people joined, then most rows, then the strongest pair), at most
    ``limit``. Refuses ``registry_needs_clear_data``."""
    actor.require("person.read")
    require_clear_data(actor)
    pending = _pending(engine, actor)
    if not pending:
        return []
    rows = sorted({p.row_l for p in pending} | {p.row_r for p in pending})
    with engine.connect() as conn:
        owner = {
            int(r.row_id): int(r.person_id)
            for r in conn.execute(
                select(registry_link.c.row_id, registry_link.c.person_id).where(
                    registry_link.c.row_id.in_(rows)
                )
            )
        }
        counts: dict[int, int] = {
            int(r[0]): int(r[1])
            for r in conn.execute(
                select(registry_link.c.person_id, func.count())
                .where(registry_link.c.person_id.in_(sorted(set(owner.values()))))
                .group_by(registry_link.c.person_id)
            )
        }
    # union-find over people (a row without a person stands for itself, as -row)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def node(row: int) -> int:
        return owner.get(row, -row)

    for p in pending:
        a, b = find(node(p.row_l)), find(node(p.row_r))
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Any]] = {}
    for p in pending:
        groups.setdefault(find(node(p.row_l)), []).append(p)
    summary = []
    for members in groups.values():
        people = sorted({node(p.row_l) for p in members} | {node(p.row_r) for p in members})
        n_rows = sum(int(counts.get(x, 1)) if x > 0 else 1 for x in people)
        best = max(float(p.match_probability) for p in members)
        summary.append((len(people), n_rows, best, min(int(p.id) for p in members), members))
    summary.sort(key=lambda t: (-t[0], -t[1], -t[2], t[3]))
    out = []
    for n_people, n_rows, best, first, members in summary[:limit]:
        ids = [int(p.id) for p in members]
        out.append(
            Cluster(
                cluster=first,
                people=[
                    x
                    for x in sorted(
                        {node(p.row_l) for p in members} | {node(p.row_r) for p in members}
                    )
                    if x > 0
                ],
                rows=n_rows,
                max_probability=round(best, 4),
                pairs=_pairs(engine, "pending", len(ids), ids=ids),
            )
        )
        del n_people
    return out


def cluster_pairs(engine: Engine, actor: Actor, pair_id: int) -> list[int]:
    """The pending pairs of the cluster (:func:`review_clusters`) that holds pair
    ``pair_id``; refuses ``pair_not_found`` when no pending pair of the actor's has it."""
    for c in review_clusters(engine, actor, limit=1_000_000):
        ids = [p.pair for p in c.pairs]
        if pair_id in ids:
            return ids
    raise errors.PAIR_NOT_FOUND(pair=pair_id)


def _pairs(
    engine: Engine, status: str, limit: int, *, ids: Sequence[int] | None = None
) -> list[Pair]:
    pc = registry_pair.c
    with engine.connect() as conn:
        q = select(
            pc.id,
            pc.row_l,
            pc.row_r,
            pc.match_weight,
            pc.match_probability,
            pc.explain,
            pc.status,
            pc.decided_by,
            pc.reason,
        ).where(pc.status == status)
        if ids is not None:
            q = q.where(pc.id.in_(list(ids)))
        pairs = conn.execute(q.order_by(pc.match_weight.desc(), pc.id).limit(limit)).all()
        ids = sorted({r.row_l for r in pairs} | {r.row_r for r in pairs})
        rows = source_rows.read(
            conn,
            ids=ids,
            columns=("row_number", "name", "nik", "birth_date", "sex", "district_code"),
            provenance=True,
        )
        person = {
            int(r.row_id): int(r.person_id)
            for r in conn.execute(
                select(registry_link.c.row_id, registry_link.c.person_id).where(
                    registry_link.c.row_id.in_(ids)
                )
            )
        }
    by_id = {r["id"]: r for r in rows.iter_rows(named=True)}

    def side(row_id: int) -> PairSide:
        r = by_id.get(row_id, {})
        bd = r.get("birth_date")
        return PairSide(
            row=row_id,
            source=r.get("source"),
            file=r.get("file_name"),
            row_number=r.get("row_number"),
            name=r.get("name"),
            nik=r.get("nik"),
            birth_date=bd.isoformat() if bd else None,
            sex=r.get("sex"),
            district_code=r.get("district_code"),
            person=person.get(row_id),
        )

    return [
        Pair(
            pair=r.id,
            match_weight=round(float(r.match_weight), 2),
            match_probability=round(float(r.match_probability), 4),
            explain=json.loads(r.explain),
            status=r.status,
            decided_by=r.decided_by,
            reason=r.reason,
            left=side(r.row_l),
            right=side(r.row_r),
        )
        for r in pairs
    ]


def districts(conn: Connection, row_ids: Sequence[int]) -> dict[int, str | None]:
    """Source row id -> its distrik code now (rows that do not exist are left out)."""
    rows = source_rows.read(conn, ids=row_ids, columns=("district_code",))
    return dict(
        zip(
            rows.get_column("id").to_list(), rows.get_column("district_code").to_list(), strict=True
        )
    )


def require_pair_in_scope(
    conn: Connection, actor: Actor, pair_id: int, row_ids: Sequence[int]
) -> None:
    """Refuse (``pair_out_of_region``) unless pair ``pair_id`` of source rows ``row_ids`` is
    the actor's (see the module)."""
    if actor.all_regions:
        return
    district = districts(conn, row_ids)
    if not in_regions(actor, [district.get(i) for i in row_ids]):
        raise errors.PAIR_OUT_OF_REGION(pair=pair_id)


def require_row_in_scope(conn: Connection, actor: Actor, row_id: int, person_id: int) -> None:
    """Whether the actor may move source row ``row_id`` off its person ``person_id``: actors
    of every region anywhere; others only when the person lies in their regions
    (``person_out_of_region``) and the row's distrik, if read, does too
    (``row_out_of_region``), so that a split never creates a person outside them."""
    if actor.all_regions:
        return
    require_person_in_scope(conn, actor, person_id)
    district = districts(conn, [row_id]).get(row_id)
    if district and not in_regions(actor, [district]):
        raise errors.ROW_OUT_OF_REGION(row=row_id)
