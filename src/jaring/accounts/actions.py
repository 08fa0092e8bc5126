"""What changes accounts: users, passwords, sign-in with lock-out, sessions and API tokens.

One function per action, one transaction each, its audit event written inside it. User
administration needs ``user.manage``; a user changes their own password and their own
tokens. Sign-in comes before anyone is an actor, so :func:`authenticate`,
:func:`start_session` and :func:`check_sign_in_rate` take a name, a user or an address instead.
No default password exists: the first administrator gets a one-time password (or
``JARING_ADMIN_PASSWORD``) and must change it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from jaring.access import Actor
from jaring.accounts import errors, passwords, tokens, users
from jaring.accounts.queries import Letterhead, User, letterhead_for, user_by_id, user_of
from jaring.audit import now, record
from jaring.store.dialect import to_datetime
from jaring.store.tables.web import (
    region_letterhead,
    web_login_attempt,
    web_session,
    web_setting,
    web_token,
    web_user,
)

ADMIN_ENV = "JARING_ADMIN_PASSWORD"
MAX_FAILED = 5
LOCK_MINUTES = 15
SESSION_HOURS = 12
AUDITED_FIELDS = ("full_name", "role", "regions", "active")


@dataclasses.dataclass(frozen=True)
class FirstAdmin:
    """The administrator made at the first start: the password is shown once (unless it came
    from ``JARING_ADMIN_PASSWORD``, ``from_env``)."""

    username: str
    password: str
    from_env: bool


@dataclasses.dataclass(frozen=True)
class NewSession:
    """A session just opened: the cookie's value and the session's CSRF token."""

    token: str
    csrf_token: str


@dataclasses.dataclass(frozen=True)
class NewToken:
    """An API token just made; ``token`` is the secret, shown this once."""

    id: int
    name: str
    prefix: str
    token: str


# --------------------------------------------------------------------------- first start


def ensure_admin(engine: Engine, username: str = "admin") -> FirstAdmin | None:
    """Create the first administrator when no account exists (recorded as the system);
    ``None`` when there are accounts already. With ``JARING_ADMIN_PASSWORD`` set, that
    password is used (``weak_password`` if too short) and need not be changed; otherwise a
    one-time password that must be changed at the first sign-in."""
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(web_user)).scalar_one():
            return None
        env_pw = os.environ.get(ADMIN_ENV)
        if env_pw:
            passwords.check(env_pw)
        password = env_pw or passwords.one_time()
        uid = conn.execute(
            insert(web_user)
            .returning(web_user.c.id)
            .values(
                username=username,
                full_name="Administrator",
                role="administrator",
                regions=[],
                password_hash=passwords.hash_of(password),
                active=True,
                must_change_password=not env_pw,
                failed_logins=0,
                created_at=now(),
            )
        ).scalar_one()
        record(
            conn,
            Actor.system(),
            "user.create",
            "web_user",
            uid,
            after={"username": username, "role": "administrator", "first_start": True},
        )
    return FirstAdmin(username=username, password=password, from_env=bool(env_pw))


def secret_key(engine: Engine) -> str:
    """The key that signs short-lived values (the pre-sign-in CSRF cookie); made once and
    kept in the store, so every worker signs alike."""
    with engine.begin() as conn:
        found = conn.execute(
            select(web_setting.c.value).where(web_setting.c.key == "secret_key")
        ).scalar_one_or_none()
        if found:
            return str(found)
        key = tokens.new_secret_key()
        conn.execute(insert(web_setting).values(key="secret_key", value=key))
        return key


# --------------------------------------------------------------------------- users


def create_user(
    engine: Engine,
    actor: Actor,
    *,
    username: str,
    role: str,
    password: str,
    full_name: str = "",
    regions: Iterable[str] = (),
) -> User:
    """Create an account (``user.manage``). The password is set by the administrator and must
    be changed at the first sign-in. Audited as ``user.create`` (never the password).

    Refused: ``bad_username``, ``bad_role``, ``bad_region``, ``operator_needs_region`` /
    ``role_needs_region``, ``weak_password``, ``username_taken``.
    """
    actor.require("user.manage")
    name = users.clean_username(username)
    clean = users.check_role_regions(role, regions)
    passwords.check(password, username)
    with engine.begin() as conn:
        if conn.execute(select(web_user.c.id).where(web_user.c.username == name)).first():
            raise errors.USERNAME_TAKEN(field="username", value=name)
        values: dict[str, Any] = {
            "username": name,
            "full_name": users.clean_full_name(full_name),
            "role": role,
            "regions": list(clean),
            "password_hash": passwords.hash_of(password),
            "active": True,
            "must_change_password": True,
            "failed_logins": 0,
            "created_at": now(),
        }
        uid = conn.execute(insert(web_user).returning(web_user.c.id).values(**values)).scalar_one()
        after = {k: values[k] for k in ("username", "full_name", "role", "regions", "active")}
        record(conn, actor, "user.create", "web_user", uid, after=after)
        return user_by_id(conn, uid)


def update_user(
    engine: Engine,
    actor: Actor,
    user_id: int,
    *,
    role: str | None = None,
    regions: Iterable[str] | None = None,
    full_name: str | None = None,
    active: bool | None = None,
) -> User:
    """Change a user's role, regions, name or active flag (``user.manage``). Deactivating a
    user, or changing their role or regions, ends their sessions (their tokens stop working
    while inactive). An administrator cannot demote or deactivate themself
    (``cannot_demote_self``): there must always be one who can undo a mistake. Audited as
    ``user.update`` with the fields before and after.
    """
    actor.require("user.manage")
    with engine.begin() as conn:
        before = user_by_id(conn, user_id)
        new_role = role or before.role
        clean = users.check_role_regions(new_role, before.regions if regions is None else regions)
        if user_id == actor.user_id and (new_role != "administrator" or active is False):
            raise errors.CANNOT_DEMOTE_SELF()
        values: dict[str, Any] = {"role": new_role, "regions": list(clean)}
        if full_name is not None:
            values["full_name"] = users.clean_full_name(full_name)
        if active is not None:
            values["active"] = active
        conn.execute(update(web_user).where(web_user.c.id == user_id).values(**values))
        if active is False or new_role != before.role or clean != before.regions:
            conn.execute(delete(web_session).where(web_session.c.user_id == user_id))
        if active is False:  # reactivating the account later does not revive them
            _revoke_tokens(conn, user_id)
        old = {
            "full_name": before.full_name,
            "role": before.role,
            "regions": list(before.regions),
            "active": before.active,
        }
        record(
            conn,
            actor,
            "user.update",
            "web_user",
            user_id,
            before=old,
            after={k: values.get(k, old[k]) for k in AUDITED_FIELDS},
        )
        return user_by_id(conn, user_id)


def reset_password(engine: Engine, actor: Actor, user_id: int, password: str) -> User:
    """An administrator sets a temporary password (``user.manage``); the user must change it
    at the next sign-in, their lock-out is lifted, their sessions end and their API tokens
    are revoked (a machine client needs a new token, made by the user once they are back).
    Audited as ``user.reset_password`` (never the password)."""
    actor.require("user.manage")
    with engine.begin() as conn:
        user_by_id(conn, user_id)
        passwords.check(password)
        conn.execute(
            update(web_user)
            .where(web_user.c.id == user_id)
            .values(
                password_hash=passwords.hash_of(password),
                must_change_password=True,
                failed_logins=0,
                locked_until=None,
            )
        )
        conn.execute(delete(web_session).where(web_session.c.user_id == user_id))
        revoked = _revoke_tokens(conn, user_id)
        record(
            conn,
            actor,
            "user.reset_password",
            "web_user",
            user_id,
            after={"tokens_revoked": revoked},
        )
        return user_by_id(conn, user_id)


def change_password(
    engine: Engine, actor: Actor, current: str, new: str, *, keep_session: str | None = None
) -> None:
    """The actor changes their own password, knowing the current one; every other session of
    theirs ends (a stolen cookie dies with the old password), all but the session whose
    cookie is ``keep_session`` (the one they changed it in). Refused: ``wrong_password``
    (field ``current``; also for an actor without an account), ``weak_password``,
    ``common_password``, ``same_password`` (field ``new``). Audited as
    ``user.change_password``."""
    with engine.begin() as conn:
        stored = conn.execute(
            select(web_user.c.password_hash).where(web_user.c.id == actor.user_id)
        ).scalar_one_or_none()
        if stored is None or not passwords.verify(stored, current):
            raise errors.WRONG_PASSWORD(field="current")
        passwords.check(new, actor.username)
        if new == current:
            raise errors.SAME_PASSWORD(field="new")
        conn.execute(
            update(web_user)
            .where(web_user.c.id == actor.user_id)
            .values(password_hash=passwords.hash_of(new), must_change_password=False)
        )
        others = web_session.c.user_id == actor.user_id
        if keep_session:
            others = others & (web_session.c.token_hash != tokens.digest(keep_session))
        ended = conn.execute(delete(web_session).where(others)).rowcount
        record(
            conn,
            actor,
            "user.change_password",
            "web_user",
            actor.user_id,
            after={"other_sessions_ended": ended},
        )


def _revoke_tokens(conn: Any, user_id: int) -> int:
    """Revoke every API token of ``user_id`` still valid; how many were."""
    return int(
        conn.execute(
            update(web_token)
            .where(web_token.c.user_id == user_id, web_token.c.revoked_at.is_(None))
            .values(revoked_at=now())
        ).rowcount
    )


# --------------------------------------------------------------------------- sign-in, sessions


def authenticate(engine: Engine, username: str, password: str) -> User:
    """Check a username and password; the account on success.

    After :data:`MAX_FAILED` failures in a row the account is locked for
    :data:`LOCK_MINUTES` (``account_locked``, with ``retry_after`` seconds; the lock-out is
    recorded in the audit trail as ``user.locked`` by the system). ``bad_credentials`` does
    not say whether the username exists: an unknown name costs the same hash verification.
    """
    name = (username or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(select(web_user).where(web_user.c.username == name)).mappings().first()
    if row is None:
        passwords.verify_nothing(password or "")
        raise _bad_credentials()
    t = now()
    locked_until = to_datetime(row["locked_until"])
    if locked_until is not None and locked_until > t:
        passwords.verify_nothing(password or "")  # the same time as any other failure
        raise _bad_credentials()
    if not passwords.verify(row["password_hash"], password or "") or not row["active"]:
        _count_failure(engine, int(row["id"]), t)
        raise _bad_credentials()
    if row["failed_logins"] or locked_until is not None:
        with engine.begin() as conn:
            conn.execute(
                update(web_user)
                .where(web_user.c.id == row["id"])
                .values(failed_logins=0, locked_until=None)
            )
    return user_of(row)


def _bad_credentials() -> Exception:
    """The one refusal of a failed sign-in, whatever failed (see ``bad_credentials``)."""
    return errors.BAD_CREDENTIALS(failures=MAX_FAILED, minutes=LOCK_MINUTES)


def _count_failure(engine: Engine, user_id: int, t: dt.datetime) -> None:
    """Count one failed sign-in in the store itself (``failed_logins + 1``, read back from the
    same statement), so that concurrent failures all count: reading the count and writing
    it back lost them (30 concurrent wrong passwords never locked the account). The failure
    that reaches :data:`MAX_FAILED` locks the account and starts the count again."""
    u = web_user.c
    with engine.begin() as conn:
        failed = conn.execute(
            update(web_user)
            .where(u.id == user_id)
            .values(failed_logins=func.coalesce(u.failed_logins, 0) + 1)
            .returning(u.failed_logins)
        ).scalar_one()
        if failed >= MAX_FAILED:
            conn.execute(
                update(web_user)
                .where(u.id == user_id)
                .values(failed_logins=0, locked_until=t + dt.timedelta(minutes=LOCK_MINUTES))
            )
            record(
                conn,
                Actor.system(),
                "user.locked",
                "web_user",
                user_id,
                after={"minutes": LOCK_MINUTES},
            )


def start_session(engine: Engine, user: User) -> NewSession:
    """Open a session of :data:`SESSION_HOURS` for a user who just signed in (their expired
    sessions are forgotten at the same time). Audited as ``session.start``."""
    token, csrf = tokens.new_session()
    t = now()
    with engine.begin() as conn:
        conn.execute(
            delete(web_session).where(
                web_session.c.user_id == user.id, web_session.c.expires_at < t
            )
        )
        conn.execute(
            insert(web_session).values(
                token_hash=tokens.digest(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=t,
                expires_at=t + dt.timedelta(hours=SESSION_HOURS),
            )
        )
        record(conn, user.actor("session"), "session.start", "web_user", user.id)
    return NewSession(token=token, csrf_token=csrf)


def end_session(engine: Engine, actor: Actor, token: str) -> None:
    """Sign out: the session of cookie ``token`` is deleted (a copied cookie dies with it).
    Audited as ``session.end`` when there was one."""
    with engine.begin() as conn:
        gone = conn.execute(
            delete(web_session).where(web_session.c.token_hash == tokens.digest(token))
        )
        if gone.rowcount:
            record(conn, actor, "session.end", "web_user", actor.user_id)


def check_sign_in_rate(
    engine: Engine, address: str, *, limit: int, window: float, at: float | None = None
) -> None:
    """Count a sign-in attempt from ``address``; ``rate_limited`` (with ``retry_after``
    seconds) when it has made ``limit`` attempts in the last ``window`` seconds.

    Counted in the store (``web_login_attempt``, addresses as SHA-256 digests) so that every
    worker of ``jaring serve --workers N`` shares one count. One short transaction: forget
    attempts older than the window (everyone's, which keeps the table at a minute of
    attempts), count this address's, and record this attempt unless the limit is reached (a
    refused attempt is not counted, so a client waits out the window). Two workers checking
    one address at the same instant may both pass the last free slot: the bound is
    ``limit + workers - 1``.
    """
    t = time.time() if at is None else at
    key = tokens.digest(address)
    a = web_login_attempt.c
    with engine.begin() as conn:
        conn.execute(delete(web_login_attempt).where(a.at <= t - window))
        count, oldest = conn.execute(
            select(func.count(), func.min(a.at)).where(a.address == key)
        ).one()
        if count < limit:
            conn.execute(insert(web_login_attempt).values(address=key, at=t))
    if count >= limit:
        raise errors.RATE_LIMITED(retry_after=max(1, int(oldest + window - t) + 1))


# --------------------------------------------------------------------------- API tokens


def create_token(engine: Engine, actor: Actor, name: str) -> NewToken:
    """A token for a machine client acting as ``actor`` (the same role and regions). The
    secret is returned once; only its digest is kept. Refused: ``token_needs_name`` (field
    ``name``). Audited as ``token.create``."""
    label = (name or "").strip()[:100]
    if not label:
        raise errors.TOKEN_NEEDS_NAME(field="name")
    secret = tokens.new_api_token()
    prefix = secret[: tokens.SHOWN]
    with engine.begin() as conn:
        tid = conn.execute(
            insert(web_token)
            .returning(web_token.c.id)
            .values(
                user_id=actor.user_id,
                name=label,
                prefix=prefix,
                token_hash=tokens.digest(secret),
                created_at=now(),
            )
        ).scalar_one()
        record(conn, actor, "token.create", "web_token", tid, after={"name": label})
    return NewToken(id=tid, name=label, prefix=prefix, token=secret)


def revoke_token(engine: Engine, actor: Actor, token_id: int) -> None:
    """Revoke one of the actor's tokens (anyone's with ``user.manage``); another user's token
    is ``token_not_found``, as an unknown one. Revoking twice changes nothing. Audited as
    ``token.revoke``."""
    with engine.begin() as conn:
        row = conn.execute(select(web_token).where(web_token.c.id == token_id)).mappings().first()
        if row is None or (row["user_id"] != actor.user_id and not actor.can("user.manage")):
            raise errors.TOKEN_NOT_FOUND(token_id=token_id)
        if row["revoked_at"] is None:
            conn.execute(
                update(web_token).where(web_token.c.id == token_id).values(revoked_at=now())
            )
            record(conn, actor, "token.revoke", "web_token", token_id, before={"name": row["name"]})


def touch_token(engine: Engine, token_id: int) -> None:
    """Note that a token was used now (the web does this at most once a minute per token)."""
    with engine.begin() as conn:
        conn.execute(update(web_token).where(web_token.c.id == token_id).values(last_used_at=now()))


# --------------------------------------------------------------------------- letterheads

LOGO_MAX_BYTES = 512 * 1024
_LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def logo_type(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the file's own first bytes, when the whole image
    decodes; else ``None`` (a renamed or broken file would break every report)."""
    import io

    from PIL import Image, UnidentifiedImageError

    kind = next((t for magic, t in _LOGO_TYPES.items() if data.startswith(magic)), None)
    if kind is None:
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            if max(img.size) > 4000:
                return None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return kind


