"""Finding people as people are written: by NIK, or by any name a person was listed under,
tolerant of one or two wrong letters and of parts in another order (``store.search``: SQLite
FTS5 trigram, PostgreSQL pg_trgm), inside the actor's regions.

The names come from ``person_alias`` (a person's own name and the names of the rows merged
into them), brought up to date by :func:`jaring.registry.actions.search_index.refresh`
before a search when the registry changed since.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import Engine, select

from jaring import audit
from jaring.access import Actor
from jaring.registry.normalise import normalise_one
from jaring.registry.queries import people
from jaring.registry.queries.people import LIST_COLUMNS, PersonRow, person_rows, scope_clause
from jaring.store import search as index
from jaring.store.tables.registry import person

MIN_SCORE = 0.3  # below this a name is not offered (pg_trgm's similarity, 0..1)


@dataclasses.dataclass
class Found:
    """A person found by name: the person (masked as the actor sees people), the name that
    matched (theirs or one they were listed under) and how alike it is (0..1)."""

    person: PersonRow
    matched: str
    score: float


def normalised(q: str) -> str:
    """The query as names are kept (lower case, titles gone, "Muh." -> "muhammad")."""
    return normalise_one(q) or ""


def by_name(
    engine: Engine,
    actor: Actor,
    q: str,
    *,
    limit: int = 10,
    district: str | None = None,
) -> list[Found]:
    """The people whose names are most alike ``q``, best first, at most ``limit``; of the
    actor's regions (and of ``district``, a code prefix, when given)."""
    actor.require("person.read")
    key = normalised(q)
    if len(key) < 2:
        return []
    with engine.begin() as conn:
        cands = index.candidates(conn, key)
        grams = index.trigrams(key)
        best: dict[int, tuple[float, str]] = {}
        for pid, name in cands:
            s = index.similarity(grams, name)
            if s >= MIN_SCORE and s > best.get(pid, (0.0, ""))[0]:
                best[pid] = (s, name)
        if not best:
            return []
        order = sorted(best, key=lambda p: (-best[p][0], p))[: max(limit * 5, 50)]
        stmt = select(*LIST_COLUMNS).where(person.c.id.in_(order))
        scope = scope_clause(actor)
        if scope is not None:
            stmt = stmt.where(scope)
        if district:
            stmt = stmt.where(person.c.district_code.startswith(district, autoescape=True))
        rows = {r.id: r for r in person_rows(conn.execute(stmt).all(), actor)}
    out = [Found(rows[p], best[p][1], round(best[p][0], 3)) for p in order if p in rows]
    return out[:limit]


@dataclasses.dataclass
class Finding:
    """What a search for people shows: the people (``people.Search``) and, for a name, the
    name each was found under (by person id)."""

    search: people.Search
    matched: dict[int, str]


def is_name(q: str) -> bool:
    """Whether ``q`` is searched as a name (not a NIK or its first digits, and long enough):
    only then does the name index need to be brought up to date first."""
    return not (q or "").replace(" ", "").isdigit() and len(normalised(q)) >= 2


def find(engine: Engine, actor: Actor, q: str, limit: int = 50) -> Finding:
    """The people page's search. A NIK, its first digits or a refused query: as
    :func:`people.search`. A name: the people whose names are most alike (typo-tolerant,
    best first, through the word index); only when none is alike, the names that contain the
    typed words (a scan of every name, seconds at millions of people). Audited as
    ``person.search``. For a name (:func:`is_name`) the caller refreshes the name index
    first (:func:`jaring.registry.actions.search_index.refresh`)."""
    if not is_name(q):
        return Finding(people.search(engine, actor, q, limit), {})
    found = by_name(engine, actor, q, limit=limit)
    if not found:
        return Finding(people.search(engine, actor, q, limit), {})
    audit.record_read(
        engine,
        actor,
        "person.search",
        "person",
        None,
        {"kind": "name", "people": [f.person.id for f in found]},
    )
    return Finding(
        people.Search(query=q.strip(), kind="name", people=[f.person for f in found], more=False),
        {f.person.id: f.matched for f in found},
    )
