"""The dashboard's figures as JSON."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from jaring.coverage.queries import Dashboard
from jaring.web import dashboard as dash
from jaring.web.api.common import problems
from jaring.web.security import Principal, require

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard", responses=problems(), response_model=Dashboard)
async def dashboard(
    request: Request,
    p: Annotated[Principal, Depends(require("dashboard.read"))],
    on: dt.date | None = None,
) -> Dashboard:
    """People, coverage on ``on`` (default today), memberships by state, programs and their
    budgets, by distrik; limited to your regions. Cached for a minute (and cleared by every
    change made through the web): a hit is answered on the event loop, a miss computes in a
    worker thread."""
    eng = request.app.state.engine
    hit = dash.cached(eng, p, on)
    if hit is not None:
        return hit
    return await run_in_threadpool(dash.dashboard, eng, p, on)
