"""Field sync on the store, on SQLite and PostgreSQL: every record answered at once, stored
once whatever is sent again, and entered into the registry as a list's row would be."""

from __future__ import annotations

import dataclasses
import json

import polars as pl
import pytest
from sqlalchemy import Engine, func, select, text
from tests.field.helpers import (
    JAYAPURA_REGISTRAR,
    OTHER_REGISTRAR,
    REGISTRAR,
    SUPERVISOR,
    TODAY,
    nik,
    record,
)

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.field import actions, queries, rules
from jaring.registry.actions import linking
from jaring.registry.queries import rows as source_rows
from jaring.store.bulk import insert_frame
from jaring.store.tables.field import field_record


def sync(engine: Engine, records: list[rules.Record], actor: Actor = REGISTRAR) -> actions.Synced:
    return actions.sync(engine, actor, records, today=TODAY)


def count(engine: Engine, table: str) -> int:
    with engine.connect() as c:
        return int(c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def registry_rows(engine: Engine) -> pl.DataFrame:
    with engine.connect() as c:
        return source_rows.read(c, columns=("nik", "status", "district_code", "village_code"))


def seed_person(engine: Engine, nik_: str, district: str) -> None:
    frame = pl.DataFrame(
        {
            "id": [900],
            "nik": [nik_],
            "name": ["Orang Terdaftar"],
            "name_norm": ["orang terdaftar"],
            "province_code": [district[:2]],
            "regency_code": [district[:5]],
            "district_code": [district],
            "registered_on": [TODAY],
        }
    )
    with engine.begin() as c:
        insert_frame(c, "person", frame)


def test_accepted_records_enter_the_registry_as_a_batch_of_the_day(engine: Engine) -> None:
    out = sync(engine, [record(1), record(2)])
    assert [a.status for a in out.answers] == ["accepted", "accepted"]
    assert out.accepted == 2 and out.repeated == 0
    with engine.connect() as c:
        batches = c.execute(text("SELECT source, listed_on, rows, accepted FROM registry_batch"))
        (source, listed_on, rows, accepted) = batches.one()
    assert source == "Lapangan reg1 2026-12-05"
    assert str(listed_on) == "2026-12-05" and rows == 2 and accepted == 2
    stored = registry_rows(engine)
    assert stored.get_column("nik").to_list() == [nik(1), nik(2)]
    assert stored.get_column("district_code").to_list() == ["96.71.01", "96.71.01"]
    assert stored.get_column("village_code").to_list() == ["96.71.01.1001"] * 2
    # a second sync of the same day grows the same batch
    sync(engine, [record(3)])
    assert count(engine, "registry_batch") == 1
    with engine.connect() as c:
        assert c.execute(text("SELECT rows FROM registry_batch")).scalar_one() == 3
    # another day: another batch
    sync(engine, [record(4, registered_at="2026-12-04T16:00:00+09:00")])
    assert count(engine, "registry_batch") == 2


def test_the_same_records_sent_again_change_nothing(engine: Engine) -> None:
    records = [record(1), record(2, nik="967101320385")]
    first = sync(engine, records)
    before = (count(engine, "field_record"), len(registry_rows(engine)))
    again = sync(engine, records)
    assert [a.status for a in again.answers] == [a.status for a in first.answers]
    # the accepted record is answered as before; the one that needs a fix is checked again
    assert [a.repeated for a in again.answers] == [True, False]
    assert (again.accepted, again.needs_fix, again.repeated) == (0, 1, 1)
    assert (count(engine, "field_record"), len(registry_rows(engine))) == before
    # one record twice in one sync: stored once, the second copy answered as the first
    twice = record(5)
    out = sync(engine, [twice, twice])
    assert [a.status for a in out.answers] == ["accepted", "accepted"]
    assert [a.repeated for a in out.answers] == [False, True]
    assert count(engine, "field_record") == 3


def test_a_record_that_needs_a_fix_enters_nothing_until_fixed(engine: Engine) -> None:
    bad = record(1, nik="9671013203850001")  # day 32
    out = sync(engine, [bad])
    (answer,) = out.answers
    assert answer.status == "needs_fix"
    assert [i.code for i in answer.issues] == ["nik_date_invalid"]
    assert answer.issues[0].severity == "error" and answer.issues[0].message
    assert len(registry_rows(engine)) == 0
    fixed = dataclasses.replace(bad, nik=nik(1))
    (again,) = sync(engine, [fixed]).answers
    assert again.status == "accepted" and not again.repeated
    assert count(engine, "field_record") == 1
    assert registry_rows(engine).get_column("nik").to_list() == [nik(1)]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"consent": False}, "consent_missing"),
        ({"consent_name": " "}, "consent_missing"),
        ({"nik": ""}, "nik_required"),
        ({"name": ""}, "name_missing"),
        ({"district_code": ""}, "district_required"),
        ({"district_code": "91.71.01", "village_code": ""}, "district_not_in_region"),
        ({"village_code": "96.71.02.1001"}, "village_not_in_district"),
        ({"village_code": "96.71.01.9999"}, "village_not_in_district"),  # lists changed
    ],
)
def test_field_checks(engine: Engine, changes: dict[str, object], code: str) -> None:
    (answer,) = sync(engine, [record(1, **changes)]).answers
    assert answer.status == "needs_fix"
    assert code in [i.code for i in answer.issues]


