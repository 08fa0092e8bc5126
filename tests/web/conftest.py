"""Web fixtures: a migrated store with a few synthetic people, users of every role, and
clients signed in as them (API token or browser session)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, insert, text, update

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from jaring.access import Actor
from jaring.accounts import actions, passwords, queries
from jaring.store import identity, make_engine, migrate
from jaring.store.bulk import insert_frame
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.web import web_setting, web_user
from jaring.web.app import create_app
from jaring.web.security import Principal, principal_of

PASSWORD = "rahasia-sekali-123"

# Synthetic people: region codes are real, NIK serials and names are made up.
PEOPLE = [
    # id, nik, name, district, village, phone
    (1, "9671011203850001", "Yohana Kambuaya", "96.71.01", "96.71.01.1001", "+6281234560001"),
    (2, "9671022505900002", "Markus Sawaki", "96.71.02", "96.71.02.1001", "+6281234560002"),
    (3, "9671031010880003", "Siti Rahmawati", "96.71.03", "96.71.03.1001", None),
    (4, "9671020101700004", "Daniel Fonataba", "96.71.02", "96.71.02.1002", "+6281234560004"),
]


def seed_people(engine: Engine) -> None:
    frame = pl.DataFrame(
        {
            "id": [p[0] for p in PEOPLE],
            "nik": [p[1] for p in PEOPLE],
            "name": [p[2] for p in PEOPLE],
            "name_norm": [p[2].lower() for p in PEOPLE],
            "birth_date": [
                dt.date(1985, 3, 12),
                dt.date(1990, 5, 25),
                dt.date(1988, 10, 10),
                dt.date(1970, 1, 1),
            ],
            "sex": ["P", "L", "P", "L"],
            "province_code": ["96"] * 4,
            "regency_code": ["96.71"] * 4,
            "district_code": [p[3] for p in PEOPLE],
            "village_code": [p[4] for p in PEOPLE],
            "address": ["Jl. Contoh 1", "Jl. Contoh 2", "Jl. Contoh 3", "Jl. Contoh 4"],
            "phone": [p[5] for p in PEOPLE],
            "occupation": ["pedagang pasar", "ojek", "nelayan", "ojek"],
            "desil": [1, 2, 1, 3],
            "registered_on": [dt.date(2024, 1, 2)] * 4,
        }
    )
    with engine.begin() as conn:
        insert_frame(conn, "person", frame)
        program_id = conn.execute(
            insert(program).values(
                name="Jaring Sorong 2024",
                funder_type="apbd",
                funder_region="96.71",
                fiscal_year=2024,
                budget=2_200_000_000,
                segment="bpu",
                income_base=1_000_000,
                with_jht=False,
                period_start=dt.date(2024, 1, 1),
                period_end=dt.date(2024, 12, 31),
                rules={},
            )
        ).inserted_primary_key[0]
        for pid in (1, 2):
            conn.execute(
                insert(membership).values(
                    id=pid,
                    program_id=program_id,
                    person_id=pid,
                    segment="bpu",
                    income_base=1_000_000,
                    with_jht=False,
                    kpj=f"2400000000{pid}",
                    state="active",
                    start_month=dt.date(2024, 1, 1),
                )
            )
            conn.execute(
                insert(coverage_period).values(
                    id=pid,
                    membership_id=pid,
                    person_id=pid,
                    program_id=program_id,
                    segment="bpu",
                    start_date=dt.date(2024, 1, 1),
                    end_date=dt.date(2024, 12, 31),
                )
            )


def make_user(
    engine: Engine, username: str, role: str, regions: list[str] | None = None
) -> queries.User:
    """A ready account (temporary-password flag cleared, as after the first sign-in)."""
    u = actions.create_user(
        engine,
        Actor.system(),
        username=username,
        role=role,
        password=PASSWORD,
        regions=regions or [],
    )
    with engine.begin() as conn:
        conn.execute(
            update(web_user).where(web_user.c.id == u.id).values(must_change_password=False)
        )
    return u


def principal_named(engine: Engine, username: str) -> Principal:
    """The account ``username`` as the web's principal."""
    user = next(u for u in queries.list_users(engine, Actor.system()) if u.username == username)
    return principal_of(user)


