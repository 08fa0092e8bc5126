"""Who may do what, where, and what they see: the one matrix of roles, rights, region scope
and masking, and the :class:`Actor` every domain action and query takes.

Every front end (the CLI, the API, the pages) hands the domains an actor; the domains check
the right and the region themselves, so a refusal is the same wherever it is asked. Rights
are plain strings (``claim.approve``) so that code states what it needs and this table stays
the one place that says who has what (``tests/test_access.py`` asserts every cell).

Region scope is separate from the role: an actor carries the dotted region codes they work in
(``96.71.02`` = Distrik Sorong Timur) and sees and changes only what lies inside them. An
empty list means every region; roles in :data:`NEEDS_REGIONS` must have at least one. A
registrar (:data:`OWN_RECORDS`) sees only the records they registered, inside their regions.

Masking: roles in :data:`CLEAR_PERSONAL_DATA` see NIK, KK number, phone and address in clear;
every other role sees them masked (:func:`mask_person`), and a role without ``nik.export``
never receives a clear NIK in a file.

The system actor (``Actor.system()``) is the CLI run by the machine's own operator without a
named account, and the jobs Jaring runs itself; it holds every right and every region, and
the audit trail records it as ``system``, never as a name typed on a command line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Table, or_

from jaring import errors

# --------------------------------------------------------------------------- the rights

RIGHTS: dict[str, str] = {
    "dashboard.read": "See the dashboard and the work queue",
    "person.read": "See people in one's regions",
    "person.write": "Import lists, fix rejected rows, register and edit workers, decide "
    "duplicate pairs, record deaths",
    "person.approve": "Approve identity change requests; undo a recorded death",
    "field.register": "Register workers in the field (own records only)",
    "field.supervise": "See a field team's progress by day and place",
    "nik.export": "Download files with clear NIKs (the BPJS registration file); audited",
    "program.read": "See programs, plans, enrolment and invoices",
    "program.write": "Create and plan programs, enrol, exchange files with BPJS",
    "billing.write": "Issue invoices, record payments and refunds",
    "claim.read": "See claims",
    "claim.write": "File claims, record documents and heirs, verify",
    "claim.approve": "Approve and pay claims filed by someone else (maker-checker)",
    "coverage.read": "See coverage indicators and reports",
    "award.read": "See the Paritrana Award editions and results",
    "award.manage": "Run an award edition: stages, candidates, jurors, interviews, evidence",
    "award.score": "Score candidates as a juror",
    "law.read": "See the law's parameters and compute amounts",
    "audit.read": "Read the audit trail",
    "user.manage": "Create users, change roles and regions, reset passwords",
    "settings.manage": "Set the region's time zone, letterhead and logo",
    "national.receive": "Take a national deduplication's cross-region pairs into the review",
}

READ_ALL = frozenset(
    {
        "dashboard.read",
        "person.read",
        "program.read",
        "claim.read",
        "coverage.read",
        "award.read",
        "law.read",
    }
)

SYSTEM = "system"

MATRIX: dict[str, frozenset[str]] = {
    "administrator": READ_ALL
    | {
        "person.write",
        "person.approve",
        "field.supervise",
        "nik.export",
        "program.write",
        "billing.write",
        "claim.write",
        "award.manage",
        "audit.read",
        "user.manage",
        "settings.manage",
        "national.receive",
    },
    "operator": READ_ALL | {"person.write", "program.write", "claim.write"},
    "supervisor": READ_ALL
    | {"person.write", "person.approve", "field.supervise", "national.receive"},
    "registrar": frozenset({"field.register", "law.read"}),
    "budget_officer": READ_ALL | {"program.write", "billing.write", "nik.export"},
    "claims_approver": READ_ALL | {"claim.approve"},
    "viewer": READ_ALL,
    "award_secretariat": frozenset(
        {"dashboard.read", "coverage.read", "law.read", "award.read", "award.manage"}
    ),
    "juror": frozenset({"law.read", "award.read", "award.score"}),
    "auditor": READ_ALL | {"audit.read"},
    SYSTEM: frozenset(RIGHTS),
}

# Roles an administrator may give a user, least powerful first (a new user's default is the
# first). The system actor is not an account.
ROLES: tuple[str, ...] = (
    "viewer",
    "juror",
    "award_secretariat",
    "registrar",
    "auditor",
    "budget_officer",
    "claims_approver",
    "operator",
    "supervisor",
    "administrator",
)
DEFAULT_ROLE = ROLES[0]

ROLE_NAMES: dict[str, dict[str, str]] = {
    "administrator": {"id": "Administrator", "en": "Administrator"},
    "operator": {"id": "Operator Disnaker", "en": "Operator"},
    "supervisor": {"id": "Supervisor registri", "en": "Registry supervisor"},
    "registrar": {"id": "Petugas pendaftaran lapangan", "en": "Field registrar"},
    "budget_officer": {"id": "Petugas anggaran", "en": "Budget officer"},
    "claims_approver": {"id": "Pemberi persetujuan klaim", "en": "Claims approver"},
    "viewer": {"id": "Pemantau", "en": "Viewer"},
    "award_secretariat": {"id": "Sekretariat Paritrana", "en": "Award secretariat"},
    "juror": {"id": "Juri", "en": "Juror"},
    "auditor": {"id": "Auditor", "en": "Auditor"},
    SYSTEM: {"id": "Sistem", "en": "System"},
}

# Roles that must work inside named regions (an empty list is refused for them).
NEEDS_REGIONS = frozenset({"operator", "supervisor", "registrar"})
# Roles that see only the records they made themselves (inside their regions).
OWN_RECORDS = frozenset({"registrar"})
# Roles that see NIK, KK number, phone and address in clear. Everyone else sees them masked.
CLEAR_PERSONAL_DATA = frozenset(
    {"administrator", "operator", "supervisor", "registrar", "claims_approver", "auditor", SYSTEM}
)
# The fields masked for the other roles.
PERSONAL_FIELDS = ("nik", "kk_number", "phone", "address")


# --------------------------------------------------------------------------- the actor


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in user, an API token's owner, a named CLI user, or the system.

    ``via`` says how they came (``session``, ``token``, ``cli``, ``system``); the audit trail
    records ``username`` (``system`` for the system actor) and ``user_id``.
    """

    username: str
    role: str
    regions: tuple[str, ...] = ()
    user_id: int | None = None
    full_name: str = ""
    via: str = "cli"

    @classmethod
    def system(cls, via: str = "system") -> Actor:
        """The system: every right, every region; recorded as ``system``."""
        return cls(username=SYSTEM, role=SYSTEM, via=via, full_name="Sistem")

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM

    def can(self, right: str) -> bool:
        return right in MATRIX.get(self.role, frozenset())

    def require(self, right: str) -> None:
        """Refuse (``forbidden``) unless this actor holds ``right``."""
        if not self.can(right):
            raise errors.FORBIDDEN(right=right)

    @property
    def masked(self) -> bool:
        """True when NIK, KK number, phone and address must be shown masked to this actor."""
        return self.role not in CLEAR_PERSONAL_DATA

    @property
    def own_records_only(self) -> bool:
        return self.role in OWN_RECORDS

    @property
    def all_regions(self) -> bool:
        return not self.regions

    def sees_region(self, codes: Mapping[str, Any]) -> bool:
        """Whether a thing located by ``codes`` (``province_code``, ``regency_code``,
        ``district_code``, ``village_code``, as on ``person``) lies inside this actor's
        regions."""
        if not self.regions:
            return True
        return any(codes.get(region_column(r)) == r for r in self.regions)

    def require_region(self, codes: Mapping[str, Any]) -> None:
        """Refuse (``out_of_region``) unless ``codes`` lie inside this actor's regions."""
        if not self.sees_region(codes):
            raise errors.OUT_OF_REGION()

    def covers_region(self, code: str) -> bool:
        """Whether the region ``code`` (any level) lies inside one of this actor's regions."""
        if not self.regions:
            return True
        return any(code == r or code.startswith(r + ".") for r in self.regions)

    def region_clause(self, table: Table) -> ColumnElement[bool] | None:
        """SQL keeping only rows of ``table`` (which has ``province_code`` ...
        ``village_code`` columns) inside this actor's regions; ``None`` = everywhere."""
        if not self.regions:
            return None
        return or_(*(table.c[region_column(r)] == r for r in self.regions))


