"""Families on SQLite and PostgreSQL: a P3KE-shaped list with KK numbers builds them, a
member is entered by hand, a change request waits for a supervisor, masking by role."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from families.world import KK_A, KK_B, P3KE, SYSTEM, p3ke_csv
from jaring.access import Actor
from jaring.errors import JaringError
from jaring.families import relations
from jaring.families.actions import families
from jaring.families.queries import families as fq
from jaring.registry import queries as registry
from jaring.registry.actions import imports, linking

OPERATOR = Actor(username="ops", role="operator", regions=("96.71",))
SUPERVISOR = Actor(username="spv", role="supervisor", regions=("96.71",))
OTHER_SUPERVISOR = Actor(username="spv2", role="supervisor", regions=("96.71",))
VIEWER = Actor(username="v", role="viewer")


@pytest.fixture
def built(engine: Engine, tmp_path: Path) -> Engine:
    imports.import_files(
        engine, SYSTEM, [p3ke_csv(tmp_path / "p3ke.csv")], "P3KE 2024",
        listed_on=dt.date(2024, 1, 2), region="96.71",
    )  # fmt: skip
    linking.dedupe(engine, SYSTEM)
    out = families.build_from_lists(engine, SYSTEM)
    assert (out.rows, out.families_created, out.members_added, out.skipped) == (8, 2, 8, 0)
    return engine


def test_a_p3ke_list_with_kk_numbers_builds_families(built: Engine) -> None:
    head = registry.person_by_nik(built, SYSTEM, P3KE[0][2])
    fam = fq.family_of(built, OPERATOR, head)
    assert fam is not None and fam.kk_number == KK_A and fam.source == "P3KE 2024"
    assert [(m.relation, m.name) for m in fam.members] == [
        ("head", "Yohanis Wonatorei"),
        ("spouse", "Maria Wonatorei"),
        ("child", "Petrus Wonatorei"),
        ("child", "Ester Wonatorei"),
        ("parent", "Lukas Wonatorei"),
    ]
    assert all(m.person_id is not None for m in fam.members)  # each linked to the registry
    assert fam.members[1].birth_date == dt.date(1982, 8, 17)
    other = fq.family_of(built, OPERATOR, registry.person_by_nik(built, SYSTEM, P3KE[5][2]))
    assert other is not None and other.kk_number == KK_B and len(other.members) == 3
    # building again adds nothing
    again = families.build_from_lists(built, SYSTEM)
    assert (again.families_created, again.members_added) == (0, 0)
    # a viewer sees the KK number and NIKs masked
    masked = fq.family_of(built, VIEWER, head)
    assert masked is not None and masked.kk_number == "9671********0001"
    assert all(m.nik is None or "*" in m.nik for m in masked.members)


def test_a_member_entered_by_hand_and_a_change_request(built: Engine) -> None:
    head = registry.person_by_nik(built, SYSTEM, P3KE[0][2])
    # a baby with no NIK yet: members need not be workers
    saved = families.add_member(
        built, OPERATOR, KK_A, relation="Anak", name="Bayi Wonatorei",
        birth_date=dt.date(2024, 5, 1),
    )  # fmt: skip
    assert not saved.created_family
    fam = fq.family_of(built, OPERATOR, head)
    assert fam is not None and len(fam.members) == 6
    for bad, code in (
        ({"relation": "tetangga"}, "bad_relation"),
        ({"name": " "}, "member_name_missing"),
        ({"nik": "123"}, "bad_member_nik"),
    ):
        args = {"relation": "child", "name": "X", "nik": None} | bad
        with pytest.raises(JaringError) as e:
            families.add_member(built, OPERATOR, KK_A, **args)  # type: ignore[arg-type]
        assert e.value.code == code
    with pytest.raises(JaringError) as e:
        families.add_member(built, OPERATOR, "12345", relation="child", name="X")
    assert e.value.code == "bad_kk"
    with pytest.raises(JaringError) as e:
        families.add_member(built, OPERATOR, KK_A, relation="child", name="Y", nik=P3KE[2][2])
    assert e.value.code == "member_exists"

    # Lukas is recorded as the head's parent; the KK says father-in-law: a correction
    lukas = next(m for m in fam.members if m.name == "Lukas Wonatorei")
    asked = families.request_change(
        built, OPERATOR, lukas.id, {"relation": "Mertua"}, reason="KK baru 2024"
    )
    assert [c.id for c in fq.changes(built, OPERATOR)] == [asked.change]
    with pytest.raises(JaringError) as e:
        families.decide_change(built, OPERATOR, asked.change, approve=True)
    assert e.value.code == "forbidden"
    own = families.request_change(built, SUPERVISOR, lukas.id, {"name": "Lukas W."}, reason="ejaan")
    with pytest.raises(JaringError) as e:
        families.decide_change(built, SUPERVISOR, own.change, approve=True)
    assert e.value.code == "own_change"
    families.decide_change(built, SUPERVISOR, asked.change, approve=True, note="sesuai KK")
    families.decide_change(built, OTHER_SUPERVISOR, own.change, approve=False)
    with pytest.raises(JaringError) as e:
        families.decide_change(built, OTHER_SUPERVISOR, asked.change, approve=False)
    assert e.value.code == "family_change_decided"
    fam = fq.family_of(built, OPERATOR, head)
    assert fam is not None
    lukas_now = next(m for m in fam.members if m.id == lukas.id)
    assert (lukas_now.relation, lukas_now.name) == ("parent_in_law", "Lukas Wonatorei")
    with pytest.raises(JaringError) as e:
        families.request_change(built, OPERATOR, lukas.id, {}, reason="x")
    assert e.value.code == "family_change_empty"


@pytest.mark.parametrize(
    ("text", "code"),
    [("Kepala Keluarga", "head"), ("ISTRI", "spouse"), ("Suami", "spouse"), ("3", "child"),
     ("Menantu", "child_in_law"), ("Famili Lain", "other"), ("", None), ("tetangga", None)],
)  # fmt: skip
def test_relations_as_lists_write_them(text: str, code: str | None) -> None:
    assert relations.parse(text) == code