def set_letterhead(
    engine: Engine,
    actor: Actor,
    region: str,
    *,
    authority: str,
    office: str = "",
    address: str = "",
    signatory: str = "",
    signatory_title: str = "",
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Letterhead:
    """Set the letterhead of ``region`` (the Pemda's name, office, address, who signs) and,
    when given, its logo (PNG or JPEG by content, at most 512 KB; the one kept otherwise).
    Needs ``settings.manage`` and the region inside the actor's regions. Refuses
    ``missing_authority``, ``bad_logo``, ``unknown_region``. Audited as
    ``settings.letterhead`` (without the logo's bytes, with its size and type)."""
    from jaring.registry import regions as reg

    actor.require("settings.manage")
    code = reg.current_code(region.strip())
    if reg.name_of(code) is None:
        raise errors.UNKNOWN_REGION(field="region", value=region[:20])
    if not actor.covers_region(code):
        raise errors.OUT_OF_REGION()
    if not authority.strip():
        raise errors.MISSING_AUTHORITY(field="authority")
    kind = None
    if logo:
        kind = logo_type(logo)
        if kind is None or len(logo) > LOGO_MAX_BYTES:
            raise errors.BAD_LOGO(max_kb=LOGO_MAX_BYTES // 1024, field="logo")
    values: dict[str, Any] = {
        "authority": authority.strip()[:200],
        "office": office.strip()[:200],
        "address": address.strip()[:300],
        "signatory": signatory.strip()[:200],
        "signatory_title": signatory_title.strip()[:200],
        "updated_by": actor.username,
        "updated_at": now(),
    }
    if logo:
        values.update(logo=logo, logo_type=kind)
    elif remove_logo:
        values.update(logo=None, logo_type=None)
    with engine.begin() as conn:
        before = (
            conn.execute(
                select(*[c for c in region_letterhead.c if c.name != "logo"]).where(
                    region_letterhead.c.region_code == code
                )
            )
            .mappings()
            .first()
        )
        if before is None:
            conn.execute(insert(region_letterhead).values(region_code=code, **values))
        else:
            conn.execute(
                update(region_letterhead)
                .where(region_letterhead.c.region_code == code)
                .values(**values)
            )
        shown = {k: v for k, v in values.items() if k != "logo"}
        record(
            conn,
            actor,
            "settings.letterhead",
            "region_letterhead",
            code,
            before=dict(before) if before else None,
            after={**shown, "logo_bytes": len(logo) if logo else None},
        )
    found = letterhead_for(engine, code)
    assert found is not None
    return found[0]