def test_warnings_are_accepted_and_said(engine: Engine) -> None:
    (answer,) = sync(engine, [record(1, birth_date="1985-03-13", phone="12")]).answers
    assert answer.status == "accepted"
    assert {i.code for i in answer.issues} == {"nik_birth_date_mismatch", "phone_invalid"}


def test_duplicates_are_answered_without_another_region_s_data(engine: Engine) -> None:
    seed_person(engine, nik(7), "96.71.02")  # registered in Kota Sorong
    seed_person_elsewhere = nik(8)
    frame_nik = seed_person_elsewhere
    with engine.begin() as c:
        insert_frame(
            c,
            "person",
            pl.DataFrame(
                {
                    "id": [901],
                    "nik": [frame_nik],
                    "name": ["Orang Jayapura"],
                    "province_code": ["91"],
                    "regency_code": ["91.71"],
                    "district_code": ["91.71.01"],
                    "registered_on": [TODAY],
                }
            ),
        )
    first = record(1)
    out = sync(engine, [first, record(2, nik=nik(1)), record(3, nik=nik(7)), record(4, nik=nik(8))])
    assert [a.status for a in out.answers] == [
        "accepted",
        "duplicate_here",
        "duplicate_here",
        "duplicate_elsewhere",
    ]
    assert out.answers[1].same_as == first.client_id  # the registrar's own record
    assert out.answers[2].same_as is None  # someone else's: no name, no id
    elsewhere = out.answers[3]
    assert elsewhere.same_as is None and "Jayapura" not in json.dumps(dataclasses.asdict(elsewhere))
    # later syncs see the records of earlier ones, this registrar's and others'
    (later,) = sync(engine, [record(5, nik=nik(1))], OTHER_REGISTRAR).answers
    assert later.status == "duplicate_here" and later.same_as is None
    (far,) = sync(
        engine,
        [record(6, nik=nik(1), district_code="91.71.01", village_code="")],
        JAYAPURA_REGISTRAR,
    ).answers
    assert far.status == "duplicate_elsewhere"
    # duplicates are source rows too: the deduplication links them to one person
    assert len(registry_rows(engine)) == 6
    linked = linking.dedupe(engine, Actor.system())
    assert linked is not None
    with engine.connect() as c:
        people = c.execute(
            text("SELECT count(*) FROM person WHERE nik = :n"), {"n": nik(1)}
        ).scalar_one()
    assert people == 1


def test_a_client_id_of_another_registrar_is_refused(engine: Engine) -> None:
    mine = record(1)
    sync(engine, [mine])
    (answer,) = sync(engine, [dataclasses.replace(mine, name="Lain")], OTHER_REGISTRAR).answers
    assert answer.status == "needs_fix" and answer.issues[0].code == "record_id_taken"
    with engine.connect() as c:
        row = c.execute(select(field_record.c.registrar, field_record.c.payload)).one()
    assert row.registrar == "reg1" and json.loads(row.payload)["name"] == mine.name


def test_provenance_is_kept(engine: Engine) -> None:
    sync(engine, [record(1, registered_at="2026-12-05T07:30:00+09:00")])
    with engine.connect() as c:
        row = c.execute(select(field_record)).one()
    assert row.registrar == "reg1" and row.device == "test-phone" and row.origin == "pwa"
    assert str(row.day) == "2026-12-05"  # the phone's day, not UTC's
    assert str(row.registered_at).startswith("2026-12-04 22:30")
    assert row.market == "Pasar Remu" and row.consent_name == "Mama Pedagang 1"
    assert row.district_code == "96.71.01" and row.regency_code == "96.71"
    with engine.connect() as c:
        event = c.execute(
            text("SELECT actor, action, after FROM audit_event WHERE action = 'field.sync'")
        ).one()
    assert event.actor == "reg1" and nik(1) not in str(event.after)


