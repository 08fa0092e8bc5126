"""Moving a claim through its statuses (:mod:`jaring.claims.workflow`), each step checking
what it must; a written reason overrides a failed check and stays in the trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy import Connection, Engine, func, select, update

from jaring import audit
from jaring.access import Actor
from jaring.claims import catalog, errors, workflow
from jaring.claims import heirs as heir_rules
from jaring.claims.actions.trail import event, written
from jaring.claims.queries import Claim
from jaring.claims.queries.claim import (
    CHECKED_STEPS,
    claim_of,
    claim_row,
    filer_of,
    heir_rows,
    missing_documents,
)
from jaring.settings.queries import today_in
from jaring.store.dialect import to_date
from jaring.store.tables.claims import claim, claim_document
from jaring.store.tables.registry import person


@dataclass
class Advance:
    """A move of a claim (the API's request body): the status it goes to and what that step
    needs (a reason code to reject; date, amount and reference to pay); ``reason`` is the
    written reason that overrides a failed check."""

    to: Literal["documents_complete", "verified", "approved", "rejected", "paid"]
    reason_code: Annotated[str | None, Field(max_length=60)] = None
    reason: Annotated[str | None, Field(max_length=500)] = None
    paid_on: dt.date | None = None
    amount: Annotated[int | None, Field(ge=0, le=10**12)] = None
    reference: Annotated[str | None, Field(max_length=100)] = None
    confirm_uncertain: bool = False


def _complete_on(engine: Engine, conn: Connection, row: dict[str, Any]) -> dt.date:
    """The day the claim's file was complete: as recorded, else the last document received,
    else today in the zone of the person's region (a file declared complete without
    documents, by a written override)."""
    if row.get("complete_on") is not None:
        return to_date(row["complete_on"])
    last = conn.execute(
        select(func.max(claim_document.c.received_on)).where(claim_document.c.claim_id == row["id"])
    ).scalar()
    if last is not None:
        return to_date(last)
    region = conn.execute(
        select(person.c.regency_code).where(person.c.id == row["person_id"])
    ).scalar()
    return today_in(engine, region)


def advance_claim(
    engine: Engine,
    actor: Actor,
    claim_id: int,
    to: str,
    *,
    reason_code: str | None = None,
    reason: str | None = None,
    paid_on: dt.date | None = None,
    amount: int | None = None,
    reference: str | None = None,
    confirm_uncertain: bool = False,
) -> Claim:
    """Move a claim to ``to``. Each step checks what it must:

    - ``documents_complete``: every required document is recorded (``documents_missing``);
    - ``approved``: the claim is eligible (``claim_not_eligible``) and its recipient is of the
      earliest recorded heir rank (``heir_order``);
    - ``rejected``: a ``reason_code`` from the fixed list (``reject_reason_required``);
    - ``paid``: date, amount and reference (``payment_details_missing``), paid on or after
      the event (``paid_before_event``), the amount equal to the entitlement
      (``paid_amount_mismatch``), no other claim for the same benefit paid
      (``claim_already_paid``).

    Payment time (PP 44/2015 Pasal 37 and 40, :mod:`jaring.law.workdays`): ``documents_complete``
    records the day the file was complete (the last document received; today when none);
    ``approved`` records the last day BPJS TK may pay (3 working days for JKM and
    scholarships, 7 for JKK, national holidays and cuti bersama left out); ``paid`` records
    the calendar days after that day and the compensation owed to the member or heirs: 1% of
    the entitlement for each of them.

    A failed check named above, but for the reason code, the payment details and the date,
    is refused unless ``reason`` is written: then it is an override, kept in the trail with
    the rules it set aside.

    Maker-checker: ``approved`` and ``paid`` need ``claim.approve`` (the claims approver role,
    in the claim's region: ``claim_approver_required``) and a user other than the one who
    filed the claim (``claim_same_user``; an administrator is no exception, only the system
    actor of batch jobs and the demo is). An amount marked uncertain is approved only with
    ``confirm_uncertain`` and a written ``reason`` (``claim_amount_uncertain``). The other
    steps need ``claim.write``. Recorded in the audit trail as ``claim.advance``. Also
    refused: ``forbidden``, ``claim_status_unknown``,
    ``claim_transition_not_allowed``, ``claim_not_found``, ``person_out_of_region``.
    """
    checked = to in CHECKED_STEPS
    if checked:
        if not actor.can("claim.approve"):
            raise errors.APPROVER_REQUIRED(claim=claim_id)
    else:
        actor.require("claim.write")
    reason = written(reason)
    with engine.begin() as conn:
        row = claim_row(conn, actor, claim_id, for_update=True)
        current = row["status"]
        workflow.check_transition(current, to)
        if checked and not actor.is_system and filer_of(conn, claim_id) == actor.username:
            raise errors.SAME_USER_APPROVAL(claim=claim_id)
        overrides: list[str] = []
        values: dict[str, Any] = {"status": to}
        data: dict[str, Any] = {}
        if to == "documents_complete":
            missing = missing_documents(conn, row)
            if missing:
                if reason is None:
                    raise errors.DOCUMENTS_MISSING(
                        field="reason",
                        claim=claim_id,
                        missing=missing,
                        documents=", ".join(missing),
                    )
                overrides.append("documents_missing")
                data["missing"] = missing
            complete_on = _complete_on(engine, conn, {**row, "complete_on": None})
            values["complete_on"] = complete_on
            data["complete_on"] = complete_on
        elif to == "approved":
            if not row["eligible"]:
                if reason is None:
                    why = list(row["eligibility"].get("reasons", []))
                    raise errors.CLAIM_NOT_ELIGIBLE(
                        field="reason", claim=claim_id, reasons=why, why=", ".join(why)
                    )
                overrides.append("not_eligible")
                values["amount"] = int(row["entitlement"].get("law_total", 0))
            problem = heir_rules.order_problem(heir_rows(conn, claim_id))
            if problem is not None and catalog.check_type(row["type"]).get("death"):
                if reason is None:
                    raise errors.HEIR_ORDER(field="reason", claim=claim_id, **problem)
                overrides.append("heir_order")
                data["heir_order"] = problem
            if row["entitlement"].get("uncertain"):
                if not confirm_uncertain or reason is None:
                    raise errors.UNCERTAIN_NOT_CONFIRMED(field="confirm_uncertain", claim=claim_id)
                data["uncertain_confirmed"] = True
            complete_on = _complete_on(engine, conn, row)
            benefit = int(values.get("amount", row["amount"]))
            due = workflow.payment_time(row["type"], complete_on, benefit, complete_on).due
            values.update(complete_on=complete_on, payment_due=due)
            data["payment_due"] = due
        elif to == "rejected":
            codes = catalog.reject_reasons()
            if reason_code not in codes:
                raise errors.REJECT_REASON_REQUIRED(
                    field="reason_code", value=reason_code, choices=", ".join(codes)
                )
            values["reject_reason"] = reason_code
            data["reason_code"] = reason_code
        elif to == "paid":
            ref = (reference or "").strip()
            given = {"paid_on": paid_on, "amount": amount, "reference": ref or None}
            lacking = [k for k, v in given.items() if v is None]
            if paid_on is None or amount is None or not ref:
                raise errors.PAYMENT_DETAILS_MISSING(field=lacking[0], claim=claim_id)
            if paid_on < row["event_date"]:
                raise errors.PAID_BEFORE_EVENT(field="paid_on", value=paid_on.isoformat())
            if int(amount) != int(row["amount"]):
                if reason is None:
                    raise errors.PAID_AMOUNT_MISMATCH(
                        field="reason",
                        claim=claim_id,
                        amount=int(amount),
                        entitlement=int(row["amount"]),
                    )
                overrides.append("amount")
            other = conn.execute(
                select(claim.c.id).where(
                    claim.c.person_id == row["person_id"],
                    claim.c.benefit_key == row["benefit_key"],
                    claim.c.status == "paid",
                    claim.c.id != claim_id,
                )
            ).first()
            if other is not None:
                if reason is None:
                    raise errors.CLAIM_ALREADY_PAID(
                        field="reason", claim=claim_id, existing_claim=int(other.id)
                    )
                overrides.append("already_paid")
            complete_on = _complete_on(engine, conn, row)
            timing = workflow.payment_time(row["type"], complete_on, int(row["amount"]), paid_on)
            values.update(
                paid_on=paid_on,
                paid_amount=int(amount),
                paid_reference=ref,
                complete_on=complete_on,
                payment_due=timing.due,
                late_days=timing.late_days,
                late_compensation=timing.compensation,
            )
            data.update(
                paid_on=paid_on,
                amount=int(amount),
                reference=ref,
                late_days=timing.late_days,
                late_compensation=timing.compensation,
            )
        if overrides:
            data["overrides"] = overrides
        conn.execute(update(claim).where(claim.c.id == claim_id).values(**values))
        event(
            conn,
            actor,
            claim_id,
            "advance",
            from_status=current,
            to_status=to,
            override=bool(overrides),
            reason=reason,
            data=data or None,
        )
        audit.record(
            conn, actor, "claim.advance", "claim", claim_id, after={"from": current, "to": to}
        )
        return claim_of(conn, actor, claim_id)
