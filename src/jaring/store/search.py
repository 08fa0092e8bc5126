"""Tolerant name search, the one place that knows how each dialect does it.

Names (a person's and every name they were listed under) live in ``person_alias``
(normalised: lower case, titles gone). Candidates for a query come first from a **word
index**, the same tables and SQL on both databases:

- ``name_token``: every word of the names, once, with how many names hold it;
- ``name_token_variant``: each word and the word with any one letter taken out (symmetric
  deletion: ``"sawaki"`` and ``"sawaky"`` share ``"sawak"``), so the words one typo (a
  letter changed, added, dropped, or two swapped) away from a word of the query are found by
  equality on an index, however many people there are;
- ``person_alias_token``: which names hold which word.

A query's words are matched to the stored words near them; the names holding them are
summed in SQL (each word weighed by how alike it is and how rare), the rarest word with
every stored word near it, the others likewise while the names summed stay under
:data:`WORD_BUDGET`, past it only as typed (up to :data:`TYPED_BUDGET`; a query has at
most two typos: when the rarest word holds both, the others are exact), and the best
:data:`CANDIDATES` are scored. Parts in another order cost nothing: words are matched one by one.
When a typed word is not stored as typed, more names hold the rarest word than candidates
are asked for and some word was too common to be summed (they would tie: "Muhammad Rizki Hutapxa" among every Hutapea), the
names holding a word near every typed word are candidates too (each of the rarest word's
names probed for the other words, or their postings met when they are many).

When no candidate is alike and some word of the query is neither a stored word nor the
beginning of one (a typo the word index ranked too low, two typos in a one-word query, a
name written without its spaces), candidates come from a trigram index of whole names:

- **SQLite**: an FTS5 table with the ``trigram`` tokenizer (``person_alias_fts``, rowid =
  the alias id), asked for any of the query's trigrams and ranked by bm25;
- **PostgreSQL**: ``pg_trgm``'s GIN index on ``person_alias.name`` and its ``%`` operator.

Both indexes are made here on first use (``ensure``), not by a migration: the FTS5 table's
shadow tables and the operator class are not SQLAlchemy metadata. The candidates are then
scored the same way on both (:func:`similarity`, pg_trgm's measure), so both databases
answer alike. The word index is kept by :func:`reindex` and :func:`update` with the FTS
table; its tables are made by revision 0026.

A part of a name (a family name alone, the first letters of the words) is found through the
same word index by :func:`starting`: the names in which every typed word begins a word. The
first letters of two words are found through ``person_alias_pair`` (revision 0031, kept
with the word index): every pair of two of a name's words' first three letters, so that
the names beginning so are one range of its key.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    case,
    delete,
    desc,
    exists,
    func,
    intersect,
    literal,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy import update as sql_update
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from jaring.store import dialect
from jaring.store.bulk import insert_frame, read_frame
from jaring.store.tables.registry import (
    name_token,
    name_token_variant,
    person,
    person_alias,
    person_alias_pair,
    person_alias_token,
)

log = logging.getLogger(__name__)
_WORD = re.compile(r"[a-z0-9]+")
CANDIDATES = 100  # candidates asked of the index before scoring
WORD_BUDGET = 5_000  # names summed for the words near a query's words past its rarest
TYPED_BUDGET = 25_000  # names summed for the words of a query taken only as typed
THRESHOLD = 0.3  # pg_trgm's default similarity threshold: below it the word index missed
_CHUNK = 5_000  # ids per IN list
PER_WORD = 4  # SQLite: the rarest trigrams of each word of the query, asked in pairs
BEGINNINGS = 2_000  # stored words read for one typed word taken as their beginning
MEET = 200_000  # names holding a typed word's beginnings above which they are not intersected
PROBED = 2_000  # names holding the rarest typed word above which they are met, not probed
SCOPE_FIRST = 3_000  # names of a part typed above which a distrik's names are read instead
PAIRED = 3  # letters of a word's beginning kept in the pairs (``person_alias_pair``)
SHORT_TYPO = 3  # letters of a typed word beginning no stored word not searched by trigrams
TRIGRAM_BUDGET_MS = 1_000  # PostgreSQL: the longest a search of the trigram index may take


def trigrams(value: str) -> set[str]:
    """pg_trgm's trigrams of ``value``: each word padded with two spaces before and one
    after, lower case (``"ana"`` -> ``"  a", " an", "ana", "na "``)."""
    out: set[str] = set()
    for w in _WORD.findall(value.lower()):
        padded = f"  {w} "
        out.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return out


@functools.lru_cache(maxsize=4096)
def _name_trigrams(value: str) -> frozenset[str]:
    """:func:`trigrams` of a stored name, remembered: a search scores its candidates twice
    (whether the word index found anything alike, then the ranking)."""
    return frozenset(trigrams(value))


def similarity(a: str | set[str] | frozenset[str], b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both (0..1). Word
    order does not matter, one wrong letter costs a few trigrams. ``a`` may be given as its
    trigrams already (a query scored against many names)."""
    ta = a if isinstance(a, set | frozenset) else trigrams(a)
    tb = _name_trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


