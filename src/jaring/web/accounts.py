"""Accounts: users, passwords, sign-in with lock-out, sessions and API tokens.

One function per user action, taking an ``Engine`` (one transaction each, audited in it).
Passwords are hashed with argon2id (argon2-cffi defaults, RFC 9106 low-memory profile).
Session and API tokens are 256-bit random values; only their SHA-256 digest is stored, so a
copy of the database gives nobody a way in. No default password exists: the first
administrator gets a one-time password (or ``JARING_ADMIN_PASSWORD``) and must change it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Engine, delete, func, insert, select, update

from jaring.access import ROLES
from jaring.audit import now, record
from jaring.errors import Forbidden, JaringError, NotFound
from jaring.registry.regions import name_of
from jaring.store.tables.web import web_session, web_setting, web_token, web_user
from jaring.web import security

ADMIN_ENV = "JARING_ADMIN_PASSWORD"
MIN_PASSWORD = 10
MAX_FAILED = 5
LOCK_MINUTES = 15
SESSION_HOURS = 12
TOKEN_PREFIX = "jrg_"

_hasher = PasswordHasher()
# A real hash to verify against when the username is unknown, so that the time a failed
# sign-in takes does not tell whether the account exists.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _public(row: Any) -> dict[str, Any]:
    m = dict(row._mapping)
    m.pop("password_hash", None)
    m["regions"] = list(m.get("regions") or [])
    return m


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise JaringError(
            "weak_password",
            f"Kata sandi minimal {MIN_PASSWORD} karakter.",
            f"A password needs at least {MIN_PASSWORD} characters.",
            field="password",
        )


def _check_role_regions(role: str, regions: list[str]) -> list[str]:
    if role not in ROLES:
        raise JaringError(
            "bad_role",
            f"Peran tidak dikenal: {role}",
            f"Unknown role: {role}",
            field="role",
            value=role,
            allowed=list(ROLES),
        )
    clean = sorted({r.strip() for r in regions if r and r.strip()})
    for r in clean:
        if name_of(r) is None:
            raise JaringError(
                "bad_region",
                f"Kode wilayah tidak dikenal: {r}",
                f"Unknown region code: {r}",
                field="regions",
                value=r,
            )
    if role == "operator" and not clean:
        raise JaringError(
            "operator_needs_region",
            "Operator harus dibatasi pada sedikitnya satu wilayah.",
            "An operator must be limited to at least one region.",
            field="regions",
        )
    return clean


def principal_of(
    user: dict[str, Any], via: str = "session", csrf: str | None = None
) -> security.Principal:
    return security.Principal(
        user_id=int(user["id"]),
        username=str(user["username"]),
        full_name=str(user.get("full_name") or ""),
        role=str(user["role"]),
        regions=tuple(user.get("regions") or ()),
        via=via,
        csrf_token=csrf,
        must_change_password=bool(user.get("must_change_password")),
    )


# --- first start -----------------------------------------------------------------------------


def ensure_admin(engine: Engine, username: str = "admin") -> dict[str, Any] | None:
    """Create the first administrator when no user exists. Returns ``{"username",
    "password", "from_env"}`` once (the caller prints the one-time password), else ``None``.
    With ``JARING_ADMIN_PASSWORD`` set, that password is used and need not be changed."""
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(web_user)).scalar_one():
            return None
        env_pw = os.environ.get(ADMIN_ENV)
        if env_pw:
            _check_password(env_pw)
        password = env_pw or secrets.token_urlsafe(12)
        uid = conn.execute(
            insert(web_user).values(
                username=username,
                full_name="Administrator",
                role="administrator",
                regions=[],
                password_hash=_hasher.hash(password),
                active=True,
                must_change_password=not env_pw,
                failed_logins=0,
                created_at=now(),
            )
        ).inserted_primary_key[0]
        record(
            conn,
            None,
            "user.create",
            "web_user",
            uid,
            after={"username": username, "role": "administrator", "first_start": True},
        )
    return {"username": username, "password": password, "from_env": bool(env_pw)}


def secret_key(engine: Engine) -> str:
    """The key that signs short-lived values (the pre-sign-in CSRF cookie); made once."""
    with engine.begin() as conn:
        v = conn.execute(select(web_setting.c.value).where(web_setting.c.key == "secret_key"))
        found = v.scalar_one_or_none()
        if found:
            return str(found)
        key = secrets.token_hex(32)
        conn.execute(insert(web_setting).values(key="secret_key", value=key))
        return key


# --- users -----------------------------------------------------------------------------------


def list_users(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [_public(r) for r in conn.execute(select(web_user).order_by(web_user.c.username))]


def get_user(engine: Engine, user_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        row = conn.execute(select(web_user).where(web_user.c.id == user_id)).first()
    if row is None:
        raise NotFound(
            "user_not_found",
            f"Pengguna {user_id} tidak ada.",
            f"No user {user_id}.",
            user_id=user_id,
        )
    return _public(row)


def create_user(
    engine: Engine,
    actor: security.Principal | None,
    *,
    username: str,
    role: str,
    password: str,
    full_name: str = "",
    regions: list[str] | None = None,
) -> dict[str, Any]:
    """Create an account. The password is set by the administrator and must be changed at the
    first sign-in."""
    username = username.strip().lower()
    if (
        not username
        or len(username) > 80
        or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise JaringError(
            "bad_username",
            "Nama pengguna hanya huruf, angka, titik, garis bawah atau tanda hubung.",
            "A username holds only letters, digits, dots, underscores or hyphens.",
            field="username",
        )
    clean = _check_role_regions(role, regions or [])
    _check_password(password)
    with engine.begin() as conn:
        exists = conn.execute(select(web_user.c.id).where(web_user.c.username == username)).first()
        if exists:
            raise JaringError(
                "username_taken",
                f"Nama pengguna {username} sudah dipakai.",
                f"The username {username} is taken.",
                field="username",
                value=username,
            )
        values = {
            "username": username,
            "full_name": full_name.strip()[:200],
            "role": role,
            "regions": clean,
            "password_hash": _hasher.hash(password),
            "active": True,
            "must_change_password": True,
            "failed_logins": 0,
            "created_at": now(),
        }
        uid = conn.execute(insert(web_user).values(**values)).inserted_primary_key[0]
        after = {k: values[k] for k in ("username", "full_name", "role", "regions", "active")}
        record(conn, actor, "user.create", "web_user", uid, after=after)
    return get_user(engine, int(uid))


def update_user(
    engine: Engine,
    actor: security.Principal,
    user_id: int,
    *,
    role: str | None = None,
    regions: list[str] | None = None,
    full_name: str | None = None,
    active: bool | None = None,
) -> dict[str, Any]:
    """Change a user's role, regions, name or active flag. Deactivating ends their sessions
    and their tokens stop working. An administrator cannot demote or deactivate themself
    (there must always be one who can undo a mistake)."""
    before = get_user(engine, user_id)
    new_role = role or before["role"]
    new_regions = before["regions"] if regions is None else regions
    clean = _check_role_regions(new_role, new_regions)
    if user_id == actor.user_id and (new_role != "administrator" or active is False):
        raise Forbidden(
            "cannot_demote_self",
            "Anda tidak dapat menurunkan peran atau menonaktifkan akun sendiri.",
            "You cannot demote or deactivate your own account.",
        )
    values: dict[str, Any] = {"role": new_role, "regions": clean}
    if full_name is not None:
        values["full_name"] = full_name.strip()[:200]
    if active is not None:
        values["active"] = active
    with engine.begin() as conn:
        conn.execute(update(web_user).where(web_user.c.id == user_id).values(**values))
        if active is False or new_role != before["role"] or clean != before["regions"]:
            conn.execute(delete(web_session).where(web_session.c.user_id == user_id))
        keys = ("full_name", "role", "regions", "active")
        after = {**{k: before[k] for k in keys}, **values}
        record(
            conn,
            actor,
            "user.update",
            "web_user",
            user_id,
            before={k: before[k] for k in keys},
            after={k: after[k] for k in keys},
        )
    return get_user(engine, user_id)


def reset_password(engine: Engine, actor: security.Principal, user_id: int, password: str) -> None:
    """An administrator sets a new password; the user must change it at the next sign-in."""
    get_user(engine, user_id)
    _check_password(password)
    with engine.begin() as conn:
        conn.execute(
            update(web_user)
            .where(web_user.c.id == user_id)
            .values(
                password_hash=_hasher.hash(password),
                must_change_password=True,
                failed_logins=0,
                locked_until=None,
            )
        )
        conn.execute(delete(web_session).where(web_session.c.user_id == user_id))
        record(conn, actor, "user.reset_password", "web_user", user_id)


def change_password(engine: Engine, actor: security.Principal, current: str, new: str) -> None:
    """The user changes their own password (knowing the current one)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(web_user.c.password_hash).where(web_user.c.id == actor.user_id)
        ).first()
    if row is None or not _verify(row[0], current):
        raise JaringError(
            "wrong_password",
            "Kata sandi saat ini salah.",
            "The current password is wrong.",
            field="current",
        )
    _check_password(new)
    if new == current:
        raise JaringError(
            "same_password",
            "Kata sandi baru harus berbeda.",
            "The new password must differ from the current one.",
            field="new",
        )
    with engine.begin() as conn:
        conn.execute(
            update(web_user)
            .where(web_user.c.id == actor.user_id)
            .values(password_hash=_hasher.hash(new), must_change_password=False)
        )
        record(conn, actor, "user.change_password", "web_user", actor.user_id)


