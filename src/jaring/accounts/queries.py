"""Reads of accounts: who a named user is, as an :class:`~jaring.access.Actor`."""

from __future__ import annotations

from sqlalchemy import Engine, select

from jaring import errors
from jaring.access import Actor
from jaring.store.tables.web import web_user


def actor_named(engine: Engine, username: str, via: str = "cli") -> Actor:
    """The active account ``username`` as an actor (its role and regions), for the CLI's
    ``--user`` / ``JARING_USER``; refused (``unknown_user``) when no active account has that
    name."""
    with engine.connect() as conn:
        row = conn.execute(
            select(
                web_user.c.id,
                web_user.c.username,
                web_user.c.full_name,
                web_user.c.role,
                web_user.c.regions,
            ).where(web_user.c.username == username, web_user.c.active.is_(True))
        ).first()
    if row is None:
        raise errors.UNKNOWN_USER(username=username)
    return Actor(
        username=row.username,
        role=row.role,
        regions=tuple(row.regions or ()),
        user_id=int(row.id),
        full_name=row.full_name or "",
        via=via,
    )
