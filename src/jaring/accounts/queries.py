"""Reads of accounts: users, API tokens, who is behind a session or a token, and the audit
trail.

Every read a person asks for takes the actor and checks their right (``user.manage`` for
users, ``audit.read`` for the trail); the look-ups that come before anyone is signed in
(:func:`session_user`, :func:`token_user`, :func:`actor_named`) take a token or a name
instead. Nothing here returns a password hash or a token's digest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, func, select

from jaring import errors as common_errors
from jaring.access import Actor
from jaring.accounts import errors
from jaring.accounts.tokens import digest
from jaring.store.dialect import to_datetime
from jaring.store.tables.web import (
    audit_event,
    region_letterhead,
    web_session,
    web_token,
    web_user,
)

MAX_EVENTS = 1000


@dataclasses.dataclass(frozen=True)
class User:
    """An account as administrators see it (never its password hash)."""

    id: int
    username: str
    full_name: str
    role: str
    regions: tuple[str, ...]
    active: bool
    must_change_password: bool
    failed_logins: int
    locked_until: dt.datetime | None
    lang: str | None
    created_at: dt.datetime | None

    def actor(self, via: str = "session") -> Actor:
        """This account as the actor of an action."""
        return Actor(
            username=self.username,
            role=self.role,
            regions=self.regions,
            user_id=self.id,
            full_name=self.full_name,
            via=via,
        )


@dataclasses.dataclass(frozen=True)
class Token:
    """An API token as listed (its secret is shown once, at creation, and never again)."""

    id: int
    name: str
    prefix: str
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    username: str


@dataclasses.dataclass(frozen=True)
class Credential:
    """Who is behind a live session cookie or API token: the account, the session's CSRF
    token (sessions only) and the token's id (API tokens only)."""

    user: User
    csrf_token: str | None = None
    token_id: int | None = None


@dataclasses.dataclass(frozen=True)
class AuditEvent:
    """One entry of the audit trail: who (``actor``: the username then, or ``system``), when
    (UTC), what, on which entity, and the entity's fields before and after."""

    id: int
    at: dt.datetime
    actor_id: int | None
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any


@dataclasses.dataclass(frozen=True)
class AuditPage:
    """Events newest first, and how many match the filter in all."""

    total: int
    events: list[AuditEvent]


_USER_COLUMNS = [c for c in web_user.c if c.name != "password_hash"]


def user_of(row: RowMapping) -> User:
    return User(
        id=int(row["id"]),
        username=str(row["username"]),
        full_name=str(row["full_name"] or ""),
        role=str(row["role"]),
        regions=tuple(row["regions"] or ()),
        active=bool(row["active"]),
        must_change_password=bool(row["must_change_password"]),
        failed_logins=int(row["failed_logins"] or 0),
        locked_until=to_datetime(row["locked_until"]),
        lang=row["lang"],
        created_at=to_datetime(row["created_at"]),
    )


def _when(value: Any) -> dt.datetime:
    """A timestamp of a NOT NULL column, as a naive UTC ``datetime``."""
    when = to_datetime(value)
    if when is None:
        raise ValueError("a NOT NULL timestamp came back empty")
    return when


def user_by_id(conn: Connection, user_id: int) -> User:
    """The account ``user_id`` inside the caller's transaction; ``user_not_found`` if none."""
    row = conn.execute(select(*_USER_COLUMNS).where(web_user.c.id == user_id)).mappings().first()
    if row is None:
        raise errors.USER_NOT_FOUND(user_id=user_id)
    return user_of(row)