def _verify(hash_: str, password: str) -> bool:
    try:
        return _hasher.verify(hash_, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --- sign-in and sessions --------------------------------------------------------------------


def authenticate(engine: Engine, username: str, password: str) -> dict[str, Any]:
    """Check a username and password. After ``MAX_FAILED`` failures in a row the account is
    locked for ``LOCK_MINUTES`` (the lock-out is recorded in the audit trail). The error does
    not say whether the username exists."""
    username = (username or "").strip().lower()
    with engine.connect() as conn:
        row = conn.execute(select(web_user).where(web_user.c.username == username)).first()
    bad = JaringError(
        "bad_credentials",
        "Nama pengguna atau kata sandi salah.",
        "Wrong username or password.",
    )
    if row is None:
        _verify(_DUMMY_HASH, password or "")
        raise bad
    user = row._mapping
    t = now()
    if user["locked_until"] is not None and _as_dt(user["locked_until"]) > t:
        raise JaringError(
            "account_locked",
            f"Terlalu banyak percobaan gagal; coba lagi setelah {LOCK_MINUTES} menit.",
            f"Too many failed attempts; try again in {LOCK_MINUTES} minutes.",
            retry_after=int((_as_dt(user["locked_until"]) - t).total_seconds()) + 1,
        )
    if not _verify(user["password_hash"], password or "") or not user["active"]:
        failed = int(user["failed_logins"] or 0) + 1
        values: dict[str, Any] = {"failed_logins": failed}
        with engine.begin() as conn:
            if failed >= MAX_FAILED:
                values = {
                    "failed_logins": 0,
                    "locked_until": t + dt.timedelta(minutes=LOCK_MINUTES),
                }
                record(
                    conn,
                    None,
                    "user.locked",
                    "web_user",
                    user["id"],
                    after={"minutes": LOCK_MINUTES},
                )
            conn.execute(update(web_user).where(web_user.c.id == user["id"]).values(**values))
        raise bad
    if user["failed_logins"] or user["locked_until"] is not None:
        with engine.begin() as conn:
            conn.execute(
                update(web_user)
                .where(web_user.c.id == user["id"])
                .values(failed_logins=0, locked_until=None)
            )
    return _public(row)


def _as_dt(v: Any) -> dt.datetime:
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)
    return dt.datetime.fromisoformat(str(v))


