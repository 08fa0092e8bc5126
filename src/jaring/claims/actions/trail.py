"""The claim's own trail (``claim_event``), written by every action in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert

from jaring.access import Actor
from jaring.jsonable import to_jsonable
from jaring.store.tables.claims import claim_event


def event(
    conn: Connection,
    actor: Actor,
    claim_id: int,
    action: str,
    *,
    from_status: str | None,
    to_status: str | None,
    override: bool = False,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Append one row to the claim's trail: the actor's user name (``system`` for the
    system), the action, the move, and whether a written reason set a rule aside."""
    conn.execute(
        insert(claim_event).values(
            claim_id=claim_id,
            at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
            actor=actor.username,
            action=action,
            from_status=from_status,
            to_status=to_status,
            override=override,
            reason=reason,
            data=to_jsonable(data) if data else None,
        )
    )


def written(reason: str | None) -> str | None:
    """An override reason counts only when something is written."""
    if reason is None:
        return None
    return reason.strip() or None
