"""The people page's search by name (``registry.queries.search.find``) on SQLite and
PostgreSQL: a misspelt name is found among the alike ones; a part of a name (a family name
alone, the first letters of the words, in any order) finds the people whose names begin so
through the word index; a NIK typed is looked up as before; only the actor's regions are
searched, and masked roles see masked NIKs."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, insert, text

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.registry.actions import search_index
from jaring.registry.queries import search
from jaring.registry.queries.people import LIST_COLUMNS
from jaring.store import search as index
from jaring.store.tables.registry import person

ADMIN = Actor(username="admin", role="administrator")
TIMUR = Actor(username="op_timur", role="operator", regions=("96.71.02",))
VIEWER = Actor(username="pemantau", role="viewer")

PEOPLE = [
    # name, NIK, distrik
    ("Markus Sawaki", "9671020101800001", "96.71.02"),
    ("Yohana Sawaki Mambrasar", "9671024102850002", "96.71.02"),
    ("Petrus Sawaki", "9671010303700003", "96.71.01"),
    ("Siti Aminah Rahmawati Kambuaya", "9671024404900004", "96.71.02"),
    ("Abdul Rahman Yusuf", "9671010505750005", "96.71.01"),
    ("Maria Yoku", "9671024606880006", "96.71.02"),
    ("Markus Yoku", "9671020107800007", "96.71.01"),
]


def _load(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(person),
            [
                {
                    "id": i,
                    "nik": nik,
                    "name": name,
                    "name_norm": name.lower(),
                    "phone": f"+6281234560{i:03d}",
                    "province_code": district[:2],
                    "regency_code": district[:5],
                    "district_code": district,
                    "registered_on": dt.date(2024, 1, 1),
                }
                for i, (name, nik, district) in enumerate(PEOPLE, start=1)
            ],
        )
    search_index.refresh(engine)  # as the page does before a name search


def _names(engine: Engine, actor: Actor, q: str) -> list[str]:
    return [p.name for p in search.find(engine, actor, q).search.people]


def test_misspelt_and_partial_names(engine: Engine) -> None:
    _load(engine)
    assert _names(engine, ADMIN, "markuz sawaky")[0] == "Markus Sawaki"  # one letter each
    # a family name alone: everyone holding it, whatever their other names
    assert set(_names(engine, ADMIN, "Sawaki")) == {
        "Markus Sawaki",
        "Yohana Sawaki Mambrasar",
        "Petrus Sawaki",
    }
    # the first letters of a word, of two words in another order, of a long name's parts
    assert set(_names(engine, ADMIN, "sawa")) >= {"Markus Sawaki", "Petrus Sawaki"}
    assert _names(engine, ADMIN, "saw mar") == ["Markus Sawaki"]
    assert _names(engine, ADMIN, "kambu") == ["Siti Aminah Rahmawati Kambuaya"]
    assert _names(engine, ADMIN, "rahmaw siti") == ["Siti Aminah Rahmawati Kambuaya"]
    # a word begins a word: not found inside one
    assert _names(engine, ADMIN, "awaki") == []
    assert _names(engine, ADMIN, "zzqx") == []
    # the name as typed before names alike ("maria yoku" is as alike as "markus yoku")
    assert _names(engine, ADMIN, "markus yoku")[0] == "Markus Yoku"
    finding = search.find(engine, ADMIN, "kambu")
    assert finding.search.kind == "name" and finding.search.more is False
    assert finding.matched == {4: "siti aminah rahmawati kambuaya"}


def test_a_nik_typed_is_looked_up(engine: Engine) -> None:
    _load(engine)
    assert _names(engine, ADMIN, "9671010505750005") == ["Abdul Rahman Yusuf"]
    assert search.find(engine, ADMIN, "9671010505750005").search.kind == "nik"
    assert set(_names(engine, ADMIN, "96710105")) == {"Abdul Rahman Yusuf"}


def test_only_the_actors_regions(engine: Engine) -> None:
    _load(engine)
    assert set(_names(engine, TIMUR, "sawaki")) == {"Markus Sawaki", "Yohana Sawaki Mambrasar"}
    # Petrus Sawaki lives in another distrik: the alike name is of the operator's distrik
    assert _names(engine, TIMUR, "petrus sawaki") == ["Markus Sawaki"]
    assert _names(engine, TIMUR, "petrus saw") == []
    assert _names(engine, ADMIN, "petrus saw") == ["Petrus Sawaki"]
    assert _names(engine, TIMUR, "abdul") == []
    assert _names(engine, TIMUR, "9671010505750005") == []


def test_masked_roles_see_masked_niks(engine: Engine) -> None:
    _load(engine)
    for q in ("maria yokku", "yok", "9671024606880006"):
        found = search.find(engine, VIEWER, q).search.people
        assert found[0].nik == "9671********0006", q
        assert all("*" in (p.nik or "") and "*" in (p.phone or "") for p in found), q
    with pytest.raises(JaringError) as e:  # a NIK prefix would enumerate numbers
        search.find(engine, VIEWER, "96710246")
    assert e.value.code == "nik_prefix_forbidden"


def test_many_people_with_one_name_are_cut_and_say_so(engine: Engine) -> None:
    _load(engine)
    with engine.begin() as conn:
        conn.execute(
            insert(person),
            [
                {
                    "id": 100 + i,
                    "nik": f"96710201018{i:05d}",
                    "name": f"Yakob Wonda {chr(97 + i % 26)}{chr(97 + i // 26)}",
                    "name_norm": f"yakob wonda {chr(97 + i % 26)}{chr(97 + i // 26)}",
                    "province_code": "96",
                    "regency_code": "96.71",
                    "district_code": "96.71.02",
                    "registered_on": dt.date(2024, 1, 1),
                }
                for i in range(60)
            ],
        )
    search_index.refresh(engine)
    finding = search.find(engine, ADMIN, "wond", limit=50)
    names = [p.name for p in finding.search.people]
    assert len(names) == 50 and finding.search.more is True
    assert set(names) <= {
        f"Yakob Wonda {a}{b}" for a in "abcdefghijklmnopqrstuvwxyz" for b in "abc"
    }


def _namesakes(engine: Engine, n: int) -> None:
    """``n`` people named "Yakob Wonda" alike, born 1980, 1981, ... in turn (ten years)."""
    with engine.begin() as conn:
        conn.execute(
            insert(person),
            [
                {
                    "id": 200 + i,
                    "nik": f"96710201018{i:05d}",
                    "name": "Yakob Wonda",
                    "name_norm": "yakob wonda",
                    "birth_date": dt.date(1980 + i % 10, 1 + i % 12, 1 + i % 28),
                    "province_code": "96",
                    "regency_code": "96.71",
                    "district_code": "96.71.02",
                    "registered_on": dt.date(2024, 1, 1),
                }
                for i in range(n)
            ],
        )
    search_index.refresh(engine)


def test_a_name_many_bear_says_how_many_and_the_year_finds_one(engine: Engine) -> None:
    """No ranking puts one of 74 people bearing one name among the first 50: the search says
    how many bear it, and the year of birth typed with the name finds them."""
    _load(engine)
    _namesakes(engine, 74)
    for q in ("yakob wonda", "Yakob Wondx", "wonda yakob"):
        got = search.find(engine, ADMIN, q, limit=50).search
        assert len(got.people) == 50 and got.more is True, q
        assert got.namesakes == 74, q
    # the person born 1987 (ids 207, 217, ... 267: i % 10 == 7)
    got = search.find(engine, ADMIN, "yakob wondx 1987", limit=50).search
    assert got.born == 1987 and got.namesakes == 0
    assert sorted(p.id for p in got.people) == [207, 217, 227, 237, 247, 257, 267]
    assert all(p.birth_date is not None and p.birth_date.year == 1987 for p in got.people)
    # the beginnings too: "wond 1987"
    assert {p.id for p in search.find(engine, ADMIN, "wond 1987").search.people} == {
        p.id for p in got.people
    }
    # an operator counts the namesakes of their regions only; few enough: no count
    assert search.find(engine, TIMUR, "yakob wonda", limit=50).search.namesakes == 74
    assert search.find(engine, ADMIN, "yakob wonda", limit=100).search.namesakes == 0
    # one name among others on the page: no count
    assert search.find(engine, ADMIN, "sawaki").search.namesakes == 0


def test_two_letters_that_normalise_to_nothing_begin_words(engine: Engine) -> None:
    """ "ma" is a title to the normaliser; typed alone it is the beginning of names' words,
    found through the word index, as any other beginning."""
    _load(engine)
    got = search.find(engine, ADMIN, "ma").search
    assert got.kind == "name"
    assert {p.name for p in got.people} == {
        "Markus Sawaki",
        "Yohana Sawaki Mambrasar",
        "Maria Yoku",
        "Markus Yoku",
    }
    assert {p.name for p in search.find(engine, TIMUR, "ma").search.people} == {
        "Markus Sawaki",
        "Yohana Sawaki Mambrasar",
        "Maria Yoku",
    }
    with pytest.raises(JaringError) as e:
        search.find(engine, ADMIN, "x")
    assert e.value.code == "query_too_short"


def test_a_distriks_names_read_first_find_what_the_words_find(engine: Engine) -> None:
    """For a distrik's operator the names of the distrik may be read instead of every name
    holding a word (``few``): the same names are found either way, and none outside."""
    _load(engine)
    _namesakes(engine, 12)
    timur = person.c.district_code == "96.71.02"
    for q in ("sawaki", "saw mar", "wonda", "yak won", "ma", "sawaki 96"):
        with engine.connect() as conn:
            by_words, whole = index.starting(conn, q, LIST_COLUMNS, where=timur)
            by_scope, whole_too = index.starting(
                conn, q, LIST_COLUMNS, where=timur, few=True, scope_first=0
            )
        assert sorted(r[0] for r in by_scope) == sorted(r[0] for r in by_words), q
        assert whole and whole_too
        assert all(r[5] == "96.71.02" for r in by_scope), q
        assert by_scope or q == "sawaki 96", q  # no word begins "96"


def test_a_rebuild_leaves_the_name_tables_visible_to_index_only_reads(engine: Engine) -> None:
    """After the names are indexed whole, PostgreSQL's name tables carry a visibility map
    (vacuumed), so that reading the postings does not visit the heap; SQLite has none."""
    _load(engine)  # the first refresh rebuilds everything
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as conn:
        visible = dict(
            conn.execute(
                text(
                    "SELECT relname, relallvisible FROM pg_class WHERE relname IN "
                    "('person_alias', 'person_alias_token', 'name_token', 'name_token_variant')"
                )
            ).all()
        )
    assert len(visible) == 4 and all(n > 0 for n in visible.values()), visible


def test_beginnings_met_by_their_pair_find_every_name_beginning_so(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first letters of two words (typed words of three letters) are met by their pair of
    beginnings (``person_alias_pair``), and so are longer beginnings when each begins more
    stored words than are read (here: more than one, ``BEGINNINGS`` 1): every name in which
    each typed word begins a word (not inside one), kept by the condition, as through the
    word index."""
    _load(engine)
    _namesakes(engine, 12)
    with engine.begin() as conn:
        conn.execute(
            insert(person).values(
                id=300,
                nik="9671024404900300",
                name="Marta Rahmi Sawaki",
                name_norm="marta rahmi sawaki",
                province_code="96",
                regency_code="96.71",
                district_code="96.71.02",
                registered_on=dt.date(2024, 1, 1),
            )
        )
    search_index.refresh(engine)
    with engine.connect() as conn:
        people = conn.execute(text("SELECT id, name_norm, district_code FROM person")).all()
    names = {int(r[0]): str(r[1]).split() for r in people}
    east = {int(r[0]) for r in people if r[2] == "96.71.02"}
    timur = person.c.district_code == "96.71.02"
    queries = (
        "saw mar",
        "yak won",
        "sit rah kam",
        "saw sawa mar",
        "aw mar",
        "mar s",
        "s m",
        "ma yo",
        "sawa mark",
        "wonda yakob",
        "kamb siti rah",
        "rahm mar",
        "saw markus",
        "wonda yak",
        "rahm mart saw",
    )
    for beginnings in (2_000, 1):
        monkeypatch.setattr(index, "BEGINNINGS", beginnings)
        for where, inside in ((None, set(names)), (timur, east)):
            for q in queries:
                if beginnings == 1 and min(len(w) for w in q.split()) < 3:
                    continue  # beginnings read in part, not paired: some names left out
                want = {
                    i
                    for i in inside
                    if all(any(n.startswith(w) for n in names[i]) for w in q.split())
                }
                with engine.connect() as conn:
                    rows, whole = index.starting(conn, q, LIST_COLUMNS, where=where, limit=500)
                assert {int(r[0]) for r in rows} == want, (q, beginnings, where)
                assert whole or beginnings == 1, q


