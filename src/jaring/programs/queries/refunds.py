"""Refunds of a program: contributions paid for months after a member's death, owed back to
the payer (recorded by the families domain when the death is learned, ``death_refund``), as
the program's invoices page lists them."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Engine, select

from jaring import audit, labels
from jaring.access import Actor, mask
from jaring.programs.queries.programs import find_program
from jaring.store import dialect
from jaring.store.tables.families import death, death_refund
from jaring.store.tables.programs import invoice
from jaring.store.tables.registry import person

#: A refund's statuses: owed, returned to the payer, cancelled with its death.
REFUND_STATUSES = ("due", "returned", "cancelled")


@dataclasses.dataclass(frozen=True)
class ProgramRefund:
    """One month paid after a death: the month, the amount paid on that line (whole rupiah),
    the invoice it was paid on, the member (name; NIK masked for roles that see NIKs masked),
    the payer, the status (``due``, ``returned``, ``cancelled``, words in ``label_id`` and
    ``label_en``) and, once returned, the day, the transfer's reference and who recorded it."""

    id: int
    month: dt.date
    amount: int
    invoice: str
    person_id: int
    name: str
    nik: str | None
    death_date: dt.date
    payer: str
    status: str
    returned_on: dt.date | None
    returned_reference: str | None
    returned_by: str | None
    label_id: str = ""
    label_en: str = ""


def program_refunds(
    engine: Engine, actor: Actor, program_ref: str | int, *, status: str | None = None
) -> list[ProgramRefund]:
    """The refunds of a program (all, or those of ``status``), by month, for the people
    inside the actor's regions. Needs ``program.read``; refuses ``program_not_found``. The
    read of the members' names and NIKs is audited (``refund.read``, the ids only)."""
    actor.require("program.read")
    rf = death_refund.c
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        q = (
            select(
                rf.id, rf.month, rf.amount, invoice.c.number, death.c.person_id, person.c.name,
                person.c.nik, death.c.death_date, rf.payer, rf.status, rf.returned_on,
                rf.returned_reference, rf.returned_by,
            )
            .join(death, death.c.id == rf.death_id)
            .join(person, person.c.id == death.c.person_id)
            .join(invoice, invoice.c.id == rf.invoice_id)
            .where(rf.program_id == prog.id)
            .order_by(rf.month, rf.id)
        )  # fmt: skip
        if status:
            q = q.where(rf.status == status)
        scope = actor.region_clause(person)
        if scope is not None:
            q = q.where(scope)
        rows = conn.execute(q).all()
    out = [
        ProgramRefund(
            id=int(r.id),
            month=dialect.to_date(r.month),
            amount=int(r.amount),
            invoice=r.number,
            person_id=int(r.person_id),
            name=r.name,
            nik=mask(r.nik) if actor.masked else r.nik,
            death_date=dialect.to_date(r.death_date),
            payer=r.payer,
            status=r.status,
            returned_on=dialect.to_date(r.returned_on),
            returned_reference=r.returned_reference,
            returned_by=r.returned_by,
            **labels.pair("refund_status", r.status),
        )
        for r in rows
    ]
    if out:
        audit.record_read(
            engine, actor, "refund.read", "program", prog.id, sorted({x.person_id for x in out})
        )
    return out
