"""The web's principal: an :class:`~jaring.access.Actor` who came through a session or an API
token. Roles, rights, region scope and masking are settled in :mod:`jaring.access`."""

from __future__ import annotations

import dataclasses

from jaring.access import (
    CLEAR_PERSONAL_DATA,
    MATRIX,
    READ_ALL,
    ROLE_NAMES,
    ROLES,
    Actor,
    mask,
    mask_person,
    region_column,
)

PERMISSIONS = MATRIX

__all__ = [
    "CLEAR_PERSONAL_DATA",
    "PERMISSIONS",
    "READ_ALL",
    "ROLES",
    "ROLE_NAMES",
    "Principal",
    "mask",
    "mask_person",
    "region_column",
]


@dataclasses.dataclass(frozen=True)
class Principal(Actor):
    """A signed-in user (``via="session"``, with the session's CSRF token) or an API token's
    owner (``via="token"``)."""

    via: str = "session"
    csrf_token: str | None = None
    must_change_password: bool = False