_ready: set[str] = set()  # the databases whose index was made by this process


def ensure(conn: Connection) -> None:
    """Create the trigram index if it is missing (idempotent; once per database and
    process)."""
    key = conn.engine.url.render_as_string(hide_password=True)
    if key in _ready:
        return
    if dialect.of(conn).name == "postgresql":
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_person_alias_name_trgm "
                "ON person_alias USING gin (name gin_trgm_ops)"
            )
        )
    else:
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS person_alias_fts "
                "USING fts5(name, tokenize='trigram')"
            )
        )
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS person_alias_vocab "
                "USING fts5vocab(person_alias_fts, 'row')"
            )
        )
    _ready.add(key)


def reindex(conn: Connection) -> None:
    """After ``person_alias`` was rewritten: rebuild the word index and bring the SQLite FTS
    table in line (PostgreSQL's trigram index follows its table by itself)."""
    ensure(conn)
    for table in (person_alias_pair, person_alias_token, name_token_variant, name_token):
        conn.execute(delete(table))
    _add_words(conn, read_frame(conn, select(person_alias.c.id, person_alias.c.name)))
    # statistics for the planner: without them PostgreSQL scans the variants whole
    for table in (
        person_alias,
        name_token,
        name_token_variant,
        person_alias_token,
        person_alias_pair,
    ):
        dialect.analyze(conn, table)
    if dialect.of(conn).name == "sqlite":
        conn.execute(text("DELETE FROM person_alias_fts"))
        conn.execute(
            text("INSERT INTO person_alias_fts(rowid, name) SELECT id, name FROM person_alias")
        )