def actor_named(engine: Engine, username: str, via: str = "cli") -> Actor:
    """The active account ``username`` as an actor (its role and regions), for the CLI's
    ``--user`` / ``JARING_USER``; refused (``unknown_user``) when no active account has that
    name."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(*_USER_COLUMNS).where(
                    web_user.c.username == username, web_user.c.active.is_(True)
                )
            )
            .mappings()
            .first()
        )
    if row is None:
        raise common_errors.UNKNOWN_USER(username=username)
    return user_of(row).actor(via)


def list_users(engine: Engine, actor: Actor) -> list[User]:
    """Every account, by username (``user.manage``)."""
    actor.require("user.manage")
    with engine.connect() as conn:
        rows = conn.execute(select(*_USER_COLUMNS).order_by(web_user.c.username)).mappings()
        return [user_of(r) for r in rows]


def get_user(engine: Engine, actor: Actor, user_id: int) -> User:
    """One account (``user.manage``); ``user_not_found`` when there is none."""
    actor.require("user.manage")
    with engine.connect() as conn:
        return user_by_id(conn, user_id)


def list_tokens(engine: Engine, actor: Actor) -> list[Token]:
    """The actor's own API tokens; every user's for an actor with ``user.manage``."""
    q = select(
        web_token.c.id,
        web_token.c.name,
        web_token.c.prefix,
        web_token.c.created_at,
        web_token.c.last_used_at,
        web_token.c.revoked_at,
        web_user.c.username,
    ).join(web_user, web_user.c.id == web_token.c.user_id)
    if not actor.can("user.manage"):
        q = q.where(web_token.c.user_id == actor.user_id)
    with engine.connect() as conn:
        return [
            Token(
                id=int(r["id"]),
                name=str(r["name"]),
                prefix=str(r["prefix"]),
                created_at=to_datetime(r["created_at"]),
                last_used_at=to_datetime(r["last_used_at"]),
                revoked_at=to_datetime(r["revoked_at"]),
                username=str(r["username"]),
            )
            for r in conn.execute(q.order_by(web_token.c.id)).mappings()
        ]


def session_user(engine: Engine, token: str, now: dt.datetime) -> Credential | None:
    """The account behind a session cookie, with the session's CSRF token; ``None`` when the
    session is unknown, expired at ``now`` (naive UTC) or the account is no longer active."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(*_USER_COLUMNS, web_session.c.csrf_token, web_session.c.expires_at)
                .join(web_session, web_session.c.user_id == web_user.c.id)
                .where(web_session.c.token_hash == digest(token))
            )
            .mappings()
            .first()
        )
    if row is None or not row["active"]:
        return None
    expires = to_datetime(row["expires_at"])
    if expires is None or expires <= now:
        return None
    return Credential(user_of(row), csrf_token=str(row["csrf_token"]))


def token_user(engine: Engine, token: str) -> Credential | None:
    """The account behind an API token that is not revoked, with the token's id; ``None``
    otherwise (or when the account is no longer active)."""
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(*_USER_COLUMNS, web_token.c.id.label("token_id"))
                .join(web_token, web_token.c.user_id == web_user.c.id)
                .where(web_token.c.token_hash == digest(token), web_token.c.revoked_at.is_(None))
            )
            .mappings()
            .first()
        )
    if row is None or not row["active"]:
        return None
    return Credential(user_of(row), token_id=int(row["token_id"]))


@dataclasses.dataclass(frozen=True)
class AuditChoices:
    """What the audit trail's filters offer: the actions, users and entities it holds."""

    actions: list[str]
    actors: list[str]
    entities: list[str]


def audit_choices(engine: Engine, actor: Actor) -> AuditChoices:
    """The distinct actions, users and entities of the audit trail (``audit.read``)."""
    actor.require("audit.read")
    c = audit_event.c
    with engine.connect() as conn:
        return AuditChoices(
            *(
                [str(x) for x in conn.execute(select(col).distinct().order_by(col)).scalars()]
                for col in (c.action, c.actor, c.entity)
            )
        )


