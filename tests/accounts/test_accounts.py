"""The accounts domain on its own: the rules of an account, rights checked in the actions and
queries (so the CLI and the web refuse alike), and who the audit trail names."""

from __future__ import annotations

import doctest
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine

from jaring.access import NEEDS_REGIONS, ROLES, Actor
from jaring.accounts import actions, passwords, queries, users
from jaring.errors import JaringError

PASSWORD = "rahasia-sekali-123"


@pytest.fixture(autouse=True)
def _fast_hashing() -> Iterator[None]:
    real = passwords.hasher
    passwords.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords.hasher = real


def refused(code: str) -> pytest.RaisesExc[JaringError]:
    return pytest.raises(JaringError, match=f"^{code}$")


def test_the_rules_doctests() -> None:
    for module in (passwords, users):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("role", sorted(NEEDS_REGIONS))
def test_roles_that_need_regions(role: str) -> None:
    code = "operator_needs_region" if role == "operator" else "role_needs_region"
    with refused(code) as e:
        users.check_role_regions(role, ["", " "])
    assert e.value.context["field"] == "regions"
    assert users.check_role_regions(role, ["96.71.02"]) == ("96.71.02",)


def test_roles_that_need_no_region() -> None:
    for role in set(ROLES) - NEEDS_REGIONS:
        assert users.check_role_regions(role, []) == ()
    with refused("bad_role"):
        users.check_role_regions("system", [])  # the system actor is not an account
    with refused("bad_region"):
        users.check_role_regions("viewer", ["99.99"])


def test_user_administration_needs_user_manage(engine: Engine) -> None:
    admin = actions.create_user(
        engine, Actor.system(), username="Admin2", role="administrator", password=PASSWORD
    )
    assert admin.username == "admin2" and admin.must_change_password
    viewer = actions.create_user(
        engine, admin.actor(), username="v", role="viewer", password=PASSWORD
    )
    for attempt in (
        lambda: queries.list_users(engine, viewer.actor()),
        lambda: queries.get_user(engine, viewer.actor(), admin.id),
        lambda: actions.create_user(
            engine, viewer.actor(), username="w", role="viewer", password=PASSWORD
        ),
        lambda: actions.update_user(engine, viewer.actor(), admin.id, active=False),
        lambda: actions.reset_password(engine, viewer.actor(), admin.id, PASSWORD),
        lambda: queries.list_events(engine, viewer.actor()),
    ):
        with refused("forbidden"):
            attempt()
    with refused("cannot_demote_self"):
        actions.update_user(engine, admin.actor(), admin.id, role="viewer")
    registrar = actions.create_user(
        engine,
        admin.actor(),
        username="reg.sorong",
        role="registrar",
        password=PASSWORD,
        regions=["96.71.02"],
    )
    with refused("role_needs_region"):
        actions.update_user(engine, admin.actor(), registrar.id, regions=[])
    assert [u.username for u in queries.list_users(engine, admin.actor())] == [
        "admin2",
        "reg.sorong",
        "v",
    ]


def test_the_trail_names_the_account_or_the_system(engine: Engine) -> None:
    admin = actions.create_user(
        engine, Actor.system(via="cli"), username="admin", role="administrator", password=PASSWORD
    )
    auditor = actions.create_user(
        engine, admin.actor(), username="aud", role="auditor", password=PASSWORD
    )
    actions.change_password(engine, auditor.actor(), PASSWORD, PASSWORD + "-baru")
    page = queries.list_events(engine, auditor.actor(), entity="web_user")
    assert [(e.action, e.actor, e.actor_id) for e in page.events] == [
        ("user.change_password", "aud", auditor.id),
        ("user.create", "admin", admin.id),
        ("user.create", "system", None),
    ]
    assert page.total == 3
    assert PASSWORD not in repr(page)
    assert [e.action for e in queries.list_events(engine, auditor.actor(), by="system").events] == [
        "user.create"
    ]


def test_a_refused_action_leaves_no_trail(engine: Engine) -> None:
    admin = actions.create_user(
        engine, Actor.system(), username="admin", role="administrator", password=PASSWORD
    )
    with refused("username_taken"):
        actions.create_user(
            engine, admin.actor(), username="ADMIN", role="viewer", password=PASSWORD
        )
    assert queries.list_events(engine, admin.actor()).total == 1