def vacuum(engine: Engine) -> None:
    """After the names were indexed whole: on PostgreSQL, ``VACUUM (ANALYZE)`` the name
    tables (outside any transaction), so that the postings' index-only reads do not visit the
    heap: a table filled in bulk has no visibility map until autovacuum passes, and every
    posting summed or met then costs a heap page. Nothing on SQLite."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            text(
                "VACUUM (ANALYZE) person_alias, person_alias_token, name_token, "
                "name_token_variant, person_alias_pair"
            )
        )


def update(conn: Connection, *, removed: list[int], added_from: int | None) -> None:
    """After some names of ``person_alias`` were replaced (ids ``removed`` deleted, new ones
    from ``added_from`` up inserted): bring the word index and the SQLite FTS table in line
    with them alone (PostgreSQL's trigram index follows its table by itself)."""
    ensure(conn)
    touched: set[int] = set()
    pat = person_alias_token
    pap = person_alias_pair
    for part in _chunks(removed):
        words_of = read_frame(
            conn,
            select(pat.c.alias_id, name_token.c.token)
            .join(name_token, name_token.c.id == pat.c.token_id)
            .where(pat.c.alias_id.in_(part)),
            schema_overrides={"alias_id": pl.Int64, "token": pl.String},
        )
        touched.update(
            int(i)
            for i in conn.execute(
                select(pat.c.token_id).where(pat.c.alias_id.in_(part)).distinct()
            ).scalars()
        )
        gone = _pairs(words_of)
        for i in range(0, gone.height, _CHUNK):
            keys = gone.slice(i, _CHUNK).rows()
            conn.execute(delete(pap).where(tuple_(pap.c.pair, pap.c.alias_id).in_(keys)))
        conn.execute(delete(pat).where(pat.c.alias_id.in_(part)))
    if added_from is not None:
        added = read_frame(
            conn,
            select(person_alias.c.id, person_alias.c.name).where(person_alias.c.id >= added_from),
        )
        touched.update(_add_words(conn, added))
    for part in _chunks(sorted(touched)):
        held = (
            select(func.count())
            .select_from(pat)
            .where(pat.c.token_id == name_token.c.id)
            .scalar_subquery()
        )
        conn.execute(sql_update(name_token).where(name_token.c.id.in_(part)).values(names=held))
    if dialect.of(conn).name != "sqlite":
        return
    for i in range(0, len(removed), 5000):
        conn.execute(
            text("DELETE FROM person_alias_fts WHERE rowid IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": removed[i : i + 5000]},
        )
    if added_from is not None:
        conn.execute(
            text(
                "INSERT INTO person_alias_fts(rowid, name) "
                "SELECT id, name FROM person_alias WHERE id >= :first"
            ),
            {"first": added_from},
        )


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def deletions(word: str) -> set[str]:
    """``word`` and ``word`` with any one letter taken out (words of 3 letters or more; a
    shorter word is only itself: its deletions would match almost every short word)."""
    if len(word) < 3:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _variants(tokens: pl.DataFrame) -> pl.DataFrame:
    """``variant``, ``token_id``: :func:`deletions` of every ``token`` of ``tokens`` (``id``,
    ``token``), one column operation per letter position."""
    n = pl.col("token").str.len_chars()
    longest = int(tokens.select(n.max()).item() or 0)
    parts = [tokens.select(variant="token", token_id="id")]
    for i in range(longest):
        parts.append(
            tokens.filter((n >= 3) & (n > i)).select(
                variant=pl.concat_str(
                    pl.col("token").str.slice(0, i), pl.col("token").str.slice(i + 1)
                ),
                token_id="id",
            )
        )
    return pl.concat(parts).unique()


def _add_words(conn: Connection, aliases: pl.DataFrame) -> set[int]:
    """Index the words of ``aliases`` (``id``, ``name``): new words into ``name_token`` (with
    their variants), every (word, name) into ``person_alias_token``. The ids of the words
    touched (their counts to be redone by the caller, or set here for new ones)."""
    if aliases.height == 0:
        return set()
    postings = (
        aliases.select(
            alias_id=pl.col("id").cast(pl.Int64),
            token=pl.col("name").cast(pl.String).str.extract_all(r"[a-z0-9]+"),
        )
        .explode("token")
        .drop_nulls()
        .with_columns(pl.col("token").str.slice(0, 200))
        .unique()
    )
    words = postings.group_by("token").agg(names=pl.len().cast(pl.Int64))
    known = pl.concat(
        [
            read_frame(
                conn,
                select(name_token.c.id, name_token.c.token).where(name_token.c.token.in_(part)),
                schema_overrides={"id": pl.Int64, "token": pl.String},
            )
            for part in _text_chunks(words.get_column("token").to_list())
        ]
    )
    first = int(conn.execute(select(func.max(name_token.c.id))).scalar() or 0) + 1
    new = (
        words.join(known, on="token", how="anti")
        .sort("token")
        .with_row_index("id", offset=first)
        .with_columns(pl.col("id").cast(pl.Int64))
    )
    if new.height:
        insert_frame(conn, name_token, new.select("id", "token", "names"))
        insert_frame(conn, name_token_variant, _variants(new.select("id", "token")))
    ids = pl.concat([known.select("id", "token"), new.select("id", "token")])
    insert_frame(
        conn,
        person_alias_token,
        postings.join(ids, on="token")
        .select(token_id="id", alias_id="alias_id")
        .sort("token_id", "alias_id"),
    )
    insert_frame(conn, person_alias_pair, _pairs(postings).sort("pair", "alias_id"))
    return set(known.get_column("id").to_list())


def _pairs(postings: pl.DataFrame) -> pl.DataFrame:
    """``pair``, ``alias_id``: for each name of ``postings`` (``alias_id``, ``token``: its
    words, once each), every pair of two of its words' first :data:`PAIRED` letters, in
    order, joined by a space (words of :data:`PAIRED` letters or more; two words beginning
    alike make a pair of one beginning twice). One column operation per pair of positions in
    the longest name."""
    begun = (
        postings.filter(pl.col("token").str.len_chars() >= PAIRED)
        .group_by("alias_id")
        .agg(pl.col("token").str.slice(0, PAIRED).sort().alias("begun"))
    )
    longest = int(begun.select(pl.col("begun").list.len().max()).item() or 0)
    parts = [pl.DataFrame(schema={"pair": pl.String, "alias_id": pl.Int64})]
    for j in range(1, longest):
        held = begun.filter(pl.col("begun").list.len() > j)
        for i in range(j):
            parts.append(
                held.select(
                    pair=pl.concat_str(
                        pl.col("begun").list.get(i), pl.col("begun").list.get(j), separator=" "
                    ),
                    alias_id=pl.col("alias_id").cast(pl.Int64),
                )
            )
    return pl.concat(parts).unique()


def _text_chunks(values: list[str]) -> list[list[str]]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)] or [[]]