def test_first_letters_mistyped_are_not_searched_by_trigrams(engine: Engine) -> None:
    """Typed words of three letters that begin no stored word ("xuk saw": first letters
    mistyped) find what the word index finds and nothing more: a trigram search of so short
    a query reads its commonest trigrams' postings and finds no name alike enough."""
    _load(engine)
    with engine.connect() as conn:
        assert index.candidates(conn, "xuk qaw") == []
        # the stored word still finds its names through the word index
        assert "markus sawaki" in [n for _p, n in index.candidates(conn, "xuk sawaki")]
        # a longer mistyped word is still searched by trigrams
        assert "markus sawaki" in [n for _p, n in index.candidates(conn, "markuz sawaky")]


def test_a_trigram_search_past_its_budget_finds_none_and_the_transaction_goes_on(
    engine: Engine,
) -> None:
    """PostgreSQL: the trigram index read for a query of common trigrams stops at its budget
    (here 1 ms against 200,000 alike names) and finds none; the caller's transaction goes on
    (the search ran in a savepoint) and the budget does not outlive it."""
    if engine.dialect.name != "postgresql":
        return
    _load(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person_alias (id, person_id, name) SELECT 1000 + g, 1, "
                "'markus sawaki ' || g FROM generate_series(1, 200000) g"
            )
        )
    with engine.begin() as conn:
        assert index.by_trigrams(conn, "markus sawaki", budget_ms=1) == []
        assert conn.execute(text("SELECT count(*) FROM person")).scalar_one() == len(PEOPLE)
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "0"
        found = index.by_trigrams(conn, "markus sawaki", limit=3, budget_ms=60_000)
        assert len(found) == 3
        # a timeout of the caller's own is the one in force after a search, found or not
        conn.execute(text("SET LOCAL statement_timeout = '45s'"))
        assert len(index.by_trigrams(conn, "markus sawaki", limit=3, budget_ms=60_000)) == 3
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "45s"
        assert index.by_trigrams(conn, "markus sawaki", budget_ms=1) == []
        assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "45s"
