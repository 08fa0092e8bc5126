"""Families: built from lists that carry a KK number (P3KE, DTSEN), entered on a person's
page, corrected by a change request that a supervisor decides.

A list's KK number and relation to the head are kept by the registry as typed (every cell of
a source row is); :func:`build_from_lists` reads them back with the row's checked NIK, name,
birth date and sex, and the person the row was linked to. A member need not be a worker:
members without a registry person are kept with what the list says. Building again after a
new import adds what is new and changes nothing else; nothing is ever deleted (a member who
left the KK is marked ``left``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, func, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.dates import parse_date
from jaring.errors import BAD_VALUE
from jaring.families import errors, relations
from jaring.registry import columns as cols
from jaring.registry import errors as registry_errors
from jaring.registry import queries as registry
from jaring.registry.queries import rows as source_rows
from jaring.store.bulk import read_frame
from jaring.store.dialect import to_date
from jaring.store.tables.families import family, family_change, family_member
from jaring.store.tables.registry import person, registry_batch, registry_file, registry_link

_KK = re.compile(r"^\d{16}$")
_NIK = re.compile(r"^\d{16}$")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def clean_kk(value: object) -> str | None:
    """A KK number as 16 digits (spaces, dots and a leading apostrophe dropped), else None.

    >>> clean_kk("'9671 0101 2300 0001"), clean_kk("12345")
    ('9671010123000001', None)
    """
    if value is None:
        return None
    digits = re.sub(r"[\s.'`-]", "", str(value))
    return digits if _KK.match(digits) else None


@dataclasses.dataclass(frozen=True)
class FamiliesBuilt:
    """What :func:`build_from_lists` did: rows read with a KK number, families created,
    members added, rows skipped (a KK number that is not 16 digits, or no relation)."""

    rows: int
    families_created: int
    members_added: int
    skipped: int


def build_from_lists(
    engine: Engine, actor: Actor, *, batches: Sequence[int] | None = None
) -> FamiliesBuilt:
    """Families from the imported lists (all, or ``batches``) that have a KK-number column
    and a relation column (``no_kk``, ``hubungan_keluarga`` and their synonyms,
    :data:`jaring.registry.columns.FAMILY_SYNONYMS`). Needs ``person.write``. One
    transaction; audited as ``family.build``."""
    actor.require("person.write")
    with engine.begin() as conn:
        files = conn.execute(
            select(registry_file.c.id, registry_file.c.batch_id, registry_file.c.headers,
                   registry_batch.c.source)
            .join(registry_batch, registry_batch.c.id == registry_file.c.batch_id)
        ).all()  # fmt: skip
        wanted: dict[tuple[int, str | None], tuple[int, int, str]] = {}
        for f in files:
            if batches is not None and f.batch_id not in batches:
                continue
            for sheet, names in json.loads(f.headers or "{}").items():
                fields = [cols.family_field_of(n) for n in names]
                if "kk_number" in fields and "family_relation" in fields:
                    wanted[(int(f.id), sheet or None)] = (
                        fields.index("kk_number"),
                        fields.index("family_relation"),
                        str(f.source),
                    )
        if not wanted:
            out = FamiliesBuilt(0, 0, 0, 0)
            audit.record(conn, actor, "family.build", "family", None, after=out)
            return out
        batch_ids = sorted({b for b in (f.batch_id for f in files if any(
            k[0] == f.id for k in wanted))})  # fmt: skip
        rows = source_rows.read(
            conn,
            batches=batch_ids,
            columns=("status", "nik", "name", "birth_date", "sex"),
            raw=True,
        )
        links = read_frame(
            conn,
            select(registry_link.c.row_id.label("id"), registry_link.c.person_id),
            schema_overrides={"id": pl.Int64, "person_id": pl.Int64},
        )
        out = _build(conn, actor, rows, links, wanted)
        audit.record(conn, actor, "family.build", "family", None, after=out)
    return out


def _build(
    conn: Connection,
    actor: Actor,
    rows: pl.DataFrame,
    links: pl.DataFrame,
    wanted: dict[tuple[int, str | None], tuple[int, int, str]],
) -> FamiliesBuilt:
    rows = rows.join(links, on="id", how="left")
    # a row not linked yet (deduplication not run since the import) is matched by its NIK
    # when exactly one person has it
    unlinked = rows.filter(pl.col("person_id").is_null() & pl.col("nik").is_not_null())
    niks = unlinked["nik"].unique().to_list()
    by_nik: dict[str, int] = {}
    for i in range(0, len(niks), 1000):
        found = conn.execute(
            select(person.c.nik, func.min(person.c.id), func.count())
            .where(person.c.nik.in_(niks[i : i + 1000]))
            .group_by(person.c.nik)
        ).all()
        by_nik.update({r[0]: int(r[1]) for r in found if r[2] == 1})
    if by_nik:
        rows = rows.with_columns(
            pl.coalesce(
                "person_id",
                pl.col("nik").replace_strict(by_nik, default=None, return_dtype=pl.Int64),
            ).alias("person_id")
        )
    existing_fam = {
        r.kk_number: int(r.id) for r in conn.execute(select(family.c.id, family.c.kk_number))
    }
    known = {
        (int(r.family_id), r.nik or f"row:{r.row_id}")
        for r in conn.execute(
            select(family_member.c.family_id, family_member.c.nik, family_member.c.row_id)
        )
    }
    now = _now()
    n_rows = skipped = created = added = 0
    new_members: list[dict[str, Any]] = []
    for r in rows.iter_rows(named=True):
        where = wanted.get((int(r["file_id"]), r["sheet"]))
        if where is None:
            continue
        n_rows += 1
        raw = r["raw"] or []
        kk = clean_kk(raw[where[0]] if where[0] < len(raw) else None)
        rel = relations.parse(raw[where[1]] if where[1] < len(raw) else None)
        if kk is None or rel is None or not r["name"]:
            skipped += 1
            continue
        fam_id = existing_fam.get(kk)
        if fam_id is None:
            fam_id = int(
                conn.execute(
                    insert(family)
                    .values(kk_number=kk, source=where[2][:200], created_at=now, updated_at=now)
                    .returning(family.c.id)
                ).scalar_one()
            )
            existing_fam[kk] = fam_id
            created += 1
        nik = r["nik"] if r["nik"] and _NIK.match(str(r["nik"])) else None
        key = (fam_id, nik or f"row:{r['id']}")
        if key in known:
            continue
        known.add(key)
        new_members.append(
            {
                "family_id": fam_id,
                "person_id": r["person_id"],
                "nik": nik,
                "name": str(r["name"])[:200],
                "birth_date": r["birth_date"],
                "sex": r["sex"],
                "relation": rel,
                "source": where[2][:200],
                "row_id": int(r["id"]),
                "status": "current",
                "created_at": now,
                "updated_at": now,
            }
        )
    if new_members:
        conn.execute(insert(family_member), new_members)
        added = len(new_members)
    return FamiliesBuilt(rows=n_rows, families_created=created, members_added=added,
                         skipped=skipped)  # fmt: skip


@dataclasses.dataclass(frozen=True)
class MemberSaved:
    family_id: int
    kk_number: str
    member_id: int
    created_family: bool


def _check_member(relation: str, name: str, nik: str | None) -> tuple[str, str, str | None]:
    rel = relations.require(relation)
    name = (name or "").strip()
    if not name:
        raise errors.MEMBER_NAME_MISSING(field="name")
    nik = (nik or "").strip() or None
    if nik is not None and not _NIK.match(nik):
        raise errors.BAD_MEMBER_NIK(field="nik", value=nik)
    return rel, name, nik


def add_member(
    engine: Engine,
    actor: Actor,
    kk_number: str,
    *,
    relation: str,
    name: str,
    nik: str | None = None,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    person_id: int | None = None,
) -> MemberSaved:
    """Enter a member of the family with ``kk_number`` on a person's page (the family is
    created when it is new). ``person_id``: the registry's person (inside the actor's
    regions); else the member is matched to a person by NIK when one has it. Needs
    ``person.write``. Refused: ``bad_kk``, ``bad_relation``, ``member_name_missing``,
    ``bad_member_nik``, ``member_exists``. Audited as ``family.member``."""
    actor.require("person.write")
    kk = clean_kk(kk_number)
    if kk is None:
        raise errors.BAD_KK(field="kk_number", value=kk_number)
    rel, name, nik = _check_member(relation, name, nik)
    if sex is not None and sex not in ("L", "P"):
        raise BAD_VALUE(field="sex", value=sex)
    now = _now()
    with engine.begin() as conn:
        if person_id is not None:
            registry.require_person_in_scope(conn, actor, person_id)
            if conn.execute(select(person.c.id).where(person.c.id == person_id)).first() is None:
                raise registry_errors.PERSON_NOT_FOUND(person_id=person_id, field="person_id")
        elif nik is not None:
            found = conn.execute(select(person.c.id).where(person.c.nik == nik)).scalars().all()
            person_id = int(found[0]) if len(found) == 1 else None
        fam = conn.execute(select(family.c.id).where(family.c.kk_number == kk)).scalar()
        created = fam is None
        if fam is None:
            fam = conn.execute(
                insert(family)
                .values(kk_number=kk, source="entered", created_at=now, updated_at=now)
                .returning(family.c.id)
            ).scalar_one()
        m = family_member.c
        if nik is not None or person_id is not None:
            clash = conn.execute(
                select(m.id).where(
                    m.family_id == fam,
                    m.status == "current",
                    (m.nik == nik) if nik is not None else (m.person_id == person_id),
                )
            ).scalar()
            if clash is not None:
                raise errors.MEMBER_EXISTS(member=clash, field="nik")
        member_id = conn.execute(
            insert(family_member)
            .values(
                family_id=fam,
                person_id=person_id,
                nik=nik,
                name=name[:200],
                birth_date=birth_date,
                sex=sex,
                relation=rel,
                source="entered",
                status="current",
                created_at=now,
                updated_at=now,
            )
            .returning(family_member.c.id)
        ).scalar_one()
        out = MemberSaved(int(fam), kk, int(member_id), created)
        audit.record(conn, actor, "family.member", "family", int(fam),
                     after={"member": int(member_id), "relation": rel})  # fmt: skip
    return out


CHANGEABLE = ("relation", "name", "nik", "birth_date", "sex", "status")


@dataclasses.dataclass(frozen=True)
class ChangeRequested:
    change: int
    family_id: int
    member_id: int


def request_change(
    engine: Engine, actor: Actor, member_id: int, change: dict[str, Any], *, reason: str
) -> ChangeRequested:
    """Ask to correct a member (``relation``, ``name``, ``nik``, ``birth_date``, ``sex``, or
    ``status`` ``left``): kept pending until a supervisor decides. Needs ``person.write``.
    Refused: ``member_not_found``, ``change_empty``, ``reason_missing`` and the member's
    checks. Audited as ``family.change_request``."""
    actor.require("person.write")
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_MISSING(field="reason")
    wanted = {k: v for k, v in change.items() if k in CHANGEABLE and v not in (None, "")}
    if not wanted:
        raise errors.CHANGE_EMPTY(field="change")
    if "relation" in wanted:
        wanted["relation"] = relations.require(str(wanted["relation"]))
    if "nik" in wanted and not _NIK.match(str(wanted["nik"])):
        raise errors.BAD_MEMBER_NIK(field="nik", value=wanted["nik"])
    if "status" in wanted and wanted["status"] not in ("current", "left"):
        raise BAD_VALUE(field="status", value=wanted["status"])
    if "sex" in wanted and wanted["sex"] not in ("L", "P"):
        raise BAD_VALUE(field="sex", value=wanted["sex"])
    if "name" in wanted:
        wanted["name"] = str(wanted["name"]).strip()[:200]
        if not wanted["name"]:
            raise errors.MEMBER_NAME_MISSING(field="name")
    if "birth_date" in wanted:
        born = wanted["birth_date"]
        day = born if isinstance(born, dt.date) else parse_date(str(born), "birth_date")
        wanted["birth_date"] = day.isoformat() if day else None
    with engine.begin() as conn:
        m = conn.execute(select(family_member).where(family_member.c.id == member_id)).first()
        if m is None:
            raise errors.MEMBER_NOT_FOUND(member=member_id)
        if m.person_id is not None:
            registry.require_person_in_scope(conn, actor, int(m.person_id))
        before = {k: (str(to_date(m.birth_date)) if k == "birth_date" and m.birth_date else
                      getattr(m, k)) for k in wanted}  # fmt: skip
        cid = conn.execute(
            insert(family_change)
            .values(
                family_id=m.family_id,
                member_id=member_id,
                change=wanted,
                before=before,
                reason=reason,
                status="pending",
                requested_by=actor.username,
                requested_at=_now(),
            )
            .returning(family_change.c.id)
        ).scalar_one()
        out = ChangeRequested(int(cid), int(m.family_id), member_id)
        audit.record(conn, actor, "family.change_request", "family", int(m.family_id),
                     after={"change": int(cid), "fields": sorted(wanted)})  # fmt: skip
    return out


@dataclasses.dataclass(frozen=True)
class ChangeDecided:
    change: int
    status: str


def decide_change(
    engine: Engine, actor: Actor, change_id: int, *, approve: bool, note: str | None = None
) -> ChangeDecided:
    """Approve (apply) or reject a pending change request. Needs ``person.approve``; the one
    who asked may not decide (``own_change``). Refused: ``family_change_not_found``,
    ``change_decided``. Audited as ``family.change_decide`` with the values before."""
    actor.require("person.approve")
    with engine.begin() as conn:
        c = conn.execute(
            select(family_change).where(family_change.c.id == change_id).with_for_update()
        ).first()
        if c is None:
            raise errors.CHANGE_NOT_FOUND(change=change_id)
        if c.status != "pending":
            raise errors.CHANGE_DECIDED(change=change_id, status=c.status)
        if c.requested_by == actor.username and not actor.is_system:
            raise errors.OWN_CHANGE()
        status = "approved" if approve else "rejected"
        if approve and c.member_id is not None:
            values = dict(c.change)
            if "birth_date" in values:
                values["birth_date"] = dt.date.fromisoformat(values["birth_date"])
            conn.execute(
                update(family_member)
                .where(family_member.c.id == c.member_id)
                .values(**values, updated_at=_now())
            )
        conn.execute(
            update(family_change)
            .where(family_change.c.id == change_id)
            .values(status=status, decided_by=actor.username, decided_at=_now(),
                    decision_note=note)
        )  # fmt: skip
        audit.record(conn, actor, "family.change_decide", "family", int(c.family_id),
                     before=c.before, after={"change": change_id, "status": status})  # fmt: skip
    return ChangeDecided(change_id, status)