def candidates(
    conn: Connection,
    query: str,
    limit: int = CANDIDATES,
    where: ColumnElement[bool] | None = None,
) -> list[tuple[int, str]]:
    """``(person_id, alias)`` pairs whose alias is like ``query`` (normalised), the most
    alike first as the index ranks them; at most ``limit``. First the people whose own name
    is the query with at most one word replaced by a stored word near it (:func:`spelled`,
    kept by ``where``, a condition on ``person``: the caller's regions, a birth year), then
    the others (not kept by ``where``: the caller filters them). From the word index; from the
    trigram index of whole names when no candidate of the word index is at least
    :data:`THRESHOLD` alike and some word of the query is neither a stored word nor the
    beginning of one (a typo): a part of a name typed (a family name alone, the first
    letters of the words) is not alike the whole names that hold it, and a trigram search
    would read much of the index to find nothing better (:func:`starting` finds those
    names)."""
    found = by_words(conn, query, limit, where)
    grams = trigrams(query)
    if any(similarity(grams, name) >= THRESHOLD for _pid, name in found):
        return found
    unknown = [w for w in _WORD.findall(query.lower()) if not _begins(conn, w)]
    if not unknown:
        return found  # a part of a name, every word as stored or the beginning of one
    if all(len(w) <= SHORT_TYPO for w in unknown):
        # first letters mistyped ("rux pus"): the name they begin shares too few of the
        # query's trigrams to be alike, and a trigram search of a short query reads the
        # postings of its commonest trigrams ("  r", " pu"): 13-18 s at 10M people
        return found
    return by_trigrams(conn, query, limit)


def _begins(conn: Connection, word: str) -> bool:
    """Whether some stored word begins with ``word`` (itself included): one probe of
    ``name_token``'s index (:func:`starting` tells why the range holds them)."""
    found = conn.execute(
        select(name_token.c.token)
        .where(
            name_token.c.token >= word, name_token.c.token <= _last(word), name_token.c.names > 0
        )
        .order_by(name_token.c.token)
        .limit(1)
    ).scalar()
    return found is not None and str(found).startswith(word)


def _last(word: str) -> str:
    """The last string a stored word beginning with ``word`` can be (words hold ``a-z0-9``,
    at most 200 characters)."""
    return word + "z" * max(1, 200 - len(word))


_LEVELS = 8  # a word's weight in the SQL sum, in powers of two (1, 0.5, 0.25...): each level
# is one branch of a CASE evaluated for every name summed, so they are few


def _scored() -> Any:
    """The names holding the chosen words, summed: one fixed statement (the words of each
    weight level an expanding list), so it is compiled once and cached."""
    pat = person_alias_token
    lists: list[Any] = [bindparam(f"level{i}", expanding=True) for i in range(_LEVELS)]
    score = func.sum(
        case(
            *[(pat.c.token_id.in_(ids), literal(2.0**-i)) for i, ids in enumerate(lists)],
            else_=literal(0.0),
        )
    ).label("score")
    chosen = pat.c.token_id.in_(bindparam("chosen", expanding=True))
    return (
        select(pat.c.alias_id, score)
        .where(chosen)
        .group_by(pat.c.alias_id)
        .order_by(desc("score"), pat.c.alias_id)
        .limit(bindparam("n"))
    )


_SCORED = _scored()


def spelled(
    conn: Connection,
    words: list[str],
    near: dict[str, dict[int, tuple[str, int]]],
    limit: int,
    where: ColumnElement[bool] | None = None,
) -> list[tuple[int, str]]:
    """``(person_id, name)`` of at most ``limit`` people kept by ``where`` whose own
    normalised name is ``words`` as typed, or with one of them replaced by a stored word near
    it (``near``: per typed word, the stored words one typo away): one range of
    ``person.name_norm``'s index per spelling, a few dozen however many people there are.
    A name written with one letter wrong is found so whatever its words' rarity, and all of
    its bearers when many bear it (the sum of the word index would tie them)."""
    names = {" ".join(words)}
    for i, w in enumerate(words):
        for token, _names in near[w].values():
            names.add(" ".join([*words[:i], token, *words[i + 1 :]]))
    stmt = select(person.c.id, person.c.name_norm).where(person.c.name_norm.in_(sorted(names)))
    if where is not None:
        stmt = stmt.where(where)
    # in the index's order (no sort: the first ``limit`` read, not every bearer)
    rows = conn.execute(stmt.limit(limit)).all()
    return [(int(r[0]), str(r[1])) for r in rows]


