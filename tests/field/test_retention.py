"""How long KTP photos are kept, as a setting of each region (the settings domain and page):
the default, a region's own value and what its parts inherit; photos past their region's
retention erased automatically (after a sync or an upload, and when the server starts), by
the command when no day is given; every change and every erasure audited."""

from __future__ import annotations

import base64
import datetime as dt
import json
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text, update
from tests.clirun import jaring, process
from tests.field.helpers import REGISTRAR, TODAY, record
from tests.field.test_sync import jpeg
from tests.web.conftest import csrf_of

from jaring import audit
from jaring.access import Actor
from jaring.errors import JaringError
from jaring.field import actions
from jaring.settings import actions as settings
from jaring.settings import queries as settings_queries
from jaring.store.tables.attachments import attachment
from jaring.store.tables.web import audit_event
from jaring.web.app import create_app

SYSTEM = Actor.system()
ADMIN = Actor(username="admin", role="administrator")


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JARING_ATTACHMENT_KEY", base64.urlsafe_b64encode(bytes(32)).decode())


def photo(engine: Engine, serial: int, region: str, age_days: int) -> int:
    """A KTP photo of a synced record, moved to ``region`` and aged ``age_days``."""
    r = record(serial)
    actions.sync(engine, REGISTRAR, [r], today=TODAY)
    kept = actions.store_photo(engine, REGISTRAR, r.client_id, jpeg())
    with engine.begin() as c:
        c.execute(
            update(attachment)
            .where(attachment.c.id == kept.attachment)
            .values(region=region, created_at=audit.now() - dt.timedelta(days=age_days))
        )
    return kept.attachment


def alive(engine: Engine) -> set[int]:
    with engine.connect() as c:
        return set(
            c.execute(select(attachment.c.id).where(attachment.c.deleted_at.is_(None))).scalars()
        )


def events(engine: Engine, action: str) -> list[dict]:
    with engine.connect() as c:
        rows = c.execute(
            select(audit_event.c.actor, audit_event.c.entity_id, audit_event.c.after)
            .where(audit_event.c.action == action)
            .order_by(audit_event.c.id)
        ).all()
    return [
        {"actor": a, "entity": e, **(json.loads(x) if isinstance(x, str) else (x or {}))}
        for a, e, x in rows
    ]


def test_the_setting_and_what_inherits_it(engine: Engine) -> None:
    def days(region: str) -> tuple[int, bool, str | None]:
        (r,) = settings_queries.region_retentions(engine, ADMIN, [region])
        return r.days, r.set_here, r.from_region

    assert settings_queries.DEFAULT_PHOTO_RETENTION_DAYS == 90
    assert days("96.71.01") == (90, False, None)
    settings.set_photo_retention(engine, ADMIN, "96.71", 30)
    assert days("96.71") == (30, True, "96.71")
    assert days("96.71.01") == (30, False, "96.71")  # a distrik inherits its city's
    assert days("91.71") == (90, False, None)
    settings.set_photo_retention(engine, ADMIN, "96.71.01", "10")
    assert days("96.71.01") == (10, True, "96.71.01")
    settings.set_photo_retention(engine, ADMIN, "96.71.01", "")  # back to the city's
    assert days("96.71.01") == (30, False, "96.71")
    for bad in ("6", "3651", "abc", "-5", "1.5"):
        with pytest.raises(JaringError) as e:
            settings.set_photo_retention(engine, ADMIN, "96.71", bad)
        assert e.value.code == "retention_bad" and e.value.context["field"] == "days"
    with pytest.raises(JaringError) as e:
        settings.set_photo_retention(engine, ADMIN, "99.99", 30)
    assert e.value.code == "setting_region_unknown"
    papua = Actor(username="papua", role="administrator", regions=("91",))
    with pytest.raises(JaringError) as e:
        settings.set_photo_retention(engine, papua, "96.71", 30)
    assert e.value.code == "out_of_region"
    with pytest.raises(JaringError) as e:
        settings.set_photo_retention(engine, REGISTRAR, "96.71", 30)
    assert e.value.code == "forbidden"
    assert days("96.71") == (30, True, "96.71")  # nothing changed by a refusal
    changes = events(engine, "settings.photo_retention")
    assert [(c["actor"], c["entity"], c["days"]) for c in changes] == [
        ("admin", "96.71", 30),
        ("admin", "96.71.01", 10),
        ("admin", "96.71.01", None),
    ]


