"""People whose linked rows carry more than one NIK, with the most likely one
(:mod:`jaring.registry.niks`) and an operator's choice, if made. NIKs are shown in clear, so
only roles that see personal data in clear may list them; people outside the actor's regions
are left out. (:class:`NikCandidate` and :class:`TwoNiks` live with the person's file,
which carries them.)"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, select

from jaring import audit
from jaring.access import Actor
from jaring.registry import niks as rules
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.people import (
    NikCandidate,
    TwoNiks,
    in_regions,
    require_clear_data,
    require_person_in_scope,
)
from jaring.store.bulk import read_frame
from jaring.store.tables.programs import bpjs_refusal, membership
from jaring.store.tables.registry import person, registry_link, registry_nik_choice

__all__ = ["NikCandidate", "TwoNiks", "two_nik_people"]


def two_nik_people(
    engine: Engine, actor: Actor, *, person_id: int | None = None, limit: int = 100
) -> list[TwoNiks]:
    """The actor's people (or only ``person_id``) whose rows carry two NIKs or more, those
    without an operator's choice first, at most ``limit``. Refuses
    ``registry_needs_clear_data`` (and ``person_out_of_region`` for ``person_id``). A list
    (no ``person_id``) is audited as ``registry.niks`` with the people shown; one person's
    is part of reading that person."""
    actor.require("person.read")
    require_clear_data(actor)
    with engine.connect() as conn:
        if person_id is not None:
            require_person_in_scope(conn, actor, person_id)
        q = select(registry_link.c.row_id.label("id"), registry_link.c.person_id)
        if person_id is not None:
            q = q.where(registry_link.c.person_id == person_id)
        links = read_frame(conn, q, schema_overrides={"id": pl.Int64, "person_id": pl.Int64})
        rows = source_rows.read(
            conn,
            ids=None if person_id is None else links.get_column("id").to_list(),
            columns=("status", "nik", "birth_date", "sex", "district_code"),
        )
        linked = rows.join(links, on="id").select(
            "person_id", "nik", "birth_date", "sex", "district_code"
        )
        confirmed = read_frame(
            conn,
            select(membership.c.person_id, person.c.nik)
            .join(person, person.c.id == membership.c.person_id)
            .where(membership.c.kpj.is_not(None)),
            schema_overrides={"person_id": pl.Int64, "nik": pl.String},
        ).with_columns(confirmed=pl.lit(True))
        refused = read_frame(
            conn,
            select(bpjs_refusal.c.nik).where(bpjs_refusal.c.reason == "unknown_nik").distinct(),
            schema_overrides={"nik": pl.String},
        ).with_columns(refused=pl.lit(True))
        linked = (
            linked.join(confirmed, on=["person_id", "nik"], how="left")
            .join(refused, on="nik", how="left")
            .with_columns(pl.col("confirmed", "refused").fill_null(False))
        )
        cands = rules.candidates(linked)
        pids = cands.get_column("person_id").unique().sort().to_list()
        people = {
            int(r.id): r
            for r in conn.execute(
                select(person.c.id, person.c.name, person.c.nik, person.c.district_code).where(
                    person.c.id.in_(pids)
                )
            )
        }
        chosen = {
            int(r.person_id): r.nik
            for r in conn.execute(
                select(registry_nik_choice.c.person_id, registry_nik_choice.c.nik).where(
                    registry_nik_choice.c.person_id.in_(pids)
                )
            )
        }
    out = []
    for (pid,), group in cands.group_by(["person_id"], maintain_order=True):
        p = people.get(int(pid))
        if p is None or not (actor.all_regions or in_regions(actor, [p.district_code])):
            continue
        items = [
            NikCandidate(**{k: v for k, v in r.items() if k != "person_id"})
            for r in group.iter_rows(named=True)
        ]
        out.append(
            TwoNiks(
                person=int(p.id),
                name=p.name,
                district_code=p.district_code,
                nik=p.nik,
                likely=next(c.nik for c in items if c.likely),
                chosen=chosen.get(int(p.id)),
                candidates=items,
            )
        )
    out.sort(key=lambda t: (t.chosen is not None, t.person))
    out = out[:limit]
    if person_id is None and out:
        audit.record_read(
            engine, actor, "registry.niks", "person", None, {"people": [t.person for t in out]}
        )
    return out