def by_words(
    conn: Connection,
    query: str,
    limit: int = CANDIDATES,
    where: ColumnElement[bool] | None = None,
) -> list[tuple[int, str]]:
    """``(person_id, alias)`` pairs from the word index (the module's description), the
    most alike first as the SQL sum ranks them; at most ``limit``. The people whose own name
    is the query with at most one word near it (:func:`spelled`, kept by ``where``) come
    first; when there are some and the words' names to sum are many (the rarest word near
    more than :data:`WORD_BUDGET` names: common words only), they are the answer (the sum
    would tie those names and read them all)."""
    words = list(dict.fromkeys(_WORD.findall(query.lower())))
    if not words:
        return []
    wanted = {w: deletions(w) for w in words}
    everything = sorted(set().union(*wanted.values()))
    found = conn.execute(
        select(
            name_token_variant.c.variant, name_token.c.id, name_token.c.token, name_token.c.names
        )
        .join(name_token, name_token.c.id == name_token_variant.c.token_id)
        .where(name_token_variant.c.variant.in_(everything), name_token.c.names > 0)
    ).all()
    near: dict[str, dict[int, tuple[str, int]]] = {w: {} for w in words}
    for variant, tid, token, names in found:
        for w, own in wanted.items():
            if variant in own:
                near[w][int(tid)] = (str(token), int(names))
    # per word: its cost (names holding a word near it) and the weight of each near word
    costs = sorted((sum(n for _t, n in near[w].values()), w) for w in words if near[w])
    if not costs:
        return []
    spelt = spelled(conn, words, near, limit, where) if len(costs) == len(words) else []
    if spelt and costs[0][0] > WORD_BUDGET:
        return spelt
    weights: dict[int, float] = {}
    spent = typed = 0
    skipped = False
    for i, (cost, w) in enumerate(costs):
        chosen = near[w]
        if i > 0 and spent + cost > WORD_BUDGET:
            if spelt:  # the name one typo away is found: the rest only to fill the page
                skipped = True
                continue
            # past the budget a word counts only as typed: a query has at most two typos,
            # so when the rarest word holds both, the others are exact
            chosen = {t: v for t, v in near[w].items() if v[0] == w}
            exact = sum(n for _t, n in chosen.values())
            if not chosen or typed + exact > TYPED_BUDGET:
                skipped = True
                continue
            typed += exact
        else:
            spent += cost
        for tid, (token, names) in chosen.items():
            # likeness squared, over rarity: a rare word as typed outweighs a common one,
            # and a common word as typed a rare word one typo away
            weight = similarity(w, token) ** 2 / math.log2(2 + names)
            if weight > 0:
                weights[tid] = max(weights.get(tid, 0.0), weight)
    if not weights:
        return spelt
    levels: list[list[int]] = [[] for _ in range(_LEVELS)]
    for tid, weight in weights.items():
        levels[min(_LEVELS - 1, max(0, round(-math.log2(weight))))].append(tid)
    top = conn.execute(
        _SCORED,
        # an empty level holds id 0 (no word has it): an empty list would be a subquery
        {
            "n": limit,
            "chosen": sorted(weights),
            **{f"level{i}": x or [0] for i, x in enumerate(levels)},
        },
    ).all()
    order = [int(r[0]) for r in top]
    typo = any(all(token != w for token, _n in near[w].values()) for w in words)
    if skipped and typo and costs[0][0] > limit and not spelt:
        # the rarest word's names outnumber the candidates and tie in the sum when the
        # other words are too common to be summed: add the names holding a word near
        # every typed word (:func:`_near_every`). Not for words all stored as typed: the
        # names holding them all are found by their beginnings (:func:`starting`)
        seen = set(order)
        order += [
            a for a in _near_every(conn, [near[w] for _c, w in costs], 2 * limit) if a not in seen
        ]
    if not order:
        return spelt
    names_of = {
        int(r[0]): (int(r[1]), str(r[2]))
        for r in conn.execute(
            select(person_alias.c.id, person_alias.c.person_id, person_alias.c.name).where(
                person_alias.c.id.in_(order)
            )
        )
    }
    first = {pid for pid, _name in spelt}
    rest = [names_of[a] for a in order if a in names_of and names_of[a][0] not in first]
    return [*spelt, *rest][:limit] if spelt else rest


