"""Tolerant name search, the one place that knows how each dialect does it.

Names (a person's and every name they were listed under) live in ``person_alias``
(normalised: lower case, titles gone). Candidates for a query come from a trigram index:

- **SQLite**: an FTS5 table with the ``trigram`` tokenizer (``person_alias_fts``, rowid =
  the alias id), asked for any of the query's trigrams and ranked by bm25;
- **PostgreSQL**: ``pg_trgm``'s GIN index on ``person_alias.name`` and its ``%`` operator.

Both indexes are made here on first use (``ensure``), not by a migration: the FTS5 table's
shadow tables and the operator class are not SQLAlchemy metadata. The candidates are then
scored the same way on both (:func:`similarity`, pg_trgm's measure), so both databases
answer alike.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, bindparam, text

from jaring.store import dialect

_WORD = re.compile(r"[a-z0-9]+")
CANDIDATES = 200  # candidates asked of the index before scoring
PER_WORD = 4  # SQLite: the rarest trigrams of each word of the query, asked in pairs


def trigrams(value: str) -> set[str]:
    """pg_trgm's trigrams of ``value``: each word padded with two spaces before and one
    after, lower case (``"ana"`` -> ``"  a", " an", "ana", "na "``)."""
    out: set[str] = set()
    for w in _WORD.findall(value.lower()):
        padded = f"  {w} "
        out.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return out


def similarity(a: str | set[str], b: str) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all trigrams of both (0..1). Word
    order does not matter, one wrong letter costs a few trigrams. ``a`` may be given as its
    trigrams already (a query scored against many names)."""
    ta = a if isinstance(a, set) else trigrams(a)
    tb = trigrams(b)
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
    """After ``person_alias`` was rewritten: bring the SQLite FTS table in line (PostgreSQL's
    index follows its table by itself)."""
    ensure(conn)
    if dialect.of(conn).name == "sqlite":
        conn.execute(text("DELETE FROM person_alias_fts"))
        conn.execute(
            text("INSERT INTO person_alias_fts(rowid, name) SELECT id, name FROM person_alias")
        )


def update(conn: Connection, *, removed: list[int], added_from: int | None) -> None:
    """After some names of ``person_alias`` were replaced (ids ``removed`` deleted, new ones
    from ``added_from`` up inserted): bring the SQLite FTS table in line with them alone
    (PostgreSQL's index follows its table by itself)."""
    ensure(conn)
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


def candidates(conn: Connection, query: str, limit: int = CANDIDATES) -> list[tuple[int, str]]:
    """``(person_id, alias)`` pairs whose alias shares trigrams with ``query`` (normalised),
    the most alike first as the index ranks them; at most ``limit``."""
    ensure(conn)
    grams = sorted(g for g in trigrams(query) if g.strip() and len(g.strip()) == 3)
    if dialect.of(conn).name == "postgresql":
        conn.execute(text("SET LOCAL pg_trgm.similarity_threshold = 0.3"))
        rows = conn.execute(
            text(
                "SELECT person_id, name FROM person_alias WHERE name % :q "
                "ORDER BY similarity(name, :q) DESC LIMIT :n"
            ),
            {"q": query, "n": limit},
        ).all()
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
