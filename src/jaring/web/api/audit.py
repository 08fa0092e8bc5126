"""The audit trail, read-only, for administrators and auditors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from jaring.accounts import queries
from jaring.web.api.common import MAX_ID, problems
from jaring.web.security import Principal, require

router = APIRouter(tags=["audit"])


@router.get("/audit", response_model=queries.AuditPage, responses=problems())
def audit_events(
    request: Request,
    p: Annotated[Principal, Depends(require("audit.read"))],
    entity: Annotated[str | None, Query(max_length=60)] = None,
    entity_id: Annotated[str | None, Query(max_length=60)] = None,
    actor: Annotated[str | None, Query(max_length=80)] = None,
    action: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_EVENTS)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> queries.AuditPage:
    """Events, newest first: who, when, action, entity, before and after; ``actor`` filters
    by username (``system`` for the system), ``action`` by prefix (``registry.``)."""
    return queries.list_events(
        request.app.state.engine,
        p,
        entity=entity,
        entity_id=entity_id,
        by=actor,
        action=action,
        limit=limit,
        before_id=before_id,
    )