def test_rights_and_scope(engine: Engine) -> None:
    with pytest.raises(JaringError) as e:
        sync(engine, [record(1)], Actor(username="v", role="viewer"))
    assert e.value.code == "forbidden"
    with pytest.raises(JaringError) as e:
        sync(engine, [])
    assert e.value.code == "field_no_records"
    sync(engine, [record(1), record(2, nik="1")])
    sync(engine, [record(3)], OTHER_REGISTRAR)
    mine = queries.my_records(engine, REGISTRAR)
    assert {r.name for r in mine} == {"Mama Pedagang 1", "Mama Pedagang 2"}
    with pytest.raises(JaringError):
        queries.progress(engine, REGISTRAR)
    with pytest.raises(JaringError):
        queries.my_records(engine, SUPERVISOR)
    p = queries.progress(engine, SUPERVISOR, since=TODAY, until=TODAY)
    assert (p.records, p.accepted, p.needs_fix, p.registrars) == (3, 2, 1, 2)
    assert {r.district for r in p.rows} == {"Sorong"}
    far = Actor(username="sup9", role="supervisor", regions=("91.71",))
    assert queries.progress(engine, far, since=TODAY, until=TODAY).records == 0


def test_too_many_records_are_refused(engine: Engine) -> None:
    with pytest.raises(JaringError) as e:
        sync(engine, [record(1)] * (rules.MAX_RECORDS + 1))
    assert e.value.code == "field_too_many_records"


def test_field_record_counts(engine: Engine) -> None:
    sync(engine, [record(1)])
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(field_record)).scalar_one() == 1


def jpeg(size: int = 64) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (size, size), (200, 180, 150)).save(buf, "JPEG")
    return buf.getvalue()


def test_ktp_photo_is_kept_encrypted_once(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    from jaring.attachments import queries as attachment_queries

    key = base64.urlsafe_b64encode(bytes(range(32))).decode()
    monkeypatch.setenv("JARING_ATTACHMENT_KEY", key)
    good, bad = record(1), record(2, nik="1")
    sync(engine, [good, bad])
    photo = jpeg()
    kept = actions.store_photo(engine, REGISTRAR, good.client_id, photo)
    assert not kept.repeated and kept.size == len(photo)
    again = actions.store_photo(engine, REGISTRAR, good.client_id, photo)
    assert again.repeated and again.attachment == kept.attachment
    with engine.connect() as c:
        blob = c.execute(text("SELECT data FROM attachment_blob")).scalar_one()
        assert bytes(blob) != photo  # encrypted at rest
        assert c.execute(text("SELECT count(*) FROM attachment")).scalar_one() == 1
    for actor, client_id in ((OTHER_REGISTRAR, good.client_id), (REGISTRAR, bad.client_id)):
        with pytest.raises(JaringError) as e:
            actions.store_photo(engine, actor, client_id, photo)
        assert e.value.code == "field_record_not_found"
    with pytest.raises(JaringError) as e:
        actions.store_photo(engine, REGISTRAR, good.client_id, b"x" * (actions.PHOTO_MAX + 1))
    assert e.value.code == "field_photo_too_large"
    _, data = attachment_queries.read(engine, SUPERVISOR, kept.attachment)
    assert data == photo
    with pytest.raises(JaringError):  # the registrar sent it; reading it back needs more
        attachment_queries.read(engine, REGISTRAR, kept.attachment)
    (mine,) = [r for r in queries.my_records(engine, REGISTRAR) if r.client_id == good.client_id]
    assert mine.photo


def test_photos_past_the_retention_are_erased(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64
    import datetime as dt

    monkeypatch.setenv("JARING_ATTACHMENT_KEY", base64.urlsafe_b64encode(bytes(32)).decode())
    r = record(1)
    sync(engine, [r])
    actions.store_photo(engine, REGISTRAR, r.client_id, jpeg())
    with pytest.raises(JaringError):
        actions.purge_photos(engine, SUPERVISOR, dt.date(2100, 1, 1))
    assert actions.purge_photos(engine, Actor.system(), dt.date(2000, 1, 1)) == 0
    assert actions.purge_photos(engine, Actor.system(), dt.date(2100, 1, 1)) == 1
    assert count(engine, "attachment_blob") == 0 and count(engine, "field_record") == 1
