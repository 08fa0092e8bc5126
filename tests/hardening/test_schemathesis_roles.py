"""Schemathesis over the whole API with the token of every role: whatever the generated
input, no server error, and no success where the role lacks the operation's right (the right
each route requires is read from its dependencies). Bounded: a few examples per operation and
role, on one SQLite store."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from tests.web.conftest import ROLES_USERS, _seed_all, token_for

from jaring.access import MATRIX
from jaring.store import make_engine, migrate
from jaring.web.app import create_app

# operations that would end this run's own credentials or other roles' (covered elsewhere)
SKIP = {
    ("DELETE", "/api/v1/tokens/{token_id}"),
    ("POST", "/api/v1/users/{user_id}/password"),
    ("PATCH", "/api/v1/users/{user_id}"),
    ("POST", "/api/v1/me/password"),
}


def rights_of(app: Any) -> dict[tuple[str, str], set[str]]:
    """(METHOD, path) -> the rights its dependencies require (``require("claim.read")``)."""
    out: dict[tuple[str, str], set[str]] = {}

    def walk(dependant: Any, found: set[str]) -> None:
        for dep in dependant.dependencies:
            call = dep.call
            code = getattr(call, "__code__", None)
            if code is not None and "permission" in code.co_freevars and call.__closure__:
                value = call.__closure__[code.co_freevars.index("permission")].cell_contents
                if value:
                    found.add(value)
            walk(dep, found)

    def visit(routes: Any, prefix: str) -> None:
        for route in routes:
            if isinstance(route, APIRoute):
                found: set[str] = set()
                walk(route.dependant, found)
                for method in route.methods:
                    out[(method, prefix + route.path_format)] = found
            elif hasattr(route, "original_router"):  # an included router (FastAPI >= 0.16x)
                visit(route.original_router.routes, prefix + route.include_context.prefix)

    visit(app.routes, "")
    return out


def check(op: Any, headers: dict[str, str], role: str, key: Any, lacking: set[str]) -> None:
    """A few generated requests of one operation as one role."""

    @given(case=op.as_strategy())
    @settings(
        max_examples=3,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(headers=headers)
        assert response.status_code < 500, (role, key, response.status_code)
        if lacking:
            assert not 200 <= response.status_code < 300, (role, key, lacking)

    run()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("st-roles") / "jaring.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    _seed_all(engine)
    tokens = {name: token_for(engine, name, "schemathesis") for name in ROLES_USERS}
    return tokens, create_app(engine, rate_limit=10_000)


@pytest.mark.slow
@pytest.mark.parametrize("user", [u for u in ROLES_USERS if u != "admin"])
def test_no_server_errors_and_no_success_without_the_right(world, user: str) -> None:  # type: ignore[no-untyped-def]
    tokens, app = world
    role = ROLES_USERS[user][0]
    needs = rights_of(app)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {tokens[user]}"}
    seen = 0
    for result in schema.get_all_operations():
        op = result.ok()
        key = (op.method.upper(), op.path)
        if key in SKIP:
            continue
        lacking = needs.get(key, set()) - MATRIX[role]
        seen += 1

        check(op, headers, role, key, lacking)
    assert seen >= 40
