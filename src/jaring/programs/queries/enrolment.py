"""Enrolment as it is read: the rows of BPJS's answers that were refused or could not be
matched, still waiting for correction."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Engine, select

from jaring.access import Actor, mask
from jaring.programs.queries.programs import find_program
from jaring.store.dialect import to_datetime
from jaring.store.tables.programs import bpjs_refusal


@dataclasses.dataclass(frozen=True)
class BpjsRefusal:
    """A row of a BPJS answer file that activated nothing: its ``file`` and 1-based ``row``,
    the NIK and KPJ as received, the ``reason`` (``refused``, ``bad_nik``, ``bad_kpj``,
    ``duplicate_nik``, ``unknown_nik``, ``ambiguous_nik``) and BPJS's own note (``detail``)."""

    id: int
    program_id: int | None
    file: str
    row: int
    nik: str | None
    kpj: str | None
    reason: str
    detail: str | None
    resolved: bool
    created_at: dt.datetime | None


def bpjs_refusals(
    engine: Engine, actor: Actor, program_ref: str | int | None = None
) -> list[BpjsRefusal]:
    """Refused or unmatched answer rows not yet resolved, oldest first; of one program when
    ``program_ref`` names it. Needs ``program.read``; the NIK is masked for roles that see
    personal data masked."""
    actor.require("program.read")
    with engine.connect() as conn:
        q = (
            select(bpjs_refusal)
            .where(bpjs_refusal.c.resolved.is_(False))
            .order_by(bpjs_refusal.c.id)
        )
        if program_ref is not None:
            q = q.where(bpjs_refusal.c.program_id == find_program(conn, program_ref).id)
        rows = conn.execute(q).mappings().all()
    return [
        BpjsRefusal(
            id=int(r["id"]),
            program_id=None if r["program_id"] is None else int(r["program_id"]),
            file=r["file"],
            row=int(r["row"]),
            nik=mask(r["nik"]) if actor.masked else r["nik"],
            kpj=r["kpj"],
            reason=r["reason"],
            detail=r["detail"],
            resolved=bool(r["resolved"]),
            created_at=to_datetime(r["created_at"]),
        )
        for r in rows
    ]
