"""The matrix of roles and rights, cell by cell; region scope and masking.

The expected table below is written out by hand: changing a role's rights means changing a
cell here too, on purpose."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, select

from jaring import errors
from jaring.access import (
    CLEAR_PERSONAL_DATA,
    DEFAULT_ROLE,
    MATRIX,
    NEEDS_REGIONS,
    RIGHTS,
    ROLE_NAMES,
    ROLES,
    Actor,
    mask,
    mask_person,
)

R = list(RIGHTS)
# role -> the rights it holds (x) in the order of RIGHTS
EXPECTED = {
    #                   dash pr.r pr.w pr.a f.rg f.sv nik  pg.r pg.w bill cl.r cl.w cl.a cov  aw.r aw.m aw.s law  aud  usr  set  nat
    "administrator": "x    x    x    x    .    x    x    x    x    x    x    x    .    x    x    x    .    x    x    x    x    x",
    "operator": "x    x    x    .    .    .    .    x    x    .    x    x    .    x    x    .    .    x    .    .    .    .",
    "supervisor": "x    x    x    x    .    x    .    x    .    .    x    .    .    x    x    .    .    x    .    .    .    x",
    "registrar": ".    .    .    .    x    .    .    .    .    .    .    .    .    .    .    .    .    x    .    .    .    .",
    "budget_officer": "x    x    .    .    .    .    x    x    x    x    x    .    .    x    x    .    .    x    .    .    .    .",
    "claims_approver": "x    x    .    .    .    .    .    x    .    .    x    .    x    x    x    .    .    x    .    .    .    .",
    "viewer": "x    x    .    .    .    .    .    x    .    .    x    .    .    x    x    .    .    x    .    .    .    .",
    "award_secretariat": "x    .    .    .    .    .    .    .    .    .    .    .    .    x    x    x    .    x    .    .    .    .",
    "juror": ".    .    .    .    .    .    .    .    .    .    .    .    .    .    x    .    x    x    .    .    .    .",
    "auditor": "x    x    .    .    .    .    .    x    .    .    x    .    .    x    x    .    .    x    x    .    .    .",
    "system": "x    x    x    x    x    x    x    x    x    x    x    x    x    x    x    x    x    x    x    x    x    x",
}
CELLS = [
    (role, right, marks.split()[i] == "x")
    for role, marks in EXPECTED.items()
    for i, right in enumerate(R)
]


def test_the_table_names_every_role_and_right() -> None:
    assert set(EXPECTED) == set(MATRIX)
    assert all(len(marks.split()) == len(R) for marks in EXPECTED.values())
    assert set(ROLES) | {"system"} == set(MATRIX) == set(ROLE_NAMES)


@pytest.mark.parametrize(("role", "right", "held"), CELLS, ids=[f"{a}-{b}" for a, b, _ in CELLS])
def test_cell(role: str, right: str, held: bool) -> None:
    actor = Actor(username="u", role=role)
    assert actor.can(right) is held
    if held:
        actor.require(right)
    else:
        with pytest.raises(errors.JaringError) as e:
            actor.require(right)
        assert e.value.code == "forbidden" and e.value.status == 403


def test_maker_checker_nobody_but_the_approver_and_the_system_approves_claims() -> None:
    assert {r for r, rights in MATRIX.items() if "claim.approve" in rights} == {
        "claims_approver",
        "system",
    }


def test_new_users_get_the_least_powerful_role() -> None:
    assert DEFAULT_ROLE == "viewer"
    assert MATRIX[DEFAULT_ROLE] <= MATRIX["operator"]


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_masking_per_role(role: str) -> None:
    actor = Actor(username="u", role=role)
    assert actor.masked is (role not in CLEAR_PERSONAL_DATA)
    assert actor.masked is (role in {"budget_officer", "viewer", "award_secretariat", "juror"})


def test_roles_that_need_regions() -> None:
    assert {"operator", "supervisor", "registrar"} == NEEDS_REGIONS


def test_region_scope() -> None:
    kota = Actor(username="op", role="operator", regions=("96.71",))
    distrik = Actor(username="op", role="operator", regions=("96.71.02",))
    everywhere = Actor(username="v", role="viewer")
    here = {"province_code": "96", "regency_code": "96.71", "district_code": "96.71.02"}
    there = {"province_code": "96", "regency_code": "96.71", "district_code": "96.71.01"}
    assert kota.sees_region(here) and kota.sees_region(there)
    assert distrik.sees_region(here) and not distrik.sees_region(there)
    assert everywhere.sees_region(there)
    with pytest.raises(errors.JaringError) as e:
        distrik.require_region(there)
    assert e.value.code == "out_of_region"
    assert kota.covers_region("96.71.02.1001") and not distrik.covers_region("96.71.01")
    t = Table(
        "p",
        MetaData(),
        *(
            Column(c, String)
            for c in ("province_code", "regency_code", "district_code", "village_code")
        ),
    )
    assert everywhere.region_clause(t) is None
    sql = str(select(t).where(distrik.region_clause(t)))  # type: ignore[arg-type]
    assert "district_code" in sql


def test_system_actor_is_recorded_as_system() -> None:
    system = Actor.system(via="cli")
    assert system.username == "system" and system.is_system and system.can("claim.approve")
    assert system.all_regions and not system.masked


def test_masks() -> None:
    assert mask("9671010101010001") == "9671********0001"
    assert mask(None) is None and mask("123") == "***"
    shown = mask_person({"nik": "9671010101010001", "phone": "081234567890", "address": "Jl. X"})
    assert shown == {"nik": "9671********0001", "phone": "0812****7890", "address": None}