def list_events(
    engine: Engine,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    by: str | None = None,
    action: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> AuditPage:
    """The audit trail, newest first (``audit.read``), filtered by entity and its id, by who
    acted (``by``: a username or ``system``), by action prefix (``registry.`` finds every
    registry action) and by the days ``since`` .. ``until`` (UTC, both included);
    ``before_id`` pages back through older events; at most :data:`MAX_EVENTS` at a time."""
    actor.require("audit.read")
    conds: list[ColumnElement[bool]] = []
    if since:
        conds.append(audit_event.c.at >= dt.datetime.combine(since, dt.time()))
    if until:
        conds.append(audit_event.c.at < dt.datetime.combine(until, dt.time()) + dt.timedelta(1))
    if entity:
        conds.append(audit_event.c.entity == entity)
    if entity_id:
        conds.append(audit_event.c.entity_id == entity_id)
    if by:
        conds.append(audit_event.c.actor == by)
    if action:
        conds.append(audit_event.c.action.like(action.replace("%", "") + "%"))
    q = (
        select(audit_event)
        .where(*conds)
        .order_by(audit_event.c.id.desc())
        .limit(max(1, min(limit, MAX_EVENTS)))
    )
    if before_id:
        q = q.where(audit_event.c.id < before_id)
    count_q = select(func.count()).select_from(audit_event).where(*conds)
    with engine.connect() as conn:
        events = [
            AuditEvent(
                id=int(r["id"]),
                at=_when(r["at"]),
                actor_id=r["actor_id"],
                actor=str(r["actor"]),
                action=str(r["action"]),
                entity=str(r["entity"]),
                entity_id=r["entity_id"],
                before=r["before"],
                after=r["after"],
            )
            for r in conn.execute(q).mappings()
        ]
        total = int(conn.execute(count_q).scalar_one())
    return AuditPage(total=total, events=events)


# --------------------------------------------------------------------------- letterheads


@dataclasses.dataclass(frozen=True)
class Letterhead:
    """A region's letterhead for its reports: the government's name, the office and address
    under it, who signs and as what, and whether a logo is set (``logo_type``)."""

    region_code: str
    authority: str
    office: str
    address: str
    signatory: str
    signatory_title: str
    logo_type: str | None
    updated_by: str
    updated_at: dt.datetime | None


def _letterhead(row: RowMapping) -> Letterhead:
    return Letterhead(
        region_code=row["region_code"],
        authority=row["authority"],
        office=row["office"],
        address=row["address"],
        signatory=row["signatory"],
        signatory_title=row["signatory_title"],
        logo_type=row["logo_type"],
        updated_by=row["updated_by"],
        updated_at=to_datetime(row["updated_at"]),
    )


def list_letterheads(engine: Engine, actor: Actor) -> list[Letterhead]:
    """Every region's letterhead. Needs ``settings.manage``."""
    actor.require("settings.manage")
    cols = [c for c in region_letterhead.c if c.name != "logo"]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(region_letterhead.c.region_code)).mappings()
        return [_letterhead(r) for r in rows]


def letterhead_for(engine: Engine, region: str) -> tuple[Letterhead, bytes | None] | None:
    """The letterhead heading a report of ``region``: its own, else the nearest enclosing
    region's (a distrik's report carries its city's); with the logo bytes. ``None`` when no
    region up the line has one. No right: a report's reader sees its letterhead."""
    codes = [region.rsplit(".", k)[0] for k in range(region.count(".") + 1)]
    with engine.connect() as conn:
        rows = {
            r["region_code"]: r
            for r in conn.execute(
                select(region_letterhead).where(region_letterhead.c.region_code.in_(codes))
            ).mappings()
        }
    for code in codes:
        if code in rows:
            r = rows[code]
            return _letterhead(r), (bytes(r["logo"]) if r["logo"] is not None else None)
    return None


@dataclasses.dataclass(frozen=True)
class RegionChoice:
    """A region offered in a list, by name: ``label`` is its name with its level."""

    code: str
    name: str
    level: int


def region_choices(engine: Engine, actor: Actor) -> list[RegionChoice]:
    """The regions an administrator picks from for a user or a letterhead: every province,
    regency and distrik where the registry has people, and those of the programs' funders;
    by code. Needs ``user.manage`` or ``settings.manage``."""
    if not (actor.can("user.manage") or actor.can("settings.manage")):
        actor.require("user.manage")
    from jaring.registry import regions as reg
    from jaring.store.tables.programs import program
    from jaring.store.tables.registry import person

    with engine.connect() as conn:
        codes = {
            c
            for (c,) in conn.execute(
                select(person.c.district_code).where(person.c.district_code.is_not(None)).distinct()
            )
        }
        codes |= {
            c
            for (c,) in conn.execute(
                select(program.c.funder_region).where(program.c.funder_region.is_not(None))
            )
        }
    out = []
    for c in reg.with_parents(codes):
        name = reg.name_of(c)
        if name:
            out.append(RegionChoice(c, name, c.count(".") + 1))
    return out