def _near_every(conn: Connection, near: list[dict[int, tuple[str, int]]], limit: int) -> list[int]:
    """At most ``limit`` ids of the names holding, for each set of stored words in ``near``
    (the words near each typed word, the rarest first), one of them. Up to :data:`PROBED`
    names holding the rarest set: each probed for the others (``EXISTS`` on the postings by
    name, a few rows a name however common the other words are); more: met with the sets
    holding at most :data:`MEET` names (an INTERSECT of index-only reads of the postings, as
    :func:`starting` does), nothing when none is."""
    if len(near) < 2:
        return []
    pat = person_alias_token
    if sum(v[1] for v in near[0].values()) <= PROBED:
        stmt = select(pat.c.alias_id).where(pat.c.token_id.in_(sorted(near[0])))
        for ids in near[1:]:
            other = person_alias_token.alias()
            stmt = stmt.where(
                exists().where(
                    other.c.alias_id == pat.c.alias_id, other.c.token_id.in_(sorted(ids))
                )
            )
        return list(dict.fromkeys(int(a) for a in conn.execute(stmt.limit(limit)).scalars()))
    sets = [near[0], *(n for n in near[1:] if sum(v[1] for v in n.values()) <= MEET)]
    if len(sets) < 2:
        return []
    held: Any = intersect(
        *(select(pat.c.alias_id).where(pat.c.token_id.in_(sorted(ids))) for ids in sets)
    ).subquery()
    return [int(a) for a in conn.execute(select(held.c.alias_id).limit(limit)).scalars()]


