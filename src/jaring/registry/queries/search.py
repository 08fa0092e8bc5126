"""Finding people as people are written: by NIK, or by any name a person was listed under,
tolerant of one or two wrong letters and of parts in another order, or by a part of a name
(every typed word the beginning of a word of the name), inside the actor's regions; names
through ``store.search``'s word index (and its trigram index for what the words miss).

The names come from ``person_alias`` (a person's own name and the names of the rows merged
into them), brought up to date by :func:`jaring.registry.actions.search_index.refresh`
before a search when the registry changed since.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors
from jaring.registry.normalise import normalise_one
from jaring.registry.queries import people
from jaring.registry.queries.people import LIST_COLUMNS, PersonRow, person_rows, scope_clause
from jaring.store import search as index
from jaring.store.tables.registry import person

MIN_SCORE = 0.3  # below this a name is not offered (pg_trgm's similarity, 0..1)
WINDOW = 1_000  # the most alike people a name search ranks and pages through
NARROWED = 1_000  # candidates asked of the index when a birth year narrows the name
_YEAR = re.compile(r"(?<![0-9])(19[0-9][0-9]|20[0-9][0-9])(?![0-9])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclasses.dataclass
class Found:
    """A person found by name: the person (masked as the actor sees people), the name that
    matched (theirs or one they were listed under) and how alike it is (0..1)."""

    person: PersonRow
    matched: str
    score: float


def normalised(q: str) -> str:
    """The query as names are kept (lower case, titles gone, "Muh." -> "muhammad"); when
    that leaves fewer than 2 letters (``"ma"`` is a title), the query's words in lower case
    (searched as the beginnings of words: a short query is cheap and still finds names)."""
    key = normalise_one(q) or ""
    if len(key) >= 2:
        return key
    return " ".join(_NON_WORD.sub(" ", q.lower()).split())


def split_year(q: str) -> tuple[str, int | None]:
    """``q`` without a birth year typed with the name (``"muhammad putra 1985"``: a
    four-digit year from 1900 to 2099 among words, the last one typed), and that year (None
    when there is none, or when ``q`` is only digits: a NIK or its first digits)."""
    if (q or "").replace(" ", "").isdigit():
        return q, None
    years = _YEAR.findall(q or "")
    if not years:
        return q, None
    return " ".join(_YEAR.sub(" ", q).split()), int(years[-1])


def born_in(year: int | None) -> ColumnElement[bool] | None:
    """The condition on ``person`` of a birth year (a range of ``birth_date``: its index
    order, the same on both databases); None for no year."""
    if year is None:
        return None
    return and_(
        person.c.birth_date >= dt.date(year, 1, 1), person.c.birth_date < dt.date(year + 1, 1, 1)
    )


def _both(a: ColumnElement[bool] | None, b: ColumnElement[bool] | None) -> Any:
    if a is None:
        return b
    return a if b is None else and_(a, b)


def by_name(
    engine: Engine,
    actor: Actor,
    q: str,
    *,
    limit: int = 10,
    district: str | None = None,
    born: int | None = None,
) -> list[Found]:
    """The people whose names are most alike ``q``, best first, at most ``limit``; of the
    actor's regions (and of ``district``, a code prefix, when given; born in the year
    ``born`` when given: the index is then asked for :data:`NARROWED` candidates, so that
    one of many people bearing a name is found by the year)."""
    actor.require("person.read")
    key = normalised(q)
    if len(key) < 2:
        return []
    with engine.begin() as conn:
        cands = index.candidates(
            conn,
            key,
            NARROWED if born else index.CANDIDATES,
            _both(scope_clause(actor), born_in(born)),
        )
        grams = index.trigrams(key)
        best: dict[int, tuple[float, str]] = {}
        for pid, name in cands:
            s = index.similarity(grams, name)
            if s >= MIN_SCORE and s > best.get(pid, (0.0, ""))[0]:
                best[pid] = (s, name)
        if not best:
            return []
        order = sorted(best, key=lambda p: (-best[p][0], p))
        scope = _both(scope_clause(actor), born_in(born))
        if scope is None:
            order = order[:limit]  # everyone's: the first ``limit`` are the answer
        elif born is None:
            order = order[: max(limit * 5, 50)]
        stmt = select(*LIST_COLUMNS).where(person.c.id.in_(order))
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
    only then does the name index need to be brought up to date first. A birth year typed
    with the name does not count (``"ani 1985"`` is a name)."""
    name, _year = split_year(q or "")
    return not name.replace(" ", "").isdigit() and len(normalised(name)) >= 2


