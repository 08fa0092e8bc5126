"""Refunds returned: a month paid after a member's death (``death_refund``, recorded by the
families domain) marked as returned to the payer, with the day and the transfer's reference.
The regional government reconciles its budget with it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

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
    """Mark refund ``refund_id`` of a program as returned to the payer: :func:`return_refunds`
    for one refund."""
    (out,) = return_refunds(
        engine, actor, program_ref, [refund_id], returned_on=returned_on,
        reference=reference, today=today,
    )  # fmt: skip
    return out


def return_refunds(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    refund_ids: Sequence[int],
    *,
    returned_on: dt.date,
    reference: str,
    today: dt.date | None = None,
) -> list[ProgramRefund]:
    """Mark refunds ``refund_ids`` of a program as returned to the payer on ``returned_on``
    (not after ``today``) by one transfer, ``reference``: all of them or none. Only refunds
    still owed (``due``) are returned, once; one cancelled with its death is not. The
    refunds returned, by month.

    Needs ``billing.write`` and every region; refuses ``missing_refund_reference``,
    ``refund_date_future``, ``program_not_found``, ``no_refund_chosen``, ``refund_not_found``
    (also one of another program) and ``refund_not_due``, naming the first refund at fault.
    Audited as ``billing.refund_return``, one event per refund, with the status before and
    after.
    """
    require_whole_program(actor, "billing.write")
    ref = str(reference or "").strip()
    if not ref:
        raise errors.MISSING_REFUND_REFERENCE(field="reference")
    if returned_on > (today or dt.date.today()):
        raise errors.REFUND_DATE_FUTURE(field="returned_on", value=returned_on)
    ids = sorted({int(i) for i in refund_ids})
    rf = death_refund.c
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        if not ids:
            raise errors.NO_REFUND_CHOSEN(field="refund_ids")
        # one return at a time: a second one reads the statuses this one wrote
        dialect.lock_row(conn, death_refund, rf.id.in_(ids))
        rows = {
            int(r.id): r
            for r in conn.execute(
                select(rf.id, rf.status, rf.amount).where(rf.id.in_(ids), rf.program_id == prog.id)
            )
        }
        missing = [i for i in ids if i not in rows]
        if missing:
            raise errors.REFUND_NOT_FOUND(refund=missing[0], program=prog.name)
        not_due = [i for i in ids if rows[i].status != "due"]
        if not_due:
            raise errors.REFUND_NOT_DUE(refund=not_due[0], status=rows[not_due[0]].status)
        conn.execute(
            update(death_refund)
            .where(rf.id.in_(ids))
            .values(
                status="returned",
                returned_on=returned_on,
                returned_reference=ref[:100],
                returned_by=actor.username,
            )
        )
        audit.record_many(
            conn,
            actor,
            "billing.refund_return",
            "death_refund",
            [
                (
                    i,
                    {"status": "due"},
                    {
                        "status": "returned",
                        "returned_on": returned_on.isoformat(),
                        "reference": ref[:100],
                        "amount": int(rows[i].amount),
                    },
                )
                for i in ids
            ],
        )
    wanted = set(ids)
    return [r for r in program_refunds(engine, actor, prog.id) if r.id in wanted]
