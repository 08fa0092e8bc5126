"""An operator picks which of a person's NIKs is right (their rows carry two or more: see
:mod:`jaring.registry.queries.niks`). The choice is remembered: it stands over the NIK the
rows would give whenever the person's attributes are recomputed (a merge, a split, a new
row). One transaction with its audit event (``registry.choose_nik``)."""

from __future__ import annotations

import dataclasses

from sqlalchemy import Engine, delete, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors
from jaring.registry.actions.linking import read_rows
from jaring.registry.queries.people import require_person_in_scope
from jaring.store.tables.registry import person, registry_nik_choice


@dataclasses.dataclass
class NikChosen:
    """Person ``person`` now carries ``nik`` (it carried ``before``)."""

    person: int
    nik: str
    before: str | None


def choose_nik(
    engine: Engine, actor: Actor, person_id: int, nik: str, *, reason: str | None = None
) -> NikChosen:
    """Make ``nik`` the NIK of person ``person_id``, for ``actor`` (``person.write``). It
    must be on one of the person's rows. Refuses ``person_out_of_region`` /
    ``person_not_found`` and ``nik_not_of_person``."""
    actor.require("person.write")
    nik = nik.strip()
    with engine.begin() as conn:
        require_person_in_scope(conn, actor, person_id)
        rows = read_rows(conn, person_id=person_id)
        if nik not in set(rows.get_column("nik").drop_nulls().to_list()):
            raise errors.NIK_NOT_OF_PERSON(nik=nik, person=person_id, field="nik")
        before = conn.execute(select(person.c.nik).where(person.c.id == person_id)).scalar_one()
        now = audit.now()
        conn.execute(
            delete(registry_nik_choice).where(registry_nik_choice.c.person_id == person_id)
        )
        conn.execute(
            insert(registry_nik_choice).values(
                person_id=person_id,
                nik=nik,
                decided_by=actor.username,
                decided_at=now,
                reason=(reason or "").strip() or None,
            )
        )
        conn.execute(update(person).where(person.c.id == person_id).values(nik=nik))
        audit.record(
            conn,
            actor,
            "registry.choose_nik",
            "person",
            person_id,
            before={"nik": before},
            after={"nik": nik, "reason": reason},
        )
    return NikChosen(person=person_id, nik=nik, before=before)
