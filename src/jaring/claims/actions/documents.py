"""What a claim gathers after filing: the documents received and heirs found later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import Engine, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.claims import catalog, errors
from jaring.claims import heirs as heir_rules
from jaring.claims.actions.trail import event
from jaring.claims.entitlement import apply_heirs
from jaring.claims.queries import Claim
from jaring.claims.queries.claim import claim_of, claim_row, heir_rows
from jaring.jsonable import to_jsonable
from jaring.store.tables.claims import claim, claim_document, claim_heir


@dataclass
class Documents:
    """Documents received for a claim (the API's request body): their codes (``jaring claims
    codes``) and the day they came (default today)."""

    codes: Annotated[list[str], Field(min_length=1, max_length=30)]
    received_on: dt.date | None = None


def record_documents(
    engine: Engine,
    actor: Actor,
    claim_id: int,
    codes: Sequence[str],
    *,
    received_on: dt.date | None = None,
    note: str | None = None,
) -> Claim:
    """Tick documents on the claim's checklist (codes: the law's JKM documents and
    ``claims/data/documents.yaml``); a code already recorded is kept as it was. Needs
    ``claim.write``; recorded in the audit trail as ``claim.documents``. Refused:
    ``forbidden``, ``document_unknown``, ``document_date_future``, ``documents_none_chosen``, ``claim_not_found``, ``person_out_of_region``."""
    actor.require("claim.write")
    received_on = received_on or dt.date.today()
    if received_on > dt.date.today():
        raise errors.DOCUMENT_DATE_FUTURE(field="received_on", value=received_on)
    if not codes:
        raise errors.DOCUMENTS_NONE_CHOSEN(field="codes")
    known = catalog.document_labels(received_on)
    for code in codes:
        if code not in known:
            raise errors.DOCUMENT_UNKNOWN(field="document", value=code, choices=", ".join(known))
    with engine.begin() as conn:
        row = claim_row(conn, actor, claim_id)
        have = set(
            conn.execute(
                select(claim_document.c.code).where(claim_document.c.claim_id == claim_id)
            ).scalars()
        )
        new = [c for c in dict.fromkeys(codes) if c not in have]
        if new:
            conn.execute(
                insert(claim_document),
                [
                    {"claim_id": claim_id, "code": c, "received_on": received_on, "note": note}
                    for c in new
                ],
            )
        event(
            conn,
            actor,
            claim_id,
            "document",
            from_status=row["status"],
            to_status=row["status"],
            data={"documents": new},
        )
        audit.record(
            conn, actor, "claim.documents", "claim", claim_id, after={"codes": list(codes)}
        )
        return claim_of(conn, actor, claim_id)


def add_heirs(
    engine: Engine, actor: Actor, claim_id: int, heirs: Sequence[Mapping[str, Any]]
) -> Claim:
    """Record more heirs on a claim before it is approved (e.g. a widow found after a parent
    filed). A heir marked ``recipient`` becomes the recipient; the order of law is checked at
    approval. Needs ``claim.write``; recorded in the audit trail as ``claim.heirs``.
    Refused: ``forbidden``, ``claim_closed`` (approved, paid or rejected), the heirs'
    refusals (:func:`jaring.claims.heirs.normalise`), ``claim_not_found``,
    ``person_out_of_region``."""
    actor.require("claim.write")
    with engine.begin() as conn:
        row = claim_row(conn, actor, claim_id)
        if row["status"] in ("approved", "paid", "rejected"):
            # The heir order is checked at approval: heirs found later belong to a new decision.
            raise errors.CLAIM_CLOSED(claim=claim_id, status=row["status"])
        new = heir_rules.normalise([dict(h) for h in heirs], row["event_date"])
        if any(h.get("recipient") for h in heirs):
            conn.execute(
                update(claim_heir).where(claim_heir.c.claim_id == claim_id).values(recipient=False)
            )
        else:
            for h in new:
                h["recipient"] = False
        conn.execute(insert(claim_heir), [{"claim_id": claim_id, **h} for h in new])
        if catalog.check_type(row["type"]).get("death"):
            # With no heir and no will only the funeral cost is payable; an heir found later
            # restores the full amount.
            ent = apply_heirs(row["entitlement"], heir_rows(conn, claim_id), row["event_date"])
            conn.execute(
                update(claim)
                .where(claim.c.id == claim_id)
                .values(amount=int(ent["amount"]), entitlement=to_jsonable(ent))
            )
        relations = [h["relation"] for h in new]
        event(
            conn,
            actor,
            claim_id,
            "heirs",
            from_status=row["status"],
            to_status=row["status"],
            data={"relations": relations},
        )
        audit.record(conn, actor, "claim.heirs", "claim", claim_id, after={"relations": relations})
        return claim_of(conn, actor, claim_id)
