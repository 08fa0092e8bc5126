"""A forgotten PIN, on the server's side: the registrar proves who they are again (their
password, counted as a sign-in; or a supervisor's one-time code), the reset is audited with
the photos the phone could no longer open; codes are single use, short-lived, void after
five wrong tries, and only for registrars of the supervisor's regions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import Engine, select, text, update
from tests.web.conftest import PASSWORD, make_user

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.field import actions
from jaring.field.actions import pin
from jaring.store.tables.web import audit_event, web_setting

REG = Actor(username="reg1", role="registrar", regions=("96.71",))
SUP = Actor(username="sup1", role="supervisor", regions=("96.71",))
FAR_SUP = Actor(username="sup9", role="supervisor", regions=("91.71",))


@pytest.fixture
def team(engine: Engine) -> Engine:
    make_user(engine, "reg1", "registrar", ["96.71"])
    make_user(engine, "op1", "operator", ["96.71"])
    return engine


def code_of(f) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(JaringError) as e:
        f()
    return e.value.code


def test_the_registrar_resets_with_the_password(team: Engine) -> None:
    assert code_of(lambda: actions.reset_pin(team, REG)) == "pin_proof_required"
    assert code_of(lambda: actions.reset_pin(team, REG, password="salah")) == "bad_credentials"
    with team.connect() as c:  # a wrong password counts as a failed sign-in
        assert c.execute(text("SELECT failed_logins FROM web_user WHERE username='reg1'")).scalar()
    out = actions.reset_pin(team, REG, password=PASSWORD, photos_lost=3)
    assert (out.method, out.photos_lost) == ("password", 3)
    assert code_of(lambda: actions.reset_pin(team, SUP, password=PASSWORD)) == "forbidden"


def test_a_supervisors_code_works_once(team: Engine) -> None:
    c1 = actions.issue_pin_code(team, SUP, "reg1")
    assert len(c1.code) == 8 and c1.code.isdigit()
    c2 = actions.issue_pin_code(team, SUP, "REG1 ")  # a new code replaces the last
    assert code_of(lambda: actions.reset_pin(team, REG, code=c1.code)) == "pin_code_bad"
    assert actions.reset_pin(team, REG, code=c2.code, photos_lost=2).method == "supervisor"
    assert code_of(lambda: actions.reset_pin(team, REG, code=c2.code)) == "pin_code_bad"
    with team.connect() as c:
        stored = c.execute(select(web_setting.c.value)).scalars().all()
        assert not any(c2.code in v for v in stored)  # only digests were ever kept
        trail = c.execute(
            select(audit_event.c.action, audit_event.c.actor, audit_event.c.after).where(
                audit_event.c.action.in_(("field.pin_code", "field.pin_reset"))
            )
        ).all()
    assert [(a, who) for a, who, _ in trail] == [
        ("field.pin_code", "sup1"),
        ("field.pin_code", "sup1"),
        ("field.pin_reset", "reg1"),
    ]
    after = trail[-1][2]
    after = json.loads(after) if isinstance(after, str) else after
    assert after == {"method": "supervisor", "photos_lost": 2}
    assert all(c1.code not in str(x) and c2.code not in str(x) for x in trail)


def test_codes_expire_and_wear_out(team: Engine) -> None:
    code = actions.issue_pin_code(team, SUP, "reg1").code
    wrong = "00000000" if code != "00000000" else "11111111"
    for _ in range(pin.CODE_TRIES):
        assert code_of(lambda: actions.reset_pin(team, REG, code=wrong)) == "pin_code_bad"
    assert code_of(lambda: actions.reset_pin(team, REG, code=code)) == "pin_code_bad"  # void
    code = actions.issue_pin_code(team, SUP, "reg1").code
    with team.begin() as c:
        key = pin.PREFIX + "reg1"
        found = json.loads(
            c.execute(select(web_setting.c.value).where(web_setting.c.key == key)).scalar_one()
        )
        found["expires"] = (dt.datetime(2020, 1, 1)).isoformat()
        c.execute(
            update(web_setting).where(web_setting.c.key == key).values(value=json.dumps(found))
        )
    assert code_of(lambda: actions.reset_pin(team, REG, code=code)) == "pin_code_bad"


def test_only_a_registrar_of_the_supervisors_regions(team: Engine) -> None:
    for who, name in ((SUP, "op1"), (SUP, "nobody"), (FAR_SUP, "reg1")):
        assert code_of(lambda w=who, n=name: actions.issue_pin_code(team, w, n)) == (
            "pin_not_registrar"
        )
    assert code_of(lambda: actions.issue_pin_code(team, REG, "reg1")) == "forbidden"