def region_column(code: str) -> str:
    """The ``person`` column that holds a region code of this level."""
    level = code.count(".") + 1
    return {1: "province_code", 2: "regency_code", 3: "district_code"}.get(level, "village_code")


def mask(value: Any, keep_start: int = 4, keep_end: int = 4) -> str | None:
    """``9671010101010001`` -> ``9671********0001``: the ends stay so that a person on the
    phone can confirm a number; the middle does not leave the office."""
    if value is None:
        return None
    s = str(value)
    if len(s) <= keep_start + keep_end:
        return "*" * len(s)
    return s[:keep_start] + "*" * (len(s) - keep_start - keep_end) + s[-keep_end:]


def mask_person(row: Mapping[str, Any]) -> dict[str, Any]:
    """A person as a masked-data role sees it: NIK, KK number and phone masked, address
    withheld, and the birth date coarsened to its year (``birth_year``).

    The digits a masked NIK hides are the distrik and the birth date (women's day plus 40):
    shown beside the birth date, sex and distrik in clear, 947 of 955 masked NIKs were rebuilt
    from them. With the year alone, day and month stay hidden (one guess in 365)."""
    out = dict(row)
    for field in ("nik", "kk_number", "phone"):
        if field in out:
            out[field] = mask(out[field])
    if out.get("address") is not None:
        out["address"] = None
    if "birth_date" in out:
        out["birth_year"] = birth_year(out["birth_date"])
        out["birth_date"] = None
    return out


def birth_year(value: Any) -> int | None:
    """The year of a birth date (a date, or ISO text), ``None`` when unknown."""
    if value is None:
        return None
    if hasattr(value, "year"):
        return int(value.year)
    text = str(value)
    return int(text[:4]) if text[:4].isdigit() else None
