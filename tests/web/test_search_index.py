"""The names the tolerant search reads are kept up to date person by person: a new worker,
a renamed one and two rows joined by a review decision are found (or no longer found by
the old name) after the next search, without rewriting the names of everyone else; on
SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from jaring.access import Actor
from jaring.registry.actions import changes, decisions, imports, search_index, workers
from jaring.registry.queries import search
from jaring.store.tables.registry import (
    person_alias,
    person_alias_pair,
    registry_pair,
    search_dirty,
)

ADMIN = Actor(username="admin", role="administrator")
SUPERVISOR = Actor(username="spv", role="supervisor", regions=("96.71.02",))


def _aliases(engine: Engine) -> dict[int, set[tuple[int, str]]]:
    """alias id -> (person, name), to see which rows a refresh rewrote."""
    with engine.connect() as c:
        rows = c.execute(select(person_alias.c.id, person_alias.c.person_id, person_alias.c.name))
        return {int(r[0]): {(int(r[1]), str(r[2]))} for r in rows}


def _found(engine: Engine, q: str) -> list[str]:
    search_index.refresh(engine)  # as the people page does before a name search
    return [f.person.name for f in search.by_name(engine, ADMIN, q)]


def _pairs_in_line(engine: Engine) -> bool:
    """Whether ``person_alias_pair`` holds exactly the pairs of beginnings of today's names
    (every two words' first three letters, in order), as a rebuild would."""
    with engine.connect() as c:
        kept = {(str(r[0]), int(r[1])) for r in c.execute(select(person_alias_pair))}
        names = c.execute(select(person_alias.c.id, person_alias.c.name)).all()
    want = set()
    for alias_id, name in names:
        begun = sorted(w[:3] for w in set(name.split()) if len(w) >= 3)
        want |= {(f"{a} {b}", int(alias_id)) for i, a in enumerate(begun) for b in begun[i + 1 :]}
    return bool(kept) and kept == want


def test_a_refresh_reads_only_the_people_that_changed(web_engine: Engine) -> None:
    assert search_index.refresh(web_engine) is True  # no mark yet: everything
    assert search_index.refresh(web_engine) is False  # nothing changed: three look-ups
    before = _aliases(web_engine)
    assert "Markus Sawaki" in _found(web_engine, "markuz sawaky")
    # a new worker through the form: a new person and a new row
    out = workers.register_worker(
        web_engine,
        ADMIN,
        {
            "name": "Ruth Wamafma",
            "nik": "9671024404950007",
            "birth_date": "1995-04-04",
            "sex": "P",
            "district": "Sorong Timur",
        },
    )
    assert out.person_id is not None
    assert search_index.refresh(web_engine) is True
    after = _aliases(web_engine)
    assert all(after.get(i) == v for i, v in before.items())  # nobody else's names rewritten
    assert "Ruth Wamafma" in _found(web_engine, "wamafma rut")
    # a rename approved by a supervisor: found by the new name, not by the old one
    asked = changes.request_change(web_engine, ADMIN, 2, {"name": "Markus Sawaki Kambu"}, "akta")
    changes.decide_change(web_engine, SUPERVISOR, asked.id, True)
    with web_engine.connect() as c:
        assert c.execute(select(func.count()).select_from(search_dirty)).scalar() == 1
    assert search_index.refresh(web_engine) is True
    with web_engine.connect() as c:
        assert c.execute(select(func.count()).select_from(search_dirty)).scalar() == 0
    assert "Markus Sawaki Kambu" in _found(web_engine, "kambu markus")
    assert _pairs_in_line(web_engine)  # the old name's pairs gone, the new one's there
    still = _aliases(web_engine)
    assert all(still.get(i) == v for i, v in after.items() if next(iter(v))[0] != 2)


def test_two_rows_joined_by_review_keep_both_names(web_engine: Engine) -> None:
    search_index.refresh(web_engine)
    for source, name in (("Pasar Remu", "Kambuaya"), ("Pasar Boswesen", "Rumbewas")):
        body = (
            "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n"
            f"Yohana {name},9671025505930008,15 Mei 1993,P,Sorong Timur\n"
        )
        imports.import_uploads(web_engine, Actor.system(), [(f"{name}.csv", body.encode())], source)
    assert "Yohana Rumbewas" in _found(web_engine, "yohana rumbewaz")  # two people so far
    with web_engine.connect() as c:
        pair = c.execute(select(func.max(registry_pair.c.id))).scalar_one()
    decisions.review_decide(web_engine, Actor.system(), pair, True, reason="menikah")
    search_index.refresh(web_engine)
    found = search.by_name(web_engine, ADMIN, "rumbewaz yohana")
    assert (
        found
        and found[0].person.name == "Yohana Kambuaya"
        and found[0].matched == ("yohana rumbewas")
    )
    with web_engine.connect() as c:
        owners = c.execute(
            select(person_alias.c.person_id).where(person_alias.c.name == "yohana rumbewas")
        ).all()
    assert len(owners) == 1  # the person merged away keeps no names