def by_beginning(
    engine: Engine, actor: Actor, q: str, limit: int = 50, born: int | None = None
) -> tuple[people.Search, dict[int, str]]:
    """People of the actor's regions (born in the year ``born`` when given) with a name
    (theirs or one they were listed under) in which every word of ``q`` begins a word, in
    any order (``store.search.starting``: a family name alone, the first letters of a name),
    the most alike first (pg_trgm's similarity of the name to ``q``), then by name; at most
    ``limit``; ``more`` when more may match. Second: the name each was found under (by
    person id). Through the word index: no scan of every name, at any size of the registry."""
    actor.require("person.read")
    key = normalised(q)
    limit = max(1, min(int(limit), WINDOW))
    # a person may come once per name: enough rows for ``limit`` people and the next one
    with engine.connect() as conn:
        rows, whole = index.starting(
            conn,
            key,
            LIST_COLUMNS,
            where=_both(scope_clause(actor), born_in(born)),
            limit=4 * (limit + 1),
            few=_few(actor),
        )
    first: dict[int, Any] = {}
    matched: dict[int, str] = {}
    for r in rows:
        pid = int(r[0])
        if pid not in first:
            first[pid], matched[pid] = r[:-1], str(r[-1])
    grams = index.trigrams(key)
    alike = {p: index.similarity(grams, matched[p]) for p in first}
    order = sorted(first, key=lambda p: (-alike[p], str(first[p][2] or ""), p))
    shown = order[:limit]
    found = person_rows([first[p] for p in shown], actor)
    more = len(order) > limit or len(rows) == 4 * (limit + 1) or not whole
    search = people.Search(query=q.strip(), kind="name", people=found, more=more)
    return search, {p: matched[p] for p in shown}


def _few(actor: Actor) -> bool:
    """Whether the actor's regions are distriks or villages only (a few thousand people
    each): their names are read rather than a word's across the nation."""
    return not actor.all_regions and all(r.count(".") >= 2 for r in actor.regions)


def namesakes(engine: Engine, actor: Actor, name: str, born: int | None = None) -> int:
    """How many people of the actor's regions (born in ``born`` when given) bear ``name``
    (normalised) as their own name: one range of ``person.name_norm``'s index."""
    stmt = select(func.count()).select_from(person).where(person.c.name_norm == name)
    cond = _both(scope_clause(actor), born_in(born))
    if cond is not None:
        stmt = stmt.where(cond)
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def find(engine: Engine, actor: Actor, q: str, limit: int = 50, offset: int = 0) -> Finding:
    """The search for people of the people page and of the API (``/api/v1/people?q=``). A
    NIK, its first digits or a refused query: as :func:`people.search` (paged by ``offset``).
    A name, through the word index (never a scan of every name): first the people with a
    name in which every typed word begins a word (:func:`by_beginning`: the name as typed, a
    family name alone, the first letters of the words, in any order; a query of two letters
    that are a title, ``"ma"``, too), the most alike first; then the others whose names are
    alike (typo-tolerant: :func:`by_name`), the most alike first; ``limit`` (1..200) of them
    from ``offset``. A birth year typed with the name (``"muhammad putra 1985"``) keeps the
    people born that year. Only the first :data:`WINDOW` are ranked: ``offset`` past them is
    refused (``name_search_window``), and the last page has ``more`` false (a longer query
    finds the others). When the people shown all bear one name, as alike as any, and more
    people bear it than are shown, ``namesakes`` says how many (the page asks for the birth
    year). Audited as ``person.search``, the people shown. For a name (:func:`is_name`) the
    caller refreshes the name index first
    (:func:`jaring.registry.actions.search_index.refresh`)."""
    if not is_name(q):
        return Finding(people.search(engine, actor, q, limit, offset), {})
    limit = max(1, min(int(limit), 200))
    offset = max(0, int(offset))
    if offset >= WINDOW:
        raise errors.NAME_SEARCH_WINDOW(field="offset", window=WINDOW)
    name, born = split_year(q)
    window = max(1, min(offset + limit, WINDOW))
    begun, begun_matched = by_beginning(engine, actor, name, window, born)
    # the names begun so come first: when they fill the window, no alike name is shown
    # (the first letters of common words would sum every name near them for nothing)
    alike = (
        []
        if len(begun.people) >= window
        else by_name(engine, actor, name, limit=window + 1, born=born)  # one more: ``more``
    )
    grams = index.trigrams(normalised(name))
    ranked: dict[int, tuple[bool, float, str]] = {}
    found: dict[int, PersonRow] = {}
    matched: dict[int, str] = {}
    for p in begun.people:
        score = index.similarity(grams, begun_matched[p.id])
        ranked[p.id], found[p.id], matched[p.id] = (False, -score, p.name), p, begun_matched[p.id]
    for f in alike:
        if f.person.id not in ranked:
            ranked[f.person.id] = (True, -f.score, f.person.name)
            found[f.person.id], matched[f.person.id] = f.person, f.matched
    order = sorted(ranked, key=lambda i: (*ranked[i], i))
    page = order[offset : offset + limit]
    shown = [found[i] for i in page]
    more = (begun.more or len(order) > offset + limit) and offset + limit < WINDOW
    same = 0
    top = (ranked[order[0]][1], matched[order[0]]) if page else None
    if more and all((ranked[i][1], matched[i]) == top for i in page):
        # one name, as alike as the first, on every row shown, and more people past them:
        # count its bearers (one index range), so that the page can ask for the year
        tied = sum((ranked[i][1], matched[i]) == top for i in order)
        bearers = max(tied, namesakes(engine, actor, matched[order[0]], born))
        same = bearers if bearers > len(page) else 0
    audit.record_read(
        engine,
        actor,
        "person.search",
        "person",
        None,
        {"kind": "name", "people": [p.id for p in shown]},
    )
    return Finding(
        people.Search(
            query=q.strip(),
            kind="name",
            people=shown,
            more=more,
            namesakes=same,
            window=WINDOW,
            born=born,
        ),
        {p.id: matched[p.id] for p in shown},
    )
