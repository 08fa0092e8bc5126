"""A role that sees NIKs masked cannot confirm guessed NIKs one after another: past a few
exact-NIK look-ups in a window, the look-up is refused (HTTP 429 with Retry-After in the API,
an Indonesian sentence on the page), audited; roles that see NIKs in clear are not counted.
On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.registry import lookups
from jaring.registry.queries import people
from jaring.store.tables.web import audit_event

NIK = "9671022505900002"
LIMIT = 5


@pytest.fixture(autouse=True)
def _small_limit() -> Iterator[None]:
    """The same guard with a limit a test reaches quickly (30 an hour in production); each
    test has a store of its own, so the counts start at nothing."""
    before = lookups.GUARD.limit
    lookups.GUARD.limit = LIMIT
    yield
    lookups.GUARD.limit = before


def test_the_api_refuses_with_429_and_retry_after(api, web_engine) -> None:  # type: ignore[no-untyped-def]
    viewer = api("viewer")
    for _ in range(LIMIT):
        r = viewer.get(f"/api/v1/people/by-nik/{NIK}")
        assert r.status_code == 200 and r.json()["count"] == 1
    r = viewer.get(f"/api/v1/people/by-nik/{NIK}", headers={"Accept-Language": "id"})
    assert r.status_code == 429
    assert r.json()["code"] == "nik_lookups_limited"
    assert 0 < int(r.headers["Retry-After"]) <= 3600
    assert "Terlalu banyak pencarian dengan NIK" in r.json()["detail"]
    # the search by a full NIK is the same look-up, counted alike
    r = viewer.get("/api/v1/people", params={"q": NIK})
    assert r.status_code == 429 and "Retry-After" in r.headers
    # a name search is not a NIK look-up
    assert viewer.get("/api/v1/people", params={"q": "sawaki"}).status_code == 200
    with web_engine.connect() as conn:
        refused = conn.execute(
            select(audit_event.c.actor).where(audit_event.c.action == "person.nik_limited")
        ).all()
    assert [r[0] for r in refused] == ["viewer", "viewer"]


def test_clear_data_roles_are_not_counted(api) -> None:  # type: ignore[no-untyped-def]
    admin = api("admin")
    for _ in range(LIMIT * 3):
        assert admin.get(f"/api/v1/people/by-nik/{NIK}").status_code == 200


def test_each_user_has_their_own_count(api, web_engine) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import make_user

    make_user(web_engine, "viewer2", "viewer", [])
    one, two = api("viewer"), api("viewer2")
    for _ in range(LIMIT):
        assert one.get(f"/api/v1/people/by-nik/{NIK}").status_code == 200
    assert one.get(f"/api/v1/people/by-nik/{NIK}").status_code == 429
    assert two.get(f"/api/v1/people/by-nik/{NIK}").status_code == 200


def test_the_page_says_why_in_indonesian(browser_as) -> None:  # type: ignore[no-untyped-def]
    viewer = browser_as("viewer")
    for _ in range(LIMIT):
        assert viewer.get("/people/results", params={"q": NIK}).status_code == 200
    r = viewer.get("/people/results", params={"q": NIK}, headers={"HX-Request": "true"})
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert 'role="alert"' in r.text and "cari dengan nama" in r.text
    r = viewer.get("/people", params={"q": NIK})
    assert r.status_code == 429 and "Terlalu banyak pencarian dengan NIK" in r.text


def test_every_way_to_a_nik_is_counted(web_engine) -> None:  # type: ignore[no-untyped-def]
    """The look-up by NIK, the search, the registry's find and a coverage question by NIK
    all answer whether a NIK exists: one count for all of them."""
    from jaring.programs.queries import coverage

    viewer = Actor(username="pemantau", role="viewer")
    people.find_by_nik(web_engine, viewer, NIK)
    people.search(web_engine, viewer, NIK)
    people.find_people(web_engine, viewer, NIK)
    coverage.coverage_of(web_engine, viewer, dt.date(2024, 6, 1), nik=NIK)
    people.person_by_nik(web_engine, viewer, NIK)
    with pytest.raises(JaringError) as e:
        people.find_by_nik(web_engine, viewer, NIK)
    assert e.value.code == "nik_lookups_limited" and e.value.status == 429
    assert e.value.context["retry_after"] > 0


def test_the_window_slides(web_engine) -> None:  # type: ignore[no-untyped-def]
    guard = lookups.NikGuard(limit=2, window=60)
    viewer = Actor(username="v", role="viewer")
    assert guard.retry_after(web_engine, viewer, now=0.0) == 0
    assert guard.retry_after(web_engine, viewer, now=10.0) == 0
    assert guard.retry_after(web_engine, viewer, now=20.0) == 40
    assert guard.retry_after(web_engine, viewer, now=60.5) == 0  # 0.0 left


def test_every_worker_shares_one_count(web_engine) -> None:  # type: ignore[no-untyped-def]
    """Two guards stand for two server processes on one store: the limit is the store's."""
    one, two = lookups.NikGuard(limit=3, window=60), lookups.NikGuard(limit=3, window=60)
    viewer = Actor(username="v", role="viewer")
    assert [one.retry_after(web_engine, viewer, now=t) for t in (0.0, 1.0)] == [0, 0]
    assert two.retry_after(web_engine, viewer, now=2.0) == 0
    assert two.retry_after(web_engine, viewer, now=3.0) == 57
    assert one.retry_after(web_engine, viewer, now=4.0) == 56
