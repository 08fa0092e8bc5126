"""The dashboard's figures as JSON."""

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from jaring.web import dashboard as dash
from jaring.web.api.common import problems
from jaring.web.roles import Principal
from jaring.web.security import require

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard", responses=problems())
def dashboard(
    request: Request,
    p: Annotated[Principal, Depends(require("dashboard.read"))],
    on: dt.date | None = None,
) -> dict[str, Any]:
    """People, coverage on ``on`` (default today), memberships by state, programs and their
    budgets, by distrik; limited to your regions."""
    return dash.dashboard(request.app.state.engine, p, on)
