"""Refunds returned: a month paid after a member's death (``death_refund``, recorded by the
families domain) marked as returned to the payer, with the day and the transfer's reference.
The regional government reconciles its budget with it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select, update

from jaring import audit
from jaring.access import Actor
from jaring.programs import errors
from jaring.programs.actions.scope import require_whole_program
from jaring.programs.queries.programs import find_program
from jaring.programs.queries.refunds import ProgramRefund, program_refunds
from jaring.store import dialect
from jaring.store.tables.families import death_refund


def return_refund(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    refund_id: int,
    *,
    returned_on: dt.date,
    reference: str,
    today: dt.date | None = None,
) -> ProgramRefund:
    """Mark refund ``refund_id`` of a program as returned to the payer on ``returned_on``
    (not after ``today``) by the transfer ``reference``. Only a refund still owed (``due``)
    is returned, once; one cancelled with its death is not.

    Needs ``billing.write`` and every region; refuses ``missing_refund_reference``,
    ``refund_date_future``, ``program_not_found``, ``refund_not_found`` (also a refund of
    another program) and ``refund_not_due``. Audited as ``billing.refund_return`` with the
    status before and after.
    """
    require_whole_program(actor, "billing.write")
    ref = str(reference or "").strip()
    if not ref:
        raise errors.MISSING_REFUND_REFERENCE(field="reference")
    if returned_on > (today or dt.date.today()):
        raise errors.REFUND_DATE_FUTURE(field="returned_on", value=returned_on)
    rf = death_refund.c
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        # one return at a time: a second one reads the status this one wrote
        dialect.lock_row(conn, death_refund, rf.id == refund_id)
        row = conn.execute(
            select(rf.id, rf.status, rf.amount, rf.month).where(
                rf.id == refund_id, rf.program_id == prog.id
            )
        ).first()
        if row is None:
            raise errors.REFUND_NOT_FOUND(refund=refund_id, program=prog.name)
        if row.status != "due":
            raise errors.REFUND_NOT_DUE(refund=refund_id, status=row.status)
        conn.execute(
            update(death_refund)
            .where(rf.id == refund_id)
            .values(
                status="returned",
                returned_on=returned_on,
                returned_reference=ref[:100],
                returned_by=actor.username,
            )
        )
        audit.record(
            conn,
            actor,
            "billing.refund_return",
            "death_refund",
            refund_id,
            before={"status": "due"},
            after={
                "status": "returned",
                "returned_on": returned_on.isoformat(),
                "reference": ref[:100],
                "amount": int(row.amount),
            },
        )
    found = [r for r in program_refunds(engine, actor, prog.id) if r.id == refund_id]
    return found[0]
