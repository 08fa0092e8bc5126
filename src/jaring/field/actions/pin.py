"""Resetting a registrar's PIN on the phone. The PIN never leaves the phone and cannot be
recovered: the photos queued under it cannot be decrypted without it. A reset is therefore
an honest loss, allowed to whoever proves to be the registrar again: the registrar typing
the account's password (a failed try counts as a failed sign-in, towards the account's
lock-out), or a one-time code a supervisor issued for that registrar (8 digits, valid
:data:`CODE_MINUTES` minutes, void after :data:`CODE_TRIES` wrong tries). The phone then
keeps every queued record's text, marks each photo it can no longer open as to be taken
again, and asks for a new PIN. Both steps are audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import secrets

from sqlalchemy import Engine, delete, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.accounts import actions as accounts
from jaring.field import errors
from jaring.store.tables.web import web_setting, web_user

PREFIX = "pin_reset:"
CODE_MINUTES = 30
CODE_TRIES = 5


@dataclasses.dataclass(frozen=True)
class PinCode:
    """A one-time PIN reset code for ``registrar``, shown once to the supervisor."""

    registrar: str
    code: str
    expires_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class PinReset:
    """A PIN reset allowed: how the registrar proved who they are (``password`` or
    ``supervisor``) and how many photos the phone said it could no longer open."""

    registrar: str
    method: str
    photos_lost: int


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def issue_pin_code(engine: Engine, actor: Actor, registrar: str) -> PinCode:
    """A one-time code with which ``registrar`` (an active registrar account inside the
    supervisor's regions) resets the PIN on their phone; a new code replaces the last. Only
    its digest is stored. Needs ``field.supervise``; audited as ``field.pin_code`` (never the
    code). Refuses ``pin_not_registrar``."""
    actor.require("field.supervise")
    name = registrar.strip().lower()[:80]
    with engine.begin() as conn:
        row = conn.execute(
            select(web_user.c.id, web_user.c.role, web_user.c.regions).where(
                web_user.c.username == name, web_user.c.active.is_(True)
            )
        ).first()
        regions = list(row.regions or []) if row is not None else []
        if (
            row is None
            or row.role != "registrar"
            or not regions
            or not all(actor.covers_region(r) for r in regions)
        ):
            raise errors.PIN_NOT_REGISTRAR(field="registrar", user=name)
        code = f"{secrets.randbelow(10**8):08d}"
        expires = audit.now() + dt.timedelta(minutes=CODE_MINUTES)
        value = json.dumps({"sha256": _digest(code), "expires": expires.isoformat(), "tries": 0})
        conn.execute(delete(web_setting).where(web_setting.c.key == PREFIX + name))
        conn.execute(insert(web_setting).values(key=PREFIX + name, value=value))
        audit.record(
            conn,
            actor,
            "field.pin_code",
            "web_user",
            int(row.id),
            after={"registrar": name, "expires": expires},
        )
    return PinCode(registrar=name, code=code, expires_at=expires)


def reset_pin(
    engine: Engine,
    actor: Actor,
    *,
    password: str | None = None,
    code: str | None = None,
    photos_lost: int = 0,
) -> PinReset:
    """Allow the signed-in registrar's phone to reset its PIN, on proof that they are the
    registrar: their password (checked as a sign-in is, with its lock-out) or a code from
    :func:`issue_pin_code` (used up by this call). ``photos_lost`` is what the phone reports
    it can no longer open. Needs ``field.register``; audited as ``field.pin_reset``. Refuses
    ``pin_proof_required``, ``bad_credentials`` / ``account_locked``, ``pin_code_bad``."""
    actor.require("field.register")
    lost = max(0, min(int(photos_lost), 100_000))
    if password:
        accounts.authenticate(engine, actor.username, password)
        method = "password"
    elif code:
        key = PREFIX + actor.username
        with engine.begin() as conn:
            stored = conn.execute(
                select(web_setting.c.value).where(web_setting.c.key == key)
            ).scalar()
            if stored is None:
                raise errors.PIN_CODE_BAD(field="code")
            found = json.loads(stored)
            expired = dt.datetime.fromisoformat(found["expires"]) < audit.now()
            right = hmac.compare_digest(found["sha256"], _digest(code.strip()))
            if expired or not right:
                tries = int(found.get("tries", 0)) + 1
                if expired or tries >= CODE_TRIES:
                    conn.execute(delete(web_setting).where(web_setting.c.key == key))
                else:
                    found["tries"] = tries
                    conn.execute(
                        update(web_setting)
                        .where(web_setting.c.key == key)
                        .values(value=json.dumps(found))
                    )
            else:
                conn.execute(delete(web_setting).where(web_setting.c.key == key))
        if expired or not right:  # the failed try is counted (committed) before refusing
            raise errors.PIN_CODE_BAD(field="code")
        method = "supervisor"
    else:
        raise errors.PIN_PROOF_REQUIRED(field="password")
    with engine.begin() as conn:
        audit.record(
            conn,
            actor,
            "field.pin_reset",
            "web_user",
            actor.username,
            after={"method": method, "photos_lost": lost},
        )
    return PinReset(registrar=actor.username, method=method, photos_lost=lost)