def starting(
    conn: Connection,
    query: str,
    columns: Sequence[Any],
    *,
    where: ColumnElement[bool] | None = None,
    limit: int = 200,
    few: bool = False,
    scope_first: int = SCOPE_FIRST,
) -> tuple[list[Sequence[Any]], bool]:
    """Rows of ``columns`` (of ``person``, followed by the matching name of ``person_alias``)
    for the names in which every word of ``query`` (normalised) begins a word: ``"sawa"``
    finds ``"markus sawaki"``, ``"kambu mar"`` ``"markus kambu"``. At most ``limit`` rows,
    in no set order (the caller sorts them), kept by ``where`` (a condition on ``person``);
    a person may come once per name. Second: whether every word was looked up whole (false
    when a word begins more than :data:`BEGINNINGS` stored words: only the first of them
    are read, so some names may be missing).

    Through the word index, the same on both databases: the stored words beginning with
    each typed word are a range of ``name_token``'s unique index (the words hold only
    ``a-z0-9``, so they lie between the word and the word followed by z's in any collation
    that sorts digits before letters). The postings of the typed word holding the fewest
    names are intersected with those of the other typed words holding under :data:`MEET`
    names (index-only reads of ``person_alias_token``); the other typed words are checked on
    the names read (normalised names are words of ``a-z`` split by single spaces). No scan
    of all names.

    The first letters of two words (two typed words of :data:`PAIRED` letters, none
    longer; or two words, one of :data:`PAIRED` letters, the rarest or both common), and
    typed words of :data:`PAIRED` letters or more when one begins more than
    :data:`BEGINNINGS` stored words and the rarest of the others holds more than
    :data:`PROBED` names (or begins as many): the names holding both beginnings are one
    range of ``person_alias_pair`` (:func:`_by_pair`), read a slice at a time until
    ``limit`` rows are found; every word is then looked up whole. Not for ``few`` (the
    scope's names are read instead).

    ``few``: ``where`` keeps few people (a distrik's or a village's, a few thousand at
    most). When the typed words' names outnumber ``scope_first``, the names of the
    people ``where`` keeps are read instead (by its index) and every typed word checked on
    them: a family name held across the nation is not read whole for the dozens of a
    distrik."""
    words = list(dict.fromkeys(_WORD.findall(query.lower())))
    if not words:
        return [], True
    scoped = few and where is not None
    short = [w for w in words if len(w) == PAIRED]
    if not scoped and len(short) > 1 and all(len(w) <= PAIRED for w in words):
        # beginnings as long as the pairs' (the first letters of two words), none longer:
        # the names holding both are one range of the pairs, no stored word need be read
        return _by_pair(conn, words, short[:2], columns, where, limit), True
    looked: list[tuple[bool, int, str, list[int]]] = []
    for w in words:
        found = conn.execute(
            select(name_token.c.id, name_token.c.token, name_token.c.names)
            .where(
                name_token.c.token >= w,
                name_token.c.token <= _last(w),
                name_token.c.names > 0,
            )
            .order_by(name_token.c.token)
            .limit(BEGINNINGS + 1)
        ).all()
        ids = [int(r[0]) for r in found if str(r[1]).startswith(w)]
        if not ids:
            return [], True  # no name has a word beginning so
        whole = len(found) <= BEGINNINGS
        names = sum(int(r[2]) for r in found[:BEGINNINGS])
        # the driver: a word looked up whole, holding the fewest names; else the longest
        looked.append((not whole, names if whole else -len(w), w, ids[:BEGINNINGS]))
    looked.sort()
    pat, alias = person_alias_token, person_alias
    if few and where is not None and (looked[0][0] or looked[0][1] > scope_first):
        # the scope's names read first (a materialised WITH: else PostgreSQL reads every
        # name holding the word through the trigram index and hashes them)
        inside: Any = (
            select(*columns, alias.c.name.label("alias_name"))
            .select_from(person.join(alias, alias.c.person_id == person.c.id))
            .where(where)
            .cte("scope_names")
            .prefix_with("MATERIALIZED")
        )
        got = select(*inside.c)
        for w in words:
            got = got.where(
                or_(inside.c.alias_name.startswith(w), inside.c.alias_name.contains(" " + w))
            )
        return list(conn.execute(got.limit(limit)).all()), True
    # the words a pair would hold: of distinct beginnings, first those the pair holds whole
    # (as long as its beginnings), then those beginning thousands of words, then the rarest
    paired: list[str] = []
    for _t, _c, w, _i in sorted(looked, key=lambda x: (len(x[2]) != PAIRED, not x[0], x[1])):
        if len(w) >= PAIRED and all(w[:PAIRED] != v[:PAIRED] for v in paired):
            paired.append(w)
    begins_many = any(t for t, _c, _w, _i in looked)
    first, common = looked[0], looked[0][0] or looked[0][1] > PROBED
    if len(paired) > 1 and (
        (begins_many and common)
        or (len(words) == 2 and len(paired[0]) == PAIRED and (common or first[2] == paired[0]))
    ):
        # a word the beginning of thousands of stored words (checked on the names read, one
        # by one) and the others common, or two words of which one is a beginning the pair
        # holds whole and the rarest, or both common: the names holding the two beginnings,
        # one range of the pairs (:func:`_by_pair`; "nul muh" and "sil muh", the "muh" read
        # as "muhammad"). Not for other words typed whole: a whole name's words checked on a
        # pair's names cost more than their postings met
        return _by_pair(conn, words, paired[:2], columns, where, limit), True
    # the names holding the driver's words, met (INTERSECT of index-only reads of the
    # postings) with those of the other typed words while they hold few names; the rest of
    # the typed words are checked on the names read
    met = [ids for truncated, cost, _w, ids in looked[1:] if not truncated and cost <= MEET]
    checked = [w for truncated, cost, w, _ids in looked[1:] if truncated or cost > MEET]
    stmt = select(*columns, alias.c.name)
    if met:
        held: Any = intersect(
            *(select(pat.c.alias_id).where(pat.c.token_id.in_(ids)) for ids in [looked[0][3], *met])
        ).subquery()
        stmt = stmt.select_from(alias.join(person, person.c.id == alias.c.person_id)).where(
            alias.c.id.in_(select(held.c.alias_id))
        )
    else:
        # the driver's postings read first, as the rows are asked for (a materialised
        # WITH): else PostgreSQL may scan every name in the hope of meeting the limit early
        driver = (
            select(pat.c.alias_id)
            .where(pat.c.token_id.in_(looked[0][3]))
            .cte("driver")
            .prefix_with("MATERIALIZED")
        )
        stmt = stmt.select_from(
            driver.join(alias, alias.c.id == driver.c.alias_id).join(
                person, person.c.id == alias.c.person_id
            )
        )
    for w in checked:
        stmt = stmt.where(or_(alias.c.name.startswith(w), alias.c.name.contains(" " + w)))
    if where is not None:
        stmt = stmt.where(where)
    rows: list[Sequence[Any]] = list(conn.execute(stmt.limit(limit)).all())
    return rows, not any(t for t, _c, _w, _i in looked)