def token_for(engine: Engine, username: str, name: str = "test") -> str:
    """A new API token of the account ``username``."""
    return actions.create_token(engine, principal_named(engine, username), name).token


ROLES_USERS = {
    "admin": ("administrator", []),
    "operator": ("operator", ["96.71.02"]),
    "budget": ("budget_officer", []),
    "viewer": ("viewer", []),
    "juror": ("juror", []),
    "auditor": ("auditor", []),
}


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """argon2's production cost (64 MiB, 3 passes) is right for sign-in, not for creating
    dozens of test accounts on a shared 2-core machine. Same algorithm, cheaper parameters."""
    real = passwords.hasher
    passwords.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords.hasher = real


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Migrated, seeded template stores, made once: copying a file (SQLite) or cloning a
    database (PostgreSQL ``CREATE DATABASE ... TEMPLATE``) is much faster than migrating and
    hashing passwords per test."""
    out: dict[str, Any] = {}
    path = tmp_path_factory.mktemp("tmpl") / "template.db"
    eng = make_engine(f"sqlite:///{path}")
    migrate(eng)
    _seed_all(eng)
    with eng.connect() as c:
        c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    out["sqlite"] = str(path)
    yield out
    if "postgresql" in out:
        out["clones"].release(out["postgresql"])
        _drop_pg(out["pg_admin"], out["postgresql"])


#: the mark of every fixture store (:mod:`jaring.store.identity`), which national results
#: made from its snapshot carry
STORE_MARK = "5eed" * 8


def _seed_all(engine: Engine) -> None:
    seed_people(engine)
    for name, (role, regions) in ROLES_USERS.items():
        make_user(engine, name, role, regions)
    with engine.begin() as conn:
        conn.execute(insert(web_setting).values(key=identity.KEY, value=STORE_MARK))


def _drop_pg(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def web_engine(
    request: pytest.FixtureRequest, _templates: dict[str, Any], tmp_path
) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated store of each dialect with the synthetic people and a user per role."""
    if request.param == "sqlite":
        target = tmp_path / "jaring.db"
        shutil.copy(_templates["sqlite"], target)
        eng = make_engine(f"sqlite:///{target}")
        yield eng
        eng.dispose()
        return
    admin_url = request.getfixturevalue("pg_server")
    base = admin_url.rsplit("/", 1)[0]
    if "postgresql" not in _templates:
        name = f"jaring_tmpl_{uuid.uuid4().hex[:10]}"
        _create_pg(admin_url, name)
        eng = make_engine(f"{base}/{name}")
        migrate(eng)
        _seed_all(eng)
        eng.dispose()
        _templates["postgresql"] = name
        _templates["pg_admin"] = admin_url
    clones = request.getfixturevalue("pg_clones")
    _templates["clones"] = clones
    name = clones.take(_templates["postgresql"])
    eng = make_engine(clones.url(name))
    try:
        yield eng
    finally:
        eng.dispose()
        clones.drop(name)


def _create_pg(admin_url: str, name: str, template: str | None = None) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(
            text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        )
    admin.dispose()


@pytest.fixture
def app(web_engine: Engine):  # type: ignore[no-untyped-def]
    return create_app(web_engine, rate_limit=1000)


@pytest.fixture
def api(app, web_engine: Engine) -> Callable[[str], TestClient]:  # type: ignore[no-untyped-def]
    """``api("viewer")``: a client sending that user's API token."""
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        token = token_for(web_engine, username, f"test {username}")
        c = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        clients.append(c)
        return c

    return make


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next: str = "/") -> Any:
    page = client.get(f"/login?next={next}")
    return client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": next,
        },
        follow_redirects=False,
    )


@pytest.fixture
def browser_as(app) -> Iterator[Callable[[str], TestClient]]:  # type: ignore[no-untyped-def]
    """``browser_as("operator")``: a cookie-carrying client signed in through the form."""
    clients: list[TestClient] = []

    def make(username: str) -> TestClient:
        c = TestClient(app)
        r = sign_in(c, username)
        assert r.status_code == 303, r.text
        clients.append(c)
        return c

    yield make
