"""How long a session or a token lives: a password change ends the other sessions, an
administrator's reset and a deactivation end the tokens for good, the lock-out does not tell
a stranger which accounts exist, and guessable passwords are refused."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.web.conftest import PASSWORD, csrf_of, sign_in, token_for

from jaring.access import Actor
from jaring.accounts import actions, passwords, queries
from jaring.errors import JaringError

NEW = "kopi-papeda-dan-sagu-2026"


def user_id(engine: Engine, name: str) -> int:
    return next(u.id for u in queries.list_users(engine, Actor.system()) if u.username == name)


def test_a_password_change_ends_the_other_sessions(app) -> None:  # type: ignore[no-untyped-def]
    here, elsewhere = TestClient(app), TestClient(app)
    assert sign_in(here, "viewer").status_code == 303
    assert sign_in(elsewhere, "viewer").status_code == 303
    assert elsewhere.get("/", follow_redirects=False).status_code == 200
    token = csrf_of(here.get("/account/password").text)
    r = here.post(
        "/account/password",
        data={"current": PASSWORD, "new": NEW, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 200, r.text
    assert here.get("/", follow_redirects=False).status_code == 200  # this one goes on
    gone = elsewhere.get("/", follow_redirects=False)
    assert gone.status_code in (302, 303) and "/login" in gone.headers["location"]


def test_an_admin_reset_ends_the_tokens(api, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    viewer = api("viewer")
    assert viewer.get("/api/v1/me").status_code == 200
    r = api("admin").post(
        f"/api/v1/users/{user_id(web_engine, 'viewer')}/password", json={"password": NEW}
    )
    assert r.status_code == 204, r.text
    assert viewer.get("/api/v1/me").status_code == 401


def test_reactivation_does_not_revive_tokens(app, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    token = token_for(web_engine, "juror", "juri")
    client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/me").status_code == 200
    uid = user_id(web_engine, "juror")
    actions.update_user(web_engine, Actor.system(), uid, active=False)
    app.state.auth_cache.clear()
    assert client.get("/api/v1/me").status_code == 401
    actions.update_user(web_engine, Actor.system(), uid, active=True)
    app.state.auth_cache.clear()
    assert client.get("/api/v1/me").status_code == 401


def test_the_lock_out_does_not_tell_who_exists(app) -> None:  # type: ignore[no-untyped-def]
    answers = {}
    for name in ("auditor", "nobody-here"):
        c = TestClient(app)
        for _ in range(6):
            r = sign_in(c, name, "wrong-password")
        r = sign_in(c, name, PASSWORD)
        error = re.search(r'<p class="error"[^>]*>(.*?)</p>', r.text, re.S)
        answers[name] = (r.status_code, error.group(1) if error else None)
    assert answers["auditor"][1]
    assert answers["auditor"] == answers["nobody-here"]


@pytest.mark.parametrize(
    "weak",
    [
        "aaaaaaaaaa",
        " " * 10,
        "Password123!",
        "1234567890",
        "0987654321",
        "qwertyuiop",
        "abababababab",
        "rahasia2026",
        "operator-2026",
    ],
)
def test_guessable_passwords_are_refused(weak: str) -> None:
    with pytest.raises(JaringError) as e:
        passwords.check(weak, "operator")
    assert e.value.code in ("weak_password", "common_password")


def test_a_phrase_is_accepted() -> None:
    passwords.check(NEW, "operator")
