"""Reads of personal data are audited: one event per request (not per row), on the API and
in the CLI; while a server runs they are written in batches (the look-up stays fast)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tests.web.conftest import token_for

from jaring.access import Actor
from jaring.registry.queries import batches, exports, review
from jaring.store.tables.web import audit_event

READS = {
    "/api/v1/people?q=Yohana": "person.search",
    "/api/v1/people?q=sorong": "person.search",
    "/api/v1/people/1": "person.read",
    "/api/v1/people/by-nik/9671011203850001": "person.by_nik",
    "/api/v1/registry/people/1/rows": "person.source_rows",
}


def events(engine: Engine, action: str) -> list[tuple[str, str | None]]:
    with engine.connect() as c:
        return [
            (r.actor, r.entity_id)
            for r in c.execute(
                select(audit_event.c.actor, audit_event.c.entity_id).where(
                    audit_event.c.action == action
                )
            )
        ]


def test_each_read_of_personal_data_is_one_event(api, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    for url, action in READS.items():
        before = len(events(web_engine, action))
        r = c.get(url)
        assert r.status_code == 200, (url, r.text)
        after = events(web_engine, action)
        assert len(after) == before + 1, url
        assert after[-1][0] == "admin"


def test_cli_reads_are_audited(web_engine: Engine) -> None:
    system = Actor.system()
    exports.links(web_engine, system)
    exports.source_rows_frame(web_engine, system)
    review.review_list(web_engine, system)
    for action in ("registry.links", "registry.rows", "registry.review_list"):
        assert events(web_engine, action) == [("system", None)], action
    assert batches  # errors_frame is audited as registry.batch_errors (tests/registry)


def test_a_running_server_writes_reads_in_batches(app, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    # a clear-data role: a masked one may make only a few exact-NIK look-ups an hour
    token = token_for(web_engine, "auditor")
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:  # lifespan on
        for _ in range(50):
            assert c.get("/api/v1/people/by-nik/9671011203850001").status_code == 200
    with web_engine.connect() as conn:  # all written by the time the server stopped
        n = conn.execute(
            select(func.count()).where(
                audit_event.c.action == "person.by_nik", audit_event.c.actor == "auditor"
            )
        ).scalar_one()
    assert n == 50