def _by_pair(
    conn: Connection,
    words: list[str],
    two: list[str],
    columns: Sequence[Any],
    where: ColumnElement[bool] | None,
    limit: int,
) -> list[Sequence[Any]]:
    """Rows of ``columns`` and the name for at most ``limit`` names in which every one of
    ``words`` begins a word, kept by ``where``, in no set order: the names holding the
    beginnings (:data:`PAIRED` letters) of the words ``two`` are one range of
    ``person_alias_pair``'s key, read in the order of the names' ids a slice at a time
    (``limit`` ids, then four times as many each time, at most :data:`_CHUNK`), each slice's
    names read by their ids with a longer word, another typed word and ``where`` checked
    on them, until ``limit`` rows are found or the range ends: a page of them however many
    names hold both, and plans that cannot turn into a scan of the names. Two words
    beginning alike (``"muh muha"``) ask for two words of the name beginning so, as the
    pairs hold them; the caller does not ask so (one word of the name may hold both)."""
    pap, alias = person_alias_pair, person_alias
    key = " ".join(sorted(w[:PAIRED] for w in two))
    checked = [w for w in words if not (w in two and len(w) == PAIRED)]
    spaced = literal(" ") + alias.c.name  # a word's beginning in one test, on no index
    rows: list[Sequence[Any]] = []
    after, size = 0, max(1, limit)
    while len(rows) < limit:
        ids = [
            int(i)
            for i in conn.execute(
                select(pap.c.alias_id)
                .where(pap.c.pair == key, pap.c.alias_id > after)
                .order_by(pap.c.alias_id)
                .limit(size)
            ).scalars()
        ]
        if not ids:
            break
        stmt = (
            select(*columns, alias.c.name)
            .select_from(alias.join(person, person.c.id == alias.c.person_id))
            .where(alias.c.id.in_(ids))
        )
        for w in checked:
            stmt = stmt.where(spaced.contains(" " + w))
        if where is not None:
            stmt = stmt.where(where)
        rows += conn.execute(stmt).all()
        if len(ids) < size:
            break
        after, size = ids[-1], min(4 * size, _CHUNK)
    return rows[:limit]


def by_trigrams(
    conn: Connection, query: str, limit: int = CANDIDATES, budget_ms: int = TRIGRAM_BUDGET_MS
) -> list[tuple[int, str]]:
    """``(person_id, alias)`` pairs whose alias shares trigrams with ``query``, the most
    alike first as the trigram index ranks them; at most ``limit``. On PostgreSQL the search
    gets ``budget_ms`` (its trigram index reads every posting of the query's trigrams, and
    common ones hold millions of names): past it, none (inside a savepoint: the caller's
    transaction goes on)."""
    ensure(conn)
    grams = sorted(g for g in trigrams(query) if g.strip() and len(g.strip()) == 3)
    if dialect.of(conn).name == "postgresql":
        # the caller's timeout (a role's or a session's) is put back after the search; a
        # savepoint rolled back takes its SET LOCAL with it, one released does not
        caller = conn.execute(text("SELECT current_setting('statement_timeout')")).scalar_one()
        try:
            with conn.begin_nested():
                conn.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.3"))
                conn.execute(text(f"SET LOCAL statement_timeout = {int(budget_ms)}"))
                rows = conn.execute(
                    text(
                        "SELECT person_id, name FROM person_alias WHERE name % :q "
                        "ORDER BY similarity(name, :q) DESC LIMIT :n"
                    ),
                    {"q": query, "n": limit},
                ).all()
                conn.execute(
                    text("SELECT set_config('statement_timeout', :t, true)"), {"t": caller}
                )
        except OperationalError as e:
            code = getattr(e.orig, "sqlstate", None) or getattr(e.orig, "pgcode", None)
            if code != "57014":  # query_canceled
                raise
            log.info("name search by trigrams past its budget of %d ms", budget_ms)
            return []
        return [(int(r[0]), str(r[1])) for r in rows]
    if not grams:
        return []
    # the rarest trigrams single out the name; a common one ("ana") would match half the
    # table and make the ranking slow. A trigram nobody has is a typo: left out.
    found = conn.execute(
        text("SELECT term, doc FROM person_alias_vocab WHERE term IN :g").bindparams(
            bindparam("g", expanding=True)
        ),
        {"g": grams},
    ).all()
    counts = {str(r[0]): int(r[1]) for r in found}
    # per word of the query, pairs of its rarest trigrams: a name that has both shares
    # most of that word even with a typo elsewhere in it; the pairs keep the match small
    terms: list[str] = []
    for w in _WORD.findall(query.lower()):
        own = sorted(
            (g for g in trigrams(w) if len(g.strip()) == 3 and counts.get(g)),
            key=lambda g: counts[g],
        )[:PER_WORD]
        if len(own) == 1:
            terms.append(_quoted(own[0]))
        terms += [
            f"({_quoted(x)} AND {_quoted(y)})" for i, x in enumerate(own) for y in own[i + 1 :]
        ]
    if not terms:
        return []
    match = " OR ".join(terms)
    rows = conn.execute(
        text(
            "SELECT a.person_id, a.name FROM person_alias_fts f "
            "JOIN person_alias a ON a.id = f.rowid "
            "WHERE person_alias_fts MATCH :m ORDER BY f.rank LIMIT :n"
        ),
        {"m": match, "n": limit},
    ).all()
    return [(int(r[0]), str(r[1])) for r in rows]


def _quoted(gram: str) -> str:
    return '"' + gram.replace('"', "") + '"'