def test_each_region_keeps_its_photos_as_long_as_it_set(engine: Engine) -> None:
    old = photo(engine, 1, "96.71.01", 100)
    recent = photo(engine, 2, "96.71.01", 20)
    month = photo(engine, 3, "96.71.02", 40)
    other = photo(engine, 4, "91.71.01", 40)
    # each upload purged already: the 100-day-old one went by the default of 90 days
    assert alive(engine) == {recent, month, other}
    with pytest.raises(JaringError):
        actions.purge_expired_photos(engine, REGISTRAR)
    settings.set_photo_retention(engine, ADMIN, "96.71", 30)
    out = actions.purge_expired_photos(engine, SYSTEM)
    assert out.erased == 1 and out.retention == {"96.71.02": 30}
    assert alive(engine) == {recent, other}
    settings.set_photo_retention(engine, ADMIN, "96.71.01", 10)
    # a sync enforces it by itself
    actions.sync(engine, REGISTRAR, [record(5)], today=TODAY)
    assert alive(engine) == {other}
    assert actions.purge_expired_photos(engine, SYSTEM).erased == 0
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM attachment_blob")).scalar_one() == 1
        assert c.execute(text("SELECT count(*) FROM field_record")).scalar_one() == 5
    purged = events(engine, "attachment.purge")
    assert [(p["actor"], p["count"], p["retention_days"]) for p in purged] == [
        ("system", 1, 90),
        ("system", 1, 30),
        ("system", 1, 10),
    ]
    assert purged[1]["region_codes"] == ["96.71.02"]
    assert old not in alive(engine)


def test_the_server_purges_when_it_starts(engine: Engine) -> None:
    gone = photo(engine, 1, "96.71.01", 40)
    settings.set_photo_retention(engine, ADMIN, "96.71", 30)
    # the upload above purged before the setting: the photo is still there
    assert gone in alive(engine)
    with TestClient(create_app(engine)) as client:  # runs the server's start
        assert client.get("/login").status_code == 200
        for _ in range(200):
            if gone not in alive(engine):
                break
            time.sleep(0.05)
    assert gone not in alive(engine)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_command_uses_the_setting(engine: Engine, db_url: str) -> None:
    kept = photo(engine, 1, "96.71.01", 40)
    settings.set_photo_retention(engine, ADMIN, "96.71", 30)

    # an explicit retention still wins (through the real entry point)
    p = process("field", "purge-photos", "--keep-days", "60", "--db", db_url)
    assert p.returncode == 0, p.stderr
    assert kept in alive(engine)
    p = jaring("field", "purge-photos", "--json", "--db", db_url)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == {"erased": 1, "retention": {"96.71.01": 30}}
    assert kept not in alive(engine)


def test_the_settings_page(browser_as, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    page = admin.get("/settings").text
    assert 'id="retentions"' in page and "90 hari" in page
    token = csrf_of(page)
    bad = admin.post(
        "/settings/photo-retention", data={"csrf_token": token, "region": "96.71", "days": "3"}
    )
    assert bad.status_code == 400 and "Lama penyimpanan foto harus" in bad.text
    ok = admin.post(
        "/settings/photo-retention",
        data={"csrf_token": token, "region": "96.71", "days": "30"},
        follow_redirects=True,
    )
    assert ok.status_code == 200 and 'id="retention-saved"' in ok.text
    row = ok.text.split('data-region="96.71"')[1].split("</tr>")[0]
    assert "30 hari" in row and "diatur di sini" in row
    assert browser_as("viewer").get("/settings").status_code == 403
