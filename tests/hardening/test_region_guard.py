"""An operator uploads a list holding the NIK of a person in another region: that person
must not change (name, distrik, address, phone), the row waits for someone in scope, and
every change to a person is audited with before and after."""

from __future__ import annotations

from sqlalchemy import Engine, select

from jaring.access import Actor
from jaring.registry.actions.linking import dedupe
from jaring.store.tables.registry import person, registry_link
from jaring.store.tables.web import audit_event

NIK = "9671015508920003"
HEADER = "NIK;Nama;Tgl Lahir;L/P;Distrik;Alamat;No HP\n"
HOME = f"{NIK};Ruth Mambrasar;15/08/1992;P;Sorong;Jl. Basuki Rahmat 3;081234500003\n"
FORGED = f"{NIK};Ruth Mambrasar;15/08/1992;P;Sorong Timur;Jl. Lain 9;081299999999\n"


def upload(client, text: str, source: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/registry/batches",
        files={"files": ("daftar.csv", (HEADER + text).encode(), "text/csv")},
        data={"source": source},
    )


def the_person(engine: Engine) -> dict:  # type: ignore[type-arg]
    with engine.connect() as c:
        return dict(c.execute(select(person).where(person.c.nik == NIK)).one()._mapping)


def test_a_list_from_another_region_changes_nobody(api, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    r = upload(api("admin"), HOME, "Pasar Remu")
    assert r.status_code == 201, r.text
    before = the_person(web_engine)
    assert before["district_code"] == "96.71.01" and before["name"] == "Ruth Mambrasar"

    r = upload(api("operator"), FORGED, "Pasar Boswesen")  # operator of 96.71.02
    assert r.status_code == 201, r.text
    after = the_person(web_engine)
    for field in ("name", "district_code", "address", "phone", "regency_code"):
        assert after[field] == before[field], field
    with web_engine.connect() as c:
        linked = c.execute(
            select(registry_link.c.row_id).where(registry_link.c.person_id == before["id"])
        ).all()
    assert len(linked) == 1  # the forged row waits, unlinked

    # someone whose regions hold the person links it: the change is audited, before/after
    dedupe(web_engine, Actor.system())
    with web_engine.connect() as c:
        events = c.execute(
            select(audit_event.c.before, audit_event.c.after).where(
                audit_event.c.action == "registry.person_update",
                audit_event.c.entity_id == str(before["id"]),
            )
        ).all()
        linked = c.execute(
            select(registry_link.c.row_id).where(registry_link.c.person_id == before["id"])
        ).all()
    assert len(linked) == 2
    changed = the_person(web_engine)
    if changed != before:
        assert events, "a change to a person without its audit event"
        b, a = events[-1]
        for key in a:
            assert str(b[key]) == str(before[key]) or key in ("birth_date", "registered_on")