def start_session(engine: Engine, user: dict[str, Any]) -> tuple[str, str]:
    """Open a session for a signed-in user; returns ``(cookie_value, csrf_token)``."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    t = now()
    with engine.begin() as conn:
        # sign-in is a good moment to forget this user's expired sessions
        conn.execute(
            delete(web_session).where(
                web_session.c.user_id == user["id"], web_session.c.expires_at < t
            )
        )
        conn.execute(
            insert(web_session).values(
                token_hash=digest(token),
                user_id=user["id"],
                csrf_token=csrf,
                created_at=t,
                expires_at=t + dt.timedelta(hours=SESSION_HOURS),
            )
        )
        record(
            conn,
            principal_of(user),
            "session.start",
            "web_user",
            user["id"],
        )
    return token, csrf


def end_session(engine: Engine, token: str, actor: security.Principal | None = None) -> None:
    with engine.begin() as conn:
        n = conn.execute(delete(web_session).where(web_session.c.token_hash == digest(token)))
        if n.rowcount and actor is not None:
            record(conn, actor, "session.end", "web_user", actor.user_id)


def session_principal(engine: Engine, token: str) -> security.Principal | None:
    """The user behind a session cookie, or ``None`` if it is unknown, expired or the
    account is no longer active."""
    with engine.connect() as conn:
        row = conn.execute(
            select(web_user, web_session.c.csrf_token, web_session.c.expires_at)
            .join(web_session, web_session.c.user_id == web_user.c.id)
            .where(web_session.c.token_hash == digest(token))
        ).first()
    if row is None:
        return None
    m = row._mapping
    if not m["active"] or _as_dt(m["expires_at"]) <= now():
        return None
    return principal_of(dict(m), "session", m["csrf_token"])


# --- API tokens ------------------------------------------------------------------------------


def create_token(engine: Engine, actor: security.Principal, name: str) -> dict[str, Any]:
    """A token for a machine client acting as ``actor`` (same role and regions). The token
    is returned once; only its digest is kept."""
    name = (name or "").strip()[:100]
    if not name:
        raise JaringError(
            "token_needs_name",
            "Beri nama token (misalnya: BPJS Cabang Sorong).",
            "Give the token a name (for example: BPJS Sorong branch).",
            field="name",
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        tid = conn.execute(
            insert(web_token).values(
                user_id=actor.user_id,
                name=name,
                prefix=token[:10],
                token_hash=digest(token),
                created_at=now(),
            )
        ).inserted_primary_key[0]
        record(conn, actor, "token.create", "web_token", tid, after={"name": name})
    return {"id": int(tid), "name": name, "prefix": token[:10], "token": token}


def list_tokens(
    engine: Engine, actor: security.Principal, all_users: bool = False
) -> list[dict[str, Any]]:
    q = select(
        web_token.c.id,
        web_token.c.name,
        web_token.c.prefix,
        web_token.c.created_at,
        web_token.c.last_used_at,
        web_token.c.revoked_at,
        web_user.c.username,
    ).join(web_user, web_user.c.id == web_token.c.user_id)
    if not all_users:
        q = q.where(web_token.c.user_id == actor.user_id)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q.order_by(web_token.c.id))]


def revoke_token(engine: Engine, actor: security.Principal, token_id: int) -> None:
    with engine.begin() as conn:
        row = conn.execute(select(web_token).where(web_token.c.id == token_id)).first()
        if row is None or (
            row._mapping["user_id"] != actor.user_id and not actor.can("user.manage")
        ):
            raise NotFound(
                "token_not_found",
                f"Token {token_id} tidak ada.",
                f"No token {token_id}.",
                token_id=token_id,
            )
        if row._mapping["revoked_at"] is None:
            conn.execute(
                update(web_token).where(web_token.c.id == token_id).values(revoked_at=now())
            )
            record(
                conn,
                actor,
                "token.revoke",
                "web_token",
                token_id,
                before={"name": row._mapping["name"]},
            )


def token_principal(engine: Engine, token: str) -> tuple[security.Principal, int] | None:
    """The user behind an API token and the token's id, or ``None``."""
    with engine.connect() as conn:
        row = conn.execute(
            select(web_user, web_token.c.id.label("token_id"))
            .join(web_token, web_token.c.user_id == web_user.c.id)
            .where(web_token.c.token_hash == digest(token), web_token.c.revoked_at.is_(None))
        ).first()
    if row is None or not row._mapping["active"]:
        return None
    m = dict(row._mapping)
    return principal_of(m, "token"), int(m["token_id"])


def touch_token(engine: Engine, token_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(update(web_token).where(web_token.c.id == token_id).values(last_used_at=now()))
