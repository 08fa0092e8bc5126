"""Roles, what each may do, which people each may see, and how personal data is masked.

Six roles, from the issue. Permissions are plain strings so that routes state what they need
(``require("person.write")``) and this table stays the one place that says who has what.
Region scope is separate from role: an operator carries the dotted region codes they work in
(``96.71.02`` = Distrik Sorong Timur) and sees and changes only people inside them; an empty
list means every region and is refused for operators.
"""

from __future__ import annotations

import dataclasses
from typing import Any

ROLES = ("administrator", "operator", "budget_officer", "viewer", "juror", "auditor")

READ_ALL = {
    "dashboard.read",
    "person.read",
    "program.read",
    "claim.read",
    "coverage.read",
    "award.read",
    "law.read",
}

PERMISSIONS: dict[str, frozenset[str]] = {
    "administrator": frozenset(
        READ_ALL
        | {
            "person.write",
            "program.write",
            "billing.write",
            "claim.write",
            "award.manage",
            "audit.read",
            "user.manage",
        }
    ),
    "operator": frozenset(READ_ALL | {"person.write", "program.write", "claim.write"}),
    "budget_officer": frozenset(READ_ALL | {"program.write", "billing.write"}),
    "viewer": frozenset(READ_ALL),
    "juror": frozenset({"law.read", "award.read", "award.score"}),
    "auditor": frozenset(READ_ALL | {"audit.read"}),
}

# Roles that see NIK, phone and address in clear. Everyone else sees them masked.
CLEAR_PERSONAL_DATA = frozenset({"administrator", "operator", "auditor"})

ROLE_NAMES = {
    "administrator": {"id": "Administrator", "en": "Administrator"},
    "operator": {"id": "Operator", "en": "Operator"},
    "budget_officer": {"id": "Petugas anggaran", "en": "Budget officer"},
    "viewer": {"id": "Pemantau", "en": "Viewer"},
    "juror": {"id": "Juri", "en": "Juror"},
    "auditor": {"id": "Auditor", "en": "Auditor"},
}


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who is asking: the signed-in user (session) or a machine client (API token)."""

    user_id: int
    username: str
    full_name: str
    role: str
    regions: tuple[str, ...] = ()
    via: str = "session"  # 'session' | 'token'
    csrf_token: str | None = None
    must_change_password: bool = False

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    @property
    def masked(self) -> bool:
        """True when NIK, phone and address must be shown masked to this user."""
        return self.role not in CLEAR_PERSONAL_DATA

    @property
    def all_regions(self) -> bool:
        return not self.regions

    def sees_region(self, codes: dict[str, str | None]) -> bool:
        """Whether a thing located by ``codes`` (province/regency/district/village code, as on
        ``person``) lies inside one of this user's regions."""
        if not self.regions:
            return True
        return any(_inside(r, codes) for r in self.regions)


def region_column(code: str) -> str:
    """The ``person`` column that holds a region code of this level."""
    level = code.count(".") + 1
    return {1: "province_code", 2: "regency_code", 3: "district_code"}.get(level, "village_code")


def _inside(region: str, codes: dict[str, str | None]) -> bool:
    return codes.get(region_column(region)) == region


def mask(value: str | None, keep_start: int = 4, keep_end: int = 4) -> str | None:
    """``9671010101010001`` -> ``9671********0001``: the ends stay so that a person on the phone
    can confirm a number, the middle (birth date and serial) does not leave the office."""
    if value is None:
        return None
    s = str(value)
    if len(s) <= keep_start + keep_end:
        return "*" * len(s)
    return s[:keep_start] + "*" * (len(s) - keep_start - keep_end) + s[-keep_end:]


def mask_person(row: dict[str, Any]) -> dict[str, Any]:
    """A person as a masked-data role sees it: NIK and phone masked, address withheld."""
    out = dict(row)
    if "nik" in out:
        out["nik"] = mask(out["nik"])
    if "phone" in out:
        out["phone"] = mask(out["phone"])
    if "address" in out and out["address"] is not None:
        out["address"] = None
    return out
