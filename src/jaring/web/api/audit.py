"""The audit trail, read-only, for administrators and auditors."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from jaring import audit
from jaring.web.api.common import MAX_ID, problems
from jaring.web.security import Principal, require

router = APIRouter(tags=["audit"])


@router.get("/audit", responses=problems())
def audit_events(
    request: Request,
    p: Annotated[Principal, Depends(require("audit.read"))],
    entity: Annotated[str | None, Query(max_length=60)] = None,
    entity_id: Annotated[str | None, Query(max_length=60)] = None,
    actor: Annotated[str | None, Query(max_length=80)] = None,
    action: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    """Events, newest first: who, when, action, entity, before and after."""
    return audit.list_events(
        request.app.state.engine,
        entity=entity,
        entity_id=entity_id,
        actor=actor,
        action=action,
        limit=limit,
        before_id=before_id,
    )
