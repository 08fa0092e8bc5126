"""The word index of the tolerant name search (``store.search``) on SQLite and PostgreSQL:
a name is found with a typo in each word or its words in another order, the rarest words
decide, a change of some names is indexed alone, and a name written without its spaces
is still found through the trigram index."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, insert, select

from jaring.store import search
from jaring.store.tables.registry import name_token, person_alias, person_alias_token

NAMES = [
    "markus sawaki",
    "yohana mambrasar",
    "siti aminah",
    "siti rahma",
    "abdul rahman yusuf",
    "maria yoku",
    "petrus kambu",
    "markus yoku",
]


def _load(engine: Engine, names: list[str]) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(person_alias),
            [{"id": i, "person_id": i, "name": n} for i, n in enumerate(names, start=1)],
        )
        search.reindex(conn)


def _people(engine: Engine, q: str) -> list[int]:
    with engine.connect() as conn:
        return [pid for pid, _name in search.candidates(conn, q, 10)]


def test_typos_and_order(engine: Engine) -> None:
    _load(engine, NAMES)
    assert _people(engine, "markuz sawaky")[0] == 1  # a letter changed in each word
    assert _people(engine, "sawaki markus")[0] == 1  # words in another order
    assert _people(engine, "yohna mambrsar")[0] == 2  # a letter dropped in each word
    assert _people(engine, "ysuuf abdul rahman")[0] == 5  # two letters swapped
    assert _people(engine, "markus yokku")[0] == 8  # a letter added
    with engine.connect() as conn:
        # the word index alone: every word of "abdul rahman yusuf" is near a stored word
        assert search.by_words(conn, "abdul rahman yusuf", 10)[0] == (5, "abdul rahman yusuf")
        # without its spaces no word is near: the trigram index answers
        assert search.by_words(conn, "abdulrahman", 10) == []
    assert 5 in _people(engine, "abdulrahman yusuf")


def test_an_update_indexes_only_the_names_given(engine: Engine) -> None:
    _load(engine, NAMES)
    with engine.begin() as conn:
        conn.execute(delete(person_alias).where(person_alias.c.id == 1))
        conn.execute(insert(person_alias).values(id=20, person_id=1, name="markus kambu"))
        search.update(conn, removed=[1], added_from=20)
    with engine.connect() as conn:
        counts = dict(conn.execute(select(name_token.c.token, name_token.c.names)).all())
        postings = conn.execute(select(func.count()).select_from(person_alias_token)).scalar()
    assert counts["markus"] == 2 and counts["kambu"] == 2 and counts["sawaki"] == 0
    assert postings == sum(len(n.split()) for n in NAMES) - 2 + 2
    assert _people(engine, "kambu markuz")[0] == 1
    assert 1 not in _people(engine, "sawaki")


def test_common_words_single_out_a_name_among_many_holding_the_rarest(
    engine: Engine, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """When more names hold the rarest typed word than candidates are asked for, and the
    other words are too common to be summed, the names holding a word near every typed
    word are candidates too (at 10M: "Muhammad Rizki Hutapxa" among 30,000 Hutapeas)."""
    monkeypatch.setattr(search, "WORD_BUDGET", 5)
    monkeypatch.setattr(search, "TYPED_BUDGET", 5)
    seconds = ["putri", "sari", "dewi", "ayu", "lestari", "indah", "nur", "wati"]
    names = [f"muhammad {seconds[i % 8]} hutapea" for i in range(40)]
    names += ["muhammad rizki sinaga"] * 60 + ["muhammad rizki hutapea"]
    _load(engine, names)
    target = len(names)
    assert target in _people(engine, "muhammad rizki hutapxa")
    assert target in _people(engine, "muhammad rizky hutapea")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefg", min_size=1, max_size=9), st.data())
def test_one_typo_apart_share_a_variant(word: str, data: st.DataObject) -> None:
    """Two words one letter changed, added, dropped or two letters swapped apart have a
    deletion in common (words of 3 letters or more)."""
    i = data.draw(st.integers(0, len(word)))
    c = data.draw(st.sampled_from("abcdefgh"))
    kind = data.draw(st.sampled_from(["sub", "add", "drop", "swap"]))
    if kind == "sub" and i < len(word):
        typo = word[:i] + c + word[i + 1 :]
    elif kind == "add":
        typo = word[:i] + c + word[i:]
    elif kind == "drop" and i < len(word):
        typo = word[:i] + word[i + 1 :]
    elif kind == "swap" and i + 1 < len(word):
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        typo = word
    if min(len(word), len(typo)) >= 3:
        assert search.deletions(word) & search.deletions(typo)
