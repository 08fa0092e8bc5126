"""Look-ups other domains own, kept thin here until their ``queries`` modules land: a person by
NIK inside the actor's regions, a person's region check, a program by id or name.

Transitional: ``registry.queries.person_by_nik`` / ``require_person_in_scope`` and
``programs.queries.find_program(bind, ref).id`` replace these three functions, with the same
refusals (``bad_nik``, ``person_not_found``, ``nik_shared``, ``person_out_of_region``,
``program_not_found``), which belong to those domains' catalogues and are written inline here
until then.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from jaring.access import Actor
from jaring.errors import Forbidden, JaringError, NotFound
from jaring.store.tables.programs import program
from jaring.store.tables.registry import person

REGION_COLUMNS = ("province_code", "regency_code", "district_code", "village_code")


def person_by_nik(conn: Connection, actor: Actor, nik: str) -> int:
    """The id of the one person with this NIK in the actor's regions. Refused: ``bad_nik``
    (not 16 digits), ``person_not_found`` (nobody with it in the actor's regions),
    ``nik_shared`` (more than one person carries it: the registry must resolve that first)."""
    if not (len(nik) == 16 and nik.isdigit()):
        raise JaringError(
            "bad_nik", "NIK terdiri dari 16 angka.", "A NIK has 16 digits.", field="nik"
        )
    q = select(person.c.id).where(person.c.nik == nik)
    scope = actor.region_clause(person)
    if scope is not None:
        q = q.where(scope)
    ids = conn.execute(q.limit(2)).scalars().all()
    if not ids:
        raise NotFound(
            "person_not_found",
            "Orang tidak ditemukan: tidak ada yang ber-id ini, atau ber-NIK ini di wilayah Anda.",
            "No such person: nobody with this id, or with this NIK in your regions.",
            field="nik",
        )
    if len(ids) > 1:
        raise JaringError(
            "nik_shared",
            "NIK ini dipakai lebih dari satu orang; selesaikan di registri dulu.",
            "More than one person carries this NIK; resolve it in the registry first.",
            field="nik",
        )
    return int(ids[0])


def require_person_in_scope(conn: Connection, actor: Actor, person_id: int) -> None:
    """Refuse ``person_not_found`` for an unknown person, ``person_out_of_region`` for one who
    lives outside the actor's regions (nothing is looked up for an actor of every region)."""
    if actor.all_regions:
        return
    row = conn.execute(
        select(*(person.c[c] for c in REGION_COLUMNS)).where(person.c.id == person_id)
    ).first()
    if row is None:
        raise NotFound(
            "person_not_found",
            "Orang tidak ditemukan: tidak ada yang ber-id ini, atau ber-NIK ini di wilayah Anda.",
            "No such person: nobody with this id, or with this NIK in your regions.",
            person_id=person_id,
        )
    if not actor.sees_region(dict(row._mapping)):
        raise Forbidden(
            "person_out_of_region",
            "Orang ini berada di luar wilayah kerja Anda.",
            "This person lives outside your regions.",
            person_id=person_id,
        )


def program_id(conn: Connection, ref: str | int) -> int:
    """A program named by id or by name; ``program_not_found`` otherwise."""
    q = select(program.c.id)
    if isinstance(ref, int) or str(ref).isdigit():
        q = q.where(program.c.id == int(ref))
    else:
        q = q.where(program.c.name == str(ref))
    pid = conn.execute(q).scalar()
    if pid is None:
        raise NotFound(
            "program_not_found",
            f"Program tidak ditemukan: {ref}",
            f"Program not found: {ref}",
            program=str(ref),
        )
    return int(pid)
