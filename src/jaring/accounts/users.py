"""The rules an account's name, role and regions follow (pure; no store).

Roles and the regions they need come from :mod:`jaring.access`: a role in
:data:`~jaring.access.NEEDS_REGIONS` (operator, supervisor, field registrar) must be limited
to at least one region; every other role may have none (= every region). Region codes are
dotted codes of the national list (``96.71.02`` = Distrik Sorong Timur).

>>> clean_username("  Op.Sorong ")
'op.sorong'
>>> check_role_regions("operator", ["96.71.02 ", "96.71.02"])
('96.71.02',)
>>> check_role_regions("viewer", [])
()
"""

from __future__ import annotations

from collections.abc import Iterable

from jaring.access import NEEDS_REGIONS, ROLES
from jaring.accounts import errors
from jaring.registry.regions import name_of

MAX_USERNAME = 80
MAX_FULL_NAME = 200


def clean_username(username: str) -> str:
    """``username`` trimmed and in lower case; refused (``bad_username``) when empty, longer
    than :data:`MAX_USERNAME` or holding anything but letters, digits, ``.``, ``_``, ``-``."""
    name = username.strip().lower()
    if (
        not name
        or len(name) > MAX_USERNAME
        or not name.replace(".", "").replace("_", "").replace("-", "").isalnum()
    ):
        raise errors.BAD_USERNAME(field="username")
    return name


def clean_full_name(full_name: str) -> str:
    return full_name.strip()[:MAX_FULL_NAME]


def check_role_regions(role: str, regions: Iterable[str]) -> tuple[str, ...]:
    """The regions of an account with ``role``: trimmed, known, sorted, without repeats.

    Refused: ``bad_role`` (not one of :data:`~jaring.access.ROLES`), ``bad_region`` (a code
    not in the national list), ``operator_needs_region`` / ``role_needs_region`` (a role of
    :data:`~jaring.access.NEEDS_REGIONS` without a region).
    """
    if role not in ROLES:
        raise errors.BAD_ROLE(field="role", value=role, allowed=list(ROLES))
    clean = tuple(sorted({r.strip() for r in regions if r and r.strip()}))
    for r in clean:
        if name_of(r) is None:
            raise errors.BAD_REGION(field="regions", value=r)
    if role in NEEDS_REGIONS and not clean:
        if role == "operator":
            raise errors.OPERATOR_NEEDS_REGION(field="regions")
        raise errors.ROLE_NEEDS_REGION(field="regions", role=role)
    return clean
